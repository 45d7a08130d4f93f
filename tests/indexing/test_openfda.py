from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexing.schema import Attribute, Medicine
from indexing.sources.clinqa_jsonl import load_medicines
from indexing.sources.errors import CorpusError
from indexing.sources.openfda import (
    ATTRIBUTE_OF_FIELD,
    LoadNotes,
    NoUsableSections,
    assign_unique_ids,
    choose_name,
    clean_aliases,
    convert,
    iter_merged_labels,
    iter_openfda_files,
    main,
    map_sections,
    medicine_from_openfda_label,
    merge_same_label,
    readable_case,
    slugify,
    strip_repeated_heading,
)

A = Attribute


def merged_record(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "drug": "valsartan",
        "source": "pharmagraphrag",
        "set_id": None,
        "brand_name": ["ENTRESTO"],
        "generic_name": ["SACUBITRIL AND VALSARTAN"],
        "sections": {
            "indications_and_usage": "1 INDICATIONS AND USAGE ENTRESTO is indicated for heart failure.",
            "warnings_and_cautions": "5 WARNINGS AND PRECAUTIONS Observe for angioedema.",
        },
        "section_sources": {},
        "sources": ["pharmagraphrag"],
    }
    record.update(fields)
    return record


def write_jsonl(path: Path, *records: Any) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    return path


# ------------------------------------------------------------------ field mapping


@pytest.mark.parametrize(
    ("field", "attribute"),
    [
        ("indications_and_usage", A.INDICATIONS),
        ("purpose", A.INDICATIONS),
        ("dosage_and_administration", A.DOSAGE),
        ("dosage_forms_and_strengths", A.DOSAGE_FORMS),
        ("contraindications", A.CONTRAINDICATIONS),
        ("do_not_use", A.CONTRAINDICATIONS),
        ("warnings_and_cautions", A.WARNINGS),
        ("warnings", A.WARNINGS),
        ("precautions", A.WARNINGS),
        ("general_precautions", A.WARNINGS),
        ("user_safety_warnings", A.WARNINGS),
        ("ask_doctor", A.WARNINGS),
        ("ask_doctor_or_pharmacist", A.WARNINGS),
        ("stop_use", A.WARNINGS),
        ("when_using", A.WARNINGS),
        ("boxed_warning", A.BOXED_WARNING),
        ("adverse_reactions", A.ADVERSE_REACTIONS),
        ("drug_interactions", A.INTERACTIONS),
        ("pregnancy", A.PREGNANCY),
        ("teratogenic_effects", A.PREGNANCY),
        ("nonteratogenic_effects", A.PREGNANCY),
        ("labor_and_delivery", A.PREGNANCY),
        ("pregnancy_or_breast_feeding", A.PREGNANCY),
        ("nursing_mothers", A.LACTATION),
        ("lactation", A.LACTATION),
        ("pediatric_use", A.PEDIATRIC),
        ("geriatric_use", A.GERIATRIC),
        ("use_in_specific_populations", A.SPECIFIC_POPULATIONS),
        ("overdosage", A.OVERDOSAGE),
        ("description", A.DESCRIPTION),
        ("active_ingredient", A.DESCRIPTION),
        ("inactive_ingredient", A.DESCRIPTION),
        ("clinical_pharmacology", A.PHARMACOLOGY),
        ("mechanism_of_action", A.PHARMACOLOGY),
        ("pharmacodynamics", A.PHARMACOLOGY),
        ("pharmacokinetics", A.PHARMACOLOGY),
        ("storage_and_handling", A.STORAGE),
        ("how_supplied", A.DOSAGE_FORMS),
        ("storage_statements", A.STORAGE),
        ("information_for_patients", A.PATIENT_COUNSELING),
        ("patient_medication_information", A.PATIENT_COUNSELING),
        ("spl_patient_package_insert", A.PATIENT_COUNSELING),
        ("keep_out_of_reach_of_children", A.OTHER),
        ("spl_unclassified_section", A.OTHER),
    ],
)
def test_field_mapping(field: str, attribute: Attribute) -> None:
    assert ATTRIBUTE_OF_FIELD[field] is attribute
    assert map_sections({field: "Some text."}) == {attribute.value: "Some text."}


