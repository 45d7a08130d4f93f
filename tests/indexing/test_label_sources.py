"""Label loaders on real records (copies in tests/fixtures/labels, see its README): openFDA JSON lines and
zipped bulk parts, DailyMed SPL XML, malformed input named by file and position, section refinement."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from indexing.sources.dailymed import iter_spl_documents, iter_spl_medicines, parse_spl
from indexing.sources.errors import CorpusError
from indexing.sources.openfda import LoadNotes, medicine_from_openfda_label
from indexing.sources.sections import refine_fields, split_subsections, storage_sentences
from indexing.sources.stream import (
    LoadReport,
    StreamError,
    iter_json_file_records,
    iter_json_records,
)
from tests.conftest import FIXTURES

LABELS = FIXTURES / "labels"
OPENFDA = LABELS / "openfda" / "labels.jsonl"
SPL = LABELS / "spl"
AMOXICILLIN = SPL / "4fb7837e-964c-4d38-a3a5-b384b1bd6e08-v21.xml"
ACETAMINOPHEN_OTC = SPL / "ee50c5ee-1a61-4efc-aca9-42d897d6a3b8-v8.xml"


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in OPENFDA.read_text(encoding="utf-8").splitlines()]


def bulk_zip(path: Path, results: list[Any], member: str = "drug-label-0001-of-0001.json") -> Path:
    doc = {"meta": {"results": {"skip": 0, "limit": len(results), "total": len(results)}}, "results": results}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, json.dumps(doc, indent=1))
    return path


# ---------------------------------------------------------------- streaming JSON


@pytest.mark.parametrize("block", [1, 3, 64, 1 << 20])
def test_results_document_streams_in_any_block_size(block: int) -> None:
    recs = records()
    doc = json.dumps({"meta": {"disclaimer": "é"}, "results": recs}, ensure_ascii=False).encode()
    got = [value for _, _, value in iter_json_records(io.BytesIO(doc), block)]
    assert got == recs


def test_other_document_shapes() -> None:
    assert [v for _, _, v in iter_json_records(io.BytesIO(b'[{"a": 1}, {"b": 2}]'))] == [{"a": 1}, {"b": 2}]
    assert [v for _, _, v in iter_json_records(io.BytesIO(b'{"drug": "x", "sections": {}}'))] == [
        {"drug": "x", "sections": {}}
    ]
    assert list(iter_json_records(io.BytesIO(b"  "))) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"results": [{"a": 1}, {"a" 2}]}', "invalid JSON"),
        (b'{"results": [{"a": 1}, {"a": 2}', "end of file"),
        (b'{"results": [{"a": "\xff"}]}', "not UTF-8"),
        (b"[1] [2]", "extra data"),
    ],
)
def test_broken_documents_raise_with_offset(data: bytes, message: str) -> None:
    with pytest.raises(StreamError, match=message) as info:
        list(iter_json_records(io.BytesIO(data), 4))
    assert info.value.byte > 0


def test_bulk_zip_part_and_jsonl(tmp_path: Path) -> None:
    recs = records()
    part = bulk_zip(tmp_path / "drug-label-0001-of-0001.json.zip", recs)
    report = LoadReport()
    got = list(iter_json_file_records([part, OPENFDA], report))
    assert [obj["set_id"] for _, obj in got] == [r["set_id"] for r in recs] * 2
    first, last = got[0][0], got[-1][0]
    assert str(first).startswith(f"{part}!drug-label-0001-of-0001.json record 0")
    assert last.line == 3 and str(last) == f"{OPENFDA}:3"
    assert not report.problems


def test_bad_records_are_counted_with_file_and_position(tmp_path: Path) -> None:
    good = OPENFDA.read_text(encoding="utf-8").splitlines()
    lines = tmp_path / "labels.jsonl"
    lines.write_text("\n".join([good[0], '{"set_id": "x", broken', good[1]]) + "\n", encoding="utf-8")
    broken_part = tmp_path / "part.zip"
    with zipfile.ZipFile(broken_part, "w") as archive:
        archive.writestr("drug-label-0001.json", '{"meta": {}, "results": [' + good[0] + ", {oops}]}")
        archive.writestr("readme.txt", "not json")
    report = LoadReport()
    got = list(iter_json_file_records([lines, broken_part], report))
    assert len(got) == 3  # two good lines, and the part's first record
    assert report.counts == {"bad record": 1, "broken file": 1, "ignored file": 1}
    bad, broken, ignored = (str(p) for p in report.problems)
    assert bad.startswith(f"{lines}:2: bad record: invalid JSON")
    assert broken.startswith(f"{broken_part}!drug-label-0001.json record 1 (offset ")
    assert "1 records read before it" in broken
    assert ignored == f"{broken_part}!readme.txt: ignored file: not JSON (by its name)"


def test_strict_report_raises() -> None:
    report = LoadReport(strict=True)
    with pytest.raises(CorpusError, match=r"f\.jsonl:3: bad record: boom"):
        report.warn("f.jsonl:3", "bad record", "boom")


def test_a_bulk_download_does_not_crash_the_old_converter_path(tmp_path: Path) -> None:
    """The issue's crash: a zipped part used to be read as text (UnicodeDecodeError)."""
    bulk_zip(tmp_path / "drug-label-0001-of-0002.json.zip", records()[:1])
    report = LoadReport()
    [(pos, obj)] = list(iter_json_file_records([tmp_path], report))
    assert pos.index == 0 and obj["openfda"]["generic_name"] == ["METYRAPONE"]


