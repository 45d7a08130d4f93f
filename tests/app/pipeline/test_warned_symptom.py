"""A symptom asked of a medicine whose warnings give it a heading ("thighs ache on the statin - is it the tablet?" and
the label's "Myopathy and Rhabdomyolysis:") is answered from the warnings first, the adverse reactions after; a
general side-effect question, or a symptom no heading names, stays with the adverse reactions
(app.pipeline.warned_symptom)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.enums import Mode
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Turn, TurnRequest
from app.pipeline.warned_symptom import heading_words, symptom_words, warned_symptom
from eval.runtime import load_orchestrator
from tests.conftest import MINI_CORPUS

_EMPAGLIFLOZIN = ("Diabetic Ketoacidosis in Patients with Type 1 Diabetes Mellitus: Consider ketone monitoring. "
                  "( 5.1 ) Volume Depletion: Before initiating JARDIANCE, assess volume status. ( 5.2 ) "
                  "Genital Mycotic Infections: Monitor and treat as appropriate. ( 5.6 )")


def test_the_headings_of_a_highlights_warnings_section() -> None:
    words = heading_words(_EMPAGLIFLOZIN)
    assert {"mycot", "genit", "ketoacidosi", "deplet"} <= words
    assert "monitor" not in words and "treat" not in words  # the text after a heading is no heading


def test_a_symptom_in_a_users_words_is_named_in_the_labels() -> None:
    assert {"genit", "mycot"} <= symptom_words("keep getting thrush down below, is that the medicine?")
    assert {"myopathi", "myalgia"} <= symptom_words("我妈大腿酸痛没力气，上楼都费劲，是不是药引起的？")
    assert {"pancreat"} <= symptom_words("吃了一个月，昨晚开始上腹剧痛，痛到背后")
    # what any effect question says names no effect
    assert not symptom_words("what are the side effects?") and not symptom_words("常见的副作用有哪些？")


def test_a_warned_symptom_needs_a_heading_naming_it() -> None:
    assert warned_symptom("since starting Jardiance I keep getting thrush down below", _EMPAGLIFLOZIN)
    assert not warned_symptom("since starting Jardiance I feel dizzy", "Lactic Acidosis: stop it. ( 5.1 )")
    assert not warned_symptom("thrush down below", "")


@pytest.fixture(scope="module")
def orchestrator(tmp_path_factory: pytest.TempPathFactory, mini_index_dir: Path, encoder: Any) -> Orchestrator:
    database = tmp_path_factory.mktemp("warned_symptom") / "clinqa.db"
    settings = Settings(database_url=f"sqlite:///{database}", index_dir=mini_index_dir, corpus=MINI_CORPUS,
                        vector_caches=[], vector_cache_out=None)
    return load_orchestrator(settings, encoder)


def _sections(orchestrator: Orchestrator, *turns: str) -> list[tuple[str | None, str | None]]:
    history = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns[:-1])]
    answer = orchestrator.answer(TurnRequest(turns[-1], history, Mode.DRR))
    return [(q.medicine, q.attribute) for q in answer.queries]


@pytest.mark.parametrize("turns", [
    ("My mum is 72 and on atorvastatin. Her thighs ache and she's weak climbing stairs. Could it be the tablet?",),
    ("She takes atorvastatin 40.", "Her thigh muscles ache and she can't get up the stairs. Is that from it?"),
    ("立普妥吃了三个月，最近大腿酸痛没劲，爬楼梯都费劲，是药的问题吗？",),
])
def test_a_symptom_a_warnings_heading_names_asks_the_warnings_first(orchestrator: Orchestrator,
                                                                    turns: tuple[str, ...]) -> None:
    assert _sections(orchestrator, *turns)[:2] == [("atorvastatin-calcium", "warnings"),
                                                   ("atorvastatin-calcium", "adverse_reactions")]


def test_a_general_side_effect_question_stays_with_the_adverse_reactions(orchestrator: Orchestrator) -> None:
    assert _sections(orchestrator, "What are the common side effects of atorvastatin?")[0] == (
        "atorvastatin-calcium", "adverse_reactions")