def test_every_attribute_is_reachable() -> None:
    assert set(ATTRIBUTE_OF_FIELD.values()) == set(Attribute)


def test_fields_of_one_attribute_join_in_fixed_order() -> None:
    fields = {
        "precautions": "PRECAUTIONS General care.",
        "warnings": "Hepatotoxicity.",
        "warnings_and_cautions": "Rash.",
    }
    assert map_sections(fields) == {"warnings": "Rash.\n\nHepatotoxicity.\n\nPRECAUTIONS General care."}
    assert map_sections(dict(reversed(fields.items()))) == map_sections(fields)


def test_unknown_fields_go_to_other_and_are_noted() -> None:
    notes = LoadNotes()
    sections = map_sections(
        {"questions": "Call us.", "zz_new_field": "New text.", "indications_and_usage": "Pain."}, notes
    )
    assert sections == {"indications": "Pain.", "other": "Call us.\n\nNew text."}
    assert notes.unknown_fields == {"zz_new_field": 1}


def test_field_contained_in_another_is_dropped() -> None:
    notes = LoadNotes()
    fields = {
        "mechanism_of_action": "12.1 Mechanism of Action Blocks X.",
        "clinical_pharmacology": "12 CLINICAL PHARMACOLOGY 12.1 Mechanism of Action Blocks X. 12.3 T½ 4 h.",
    }
    assert map_sections(fields, notes) == {"pharmacology": "12.1 Mechanism of Action Blocks X. 12.3 T½ 4 h."}
    assert notes.contained_fields == {"mechanism_of_action": 1}


def test_empty_and_heading_only_fields_are_left_out() -> None:
    notes = LoadNotes()
    assert (
        map_sections({"contraindications": "CONTRAINDICATIONS", "dosage_and_administration": " "}, notes)
        == {}
    )
    assert notes.empty_fields == {"contraindications": 1, "dosage_and_administration": 1}


# ------------------------------------------------------------------ text


@pytest.mark.parametrize(
    ("text", "attribute", "expected"),
    [
        ("5 WARNINGS AND PRECAUTIONS Lactic acidosis.", A.WARNINGS, "Lactic acidosis."),
        ("5. WARNINGS AND PRECAUTIONS Lactic acidosis.", A.WARNINGS, "Lactic acidosis."),
        ("4 CONTRAINDICATIONS None.", A.CONTRAINDICATIONS, "None."),
        (
            "CONTRAINDICATIONS Hypersensitivity to baclofen.",
            A.CONTRAINDICATIONS,
            "Hypersensitivity to baclofen.",
        ),
        ("2 DOSAGE & ADMINISTRATION Take once daily.", A.DOSAGE, "Take once daily."),
        ("INDICATIONS AND USAGE: Hypertension.", A.INDICATIONS, "Hypertension."),
        ("Drug Interactions Antacids reduce absorption.", A.INTERACTIONS, "Antacids reduce absorption."),
        (
            "Warnings Liver warning: contains acetaminophen.",
            A.WARNINGS,
            "Liver warning: contains acetaminophen.",
        ),
        ("10 OVERDOSAGE", A.OVERDOSAGE, ""),
        ("BOXED WARNING WARNING: FETAL TOXICITY", A.BOXED_WARNING, "WARNING: FETAL TOXICITY"),
        # Real content is kept.
        (
            "WARNING: HYPERSENSITIVITY REACTIONS Serious.",
            A.BOXED_WARNING,
            "WARNING: HYPERSENSITIVITY REACTIONS Serious.",
        ),
        ("Warnings about driving apply.", A.WARNINGS, "Warnings about driving apply."),
        ("Contraindications include asthma.", A.CONTRAINDICATIONS, "Contraindications include asthma."),
        ("PRECAUTIONS General care.", A.WARNINGS, "PRECAUTIONS General care."),
        ("12.1 Mechanism of Action Blocks X.", A.PHARMACOLOGY, "12.1 Mechanism of Action Blocks X."),
        ("Uses temporarily relieves pain.", A.INDICATIONS, "Uses temporarily relieves pain."),
        ("overdosage is rare.", A.OVERDOSAGE, "overdosage is rare."),
        ("DRUG INTERACTIONS WITH FOOD are minor.", A.WARNINGS, "DRUG INTERACTIONS WITH FOOD are minor."),
    ],
)
def test_strip_repeated_heading(text: str, attribute: Attribute, expected: str) -> None:
    assert strip_repeated_heading(text, attribute) == expected


