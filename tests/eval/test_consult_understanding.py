"""Consultation scoring of understanding (issue 17): wrong-medicine rate (the first citation is about a
medicine the question is not about), clarify rate, products the database lacks marked in the data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.pipeline.orchestrator import Orchestrator
from eval.consult import ConsultConfig, run_consult
from eval.metrics import wrong_medicine
from eval.runtime import load_orchestrator


def test_wrong_medicine() -> None:
    assert wrong_medicine(["diclofenac-sodium"], []) is True  # a product the database lacks, answered anyway
    assert wrong_medicine(["ibuprofen", "warfarin"], {"warfarin"}) is True  # only the first citation counts
    assert wrong_medicine(["warfarin", "ibuprofen"], {"warfarin"}) is False
    assert wrong_medicine([], {"warfarin"}) is False  # abstained or asked back: not a wrong medicine
    # the OTC Drug Facts label of an ingredient with a prescription label too is the same medicine
    assert wrong_medicine(["ibuprofen-otc"], {"ibuprofen"}) is False
    assert wrong_medicine(["ibuprofen"], {"ibuprofen-otc"}) is False
    assert wrong_medicine(["naproxen-otc"], {"ibuprofen"}) is True


@pytest.fixture()
def orchestrator(settings_factory: Any, encoder: Any) -> Orchestrator:
    return load_orchestrator(settings_factory(), encoder)


def test_report_has_wrong_medicine_clarify_and_marked_absent_products(
    tmp_path: Path, orchestrator: Orchestrator
) -> None:
    items = [
        {"id": "ok", "lang": "en", "dialogue": [{"role": "user", "content": "What are the side effects of ibuprofen?"}],
         "gold": [{"medicine": "ibuprofen", "attribute": "adverse_reactions"}]},
        # A name one edit from a real one, marked absent: gold resolution must not take it for ibuprofen.
        {"id": "absent", "lang": "en", "meta": {"absent": True},
         "dialogue": [{"role": "user", "content": "What are the side effects of Ibuprofan?"}],
         "gold": [{"medicine": "Ibuprofan", "attribute": "adverse_reactions"}]},
        {"id": "none", "lang": "en", "dialogue": [{"role": "user", "content": "I have had a headache for days."}],
         "gold": []},
    ]
    data = tmp_path / "set.jsonl"
    data.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    run = run_consult(orchestrator, ConsultConfig(data=data, out=tmp_path / "out", progress=False, plots=False))
    by = {(r["id"], r["mode"]): r for r in run.records}
    assert by[("absent", "drr")]["gold"][0]["medicine_id"] is None and by[("absent", "drr")]["abstain_case"]
    for r in run.records:
        gold_ids = {g["medicine_id"] for g in r["gold"] if g["medicine_id"]}
        if r["gold"]:
            assert r["wrong_medicine"] == (bool(r["cited_medicines"]) and r["cited_medicines"][0] not in gold_ids)
        else:
            assert r["wrong_medicine"] is None
        assert r["clarified"] == (r["status"] == "clarify")
    assert by[("ok", "drr")]["wrong_medicine"] is False
    drr = run.summary["modes"]["drr"]
    scored = [r for r in run.records if r["mode"] == "drr" and r["wrong_medicine"] is not None]
    assert drr["wrong_medicine"] == sum(r["wrong_medicine"] for r in scored) / len(scored)
    assert drr["clarify_rate"] == 0.0 and drr["n_without_medicine"] == 1
    report = (tmp_path / "out" / "report.md").read_text()
    assert "wrong medicine (first citation not a gold medicine)" in report and "clarify rate" in report
