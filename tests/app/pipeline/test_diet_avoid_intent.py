"""What to leave out of one's diet on a medicine is asked of its interactions, not its side effects."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import cue_over_unsure_model
from app.pipeline.intent import IntentClassifier, load_intent_classifier

ARTEFACT = Path(__file__).resolve().parents[3] / "corpora" / "intent_model.npz"

AVOID_QUESTIONS = [
    "Coumadin – anything I shouldn't eat or drink?",
    "Are there foods I should avoid on warfarin?",
    "what can't I eat while I'm on this pill",
    "is there any drink I must not drink with lithium",
    "my doctor said to stay away from certain foods on phenelzine, which ones",
]


@pytest.mark.parametrize("question", AVOID_QUESTIONS)
def test_the_cues_read_a_diet_to_avoid_as_interactions(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == "interactions"


@pytest.mark.parametrize("question", [
    "does it make me eat more than usual",
    "I can't eat since I started it, is that normal?",
])
def test_appetite_as_an_effect_stays_a_side_effect_question(question: str) -> None:
    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == "adverse_reactions"


@pytest.fixture(scope="module")
def classifier() -> IntentClassifier:
    if not ARTEFACT.exists():
        pytest.skip("corpora/intent_model.npz is absent")
    from indexing.embed import Encoder

    encoder = Encoder(backend="onnx", threads=1)
    return load_intent_classifier(ARTEFACT, encoder.encode, encoder.model_id)


@pytest.mark.parametrize("question", AVOID_QUESTIONS[:2])
def test_the_serving_prior_asks_interactions_first(classifier: IntentClassifier, question: str) -> None:
    """The model unsure ("Coumadin – anything I shouldn't eat or drink?": contraindications at 0.2), the diet
    cue decides (app.pipeline.distill.cue_over_unsure_model)."""
    assert classifier.uses_model
    assert cue_over_unsure_model(question, classifier.rank(question)).top == "interactions"


def test_alcohol_on_a_medicine_asks_where_labels_put_alcohol(classifier: IntentClassifier) -> None:
    """Warnings (metformin's lactic acidosis: "excessive alcohol intake") or interactions: the consultation
    writers' gold sections name both."""
    prior = cue_over_unsure_model("can I drink alcohol on metformin?",
                                  classifier.rank("can I drink alcohol on metformin?"))
    assert prior.top in {"warnings", "interactions"}
