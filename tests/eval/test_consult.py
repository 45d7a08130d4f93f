from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Mode
from eval.consult import ConsultConfig, parse_ks, parse_modes, resolve_name, run_consult, tool_call_status
from eval.datasets.consult import DatasetError, load_items
from eval.results import EvalError
from eval.runtime import load_orchestrator

U = "user"
A = "assistant"
ITEMS = [
    ("side-effects", [(U, "What are the side effects of ibuprofen?")], [("Ibuprofen", "adverse_reactions")]),
    ("dose-alias", [(U, "How much Sertraline should I take each day?")], [("sertraline", "dosage")]),
    ("coref", [(U, "My doctor started me on warfarin."), (A, "Okay, what would you like to know?"),
               (U, "What can't I take with it?")], [("warfarin-sodium", "interactions")]),
    ("distractor", [(U, "I take metformin every day."), (A, "Noted."), (U, "Now I was also given prednisone."),
                    (A, "Go ahead."), (U, "Does it cause side effects?")], [("Prednisone", "adverse_reactions")]),
    ("no-section", [(U, "Is acetaminophen safe during pregnancy?")], [("acetaminophen", "pregnancy")]),
    ("absent-drug", [(U, "What is the usual dose of rivaroxaban?")], [("rivaroxaban", "dosage")]),
]


