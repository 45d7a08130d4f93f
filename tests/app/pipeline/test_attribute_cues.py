"""Section cues written from consultations (issue 17) and the cue-over-unsure-model rule of distillation."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import cue_over_unsure_model
from app.pipeline.intent import IntentPrior


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Is Xanax addictive?", "warnings"),
        ("Do I need to take Eliquis with food?", "dosage"),
        ("should i take it on an empty stomach", "dosage"),
        ("what strengths does tadalafil come in", "dosage_forms"),
        ("My son swallowed maybe 5 of my clonidine pills, what happens?", "overdosage"),
        ("Is that okay with my heart pill?", "interactions"),
        ("Is ginkgo biloba safe with my aspirin?", "interactions"),
        ("ok. Does it affect birth control pills?", "interactions"),
        ("My grandma takes digoxin. Can she have anything for a cough?", "interactions"),
        ("is cyclobenzaprine a narcotic?", "pharmacology"),
        ("Is it normal that he has nightmares?", "adverse_reactions"),
        ("What are the signs of low blood sugar on his pill?", "warnings"),
        ("what does prednisone do to blood sugar", "warnings"),
        ("Should she avoid salt substitutes?", "warnings"),
        ("what foods should I avoid while taking warfarin?", "interactions"),
    ],
)
def test_cues_name_the_section(question: str, section: str) -> None:
    assert classify_attribute(question).attribute is not None
    assert classify_attribute(question).attribute.value == section  # type: ignore[union-attr]


def test_good_for_how_long_is_not_an_indication() -> None:
    guess = classify_attribute("pneumonia vaccine is good for how long?")
    assert "indications" not in guess.scores


def _prior(*ranked: tuple[str, float], source: str = "model") -> IntentPrior:
    return IntentPrior(tuple(ranked), (ranked[0][0],), source)


def test_cue_comes_first_when_the_model_is_unsure() -> None:
    prior = cue_over_unsure_model("what does prednisone do to blood sugar",
                                  _prior(("adverse_reactions", 0.35), ("warnings", 0.1)))
    assert prior.top == "warnings"
    assert prior.ranked[0] == ("warnings", 0.1)
    assert "adverse_reactions" in prior.asks


def test_a_sure_model_keeps_its_section() -> None:
    prior = _prior(("adverse_reactions", 0.87), ("warnings", 0.1))
    assert cue_over_unsure_model("what does prednisone do to blood sugar", prior) is prior


def test_one_weak_cue_does_not_override_the_model() -> None:
    # "when taking" alone (1.5) is a weak interactions cue; the model's unsure dosage stays first
    prior = _prior(("adverse_reactions", 0.3), ("interactions", 0.2))
    assert cue_over_unsure_model("how will i feel when taking memantine tablets", prior) is prior


def test_cue_prior_is_left_alone() -> None:
    prior = _prior(("dosage", 0.3), source="cues")
    assert cue_over_unsure_model("what does prednisone do to blood sugar", prior) is prior