def test_whitespace_is_collapsed() -> None:
    assert map_sections({"overdosage": "  Call\n poison\tcontrol.\n"}) == {
        "overdosage": "Call poison control."
    }


# ------------------------------------------------------------------ names, ids, aliases


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Sacubitril and Valsartan", "sacubitril-and-valsartan"),
        ("Clobetasol Propionate Ointment USP, 0.05%", "clobetasol-propionate-ointment-usp-0-05"),
        ("Adalimumab-aacf", "adalimumab-aacf"),
        ("Crème Bébé", "creme-bebe"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("raw", "readable"),
    [
        ("SACUBITRIL AND VALSARTAN", "Sacubitril and Valsartan"),
        ("DIPHENHYDRAMINE HCL", "Diphenhydramine HCl"),
        ("ADALIMUMAB-AACF", "Adalimumab-aacf"),
        ("ELEXACAFTOR, TEZACAFTOR, AND IVACAFTOR", "Elexacaftor, Tezacaftor, and Ivacaftor"),
        ("CLOBETASOL PROPIONATE OINTMENT USP, 0.05%", "Clobetasol Propionate Ointment USP, 0.05%"),
        ("albuterol", "Albuterol"),
        ("buPropion Hydrochloride XL", "buPropion Hydrochloride XL"),
    ],
)
def test_readable_case(raw: str, readable: str) -> None:
    assert readable_case(raw) == readable


def test_choose_name_prefers_the_generic_name_holding_the_drug_key() -> None:
    assert choose_name(["FOSINOPIRL SODIUM", "FOSINOPRIL SODIUM"], [], "fosinopril") == "Fosinopril Sodium"
    assert choose_name(["AVATROMBOPAG", "AVATROMBOPAG MALEATE"], ["DOPTELET"], None) == "Avatrombopag"


def test_choose_name_uses_a_brand_for_ingredient_lists() -> None:
    ingredients = (
        "METHYLPREDNISOLONE ACETATE, LIDOCAINE HYDROCHLORIDE, BUPIVACAINE HYDROCHLORIDE, SODIUM CHLORIDE"
    )
    assert choose_name([ingredients], ["Dyural 40 Kit"], "bupivacaine") == "Dyural 40 Kit"
    assert choose_name([], [], "metformin") == "Metformin"
    assert choose_name([], [], None) == ""


def test_clean_aliases_dedups_and_drops_junk() -> None:
    kept, dropped = clean_aliases(
        "Ibuprofen",
        [
            *("IBUPROFEN", "Advil", "advil", "", "IB", "200", "Sleep Aid", "Childrens Allergy Relief"),
            *("Childrens Motrin", "tromethamine", "Zemdri (plazomicin)", "X" * 61),
        ],
    )
    assert kept == ("Advil", "Childrens Motrin", "Zemdri")
    assert dropped == [
        ("IB", "too short"),
        ("200", "a number"),
        ("Sleep Aid", "ordinary words"),
        ("Childrens Allergy Relief", "ordinary words"),
        ("tromethamine", "ordinary words"),
        ("X" * 61, "ingredient list (over 60 characters)"),
    ]


def _med(mid: str, source: str, **sections: str) -> Medicine:
    return Medicine(id=mid, name=mid.title(), source=source, sections=sections or {"dosage": "x"})


def test_assign_unique_ids_is_deterministic_and_reports() -> None:
    meds = [
        _med("insulin", "dailymed:aaaa1111-2222"),
        _med("insulin", "dailymed:BBBB2222-3333"),
        _med("insulin", "medtap:insulin"),
        _med("insulin", "other:insulin"),
    ]
    unique, collisions = assign_unique_ids(meds)
    assert [m.id for m in unique] == ["insulin", "insulin-bbbb2222", "insulin-2", "insulin-3"]
    assert collisions == [
        ("insulin", "insulin-bbbb2222", "dailymed:BBBB2222-3333"),
        ("insulin", "insulin-2", "medtap:insulin"),
        ("insulin", "insulin-3", "other:insulin"),
    ]
    assert assign_unique_ids(meds) == (unique, collisions)


