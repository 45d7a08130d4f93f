"""Section cues written from consultations (issue 17) and the cue-over-unsure-model rule of distillation."""

from __future__ import annotations

from typing import Any

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller, cue_over_unsure_model
from app.pipeline.intent import IntentClassifier, IntentPrior
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Is Xanax addictive?", "warnings"),
        ("do my nitroglycerin tablets need to stay in the glass bottle?", "storage"),
        ("can I put my warfarin in a pill organiser?", "storage"),
        # how long it keeps (session 8: 'stay good after mixing' read the clinical pharmacology)
        ("how long does amoxicillin stay good after mixing?", "storage"),
        ("is my old ibuprofen still good?", "storage"),
        ("How long is a bottle of latanoprost eye drops good for once I open it?", "storage"),
        ("does an opened insulin pen go off?", "storage"),
        ("she's been very dizzy and her pulse is slow, can that be the donepezil?", "adverse_reactions"),
        ("we're trying for a baby and I take lamotrigine, is it safe for the baby?", "pregnancy"),
        ("I want to get pregnant, can I keep taking my sertraline?", "pregnancy"),
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
        ("What can't I take with it?", "interactions"),
        ("what else shouldn't I mix with warfarin", "interactions"),
    ],
)
def test_cues_name_the_section(question: str, section: str) -> None:
    assert classify_attribute(question).attribute is not None
    assert classify_attribute(question).attribute.value == section  # type: ignore[union-attr]


def test_opening_a_capsule_is_no_storage_question() -> None:
    assert "storage" not in classify_attribute("Can I open the omeprazole capsule and sprinkle it on food?").scores


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


# -- distillation rules (cue words only, a small lexicon) ---------------------------------------------------

_IDS = ["naproxen", "phenytoin", "fluconazole", "clarithromycin", "colchicine", "amoxicillin", "ibuprofen",
        "metformin", "diphenhydramine", "aspirin"]


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    entries = [MedicineEntry(i, i.capitalize(), (), "en", "", ("dosage", "interactions")) for i in _IDS]
    return MedicineLexicon(entries, extra_drug_names=["lithium", "ginkgo biloba"])


def _distill(lexicon: MedicineLexicon, *turns: str) -> tuple[Any, list[tuple[str | None, str | None]], list[str]]:
    dialogue = [Turn(("user", "assistant")[i % 2], t) for i, t in enumerate(turns)]
    out = RuleDistiller().distill(dialogue, lexicon)
    return out.audit.get("attribute"), [(q.medicine, q.attribute) for q in out.queries], out.unknown_drugs


def test_new_medicine_while_taking_an_unknown_one_is_an_interaction_question(lexicon: MedicineLexicon) -> None:
    attribute, queries, _ = _distill(
        lexicon, "I take lithium for bipolar disorder.", "Okay.", "My knee hurts, can I take naproxen?"
    )
    assert attribute == "interactions"
    assert queries[0] == ("naproxen", "interactions")


def test_a_bare_concern_about_a_new_medicine_while_on_another(lexicon: MedicineLexicon) -> None:
    attribute, _, _ = _distill(
        lexicon, "i take phenytoin for seizures", "Okay.", "just got fluconazole for thrush. problem?"
    )
    assert attribute == "interactions"


def test_on_one_adding_another_is_an_interaction_question(lexicon: MedicineLexicon) -> None:
    attribute, queries, _ = _distill(lexicon, "Pt on clarithromycin - safe to continue colchicine at full dose?")
    assert attribute == "interactions"
    assert {m for m, _ in queries} == {"clarithromycin", "colchicine"}


def test_two_medicines_asked_about_alike_keep_their_section(lexicon: MedicineLexicon) -> None:
    attribute, _, _ = _distill(lexicon, "What is the usual dose of amoxicillin and of ibuprofen for an adult?")
    assert attribute == "dosage"


def test_a_stated_condition_fills_an_unsure_section(lexicon: MedicineLexicon) -> None:
    attribute, _, _ = _distill(lexicon, "I have stage 3 kidney disease.", "Okay.", "Is metformin still safe for me?")
    assert attribute == "warnings"
    attribute, _, _ = _distill(
        lexicon, "I have glaucoma, the narrow angle kind.", "Okay.", "Can I use diphenhydramine to sleep?"
    )
    assert attribute == "warnings"


def test_an_absent_product_with_my_own_medicine_searches_nothing(lexicon: MedicineLexicon) -> None:
    _, queries, unknown = _distill(lexicon, "Is ginkgo biloba safe with my aspirin?")
    assert queries == []
    assert unknown and unknown[0].startswith("ginkgo")


