from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.enums import Mode, Status
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Answer, Citation, Notice, NoticeKind
from eval.answers import (
    AnswersConfig,
    compile_fact_pattern,
    load_answer_items,
    load_corpus,
    run_answers,
    score_item,
    validate_files,
    validate_items,
)
from eval.datasets.consult import DatasetError
from eval.results import EvalError
from eval.runtime import load_orchestrator
from indexing.schema import Medicine

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [ROOT / "eval/data/answers_tune.jsonl", ROOT / "eval/data/answers_heldout.jsonl"]
CORPUS = ROOT / "corpora/medicines.jsonl"
MINI = ROOT / "tests/fixtures/medicines_mini.jsonl"

WARFARIN_QUOTE = "Warfarin sodium can cause major or fatal bleeding"
DB = {
    "warfarin": Medicine("warfarin", "Warfarin", sections={
        "boxed_warning": f"WARNING: BLEEDING RISK {WARFARIN_QUOTE}\n[see Warnings and Precautions ( 5.1 )] .",
    }),
}


def _item(iid: str = "a1", **over: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": iid, "type": "boxed_warning",
        "dialogue": [{"role": "user", "content": "warfarin warning?"}],
        "medicines": ["warfarin"],
        "facts": [{"patterns": ["fatal bleeding"], "medicine": "warfarin", "section": "boxed_warning",
                   "quote": "Warfarin  sodium can cause\nmajor or fatal bleeding"}],
    }
    item.update(over)
    return item


def _write(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_shipped_items_hold_against_the_shipped_corpus() -> None:
    if not CORPUS.is_file():
        pytest.skip("corpora/medicines.jsonl is absent")
    items = validate_files(SHIPPED, load_corpus(CORPUS))  # raises, listing every problem, when one fails
    tune, held = (load_answer_items(p) for p in SHIPPED)
    assert len(tune) >= 50 and len(held) >= 50
    assert len(items) == len(tune) + len(held)
    # split balanced by question type: no type more than one item off between the halves
    a, b = Counter(i.type for i in tune), Counter(i.type for i in held)
    assert all(abs(a[t] - b[t]) <= 1 for t in a | b), (a, b)
    assert any(len(i.dialogue) > 1 for i in tune) and any(len(i.dialogue) > 1 for i in held)


def test_validation_reports_each_problem_with_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "items.jsonl", [
        _item("ok"),
        _item("bad-pattern", facts=[{**_item()["facts"][0], "patterns": ["INR"]}]),
        _item("bad-quote", facts=[{**_item()["facts"][0], "quote": "can cause fatal bleeding"}]),
        _item("bad-section", facts=[{**_item()["facts"][0], "section": "pregnancy"}]),
        _item("bad-medicine", medicines=["warfarin", "nosuchdrug"]),
        _item("ok"),
    ])
    errors = validate_items(load_answer_items(path), DB)
    assert len(errors) == 5, errors
    text = "\n".join(errors)
    assert f"{path}:2: bad-pattern: fact 0: pattern 'INR' does not match its own quote" in text
    assert f"{path}:3: bad-quote: fact 0: the quote is not in the boxed_warning section of warfarin" in text
    assert f"{path}:4: bad-section: fact 0: warfarin has no 'pregnancy' section" in text
    assert f"{path}:5: bad-medicine: medicine 'nosuchdrug' is not in the database" in text
    assert f"{path}:6: ok: duplicate id (first at {path}:1)" in text
    with pytest.raises(EvalError, match="5 problem"):
        validate_files([path], DB)


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "invalid JSON"),
    (json.dumps(_item(type="colour")), "field 'type' must be one of"),
    (json.dumps(_item(facts=[])), "'facts' must be a non-empty list"),
    (json.dumps(_item(facts=[{**_item()["facts"][0], "patterns": ["(unclosed"]}])), "not a regular expression"),
    (json.dumps(_item(dialogue=[{"role": "assistant", "content": "hi"}])), "last dialogue turn"),
])
def test_malformed_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(_item("first")) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=f"{path}:2: .*{message}"):
        load_answer_items(path)