# ---------------------------------------------------------------- openFDA records -> medicines


def test_openfda_record_keeps_linking_metadata() -> None:
    metyrapone = records()[0]
    med = medicine_from_openfda_label(metyrapone, OPENFDA, 1)
    assert med.id == "metyrapone" and "Metopirone" in med.aliases
    assert med.rxcuis == ("105450", "199772")
    assert med.pharm_classes == {
        "epc": ("Adrenal Steroid Synthesis Inhibitor [EPC]",),
        "moa": ("Adrenal Steroid Synthesis Inhibitors [MoA]",),
    }
    assert med.classes[0] == "Adrenal Steroid Synthesis Inhibitor [EPC]"
    assert med.substances == ("METYRAPONE",)
    assert med.routes == ("ORAL",)
    assert med.product_type == "HUMAN PRESCRIPTION DRUG"
    assert med.effective_date == "2026-05-19"
    assert med.source == "dailymed:4046b167-7a46-8f4a-e063-6394a90a147f"


def test_openfda_full_label_sections() -> None:
    notes = LoadNotes()
    miebo = medicine_from_openfda_label(records()[1], OPENFDA, 2, notes=notes)
    for attr in ("adverse_reactions", "pregnancy", "lactation", "description", "dosage_forms", "storage"):
        assert attr in miebo.sections, attr
    # 8.2 Lactation came out of use_in_specific_populations, which keeps only what has no field of its own
    assert "human milk" in miebo.sections["lactation"]
    assert "8.1 Pregnancy" not in miebo.sections.get("specific_populations", "")
    assert "Store" in miebo.sections["storage"] or "store" in miebo.sections["storage"]
    assert not notes.unknown_fields


def test_otc_record_fields() -> None:
    meclizine = medicine_from_openfda_label(records()[2], OPENFDA, 3)
    assert meclizine.product_type == "HUMAN OTC DRUG"
    assert {"indications", "warnings", "dosage"} <= meclizine.sections.keys()


def test_unknown_field_goes_to_other_and_is_counted() -> None:
    rec = dict(records()[2])
    rec["a_new_heading"] = ["Text under a heading nobody knew."]
    notes = LoadNotes()
    med = medicine_from_openfda_label(rec, OPENFDA, 3, notes=notes)
    assert "Text under a heading nobody knew." in med.sections["other"]
    assert notes.unknown_fields == {"a_new_heading": 1}