def _write(path: Path, items: list[tuple[str, list[tuple[str, str]], list[tuple[str, str | None]]]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for iid, turns, gold in items:
            fh.write(json.dumps({"id": iid, "lang": "en",
                                 "dialogue": [{"role": r, "content": c} for r, c in turns],
                                 "gold": [{"medicine": m, "attribute": a} for m, a in gold]}) + "\n")
    return path


@pytest.fixture()
def orchestrator(settings_factory: Any, encoder: Any) -> Orchestrator:
    return load_orchestrator(settings_factory(), encoder)


def test_consult_scores_ranks_abstention_and_writes_a_report(tmp_path: Path, orchestrator: Orchestrator) -> None:
    data = _write(tmp_path / "set.jsonl", ITEMS)
    run = run_consult(orchestrator, ConsultConfig(data=data, out=tmp_path / "out", progress=False))
    by = {(r["id"], r["mode"]): r for r in run.records}
    assert len(by) == 12
    for iid in ("side-effects", "dose-alias", "coref", "distractor"):
        assert by[(iid, "drr")]["doc_rank"] == 1, iid
        assert by[(iid, "drr")]["attr_rank"] == 1, iid
    assert by[("coref", "drr")]["gold"][0]["medicine_id"] == "warfarin-sodium"
    assert by[("no-section", "drr")]["attr_absent"] and not by[("no-section", "drr")]["attr_scored"]
    absent = by[("absent-drug", "drr")]
    assert absent["abstain_case"] and absent["abstained"] and absent["status"] in {"unknown_drug", "no_evidence"}
    drr = run.summary["modes"]["drr"]
    assert drr["doc_hit"][1] == 1.0 and drr["attr_hit"][1] == 1.0
    assert (drr["n_answerable"], drr["n_attr_scored"], drr["n_abstain_cases"]) == (5, 4, 1)
    assert drr["abstain_recall"] == 1.0 and drr["abstain_precision"] == 1.0
    assert drr["latency_ms"]["total"]["p50"] > 0
    rtr = run.summary["modes"]["rtr"]
    assert rtr["attr_hit"][1] <= drr["attr_hit"][1]  # the raw last turn cannot resolve "it"
    report = (tmp_path / "out" / "report.md").read_text()
    assert "| metric | DRR | RTR |" in report and "| document hit@1 | 100.0 |" in report
    assert "## Latency per stage (ms)" in report and "## By gold attribute" in report
    assert "| wrong medicine, and of a medicine the user never named | 0.0 |" in report
    assert by[("absent-drug", "drr")]["wrong_medicine_unnamed"] is False  # abstained: cites nothing
    for png in ("hitk.png", "attributes.png"):
        assert (tmp_path / "out" / png).stat().st_size > 1000


def test_consult_resumes_and_refuses_to_mix_runs(tmp_path: Path, orchestrator: Orchestrator) -> None:
    data = _write(tmp_path / "set.jsonl", ITEMS)
    out = tmp_path / "out"
    first = run_consult(orchestrator, ConsultConfig(data=data, out=out, modes=(Mode.DRR,), limit=2, progress=False,
                                                    plots=False))
    assert (first.new, first.skipped) == (2, 0)
    with (out / "results.jsonl").open("a") as fh:  # an interruption in the middle of writing a line
        fh.write('{"id": "half-writ')
    second = run_consult(orchestrator, ConsultConfig(data=data, out=out, modes=(Mode.DRR,), progress=False,
                                                     plots=False))
    assert (second.new, second.skipped) == (4, 2)
    assert len((out / "results.jsonl").read_text().splitlines()) == 6
    _write(data, ITEMS[:3])  # another dataset in the same folder
    with pytest.raises(EvalError, match="another run"):
        run_consult(orchestrator, ConsultConfig(data=data, out=out, progress=False))
    fresh = run_consult(orchestrator, ConsultConfig(data=data, out=out, modes=(Mode.DRR,), fresh=True,
                                                    progress=False, plots=False))
    assert (fresh.new, fresh.skipped) == (3, 0)


def test_gold_names_resolve_strictly(orchestrator: Orchestrator) -> None:
    index = orchestrator.serving().index
    lex = orchestrator.serving().lexicon
    assert resolve_name("warfarin-sodium", lex, index.medicines) == "warfarin-sodium"
    assert resolve_name("Warfarin", lex, index.medicines) == "warfarin-sodium"
    assert resolve_name("sertraline hydrochloride 50 mg", lex, index.medicines) == "sertraline-hydrochloride"
    assert resolve_name("Lisinoprill tablets", lex, index.medicines) == "lisinopril"  # misspelt
    assert resolve_name("rivaroxaban", lex, index.medicines) is None
    assert resolve_name("saline and ibuprofen", lex, index.medicines) is None  # a drug inside a longer name


def test_tool_call_status_reads_the_distill_audit() -> None:
    assert tool_call_status({"backend": "rules"}) is None
    assert tool_call_status({}) is None
    assert tool_call_status({"backend": "llm", "well_formed": False}) is False
    assert tool_call_status({"backend": "llm", "fallback": "rules"}) is False
    assert tool_call_status({"backend": "llm", "tool_calls": [{"name": "search"}]}) is True


def test_parsers_and_dataset_errors(tmp_path: Path) -> None:
    assert parse_modes("both") == (Mode.DRR, Mode.RTR)
    assert parse_modes("rtr") == (Mode.RTR,)
    assert parse_ks("10,1,5") == (1, 5, 10)
    with pytest.raises(ValueError):
        parse_ks("0,3")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "dialogue": [{"role": "assistant", "content": "hi"}], "gold": []}\n')
    with pytest.raises(DatasetError, match=r"bad.jsonl:1: the last dialogue turn"):
        load_items(bad)


def test_cli_eval_consult(tmp_path: Path, mini_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.cli import app
    from app.config import get_settings

    monkeypatch.setenv("CLINQA_VECTOR_CACHES", "[]")
    monkeypatch.setenv("CLINQA_VECTOR_CACHE_OUT", "")
    get_settings.cache_clear()
    data = _write(tmp_path / "set.jsonl", ITEMS[:2])
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(app, ["eval", "consult", "--data", str(data), "--mode", "drr", "--k", "1,3",
                                      "--out", str(out), "--index-dir", str(mini_index_dir), "--quiet"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "| document hit@3 | 100.0 |" in result.output
    assert (out / "results.jsonl").is_file()
    missing = CliRunner().invoke(app, ["eval", "consult", "--data", str(tmp_path / "nope.jsonl"),
                                       "--index-dir", str(mini_index_dir)])
    assert missing.exit_code == 2 and "no such dataset file" in missing.output
