"""Whose medicine "her medicine" is (issue 17): resolved by the relatives' gender (mom, wife, daughter, sister,
grandma, aunt: her; dad, husband, son, brother, grandpa, uncle: his), by the person when the question names
one, and asked back (clarify, naming each person's medicine) when two women's or two men's medicines fit."""

from __future__ import annotations

import pytest

from app.enums import Status
from app.pipeline.context import FEMALE, MALE, Owner, asked_person, build_context, resolve_focus
from app.pipeline.distill import RuleDistiller
from app.pipeline.framing import AnswerFraming
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, ReadResult, Serving, Turn, TurnRequest, TurnState
from app.records.mag import add_medication_partners
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("sertraline", "Sertraline", "Zoloft"), _entry("metformin", "Metformin"),
        _entry("apixaban", "Apixaban", "Eliquis"), _entry("warfarin", "Warfarin Sodium", "Coumadin"),
        _entry("montelukast", "Montelukast", "Singulair"), _entry("omeprazole", "Omeprazole"),
        _entry("levothyroxine", "Levothyroxine", "Synthroid"), _entry("lisinopril", "Lisinopril"),
        _entry("digoxin", "Digoxin"), _entry("atorvastatin", "Atorvastatin", "Lipitor"),
        _entry("methylphenidate", "Methylphenidate", "Ritalin"), _entry("clonazepam", "Clonazepam"),
        _entry("ibuprofen", "Ibuprofen", "Advil"), _entry("tramadol", "Tramadol"),
    ])


def _dialogue(*turns: str) -> list[Turn]:
    """User turns with a short assistant turn between each."""
    out: list[Turn] = []
    for t in turns:
        out += [Turn("user", t), Turn("assistant", "Okay.")]
    return out[:-1]


def _asked(lexicon: MedicineLexicon, *turns: str) -> tuple[set[str | None], str]:
    """The medicines the last turn's queries ask about, and the clarify question (or "")."""
    d = RuleDistiller().distill(_dialogue(*turns), lexicon)
    return {q.medicine for q in d.queries}, d.clarify


def test_each_relative_medicine_has_its_person(lexicon: MedicineLexicon) -> None:
    ctx = build_context(_dialogue("My son uses Singulair. He also takes omeprazole.",
                                  "My mum is on Eliquis and I take Lipitor.", "She also has Synthroid."), lexicon)
    people = {m.medicine_id: (m.owner, m.person, m.gender) for m in ctx.latest()}
    assert people["montelukast"] == (Owner.RELATIVE, "son", MALE)
    assert people["omeprazole"] == (Owner.RELATIVE, "son", MALE)  # "he" is the son named before
    assert people["apixaban"] == (Owner.RELATIVE, "mother", FEMALE)
    assert people["atorvastatin"] == (Owner.USER, None, None)
    assert people["levothyroxine"] == (Owner.RELATIVE, "mother", FEMALE)  # "she", a turn later, is the mum


@pytest.mark.parametrize(("question", "expected"), [
    ("Can her medicine cause weight gain?", (None, FEMALE)),
    ("is it ok for him to take it at night", (None, MALE)),
    ("What about my daughter's pills?", ("daughter", FEMALE)),
    ("Can my grandpa take his with food?", ("grandfather", MALE)),
    ("Is it safe?", (None, None)),
])
def test_asked_person(question: str, expected: tuple[str | None, str | None]) -> None:
    assert asked_person(question) == expected


@pytest.mark.parametrize(("turns", "medicine"), [
    (("My daughter takes Zoloft and my husband takes metformin.", "Can her medicine cause weight gain?"),
     "sertraline"),
    (("My daughter takes Zoloft and my husband takes metformin.", "what are the side effects of his pills"),
     "metformin"),
    (("My daughter is on sertraline.", "My husband was just prescribed metformin.",
      "Does her new one cause nausea?"), "sertraline"),  # "new" would say metformin; "her" says the daughter
    (("My grandma is on digoxin and my uncle takes lisinopril.", "What is the dose of his medication?"),
     "lisinopril"),
    (("My dad takes Coumadin. My sister takes metformin.", "Is her medicine safe in pregnancy?"), "metformin"),
    (("My mom takes Eliquis and my daughter takes Zoloft.", "Any side effects of my daughter's medicine?"),
     "sertraline"),
    (("My wife takes sertraline.", "My brother has Lipitor.", "Could his tablets cause muscle pain?"),
     "atorvastatin"),
    (("My daughter is on Ritalin for ADHD and my husband takes clonazepam.", "Can her medicine stunt growth?"),
     "methylphenidate"),
])
def test_her_and_his_follow_the_relatives_gender(lexicon: MedicineLexicon, turns: tuple[str, ...],
                                                  medicine: str) -> None:
    asked, clarify = _asked(lexicon, *turns)
    assert clarify == "" and asked == {medicine}, (turns, asked, clarify)


@pytest.mark.parametrize("turns", [
    ("My mom takes Eliquis and my daughter takes Zoloft.", "Can her medicine cause bleeding?"),
    ("My mom takes apixaban.", "My daughter was put on sertraline last week.",
     "what's the usual dose of her medicine?"),
    ("My son takes Singulair and my husband is on lisinopril.", "Is his medicine ok with grapefruit?"),
])
def test_two_people_of_the_same_gender_are_asked_back(lexicon: MedicineLexicon, turns: tuple[str, ...]) -> None:
    asked, clarify = _asked(lexicon, *turns)
    assert asked == set() and clarify.startswith("Which medicine do you mean: your "), clarify
    assert clarify.count("your ") == 2


