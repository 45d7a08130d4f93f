""""Which medicine treats X?" with no medicine named: several cited candidates from indications sections,
no_evidence when none names X, and never a quote from an unrelated label."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.enums import Status
from app.pipeline.distill import RuleDistiller
from app.pipeline.indication_search import IndicationSearch, condition_asked
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.read import ExtractiveReader
from app.pipeline.retrieve import HybridRetriever
from app.pipeline.select import FixedKSelector
from app.pipeline.state import Answer, Serving, TurnRequest
from indexing.store import SearchIndex
from tests.conftest import FIXTURES, MINI_CORPUS


@pytest.fixture(scope="module")
def mini_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The mini corpus, BM25 only (the indication search's lexical check decides what is listed)."""
    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    root = tmp_path_factory.mktemp("bm25_index")
    build_index(MINI_CORPUS, BuildOptions(index_dir=root, progress=False, with_dense=False))
    return load_current(root, "medicines")


@pytest.mark.parametrize(
    ("question", "condition"),
    [
        ("what can I take for heartburn?", "heartburn"),
        ("Which medicine treats high blood pressure?", "high blood pressure"),
        ("is there anything for a bad headache", "headache"),
        ("what's good for acid reflux?", "acid reflux"),
        ("any OTC meds for my back pain please?", "back pain"),
        ("什么药治胃酸过多？", "胃酸过多"),
        ("我头痛，吃什么药好？", "头痛"),
        ("高血压用哪种药", "高血压"),
        ("what can I take for heartburn that won't make me sleepy?", "heartburn"),
        ("I keep getting leg cramps at night. What should I take?", "leg cramps"),
        ("what helps a sore throat?", "sore throat"),
        ("what can I take for a cold for my 5 year old", "cold"),
    ],
)
def test_the_condition_of_a_which_medicine_question(question: str, condition: str) -> None:
    assert condition_asked(question) == condition


@pytest.mark.parametrize(
    "question",
    ["headache for three days", "what is it used for?", "how much should I take for my back pain",
     "I have heartburn", "头痛三天了", "阿莫西林怎么吃？"],
)
def test_other_questions_are_not_which_medicine_questions(question: str) -> None:
    assert condition_asked(question) is None


def _pipeline(index: SearchIndex) -> Orchestrator:
    serving = Serving(index, MedicineLexicon(index.medicines.values()))
    return Orchestrator(lambda: serving, {"drr": [  # type: ignore[dict-item]
        RuleDistiller(), HybridRetriever(None), FixedKSelector(5), IndicationSearch(), ExtractiveReader()]})


def _indications_of(index: SearchIndex, medicine_id: str) -> str:
    return " ".join(index.chunks[int(r)].text for r in index.rows_by_medicine[medicine_id]
                    if index.chunks[int(r)].attribute == "indications").casefold()


def _ask(index: SearchIndex, question: str) -> Answer:
    from app.enums import Mode

    return _pipeline(index).answer(TurnRequest(question, mode=Mode.DRR))


def test_several_medicines_each_cited_from_its_indications(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what can I take for a headache?")
    assert answer.status is Status.ANSWERED
    cited = [c.medicine_id for c in answer.citations]
    assert {"acetaminophen", "ibuprofen"} <= set(cited)
    assert len(cited) == len(set(cited))
    assert [c.n for c in answer.citations] == list(range(1, len(cited) + 1))
    assert answer.text.startswith("Medicines in the database indicated for headache: ")
    for c in answer.citations:
        assert c.attribute == "indications"
        assert "headache" in c.quote.casefold()
        assert c.quote.casefold().strip(". ") in _indications_of(mini_index, c.medicine_id)
        assert f"[{c.n}]" in answer.text
    assert answer.audit["distill"]["attribute"] is None or answer.queries[0].attribute == "indications"


def test_only_labels_whose_indications_name_the_condition(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what can I take for heartburn?")
    assert answer.status is Status.ANSWERED
    assert [c.medicine_id for c in answer.citations] == ["omeprazole"]


def test_nothing_matches_gives_no_evidence_and_no_quote(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what medicine can I take for zorblax syndrome?")
    assert answer.status is Status.NO_EVIDENCE
    assert answer.citations == []
    assert "zorblax syndrome" in answer.text


@pytest.mark.parametrize("question", ["headache for three days", "what pills work best?",
                                      "my back has been killing me, any meds for it?"])
def test_no_medicine_and_no_condition_read_quotes_no_label(mini_index: SearchIndex, question: str) -> None:
    answer = _ask(mini_index, question)
    assert answer.citations == []
    assert answer.status is Status.NO_EVIDENCE


def test_a_named_medicine_is_not_a_which_medicine_question(mini_index: SearchIndex) -> None:
    answer = _ask(mini_index, "what is ibuprofen good for?")
    assert [q.medicine for q in answer.queries] == ["ibuprofen"]
    assert {c.medicine_id for c in answer.citations} <= {"ibuprofen"}  # what is quoted is the reader's business
    assert answer.audit["distill"]["attribute"] == "indications"
    assert "Medicines in the database" not in answer.text


def test_chinese_question_over_a_chinese_database(tmp_path: Path) -> None:
    from indexing.build import BuildOptions, build_index
    from indexing.store import load_current

    build_index(FIXTURES / "medicines_zh.jsonl", BuildOptions(index_dir=tmp_path, progress=False, with_dense=False))
    index = load_current(tmp_path, "medicines")
    answer = _ask(index, "头痛吃什么药？")
    assert answer.status is Status.ANSWERED
    assert {c.medicine_id for c in answer.citations} == {"ibuprofen-sr-zh", "acetaminophen-zh"}
    assert answer.text.startswith("数据库中适应症提到“头痛”的药品：")
    assert all("头痛" in c.quote for c in answer.citations)
    none = _ask(index, "什么药治脱发？")
    assert none.status is Status.NO_EVIDENCE and none.citations == []
