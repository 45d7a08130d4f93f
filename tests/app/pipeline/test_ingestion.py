"""An accidental ingestion or too much taken gets the poison-control notice first, and a medicine someone
swallowed that was not theirs is read for its overdosage section (app.pipeline.ingestion)."""

from __future__ import annotations

from typing import Any, cast

import pytest

from app.pipeline.ingestion import NOTICE_EN, NOTICE_ZH, AccidentalIngestion, ingestion_event, someone_swallowed
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, NoticeKind, SearchQuery, Serving, TurnRequest, TurnState, notice_text
from indexing.store import MedicineEntry, SearchIndex


@pytest.mark.parametrize("question", [
    "my toddler may have swallowed a few of my iron tablets, what should I do?",
    "My son got into my pills", "the baby chewed one of grandma's tablets", "I think I took too many paracetamol",
    "I took my levothyroxine twice this morning", "I accidentally took a double dose of warfarin",
    "she may have overdosed", "I gave him a double dose by mistake", "took an extra one by accident",
    "孩子误服了布洛芬怎么办", "我吃多了",
    "my toddler may have swallowed 5 of my amlodipine tablets, what happens?",
    "I took too many of my blood pressure pills, what happens now?",
    "my 3 year old got into my metoprolol and ate a couple", "my 2yo swallowed some of my pills",
])
def test_an_ingestion_or_too_much_taken_is_recognised(question: str) -> None:
    assert ingestion_event(question)


@pytest.mark.parametrize("question", [
    "what happens if I take too much acetaminophen?", "what are the symptoms of a metformin overdose?",
    "my daughter takes two tablets of amoxicillin a day, is that right?", "can I take two ibuprofen at once?",
    "I missed a dose, can I take double tomorrow?", "my son has asthma, can he take ibuprofen?",
    "she took one pill this morning and feels dizzy",
    "what happens when you take too much tylenol?", "what would happen if my kid swallowed a few of my pills?",
])
def test_a_question_or_a_normal_dose_is_not(question: str) -> None:
    assert not ingestion_event(question)


def test_a_medicine_named_after_what_someone_ate() -> None:
    assert someone_swallowed("the dog ate my ibuprofen", ("ibuprofen",))
    assert not someone_swallowed("the dog ate my homework", ("ibuprofen",))


class _Index:
    def __init__(self) -> None:
        self.medicines = {"metformin": None, "levothyroxine": None}


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("dosage", "overdosage"), routes=("ORAL",))
                            for m in ("metformin", "levothyroxine")])


def _run(lexicon: MedicineLexicon, question: str, queries: list[SearchQuery]) -> TurnState:
    state = TurnState(TurnRequest(question), Serving(cast(SearchIndex, cast(Any, _Index())), lexicon))
    state.distilled = Distillation(queries=queries)
    AccidentalIngestion().run(state)
    return state


def test_swallowed_by_a_child_reads_the_overdosage_section_after_the_notice(lexicon: MedicineLexicon) -> None:
    state = _run(lexicon, "my son got into my metformin, he swallowed 3 tablets, what should I do?",
                 [SearchQuery("metformin", "pediatric", "metformin"), SearchQuery("metformin", "dosage", "metformin")])
    assert [(q.medicine, q.attribute) for q in state.queries] == [("metformin", "overdosage"), ("metformin", "dosage")]
    assert state.notices[0].kind is NoticeKind.EMERGENCY and state.notices[0].text == NOTICE_EN
    assert notice_text([*state.notices[1:], state.notices[0]]).startswith(NOTICE_EN)  # shown first


def test_a_double_dose_keeps_its_dose_reading(lexicon: MedicineLexicon) -> None:
    state = _run(lexicon, "I took my levothyroxine twice this morning", [SearchQuery("levothyroxine", "dosage", "x")])
    assert [q.attribute for q in state.queries] == ["dosage"] and state.notices[0].text == NOTICE_EN


def test_no_medicine_known_still_gets_the_notice(lexicon: MedicineLexicon) -> None:
    state = _run(lexicon, "my toddler may have swallowed a few of my iron tablets, what should I do?", [])
    assert [n.text for n in state.notices] == [NOTICE_EN]
    assert _run(lexicon, "孩子误服了药怎么办", []).notices[0].text == NOTICE_ZH


def test_an_ordinary_question_gets_nothing(lexicon: MedicineLexicon) -> None:
    state = _run(lexicon, "how much metformin do I take?", [SearchQuery("metformin", "dosage", "x")])
    assert state.notices == [] and state.queries[0].attribute == "dosage"


@pytest.mark.parametrize(("text", "found"), [
    ("a few of my iron tablets", [("iron", None)]), ("my potassium pills", [("potassium", None)]),
    ("my iron levels are low", []), ("my potassium is high", []),
])
def test_a_mineral_taken_as_tablets_is_a_product_not_a_level(text: str, found: list[tuple[str, None]]) -> None:
    lexicon = MedicineLexicon([MedicineEntry("levothyroxine", "Levothyroxine", (), "en", "", ("dosage",))])
    assert [(m.surface, m.medicine_id) for m in lexicon.find(text)] == found