def test_assign_unique_ids_falls_back_when_the_set_id_suffix_is_taken() -> None:
    meds = [_med("a", "dailymed:12345678-x"), _med("a", "dailymed:12345678-y"), _med("a-12345678", "z")]
    unique, _ = assign_unique_ids(meds)
    assert [m.id for m in unique] == ["a", "a-12345678", "a-12345678-2"]


def test_merge_same_label() -> None:
    name = "Ketorolac Tromethamine"
    first = Medicine(
        "k", name, ("Ketorolac",), source="dailymed:s1", sections={"dosage": "first", "warnings": "w"}
    )
    second = Medicine(
        "k", name, ("Toradol",), source="dailymed:s1", sections={"dosage": "2nd", "indications": "pain"}
    )
    other = _med("x", "dailymed:s2")
    merged, report = merge_same_label([first, other, second])
    assert [m.id for m in merged] == ["k", "x"]
    assert merged[0].aliases == ("Ketorolac", "Toradol")
    assert merged[0].sections == {"indications": "pain", "dosage": "first", "warnings": "w"}
    assert list(merged[0].sections) == ["indications", "dosage", "warnings"]
    assert [src for src, _ in report] == ["dailymed:s1"]


# ------------------------------------------------------------------ merged JSONL


def test_iter_merged_labels(tmp_path: Path) -> None:
    ibuprofen = merged_record(
        drug="ibuprofen",
        set_id="00653b7c-7099",
        brand_name=["Ibuprofen Dye Free", "IBUPROFEN"],
        generic_name=["ibuprofen"],
        sections={"warnings": "Warnings Allergy alert.", "dosage_and_administration_table": "<table/>"},
    )
    path = write_jsonl(tmp_path / "merged.jsonl", merged_record(), "", ibuprofen)
    first, second = iter_merged_labels(path)
    assert first == Medicine(
        id="sacubitril-and-valsartan",
        name="Sacubitril and Valsartan",
        aliases=("ENTRESTO", "Valsartan"),
        lang="en",
        source="pharmagraphrag:valsartan",
        sections={
            "indications": "ENTRESTO is indicated for heart failure.",
            "warnings": "Observe for angioedema.",
        },
    )
    assert second.id == "ibuprofen"
    assert second.aliases == ("Ibuprofen Dye Free",)
    assert second.source == "dailymed:00653b7c-7099"
    assert second.sections == {"warnings": "Allergy alert."}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"drug": "x", ', "invalid JSON"),
        ("[1, 2]", "expected a JSON object, got list"),
        (json.dumps(merged_record(drug="")), "'drug' must be a non-empty string"),
        (json.dumps({"drug": "x"}), "missing required field 'sections'"),
        (json.dumps(merged_record(sections=["a"])), "'sections' must be an object"),
        (json.dumps(merged_record(sections={"warnings": 3})), "section 'warnings' must be text"),
        (json.dumps(merged_record(generic_name=[1])), "'generic_name' must be a string or a list of strings"),
    ],
)
def test_malformed_merged_line_names_file_and_line(tmp_path: Path, bad: str, message: str) -> None:
    path = write_jsonl(tmp_path / "merged.jsonl", merged_record(), bad)
    with pytest.raises(CorpusError, match=message) as err:
        list(iter_merged_labels(path))
    assert (err.value.path, err.value.line) == (str(path), 2)
    assert str(err.value).startswith(f"{path}:2: ")


def test_label_without_sections_raises_or_is_recorded(tmp_path: Path) -> None:
    heading_only = {"indications_and_usage": "INDICATIONS AND USAGE"}
    empty = merged_record(
        drug="methimazole", generic_name=["METHIMAZOLE"], brand_name=[], sections=heading_only
    )
    path = write_jsonl(tmp_path / "merged.jsonl", merged_record(), empty)
    with pytest.raises(NoUsableSections, match=r":2: Methimazole: no non-empty text section"):
        list(iter_merged_labels(path))
    notes = LoadNotes()
    assert len(list(iter_merged_labels(path, notes))) == 1
    assert [(s.line, s.name, s.reason) for s in notes.skipped] == [(2, "methimazole", "no sections")]