# ---------------------------------------------------------------- section refinement


def test_lactation_from_section_8() -> None:
    text = (
        "8 USE IN SPECIFIC POPULATIONS 8.1 Pregnancy Risk Summary No data. 8.2 Lactation Risk Summary "
        "It is not known whether X is present in human milk [see Use in Specific Populations (8.1)]. "
        "8.4 Pediatric Use Not established. 8.6 Renal Impairment No adjustment."
    )
    parts = split_subsections(text)
    assert [name for name, _ in parts] == ["", "pregnancy", "lactation", "pediatric_use", ""]
    out = refine_fields({"use_in_specific_populations": text, "pregnancy": "8.1 Pregnancy Risk Summary No data."})
    assert out["lactation"].startswith("8.2 Lactation Risk Summary It is not known")
    assert "(8.1)" in out["lactation"]  # a cross-reference is not a heading
    # pregnancy and lactation have fields of their own now; pediatric use has none here, so it stays
    assert out["use_in_specific_populations"] == (
        "8 USE IN SPECIFIC POPULATIONS 8.4 Pediatric Use Not established. 8.6 Renal Impairment No adjustment."
    )


def test_nursing_mothers_field_wins_over_section_8() -> None:
    out = refine_fields({"nursing_mothers": "Caution.", "use_in_specific_populations": "8.2 Lactation Text."})
    assert "lactation" not in out


def test_subsections_filed_under_old_numbers_are_moved_to_their_own_fields() -> None:
    # openFDA's fields for the old format's 8.2 and 8.3 hold a PLR label's 8.2 Lactation and 8.3 Females
    # and Males of Reproductive Potential
    reproductive = ("8.3 Females and Males of Reproductive Potential Contraception Males Advise males with female "
                    "partners of reproductive potential to use effective contraception.")
    lactation = "8.2 Lactation Risk Summary Limited published literature report the presence of X in human milk."
    sec8 = f"8.1 Pregnancy Risk Summary Can cause fetal harm. {lactation} {reproductive} 8.6 Renal Impairment None."
    out = refine_fields({"pregnancy": "8.1 Pregnancy Risk Summary Can cause fetal harm.",
                         "labor_and_delivery": lactation, "nursing_mothers": reproductive,
                         "use_in_specific_populations": sec8})
    assert "labor_and_delivery" not in out and "nursing_mothers" not in out
    assert out["lactation"] == lactation
    assert out["reproductive_potential"] == reproductive
    # cut out of use_in_specific_populations, which keeps what has no field of its own
    assert out["use_in_specific_populations"] == "8.6 Renal Impairment None."
    med_fields = dict(records()[2])
    med_fields.update({"nursing_mothers": [reproductive], "labor_and_delivery": [lactation]})
    med = medicine_from_openfda_label(med_fields, OPENFDA, 3)
    assert "human milk" in med.sections["lactation"]
    assert "Reproductive Potential" in med.sections["specific_populations"]
    assert "human milk" not in med.sections.get("pregnancy", "")


def test_fields_that_hold_their_own_subsection_stay() -> None:
    out = refine_fields({"nursing_mothers": "8.3 Nursing Mothers It is not known whether X is excreted in milk.",
                         "labor_and_delivery": "8.2 Labor and Delivery Not studied."})
    assert out["nursing_mothers"].startswith("8.3 Nursing Mothers")
    assert out["labor_and_delivery"].startswith("8.2 Labor")
    assert "reproductive_potential" not in out


def test_storage_from_how_supplied() -> None:
    supplied = (
        "16 HOW SUPPLIED Tablets: 10 mg, yellow, round, debossed M 10. Bottles of 30 (NDC 1-2-3). "
        "Store at 20° to 25°C (68° to 77°F); excursions permitted to 15° to 30°C. Dispense in a tight, "
        "light-resistant container."
    )
    assert storage_sentences(supplied).startswith("Store at 20°")
    out = refine_fields({"how_supplied": supplied})
    assert out["storage_statements"].endswith("light-resistant container.")
    said = refine_fields({"how_supplied": supplied, "storage_and_handling": storage_sentences(supplied)})
    assert "storage_statements" not in said


