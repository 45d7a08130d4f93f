"""Storage sections keep how to store (issue 17): package-table rows (NDC codes) are left out before the cap,
so a flattened table no longer fills the cap and cuts off the storage instructions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexing.corpus import SECTION_CAPS, CorpusSummary, select_sections
from indexing.sources.openfda import medicine_from_openfda_label
from indexing.sources.sections import refine_fields, storage_sentences, without_package_rows

_NDC = re.compile(r"\b\d{4,5}-\d{3,4}-\d{1,2}\b")
_ROWS = " ".join(f"Single-dose Pen {n} mg/0.5 mL 0169-45{n:02d}-14" for n in range(80))
_HOW_SUPPLIED = (
    "16 HOW SUPPLIED/STORAGE AND HANDLING WIDGET injection is a clear solution available as follows: Device "
    f"Strength NDC {_ROWS} Recommended Storage • Do not freeze WIDGET. Store the pen in the refrigerator from "
    "2°C to 8°C (36°F to 46°F). Protect WIDGET injection from light. WIDGET must be kept in the original carton."
)
_SHARED_LABELS = Path(__file__).resolve().parents[3] / "shared/data/labels/raw/fda-drug-db/labels.jsonl"
_SEMAGLUTIDE_SET_ID = "ee06186f-2aa3-4990-a760-757579d8f77b"


def test_storage_statements_leave_the_package_table_out() -> None:
    said = storage_sentences(_HOW_SUPPLIED)
    assert not _NDC.search(said)
    assert said.startswith("Recommended Storage • Do not freeze WIDGET.")
    assert "Store the pen in the refrigerator from 2°C to 8°C" in said
    assert "Protect WIDGET injection from light." in said and "original carton" in said


def test_a_sentence_without_codes_is_kept_whole_and_codes_without_storage_go() -> None:
    text = "Store at 20°C to 25°C. Bottles of 30 NDC 12345-678-90. Keep the bottle tightly closed."
    assert without_package_rows(text) == "Store at 20°C to 25°C. Keep the bottle tightly closed."
    assert refine_fields({"storage_and_handling": "Product: 50090-8014 NDC: 50090-8014-7 4 TABLET in a BOTTLE"}
                         )["storage_and_handling"] == ""


def test_the_cap_no_longer_cuts_the_instructions_off() -> None:
    med = medicine_from_openfda_label(
        {"drug": "widget", "generic_name": ["WIDGET"], "how_supplied": [_HOW_SUPPLIED],
         "indications_and_usage": ["WIDGET is indicated for testing."]}, "x.jsonl", 1)
    assert len(_HOW_SUPPLIED) > SECTION_CAPS["storage"]
    kept = select_sections(med, ("storage", "dosage_forms", "indications"), SECTION_CAPS, CorpusSummary())
    assert "Store the pen in the refrigerator" in kept.sections["storage"]
    assert not _NDC.search(kept.sections["storage"])
    assert _NDC.search(kept.sections["dosage_forms"])  # the product's description keeps its table


@pytest.mark.skipif(not _SHARED_LABELS.is_file(), reason="../shared/data labels are absent")
def test_the_semaglutide_injection_label_keeps_how_to_store() -> None:
    record = next(json.loads(line) for line in _SHARED_LABELS.open(encoding="utf-8") if _SEMAGLUTIDE_SET_ID in line)
    med = medicine_from_openfda_label(record, _SHARED_LABELS, None)
    kept = select_sections(med, ("storage",), SECTION_CAPS, CorpusSummary()).sections["storage"]
    assert "Store the WEGOVY prefilled single-dose pen or single-dose syringe in the refrigerator" in kept
    assert "can be stored for 56 days" in kept  # the FlexTouch pen, after the single-dose pens
    assert not _NDC.search(kept)
