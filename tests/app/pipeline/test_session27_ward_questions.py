"""More of the twentieth sitting's tuning half (session 27): the pill a clinician means after "19F on Yasmin", an
INR pushed up by a finished course, "the old PPI was lansoprazole ... is the new one a problem with the clopi?",
the medicine a turn asks about searched before the one it says is taken, "levo" told apart by what it is for, a
flattened numbered list before the sentence that answers, and "can I take it twice in a month?" asked, not done."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.class_reference import kinds_said
from app.pipeline.compose import after_inline_list, boilerplate
from app.pipeline.context import switch_status
from app.pipeline.distill import RuleDistiller
from app.pipeline.ingestion import too_much_taken
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("drospirenone-and-ethinyl-estradiol", "Drospirenone and Ethinyl Estradiol", "Yasmin"),
        _entry("carbamazepine", "Carbamazepine"), _entry("warfarin", "Warfarin"),
        _entry("fluconazole", "Fluconazole"), _entry("lansoprazole", "Lansoprazole"),
        _entry("omeprazole", "Omeprazole"), _entry("clopidogrel", "Clopidogrel"), _entry("aspirin", "Aspirin"),
        _entry("isosorbide-mononitrate", "Isosorbide Mononitrate", "ISMN"), _entry("sildenafil", "Sildenafil"),
        _entry("levothyroxine", "Levothyroxine"), _entry("levofloxacin", "Levofloxacin"),
        _entry("levetiracetam", "Levetiracetam"),
    ], is_known_word=lambda word: False)


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


def test_the_pill_is_a_kind_of_medicine() -> None:
    assert kinds_said("does the pill still work?") == ["contraceptive"]
    assert kinds_said("is it ok with her contraceptive pill?") == ["contraceptive"]
    assert kinds_said("I took a pill for my headache") == []


@pytest.mark.parametrize("question", ["does amoxicillin stop the pill working?",
                                      "I've been given carbamazepine, will my pill still work?"])
def test_whether_the_pill_still_works_is_an_interaction(question: str) -> None:
    found = classify_attribute(question).attribute
    assert found is not None and found.value == "interactions"


def test_an_inr_pushed_up_by_a_finished_course(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue(
        "FY1 on cardio, quick q about a warfarin pt with AF", "Sure, go ahead.",
        "INR came back 4.9 today, usually 2-3. she finished a course of fluconazole for oral thrush 3 days ago. could "
        "that have pushed it up?"), lexicon)
    # ("could that have pushed it up?" asks what it did, not whether it contains something)
    assert d.queries[0].medicine == "fluconazole"
    assert d.queries[0].attribute == "interactions"


def test_the_new_one_after_a_switch(lexicon: MedicineLexicon) -> None:
    question = ("the old PPI was lansoprazole, hospital switched him to omeprazole 20 on discharge - is the new one a "
                "problem with the clopi?")
    assert switch_status(question, "lansoprazole").value == "stopped"
    d = RuleDistiller().distill(_dialogue("post-stent pt on clopidogrel 75 and aspirin. stomach's been sore",
                                          "Sure, go on.", question), lexicon)
    assert [q.medicine for q in d.queries] == ["omeprazole", "clopidogrel"]


def test_the_asked_medicine_is_searched_before_the_one_taken(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue("65M on ISMN 60mg XL for angina asking me for sildenafil. absolute no or "
                                          "is there a workaround?"), lexicon)
    assert [q.medicine for q in d.queries][:2] == ["sildenafil", "isosorbide-mononitrate"]
    assert d.queries[0].attribute == "contraindications"


@pytest.mark.parametrize(("text", "mid"), [
    ("hypothyroid, on levo 75, can I take it with my calcium?", "levothyroxine"),
    ("pt on levo for seizures, ok with sertraline?", "levetiracetam"),
    ("levo 500 od for a UTI, ok with warfarin?", "levofloxacin"),
])
def test_levo_told_apart_by_what_it_is_for(lexicon: MedicineLexicon, text: str, mid: str) -> None:
    assert [m.medicine_id for m in lexicon.find(text) if m.medicine_id][:1] == [mid]


def test_a_flattened_numbered_list_before_the_answer() -> None:
    glued = ("2. Stevens-Johnson Syndrome 8. purpura 3. erythema multiforme 9. fever 4. drug rash 10. rash "
             "12. urticaria Cardiovascular Reaction Orthostatic hypotension may occur and be aggravated by alcohol, "
             "barbiturates or narcotics.")
    assert after_inline_list(glued) == ("Orthostatic hypotension may occur and be aggravated by alcohol, "
                                        "barbiturates or narcotics.")
    plain = "Take 1. tablet on day 1. and 2. tablets on day 2."
    assert after_inline_list(plain) == plain  # nothing readable after it: the sentence stays
    assert boilerplate("Adverse reactions are categorized below by organ system and listed by decreasing severity.")


@pytest.mark.parametrize(("said", "happened"), [
    ("can I take the morning after pill twice in a month?", False),
    ("I took my levothyroxine twice this morning by mistake", True),
])
def test_twice_asked_or_done(said: str, happened: bool) -> None:
    assert too_much_taken(said) is happened


def test_a_baby_wished_for_is_a_pregnancy_planned_not_a_child() -> None:
    from app.pipeline.read_cues import conditions_in

    names = {c.name for c in conditions_in("me and my partner want a baby next year what do I need to know")}
    assert "pregnancy" in names and "child" not in names
    assert "pregnancy" not in {c.name for c in conditions_in("I'm not planning a baby, just asking")}
    assert "child" in {c.name for c in conditions_in("can I give it to my baby?")}


@pytest.mark.parametrize(("said", "happened"), [
    ("community pharmacist. elderly pt collecting MTX 2.5mg says her new carer gives it 'every morning'. how serious?",
     True),
    ("the care home has been giving her methotrexate daily", True),
    ("I take methotrexate weekly and folic acid daily", False),
    ("my mum takes methotrexate, can she take it every day?", False),
])
def test_methotrexate_given_every_day(said: str, happened: bool) -> None:
    assert too_much_taken(said) is happened


@pytest.mark.parametrize("question", ["is the flow max my husband takes is that for his blood pressure as well",
                                      "is tamsulosin for blood pressure?"])
def test_what_it_is_for(question: str) -> None:
    found = classify_attribute(question).attribute
    assert found is not None and found.value == "indications"


def test_a_parenthesis_the_label_never_opened() -> None:
    from app.pipeline.compose import strip_references

    assert strip_references("Administer leucovorin as soon as possible after methotrexate overdosage).") == (
        "Administer leucovorin as soon as possible after methotrexate overdosage.")
    assert strip_references("Take it with food (or milk).") == "Take it with food (or milk)."


def test_a_kidney_measure_is_no_symptom() -> None:
    from app.pipeline.warned_symptom import symptom_words

    # ("CrCl 35 ... dose adjustment?" had read the effects of the dose told)
    assert symptom_words("CrCl 35 mL/min, herpes zoster. Valacyclovir dose adjustment?") == frozenset()
    assert symptom_words("my ankles are really puffy") != frozenset()


def test_any_test_before_starting_asks_the_warnings() -> None:
    found = classify_attribute("SHO. 34M of Han Chinese ancestry, TN, want to start carbamazepine. any test first?")
    assert found.attribute is not None and found.attribute.value == "warnings"


def test_the_asked_medicines_other_product_is_no_partner() -> None:
    from app.records.mag import _ingredients

    # ("I take lisinopril ... can I have ibuprofen": the notice had listed Ibuprofen among the medicines taken)
    assert _ingredients("Ibuprofen (OTC)") == _ingredients("Ibuprofen")
    assert _ingredients("Lisinopril") != _ingredients("Ibuprofen")