# ---------------------------------------------------------------- DailyMed SPL


def test_spl_document_fields_and_tables() -> None:
    with AMOXICILLIN.open("rb") as fh:
        label = parse_spl(fh)
    assert label.set_id == "4fb7837e-964c-4d38-a3a5-b384b1bd6e08"
    assert label.version == 21 and label.effective_time.startswith("2025")
    assert label.document_type == "HUMAN PRESCRIPTION DRUG"
    assert "AMOXICILLIN" in label.substances and "ORAL" in label.routes
    assert label.title
    for name in ("indications_and_usage", "adverse_reactions", "how_supplied", "pregnancy", "description"):
        assert name in label.fields, name
    # a table is kept as rows of cells joined by " | "
    assert any(" | " in text for text in label.fields.values())
    assert "package_label_principal_display_panel" not in label.fields


def test_spl_medicines_from_a_folder_and_a_release_zip(tmp_path: Path) -> None:
    label_zip = io.BytesIO()
    with zipfile.ZipFile(label_zip, "w") as inner:
        inner.writestr("20250228_4fb7837e.xml", AMOXICILLIN.read_bytes())
        inner.writestr("amox-01.jpg", b"\xff\xd8")
    release = tmp_path / "dm_spl_release_human_rx_part1.zip"
    with zipfile.ZipFile(release, "w") as outer:
        outer.writestr("prescription/20250228_4fb7837e.zip", label_zip.getvalue())
        outer.writestr("otc/acetaminophen.xml", ACETAMINOPHEN_OTC.read_bytes())
    report = LoadReport()
    from_zip = list(iter_spl_medicines([release], report))
    from_dir = list(iter_spl_medicines([SPL], LoadReport()))
    assert sorted(m.id for _, _, m in from_zip) == sorted(m.id for _, _, m in from_dir) == [
        "acetaminophen",
        "amoxicillin",
    ]
    amox = next(m for _, _, m in from_dir if m.id == "amoxicillin")
    assert {"adverse_reactions", "pregnancy", "lactation", "storage", "dosage_forms"} <= amox.sections.keys()
    otc = next(m for _, _, m in from_dir if m.id == "acetaminophen")
    assert otc.product_type == "HUMAN OTC DRUG"
    assert report.counts["archive members ignored (images, not XML)"] == 1


def test_malformed_spl_is_named_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_bytes(AMOXICILLIN.read_bytes()[:5000])
    (tmp_path / "b.xml").write_text("<html><body>not a label</body></html>")
    report = LoadReport()
    assert list(iter_spl_documents([tmp_path], report)) == []
    first, second = report.problems
    assert first.position.startswith(f"{tmp_path / 'a.xml'}:") and "malformed XML" in first.message
    assert second.position == str(tmp_path / "b.xml") and "not an SPL document" in second.message


def test_spl_unknown_top_level_heading_goes_to_other(tmp_path: Path) -> None:
    xml = ACETAMINOPHEN_OTC.read_text(encoding="utf-8")
    marker = "<structuredBody>"
    extra = (
        '<component><section><code code="99999-9" codeSystem="2.16.840.1.113883.6.1"/>'
        "<title>Fun Facts</title><text><paragraph>Made with care.</paragraph></text></section></component>"
    )
    assert marker in xml
    (tmp_path / "x.xml").write_text(xml.replace(marker, marker + extra, 1), encoding="utf-8")
    report = LoadReport()
    [(_, _, med)] = list(iter_spl_medicines([tmp_path], report))
    assert "Made with care." in med.sections["other"]
    assert report.counts["unknown heading"] >= 1
    assert any("Fun Facts" in p.message for p in report.problems)