# ------------------------------------------------------------------ raw openFDA shapes

API_LABEL: dict[str, Any] = {
    "id": "3c5a8f0e",
    "set_id": "a9c3e2f1-0000-4000-8000-000000000001",
    "version": "7",
    "effective_time": "20240101",
    "indications_and_usage": ["Uses temporarily relieves minor aches and pains"],
    "purpose": ["Purpose Pain reliever"],
    "do_not_use": ["Do not use with other drugs containing acetaminophen"],
    "keep_out_of_reach_of_children": ["Keep out of reach of children."],
    "package_label_principal_display_panel": ["PRINCIPAL DISPLAY PANEL NDC 1234"],
    "spl_product_data_elements": ["Tylenol acetaminophen ACETAMINOPHEN"],
    "warnings_table": ["<table></table>"],
    "openfda": {
        "generic_name": ["ACETAMINOPHEN"],
        "brand_name": ["Tylenol", "Pain Reliever"],
        "spl_set_id": ["zz"],
    },
}


def test_api_label_object() -> None:
    med = medicine_from_openfda_label(API_LABEL, "label.json", None)
    assert med.id == "acetaminophen"
    assert med.name == "Acetaminophen"
    assert med.aliases == ("Tylenol",)
    assert med.source == "dailymed:a9c3e2f1-0000-4000-8000-000000000001"
    assert med.sections == {
        "indications": "Uses temporarily relieves minor aches and pains\n\nPurpose Pain reliever",
        "contraindications": "Do not use with other drugs containing acetaminophen",
        "other": "Keep out of reach of children.",
    }


def test_raw_file_shapes(tmp_path: Path) -> None:
    second = {**API_LABEL, "set_id": None, "openfda": {"generic_name": ["IBUPROFEN"], "spl_set_id": ["s-2"]}}
    medguard = {
        "drug_name": "Abacavir",
        "drug_id": "1498",
        "sections": {
            "contraindications": "4 CONTRAINDICATIONS HLA-B*5701.",
            "drug_interactions_table": "<t/>",
        },
        "openfda_meta": {"brand_name": ["Abacavir"], "generic_name": ["ABACAVIR"], "spl_set_id": ["s-3"]},
    }
    pharmagraphrag = {
        "drug_name": "SACUBITRIL AND VALSARTAN",
        "generic_names": ["SACUBITRIL AND VALSARTAN"],
        "brand_names": ["ENTRESTO"],
        "route": ["ORAL"],
        "sections": {"overdosage": "10 OVERDOSAGE Limited data."},
    }
    rows = [
        {"drug": "metformin", "section": "Indications and Usage", "text": "Type 2 diabetes."},
        {"drug": "metformin", "section": "Warnings and Precautions", "text": "Lactic acidosis."},
        {"drug": "lisinopril", "section": "Drug Interactions", "text": "Diuretics."},
    ]
    write_json(tmp_path / "raw" / "a_api.json", {"meta": {}, "results": [API_LABEL, second]})
    write_json(tmp_path / "raw" / "b_list.json", [medguard])
    write_json(tmp_path / "raw" / "c" / "valsartan.json", pharmagraphrag)
    write_json(tmp_path / "raw" / "d_rows.json", rows)
    meds = list(iter_openfda_files([tmp_path / "raw"]))
    got = [(m.id, m.source, sorted(m.sections)) for m in meds]
    assert got == [
        (
            "acetaminophen",
            "dailymed:a9c3e2f1-0000-4000-8000-000000000001",
            ["contraindications", "indications", "other"],
        ),
        ("ibuprofen", "dailymed:s-2", ["contraindications", "indications", "other"]),
        ("abacavir", "dailymed:s-3", ["contraindications"]),
        ("sacubitril-and-valsartan", "file:c/valsartan.json", ["overdosage"]),
        ("metformin", "file:raw/d_rows.json#metformin", ["indications", "warnings"]),
        ("lisinopril", "file:raw/d_rows.json#lisinopril", ["interactions"]),
    ]
    assert meds[2].sections == {"contraindications": "HLA-B*5701."}
    assert meds[3].sections == {"overdosage": "Limited data."}
    assert meds[3].aliases == ("ENTRESTO",)


