"""A statement about a relative's condition or a child's age is noted like the user's own ("Noted: your father
has kidney disease."), and the context keeps it for the next turn (app.pipeline.statement)."""

from __future__ import annotations

from typing import cast

import pytest

from app.pipeline.context import Owner, build_context
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, SearchQuery, Serving, Turn, TurnRequest, TurnState
from app.pipeline.statement import StatementOnly, noted_relative_reply
from indexing.store import MedicineEntry, SearchIndex


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry("metformin", "Metformin", (), "en", "", ("dosage",), routes=("ORAL",))])


def _noted(lexicon: MedicineLexicon, *turns: str) -> str:
    history = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns[:-1])]
    state = TurnState(TurnRequest(message=turns[-1], history=history),
                      Serving(cast(SearchIndex, None), lexicon))
    state.conversation = build_context([*history, Turn("user", turns[-1])], lexicon)
    state.distilled = Distillation()
    StatementOnly().run(state)
    return state.distilled.clarify


@pytest.mark.parametrize(("message", "reply"), [
    ("my dad has stage 4 kidney disease", "Noted: your father has kidney disease."),
    ("My son is 8", "Noted: your son is 8."),
    ("my daughter is 3 years old", "Noted: your daughter is 3."),
    ("My mum is 6 months pregnant", "Noted: your mother is pregnant."),
    ("my son is 8 and has asthma", "Noted: your son is 8 and has asthma."),
    ("I have chronic kidney disease", "Noted: you have kidney disease."),
    ("I'm 14 weeks pregnant", "Noted: you are pregnant."),
    # an allergy told alone is noted too (it used to get no_evidence, though the next turn raised the alert)
    ("I'm allergic to penicillin.", "Noted: you are allergic to penicillin."),
    ("I have asthma and I'm allergic to penicillin", "Noted: you have asthma and you are allergic to penicillin."),
])
def test_a_condition_stated_alone_is_noted_whoever_has_it(lexicon: MedicineLexicon, message: str,
                                                          reply: str) -> None:
    assert _noted(lexicon, message).startswith(reply)


@pytest.mark.parametrize("message", ["my son is 8, how much paracetamol can he have?",
                                     "does my dad's kidney disease matter?", "my dad is fine"])
def test_a_question_or_nothing_known_is_not_noted(lexicon: MedicineLexicon, message: str) -> None:
    assert _noted(lexicon, message) == ""


def test_the_next_turn_keeps_the_relatives_condition(lexicon: MedicineLexicon) -> None:
    turns = [Turn("user", "my dad has stage 4 kidney disease"), Turn("assistant", "Noted."),
             Turn("user", "metformin 1000mg bd ok?")]
    context = build_context(turns, lexicon)
    assert [(c.kind, c.owner, c.turn) for c in context.stated_conditions()] == [
        ("kidney_disease", Owner.RELATIVE, 0)]


def test_the_reply_names_the_person_once() -> None:
    from app.pipeline.context import Condition
    reply = noted_relative_reply([Condition("asthma", "asthma", Owner.RELATIVE, 0),
                                  Condition("child_age", "8", Owner.RELATIVE, 0)], "son")
    assert reply == "Noted: your son is 8 and has asthma. Which medicine would you like to ask about?"


@pytest.fixture(scope="module")
def lexicon_with_donepezil() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry("donepezil", "Donepezil", (), "en", "", ("dosage",), routes=("ORAL",)),
                            MedicineEntry("warfarin", "Warfarin", (), "en", "", ("dosage",), routes=("ORAL",))])


@pytest.mark.parametrize(("message", "reply"), [
    ("I look after my mother, she's 79 and on donepezil for her memory", "Noted: your mother takes Donepezil."),
    ("My grandma's on donepezil.", "Noted: your grandmother takes Donepezil."),
    ("My doctor put me on warfarin last week.", "Noted: you take Warfarin."),
])
def test_a_medicine_stated_for_whoever_takes_it_is_noted(lexicon_with_donepezil: MedicineLexicon, message: str,
                                                          reply: str) -> None:
    state = TurnState(TurnRequest(message=message, history=[]), Serving(cast(SearchIndex, None),
                                                                         lexicon_with_donepezil))
    state.conversation = build_context([Turn("user", message)], lexicon_with_donepezil)
    mid = "donepezil" if "donepezil" in message else "warfarin"
    state.distilled = Distillation(queries=[SearchQuery(mid, None, mid)])
    StatementOnly().run(state)
    assert state.distilled.clarify.startswith(reply), state.distilled.clarify
    assert state.distilled.queries == []


def test_a_question_about_a_relatives_medicine_is_no_statement(lexicon_with_donepezil: MedicineLexicon) -> None:
    message = "my mother is on donepezil, can she take it at night?"
    state = TurnState(TurnRequest(message=message, history=[]), Serving(cast(SearchIndex, None),
                                                                         lexicon_with_donepezil))
    state.conversation = build_context([Turn("user", message)], lexicon_with_donepezil)
    state.distilled = Distillation(queries=[SearchQuery("donepezil", "dosage", "donepezil")])
    StatementOnly().run(state)
    assert not state.distilled.clarify and state.distilled.queries


@pytest.mark.parametrize(("message", "asked", "reply"), [
    # several people's medicines: each under its own person (was "your father takes Donepezil and Warfarin")
    ("My mother takes donepezil and my father takes warfarin.", ["donepezil", "warfarin"],
     "Noted: your mother takes Donepezil and your father takes Warfarin."),
    # the user's own medicine, withheld by the distiller as taken, is noted too (was searched as an
    # interaction question about the wife's)
    ("I take warfarin and my wife takes donepezil", ["donepezil"],
     "Noted: you take Warfarin and your wife takes Donepezil."),
])
def test_several_peoples_medicines_are_noted_each_with_its_person(
        lexicon_with_donepezil: MedicineLexicon, message: str, asked: list[str], reply: str) -> None:
    state = TurnState(TurnRequest(message=message, history=[]), Serving(cast(SearchIndex, None),
                                                                         lexicon_with_donepezil))
    state.conversation = build_context([Turn("user", message)], lexicon_with_donepezil)
    state.distilled = Distillation(queries=[SearchQuery(mid, "interactions", mid) for mid in asked])
    StatementOnly().run(state)
    assert state.distilled.clarify.startswith(reply), state.distilled.clarify
    assert state.distilled.queries == []


@pytest.mark.parametrize(("message", "asked", "reply"), [
    # what it is for, with "a" ("for a chest infection"), closes a clause of the statement
    ("I take warfarin. My wife takes donepezil for a chest infection.", ["donepezil"],
     "Noted: you take Warfarin and your wife takes Donepezil."),
    # a condition said with the medicine is noted with it, the user's own or a relative's
    ("I'm pregnant and take warfarin.", ["warfarin"], "Noted: you take Warfarin, and that you are pregnant."),
    ("My dad has diabetes and has been taking donepezil for years.", ["donepezil"],
     "Noted: your father takes Donepezil and has diabetes."),
])
def test_a_statement_with_a_purpose_or_a_condition_is_noted(
        lexicon_with_donepezil: MedicineLexicon, message: str, asked: list[str], reply: str) -> None:
    state = TurnState(TurnRequest(message=message, history=[]), Serving(cast(SearchIndex, None),
                                                                         lexicon_with_donepezil))
    state.conversation = build_context([Turn("user", message)], lexicon_with_donepezil)
    state.distilled = Distillation(queries=[SearchQuery(mid, None, mid) for mid in asked])
    StatementOnly().run(state)
    assert state.distilled.clarify.startswith(reply), state.distilled.clarify
    assert state.distilled.queries == []
