"""`clinqa calibrate` and `clinqa eval consult --select` end to end over the mini index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.pipeline.calibration import load_calibration
from app.pipeline.orchestrator import Orchestrator
from eval.calibrate import CalibrateConfig, run_calibration
from eval.datasets.consult import load_items
from eval.judges import CitationJudge
from eval.losses import split_part
from eval.results import EvalError
from eval.runtime import load_orchestrator
from eval.selection import CompareConfig, parse_selects, run_select_comparison

U, A = "user", "assistant"
ITEMS: list[tuple[str, list[tuple[str, str]], list[tuple[str, str | None]]]] = [
    ("ae-ibu", [(U, "What are the side effects of ibuprofen?")], [("ibuprofen", "adverse_reactions")]),
    ("dose-sert", [(U, "How much sertraline should I take each day?")], [("sertraline", "dosage")]),
    ("warf-int", [(U, "My doctor started me on warfarin."), (A, "Okay."), (U, "What can't I take with it?")],
     [("warfarin-sodium", "interactions")]),
    ("pred-ae", [(U, "Does prednisone cause side effects?")], [("prednisone", "adverse_reactions")]),
    ("metf-ci", [(U, "Who should not take metformin?")], [("metformin", "contraindications")]),
    ("amox-dose", [(U, "What is the dose of amoxicillin for adults?")], [("amoxicillin", "dosage")]),
    ("lis-ae", [(U, "What side effects does lisinopril have?")], [("lisinopril", "adverse_reactions")]),
    ("omep-int", [(U, "Does omeprazole interact with other drugs?")], [("omeprazole", "interactions")]),
    ("diaz-what", [(U, "what is diazepam")], [("diazepam", None)]),
    ("ator-ci", [(U, "When should atorvastatin not be used?")], [("atorvastatin", "contraindications")]),
    ("absent", [(U, "What is the usual dose of rivaroxaban?")], [("rivaroxaban", "dosage")]),
    ("no-section", [(U, "Is acetaminophen safe during pregnancy?")], [("acetaminophen", "pregnancy")]),
]


def write(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for iid, turns, gold in ITEMS:
            fh.write(json.dumps({"id": iid, "lang": "en", "dialogue": [{"role": r, "content": c} for r, c in turns],
                                 "gold": [{"medicine": m, "attribute": a} for m, a in gold]}) + "\n")
    return path


@pytest.fixture()
def orchestrator(settings_factory: Any, encoder: Any) -> Orchestrator:
    return load_orchestrator(settings_factory(), encoder)


def test_calibration_retrieves_once_per_item_and_writes_the_file(
    tmp_path: Path, orchestrator: Orchestrator, settings_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write(tmp_path / "cal.jsonl")
    retrievals: list[int] = []
    retriever = orchestrator.stage("retrieve")
    real = retriever.run

    def counting(*args: Any, **kwargs: Any) -> Any:
        retrievals.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(retriever, "run", counting)
    config = CalibrateConfig(data=data, out=tmp_path / "calibration.json", alpha=0.4, delta=0.2, k_max=6,
                             fraction=1.0, progress=False)
    run = run_calibration(orchestrator, settings_factory(), config, CitationJudge())
    p = run.payload
    assert p["n"] == 10 and p["n_items"] == 12
    assert p["excluded"] == {"gold medicine not in the database": 1, "gold section not in the database": 1}
    assert len(retrievals) == 10  # once per judged item, not once per k
    assert p["candidate_ks"] == [1, 2, 3, 4, 5, 6] and len(p["per_k"]) == 6
    assert all(0.0 <= r["p_value"] <= 1.0 for r in p["per_k"])
    assert p["index_version"] == orchestrator.serving().index.version
    assert p["judge"]["name"] == "citation" and len(p["data"]["sha256"]) == 64
    assert p["models"]["embedding"] and p["models"]["reader"] == "extractive"
    assert p["chosen_k"] is None or p["chosen_k"] in p["accepted"]
    cal = load_calibration(config.out)
    assert cal.calibration_id == p["calibration_id"] and cal.chosen_k == p["chosen_k"]
    rows = [json.loads(line) for line in config.out.with_suffix(".items.jsonl").read_text().splitlines()]
    assert len(rows) == 12 and all(len(r["losses"]) == 6 for r in rows if r["excluded"] is None)
    assert (tmp_path / "calibration.png").stat().st_size > 1000
    if p["chosen_k"] is not None:  # easy items: the guarantee was found and is stated plainly
        assert any(line.startswith(f"chosen k = {p['chosen_k']}") for line in p["summary"])


def test_no_passing_k_is_said_plainly(tmp_path: Path, orchestrator: Orchestrator, settings_factory: Any) -> None:
    data = write(tmp_path / "cal.jsonl")
    config = CalibrateConfig(data=data, out=tmp_path / "c.json", alpha=0.01, delta=0.01, k_max=3, fraction=1.0,
                             progress=False)
    run = run_calibration(orchestrator, settings_factory(), config, CitationJudge())
    assert run.payload["chosen_k"] is None and run.payload["accepted"] == [] and run.payload["guarantee"] is False
    assert run.payload["summary"][0].startswith("NO k passed")


def test_selector_comparison_on_the_held_out_part(tmp_path: Path, orchestrator: Orchestrator,
                                                  settings_factory: Any) -> None:
    data = write(tmp_path / "all.jsonl")
    items = load_items(data)
    seed = next(s for s in range(50) if 3 <= sum(split_part(it, 0.5, s) == "calibration" for it in items) <= 9)
    cal_ids = {it.id for it in items if split_part(it, 0.5, seed) == "calibration"}
    config = CalibrateConfig(data=data, out=tmp_path / "calibration.json", alpha=0.5, delta=0.3, k_max=5,
                             fraction=0.5, seed=seed, progress=False)
    cal = run_calibration(orchestrator, settings_factory(), config, CitationJudge())
    assert {r.id for r in cal.records} == cal_ids
    compare = CompareConfig(data=data, out=tmp_path / "cmp", selects="fixed:2,calibrated,gap",
                            calibration=config.out, progress=False)
    run = run_select_comparison(orchestrator, settings_factory(), compare)
    ids = {r["id"] for r in run.records}
    assert ids and not ids & cal_ids and ids | cal_ids == {it.id for it in items}  # held out, disjoint
    drr = run.summary["drr"]
    assert set(drr["selectors"]) == {"fixed:2", "calibrated", "gap"}
    assert list(drr["risk_by_k"]) == ["1", "2", "3", "4", "5"]
    expected_k = cal.payload["chosen_k"] or settings_factory().select.k
    for r in run.records:
        if r["excluded"] is None:
            assert r["select"]["fixed:2"]["k"] == min(2, r["n_evidence"])
            assert r["select"]["calibrated"]["k"] == min(expected_k, r["n_evidence"])
            assert r["select"]["fixed:2"]["loss"] == r["losses"][1]  # a prefix read is the k=2 read
    report = (tmp_path / "cmp" / "selection.md").read_text()
    assert "| `calibrated` |" in report and "| `gap` |" in report and "Risk by k" in report
    assert (tmp_path / "cmp" / "risk_vs_k.png").stat().st_size > 1000
    resplit = json.loads((tmp_path / "cmp" / "selection.json").read_text())["context"]["resplit"]
    assert resplit["items"] == 10 and 0.0 <= resplit["heldout_above_alpha_share"] <= resplit["chosen_share"] <= 1.0


def test_selects_are_parsed_strictly() -> None:
    assert [(s.kind, s.value) for s in parse_selects("fixed:5, calibrated,gap:0.5")] == [
        ("fixed", 5), ("calibrated", None), ("gap", 0.5)]
    for bad in ("fixed:x", "best", "calibrated:3", "gap:-1", "fixed:5,fixed:5", ""):
        with pytest.raises(ValueError):
            parse_selects(bad)


def test_comparison_refuses_a_stale_calibration(tmp_path: Path, orchestrator: Orchestrator,
                                                settings_factory: Any) -> None:
    data = write(tmp_path / "all.jsonl")
    config = CalibrateConfig(data=data, out=tmp_path / "c.json", k_max=2, fraction=1.0, progress=False)
    run_calibration(orchestrator, settings_factory(), config, CitationJudge())
    body = json.loads(config.out.read_text())
    body["index_version"] = "another-version"
    config.out.write_text(json.dumps(body))
    with pytest.raises(EvalError, match="but the serving index is"):
        run_select_comparison(orchestrator, settings_factory(),
                              CompareConfig(data=data, out=tmp_path / "x", calibration=config.out, progress=False))


def test_cli_calibrate_and_compare(tmp_path: Path, mini_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.cli import app
    from app.config import get_settings

    monkeypatch.setenv("CLINQA_VECTOR_CACHES", "[]")
    monkeypatch.setenv("CLINQA_VECTOR_CACHE_OUT", "")
    get_settings.cache_clear()
    data = write(tmp_path / "set.jsonl")
    out = tmp_path / "calibration.json"
    try:
        result = CliRunner().invoke(app, ["calibrate", "--data", str(data), "--alpha", "0.5", "--delta", "0.3",
                                          "--k-max", "3", "--out", str(out), "--judge", "citation",
                                          "--index-dir", str(mini_index_dir), "--quiet"])
        assert result.exit_code == 0, result.output
        assert "calibration id cal-" in result.output and out.is_file()
        cmp = CliRunner().invoke(app, ["eval", "consult", "--data", str(data), "--mode", "drr",
                                       "--select", "fixed:1,calibrated,gap", "--calibration", str(out),
                                       "--out", str(tmp_path / "cmp"), "--index-dir", str(mini_index_dir),
                                       "--quiet"])
        assert cmp.exit_code == 0, cmp.output
        assert "# Context-count selection" in cmp.output
        bad = CliRunner().invoke(app, ["calibrate", "--data", str(data), "--alpha", "1.5",
                                       "--index-dir", str(mini_index_dir)])
        assert bad.exit_code == 2 and "--alpha must lie" in bad.output
    finally:
        get_settings.cache_clear()