def test_a_known_medicine_asked_with_an_absent_one_is_still_searched(lexicon: MedicineLexicon) -> None:
    _, queries, _ = _distill(lexicon, "Is aspirin safe with ginkgo biloba?")
    assert [m for m, _ in queries] == ["aspirin"]


@pytest.mark.parametrize(
    ("question", "section"),
    [
        # fresh5 tuning set (written blind): the shop is no storage, mixing two is an interaction
        ("My stomach's been burning so I picked up omeprazole at the store. Any issue mixing the two?",
         "interactions"),
        ("is the store brand ok?", None),
        ("how should I store insulin?", "storage"),
        ("My dentist says a back molar has to come out. Does the bone pill matter for that?", "warnings"),
        ("getting a tooth pulled friday, anything I should know?", "warnings"),
        ("Is that a known thing with it?", "adverse_reactions"),
        ("been on predisone 40mg for 5 days, im starving all the time and cant sleep. normal??", "adverse_reactions"),
        ("what is the normal dose of metformin?", "dosage"),
        ("should i cut back on bananas and the salt substitute stuff?", "interactions"),
    ],
)
def test_cues_of_the_fresh5_tuning_set(question: str, section: str | None) -> None:
    found = classify_attribute(question).attribute
    assert (found.value if found is not None else None) == section


@pytest.mark.parametrize(
    ("question", "section"),
    [
        # answers_fresh5_tune: the warnings asked for by name beat a child's age; a closing "concerns?" asks them
        ("My 8 year old was just prescribed Singulair. Is there a warning I should know about?", "warnings"),
        ("pt on lisinopril 20 daily, wants to use naproxen/ibuprofen regularly for OA — concerns?", "warnings"),
        ("how much metformin should I take?", "dosage"),
    ],
)
def test_warnings_asked_by_name(question: str, section: str) -> None:
    found = classify_attribute(question).attribute
    assert found is not None and found.value == section


def test_what_is_in_a_medicine_asks_its_description() -> None:
    for question in ("What's in the montelukast pill?", "whats in it", "what is in this tablet exactly?"):
        guess = classify_attribute(question)
        assert guess.attribute is not None and guess.attribute.value == "description", question


class _FixedIntent(IntentClassifier):
    def __init__(self, prior: IntentPrior) -> None:
        super().__init__()
        self.prior = prior

    def rank(self, question: str) -> IntentPrior:
        return self.prior


@pytest.mark.parametrize(("question", "expected"), [
    ("Can I take amoxicillin with metformin?", "interactions"),  # the model's warnings at 0.26 is a guess
    ("is it ok to take ibuprofen and aspirin together", "interactions"),
    ("Which is better for a headache, ibuprofen or aspirin?", "warnings"),  # a comparison is not taking both
])
def test_two_medicines_taken_together_when_the_model_is_unsure(lexicon: MedicineLexicon, question: str,
                                                                expected: str) -> None:
    unsure = IntentPrior((("warnings", 0.26), ("interactions", 0.15)), ("warnings",), "model")
    out = RuleDistiller(intent=_FixedIntent(unsure)).distill([Turn("user", question)], lexicon)
    assert out.audit.get("attribute") == expected, question


def test_a_stated_condition_the_medicine_treats_asks_its_indications(mini_index: Any) -> None:
    # "I have high blood pressure. Can I take lisinopril?": whether it is for that (its indications), while the
    # same condition beside ibuprofen asks its cautions
    lexicon = MedicineLexicon(mini_index.medicines.values())
    for medicine, section in [("lisinopril", "indications"), ("ibuprofen", "warnings")]:
        dialogue = [Turn("user", "I have high blood pressure."), Turn("assistant", "Okay."),
                    Turn("user", f"Can I take {medicine}?")]
        d = RuleDistiller().distill(dialogue, lexicon, index=mini_index)
        assert [(q.medicine, q.attribute) for q in d.queries][:1] == [(medicine, section)], medicine

    # a condition it does not treat, said too, keeps its cautions
    dialogue = [Turn("user", "I have asthma and high blood pressure."), Turn("assistant", "Okay."),
                Turn("user", "Can I take lisinopril?")]
    d = RuleDistiller().distill(dialogue, lexicon, index=mini_index)
    assert [(q.medicine, q.attribute) for q in d.queries][:1] == [("lisinopril", "warnings")]