def test_patterns_are_case_insensitive_and_whitespace_tolerant() -> None:
    pattern = compile_fact_pattern("fatal bleeding")
    assert pattern.search("FATAL\n  bleeding")
    assert not pattern.search("fatalbleeding")



def test_an_optional_space_in_a_pattern_matches_with_or_without_it() -> None:
    # (a writer's "70 ?%" had read as "70, whitespace, lazily": it failed its own quote "by 70%")
    for pattern, text in (("70 ?%", "by 70%"), ("70 ?%", "by 70 %"), ("40 ?°C", "above 40°C"), ("1/ ?3", "1/3")):
        assert compile_fact_pattern(pattern).search(text), (pattern, text)
    assert not compile_fact_pattern("800 mg").search("800mg")

def _answer(text: str, cited: list[str], notices: list[Notice] | None = None,
            status: Status = Status.ANSWERED) -> Answer:
    citations = [Citation(m, "boxed_warning", f"{m}:boxed_warning:0", "q", n) for n, m in enumerate(cited, 1)]
    return Answer(text, citations, [], [], 1, Mode.DRR, status, notices or [], audit={"timings_ms": {"total": 12.0}})


def test_scoring_reads_the_answer_and_its_notices(tmp_path: Path) -> None:
    two_facts = _item(facts=[
        _item()["facts"][0],
        {"patterns": ["monitoring of INR"], "medicine": "warfarin", "section": "boxed_warning",
         "quote": "monitoring of INR", "note": "monitor INR"},
    ])
    item = load_answer_items(_write(tmp_path / "i.jsonl", [two_facts]))[0]
    text = "Warfarin can cause major or FATAL\nbleeding [1]."
    partial = score_item(item, _answer(text, ["warfarin"]), Mode.DRR)
    assert partial["stated"] == [True, False] and partial["recall"] == 0.5 and not partial["all_facts"]
    assert partial["missed"] == ["monitor INR"] and partial["length"] == len(text)
    assert not partial["wrong_medicine"]
    notice = Notice(NoticeKind.READER, "The label asks for regular monitoring of INR.")
    whole = score_item(item, _answer("fatal bleeding", ["ibuprofen", "warfarin"], [notice]), Mode.DRR)
    assert whole["all_facts"] and whole["wrong_medicine"]  # stated, but the first citation is another medicine
    none = score_item(item, _answer("", [], status=Status.NO_EVIDENCE), Mode.DRR)
    assert none["recall"] == 0.0 and not none["wrong_medicine"] and none["status"] == "no_evidence"


@pytest.fixture()
def orchestrator(settings_factory: Any, encoder: Any) -> Orchestrator:
    return load_orchestrator(settings_factory(), encoder)


