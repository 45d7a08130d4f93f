"""The understanding failures of a new user's trial (sixth session), as dialogues of our own wording through the
in-process orchestrator over the mini index: a product the database lacks asked as a follow-up beside two
medicines taken, alcohol in everyday words, an accidental ingestion, a relative's condition stated alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.enums import Mode, Status
from app.pipeline.ingestion import NOTICE_EN
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Answer, NoticeKind, Turn, TurnRequest
from eval.runtime import load_orchestrator
from tests.conftest import MINI_CORPUS


@pytest.fixture(scope="module")
def orchestrator(tmp_path_factory: pytest.TempPathFactory, mini_index_dir: Path, encoder: Any) -> Orchestrator:
    database = tmp_path_factory.mktemp("trial_s6") / "clinqa.db"
    settings = Settings(database_url=f"sqlite:///{database}", index_dir=mini_index_dir, corpus=MINI_CORPUS,
                        vector_caches=[], vector_cache_out=None)
    return load_orchestrator(settings, encoder)


def _ask(orchestrator: Orchestrator, *turns: str) -> Answer:
    history = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns[:-1])]
    return orchestrator.answer(TurnRequest(turns[-1], history, Mode.DRR))


def test_a_product_asked_as_a_follow_up_reads_the_label_that_names_it(orchestrator: Orchestrator) -> None:
    answer = _ask(orchestrator, "I take lisinopril and metformin", "Noted.", "are they ok together?", "They ...",
                  "what about with potassium supplements?")
    assert answer.status is Status.ANSWERED, answer.text
    assert [c.medicine_id for c in answer.citations][:1] == ["lisinopril"]
    assert any(n.kind is NoticeKind.UNKNOWN_DRUG for n in answer.notices)


def test_drink_words_are_alcohol_not_a_missing_medicine(orchestrator: Orchestrator) -> None:
    answer = _ask(orchestrator, "what is amoxicillin for?", "It treats infections.",
                  "and can I have a few beers on it?")
    assert not any(n.kind is NoticeKind.UNKNOWN_DRUG for n in answer.notices), answer.notices
    quoted = " ".join(c.text for c in answer.citations).casefold()
    spoken = "alcohol" in quoted or any("alcohol" in n.text for n in answer.notices)
    assert spoken, (answer.text, answer.notices)  # the label's alcohol lines, or the notice that it has none


def test_a_child_swallowing_a_medicine_gets_poison_control_first(orchestrator: Orchestrator) -> None:
    answer = _ask(orchestrator, "my toddler got into my metformin and swallowed a few tablets, what should I do?")
    assert answer.notices and answer.notices[0].text == NOTICE_EN
    assert [(q.medicine, q.attribute) for q in answer.queries][:1] == [("metformin", "overdosage")]


def test_a_relatives_condition_is_noted_and_kept(orchestrator: Orchestrator) -> None:
    first = _ask(orchestrator, "my dad has stage 4 kidney disease")
    assert first.status is Status.CLARIFY and first.text.startswith("Noted: your father has kidney disease.")
    second = _ask(orchestrator, "my dad has stage 4 kidney disease", first.text, "metformin 1000mg bd ok for him?")
    assert second.status is Status.ANSWERED and second.citations[0].medicine_id == "metformin"