def test_unnamed_label_needs_name_from_filename(tmp_path: Path) -> None:
    medtap = {"indications_and_usage": ["Uses relieves pain"], "warnings": None, "purpose": None}
    path = write_json(tmp_path / "acetaminophen.json", medtap)
    with pytest.raises(CorpusError, match="label has no name") as err:
        list(iter_openfda_files([path]))
    assert (err.value.path, err.value.line) == (str(path), None)
    (med,) = iter_openfda_files([path], name_from_filename=True)
    assert (med.id, med.name, med.source) == (
        "acetaminophen",
        "Acetaminophen",
        f"file:{tmp_path.name}/acetaminophen.json",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"results": [API_LABEL, "oops"]}, r"results\[1\]: expected a label object, got str"),
        ([API_LABEL, {"indications_and_usage": ["x"]}], r"\[1\]: label has no name"),
        ([{"drug": "x", "section": "Warnings", "text": 3}], r"\[0\]: expected an object with string"),
        (
            {**API_LABEL, "warnings": {"a": 1}},
            "section 'warnings' must be text or a list of strings, got dict",
        ),
        ({**API_LABEL, "openfda": ["x"]}, "field 'openfda' must be an object"),
        (42, "expected a label object, a list of labels"),
    ],
)
def test_malformed_raw_files(tmp_path: Path, data: Any, message: str) -> None:
    path = write_json(tmp_path / "bad.json", data)
    with pytest.raises(CorpusError, match=message) as err:
        list(iter_openfda_files([path]))
    assert err.value.path == str(path)


def test_raw_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "set_id": "x",\n  oops\n}\n')
    with pytest.raises(CorpusError, match="invalid JSON") as err:
        list(iter_openfda_files([path]))
    assert err.value.line == 3


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        list(iter_openfda_files([tmp_path / "nope.json"]))


# ------------------------------------------------------------------ converter


def test_convert_and_main_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same_label = {"set_id": "01ca16de-ab2e", "generic_name": ["KETOROLAC TROMETHAMINE"], "brand_name": []}
    merged = write_jsonl(
        tmp_path / "merged.jsonl",
        merged_record(),
        merged_record(drug="ketorolac", source="medguard", sections={"warnings": "W."}, **same_label),
        merged_record(drug="tromethamine", source="medguard", sections={"overdosage": "O."}, **same_label),
        merged_record(drug="sacubitril", set_id="99f6eee7-7e52", sections={"overdosage": "O."}),
        merged_record(drug="methimazole", generic_name=["METHIMAZOLE"], sections={"warnings": "WARNINGS"}),
    )
    summary = convert([merged])
    assert summary.labels_read == 5
    assert [m.id for m in summary.medicines] == [
        "ketorolac-tromethamine",
        "sacubitril-and-valsartan",
        "sacubitril-and-valsartan-99f6eee7",
    ]
    assert summary.medicines[0].sections == {"warnings": "W.", "overdosage": "O."}
    assert summary.id_collisions == [
        ("sacubitril-and-valsartan", "sacubitril-and-valsartan-99f6eee7", "dailymed:99f6eee7-7e52")
    ]
    assert [(s.name, s.reason) for s in summary.notes.skipped] == [("methimazole", "no sections")]
    assert summary.sections_per_attribute == {"warnings": 2, "overdosage": 2, "indications": 1}

    out = tmp_path / "corpora" / "medicines.jsonl"
    assert main([str(merged), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "labels read:        5" in printed
    assert "medicines written:  3" in printed
    assert "skipped labels: 1" in printed
    assert "'Tromethamine' (Ketorolac Tromethamine)" in printed
    assert load_medicines(out) == summary.medicines


def test_main_reports_corpus_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    merged = write_jsonl(tmp_path / "merged.jsonl", merged_record(), "not json")
    assert main([str(merged), "--out", str(tmp_path / "out.jsonl")]) == 1
    assert f"{merged}:2: invalid JSON" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()