def test_clarify_names_each_persons_medicine(lexicon: MedicineLexicon) -> None:
    _, clarify = _asked(lexicon, "My mom takes Eliquis and my daughter takes Zoloft.",
                        "Can her medicine cause bleeding?")
    assert clarify == "Which medicine do you mean: your mother's Apixaban or your daughter's Sertraline?"


def test_the_users_own_medicine_is_not_a_relatives(lexicon: MedicineLexicon) -> None:
    focus = resolve_focus("Can my medicine cause muscle pain?",
                          build_context(_dialogue("My wife takes sertraline.", "I take Lipitor.",
                                                  "Can my medicine cause muscle pain?"), lexicon), 4)
    assert [m.medicine_id for m in focus.chosen] == ["atorvastatin"] and focus.tied == []


def test_usual_dose_is_not_the_usual_medicine(lexicon: MedicineLexicon) -> None:
    # "usual" asks for the long-standing medicine only when it qualifies a medicine ("my usual pills")
    asked, _ = _asked(lexicon, "I've taken Lipitor for years.", "They just added metformin.", "What is the usual dose?")
    assert asked == {"metformin"}
    asked, _ = _asked(lexicon, "I've taken Lipitor for years.", "They just added metformin.",
                      "Can my usual pills cause diarrhea?")
    assert asked == {"atorvastatin"}


def test_chinese_clarify_names_whose(lexicon: MedicineLexicon) -> None:
    question = "她的药能吃吗？"
    state = TurnState(TurnRequest(message=question, history=[]), Serving(None, lexicon))  # type: ignore[arg-type]
    state.distilled = Distillation()
    state.reading = ReadResult("Which medicine do you mean: your mother's Apixaban or your daughter's Sertraline?",
                               [], Status.CLARIFY)
    AnswerFraming().run(state)
    assert state.reading.text == "您说的是哪一种药：您母亲的Apixaban还是您女儿的Sertraline？"


@pytest.mark.parametrize(("turns", "asked", "partner"), [
    (("My mom takes Eliquis and my husband takes metformin.", "Is it ok for her to take Advil for her knee?"),
     "ibuprofen", "apixaban"),
    (("My husband takes metformin.", "My mom is on Eliquis.", "Can he take ibuprofen for his back?"),
     "ibuprofen", "metformin"),
    (("My sister takes sertraline.", "My dad is on Coumadin.", "Can she take tramadol?"), "tramadol", "sertraline"),
    (("My wife takes Zoloft. My grandpa is on digoxin.", "Is it safe for him to take tramadol?"),
     "tramadol", "digoxin"),
])
def test_a_relatives_partners_are_that_relatives_medicines(lexicon: MedicineLexicon, turns: tuple[str, ...],
                                                          asked: str, partner: str) -> None:
    dialogue = _dialogue(*turns)
    ctx = build_context(dialogue, lexicon)
    distilled = RuleDistiller().distill(dialogue, lexicon, ctx)
    out, partners = add_medication_partners(distilled, dialogue[-1].content, None, lexicon, ctx)
    assert [p.medicine_id for p in partners] == [partner], (turns, partners)
    assert {q.medicine for q in out.queries} == {asked, partner}


@pytest.mark.parametrize("turns", [
    ("my mom takes Eliquis", "is it ok with ibuprofen?"),
    ("my mom takes Eliquis", "what's the weather going to be like tomorrow", "is it ok with ibuprofen?"),
    ("My husband is on Eliquis.", "is it safe to take it with ibuprofen?"),
])
def test_it_with_a_new_medicine_is_the_relatives_medicine_beside_it(lexicon: MedicineLexicon,
                                                                   turns: tuple[str, ...]) -> None:
    d = RuleDistiller().distill(_dialogue(*turns), lexicon)
    assert {q.medicine for q in d.queries} == {"apixaban", "ibuprofen"}, turns
    assert {q.attribute for q in d.queries} == {"interactions"}


def test_a_stopped_medicine_is_no_it_beside_a_new_one(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue("I stopped warfarin last year.", "is Lipitor ok with grapefruit?"),
                                lexicon)
    assert {q.medicine for q in d.queries} == {"atorvastatin"}


def test_an_elliptical_follow_up_is_asked_for_the_previous_questions_person(lexicon: MedicineLexicon) -> None:
    from app.pipeline.context import Owner, dialogue_asker

    turns = ("My dad just started warfarin.", "can he take advil?", "what about omeprazole instead?")
    assert dialogue_asker(_dialogue(*turns)) is Owner.RELATIVE
    assert dialogue_asker(_dialogue("Is warfarin safe?", "what about omeprazole?")) is None
    assert dialogue_asker(_dialogue("can he take advil?", "can I take omeprazole?")) is Owner.USER
    from app.records.mag import said_taken

    d = RuleDistiller().distill(_dialogue(*turns), lexicon)
    assert {q.medicine for q in d.queries} == {"omeprazole"} and {q.attribute for q in d.queries} == {"interactions"}
    # the medication-partners stage pairs it with the father's warfarin (not the advil asked before)
    assert said_taken(build_context(_dialogue(*turns), lexicon), turns[-1]) == ["warfarin"]