def test_run_through_the_serving_pipeline_writes_report_plot_and_json(tmp_path: Path,
                                                                      orchestrator: Orchestrator) -> None:
    items = [
        _item("warfarin-box", dialogue=[{"role": "user", "content": "Does warfarin have a boxed warning?"}],
              medicines=["warfarin-sodium"],
              facts=[{"patterns": ["fatal bleeding"], "medicine": "warfarin-sodium", "section": "boxed_warning",
                      "quote": WARFARIN_QUOTE}]),
        _item("ibuprofen-dose", type="dose",
              dialogue=[{"role": "user", "content": "I have a headache."}, {"role": "assistant", "content": "Sorry."},
                        {"role": "user", "content": "How often can an adult take ibuprofen?"}],
              medicines=["ibuprofen"],
              facts=[{"patterns": ["every 4 to 6 hours"], "medicine": "ibuprofen", "section": "dosage",
                      "quote": "take 1 tablet every 4 to 6 hours while symptoms persist"},
                     {"patterns": ["no such words in any answer"], "medicine": "ibuprofen", "section": "dosage",
                      "quote": "no such words in any answer"}]),
    ]
    data = _write(tmp_path / "items.jsonl", items)
    config = AnswersConfig(data=data, out=tmp_path / "out", corpus=MINI, progress=False)
    # a quote that is not in the corpus stops the run before anything is evaluated
    with pytest.raises(EvalError, match="the quote is not in the dosage section of ibuprofen"):
        run_answers(orchestrator, config)
    assert not (tmp_path / "out" / "results.jsonl").exists()

    items[1]["facts"][1] = {"patterns": ["6 tablets in 24 hours"], "medicine": "ibuprofen", "section": "dosage",
                            "quote": "do not exceed 6 tablets in 24 hours"}
    _write(data, items)
    run = run_answers(orchestrator, config)
    by = {r["id"]: r for r in run.records}
    assert by["warfarin-box"]["cited_medicines"][0] == "warfarin-sodium"
    assert by["warfarin-box"]["all_facts"], by["warfarin-box"]["answer"]
    dose = by["ibuprofen-dose"]  # whatever the pipeline answers, the score is what the answer says
    assert dose["stated"] == [bool(re.search(r"every\s+4\s+to\s+6\s+hours", dose["answer"], re.I)),
                              bool(re.search(r"6\s+tablets\s+in\s+24\s+hours", dose["answer"], re.I))]
    assert dose["recall"] == sum(dose["stated"]) / 2
    overall = run.summary["overall"]
    assert overall["n"] == 2 and overall["wrong_medicine"] == 0.0 and overall["wrong_medicine_unnamed"] == 0.0
    assert all(r["wrong_medicine_unnamed"] is False for r in run.records)
    assert set(run.summary["by_type"]) == {"boxed_warning", "dose"}
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "fact recall" in report and "## By question type" in report
    assert "of a medicine the user never named" in report
    assert (tmp_path / "out" / "answers.png").stat().st_size > 0
    saved = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert saved["overall"]["fact_recall"] == overall["fact_recall"]
    again = run_answers(orchestrator, config)  # resumes: nothing evaluated twice
    assert again.new == 0 and again.skipped == 2


def test_cli_validate_only(tmp_path: Path) -> None:
    from app.cli import app

    good = _write(tmp_path / "good.jsonl", [_item("w", medicines=["warfarin-sodium"],
                                                  facts=[{**_item()["facts"][0], "medicine": "warfarin-sodium"}])])
    result = CliRunner().invoke(app, ["eval", "answers", "--data", str(good), "--corpus", str(MINI),
                                      "--validate-only"])
    assert result.exit_code == 0, result.output
    assert "1 items, 1 key facts, all valid" in result.output
    bad = _write(tmp_path / "bad.jsonl", [_item("w")])  # 'warfarin' is not an id of the mini corpus
    result = CliRunner().invoke(app, ["eval", "answers", "--data", str(bad), "--corpus", str(MINI),
                                      "--validate-only"])
    assert result.exit_code == 2
    assert f"{bad}:1: w: medicine 'warfarin' is not in the database" in result.output


def test_comparison_shows_figures_changed_items_and_answers_side_by_side(tmp_path: Path) -> None:
    from eval.answers_report import write_comparison

    item = load_answer_items(_write(tmp_path / "i.jsonl", [_item("w1"), _item("w2")]))
    before = [score_item(item[0], _answer("INR only", ["warfarin"]), Mode.DRR),
              score_item(item[1], _answer("fatal bleeding", ["warfarin"]), Mode.DRR)]
    after = [score_item(item[0], _answer("major or fatal bleeding", ["warfarin"]), Mode.DRR),
             score_item(item[1], _answer("fatal bleeding again", ["warfarin"]), Mode.DRR)]
    old = tmp_path / "before"
    old.mkdir()
    _write(old / "results.jsonl", before)
    text = write_comparison(after, old, tmp_path).read_text(encoding="utf-8")
    assert "| fact recall, % | 50.0 | 100.0 |" in text
    changed = text.split("## Items whose key facts changed", 1)[1]
    assert "| w1 | boxed_warning | 0/1 | 1/1 |" in changed and "| w2 |" not in changed
    assert "| answer | INR only | major or fatal bleeding |" in text
    with pytest.raises(EvalError, match=r"no results\.jsonl"):
        write_comparison(after, tmp_path / "nowhere", tmp_path)
