"""indexing.corpus: a prescription label and an OTC Drug Facts label of one ingredient are two medicines
("Ibuprofen" and "Ibuprofen (OTC)": merged, the longest dosage text won and "how much Advil can I take" got the
prescription 3,200 mg a day); contraindications and boxed warnings are not cut; a collection's
lookup word that is another medicine's name and none of the label's own names is no alias. The last tests read
the shipped database and rebuild it from ../shared/data (skipped where that folder is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexing.corpus import (
    SECTION_CAPS,
    CorpusOptions,
    CorpusSummary,
    build_corpus,
    has_drug_facts,
    select_sections,
    write_corpus,
)
from indexing.schema import Medicine

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "corpora" / "medicines.jsonl"
SHARED_LABELS = ROOT.parent / "shared" / "data" / "labels"

_RX_DOSE = ("Use the lowest effective dose for the shortest duration. Do not exceed 3200 mg total daily dose. "
            "Rheumatoid arthritis and osteoarthritis: 400 mg, 600 mg or 800 mg three or four times a day.")
_OTC_DOSE = ("Directions do not take more than directed adults and children 12 years and over: take 1 tablet "
             "every 4 to 6 hours while symptoms persist do not exceed 6 tablets in 24 hours")


def _openfda(generic: str, brand: str, product_type: str | None, set_id: str, **sections: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"generic_name": [generic], "brand_name": [brand], "route": ["ORAL"],
                            "substance_name": [generic], "spl_set_id": [set_id]}
    if product_type:
        meta["product_type"] = [product_type]
    return {"openfda": meta, **{k: [v] for k, v in sections.items()}}


def _labels(tmp_path: Path) -> Path:
    recs = [
        _openfda("IBUPROFEN", "Ibuprofen", "HUMAN PRESCRIPTION DRUG", "rx-1",
                 dosage_and_administration=_RX_DOSE, contraindications="Known hypersensitivity to ibuprofen."),
        {**_openfda("IBUPROFEN", "Advil", "HUMAN OTC DRUG", "otc-1", dosage_and_administration=_OTC_DOSE,
                    purpose="Pain reliever/fever reducer", do_not_use="right before or after heart surgery"),
         "pharm_class_epc": ["Nonsteroidal Anti-inflammatory Drug [EPC]"]},
        _openfda("FAMOTIDINE", "Famotidine", "HUMAN PRESCRIPTION DRUG", "rx-2",
                 dosage_and_administration="20 mg twice daily."),
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    # a collection's copy without a product type: Drug Facts fields make it OTC ...
    (tmp_path / "medtap").mkdir()
    (tmp_path / "medtap" / "ibuprofen.json").write_text(json.dumps({
        "dosage_and_administration": _OTC_DOSE + " children under 12 years: ask a doctor",
        "purpose": "Pain reliever", "ask_doctor": "None"}), encoding="utf-8")
    # ... and one whose Drug Facts fields say "None" is prescription text
    (tmp_path / "medtap" / "famotidine.json").write_text(json.dumps({
        "dosage_and_administration": "Active duodenal ulcer: 40 mg once daily for up to 8 weeks.",
        "purpose": "None", "do_not_use": "None"}), encoding="utf-8")
    return tmp_path


def test_prescription_and_otc_labels_are_two_medicines(tmp_path: Path) -> None:
    folder = _labels(tmp_path)
    summary = build_corpus([folder / "labels.jsonl", folder / "medtap"])
    meds = {m.id: m for m in summary.medicines}
    assert sorted(meds) == ["famotidine", "ibuprofen", "ibuprofen-otc"]
    rx, otc = meds["ibuprofen"], meds["ibuprofen-otc"]
    assert rx.name == "Ibuprofen" and otc.name == "Ibuprofen (OTC)"
    assert "3200 mg" in rx.sections["dosage"] and "6 tablets in 24 hours" not in rx.sections["dosage"]
    assert "6 tablets in 24 hours" in otc.sections["dosage"] and "3200" not in otc.sections["dosage"]
    # the medtap copy with Drug Facts went to the OTC medicine (its dosage text is the longest there)
    assert "children under 12 years" in otc.sections["dosage"]
    assert otc.product_type == "HUMAN OTC DRUG" and rx.product_type == "HUMAN PRESCRIPTION DRUG"
    assert "Advil" in otc.aliases and "Advil" not in rx.aliases
    assert not {a.casefold() for a in otc.aliases} & {"ibuprofen"}  # the plain name is the prescription one
    assert set(otc.sources) == {"dailymed:otc-1", "file:medtap/ibuprofen.json"}
    assert set(rx.sources) == {"dailymed:rx-1"}
    assert summary.otc_split == [("ibuprofen", "ibuprofen-otc")]
    # the NSAID class came with the OTC label only; it is the ingredient's, so both have it
    assert rx.pharm_classes == otc.pharm_classes == {"epc": ("Nonsteroidal Anti-inflammatory Drug [EPC]",)}
    # famotidine: prescription only (the medtap copy's "None" Drug Facts fields are no Drug Facts): one medicine
    assert len(meds["famotidine"].sources) == 2
    assert "OTC labels kept apart" in summary.render()


def test_one_kind_of_label_stays_one_medicine(tmp_path: Path) -> None:
    folder = _labels(tmp_path)
    summary = build_corpus([folder / "medtap"])  # the OTC copy and the prescription famotidine copy only
    assert sorted(m.id for m in summary.medicines) == ["famotidine", "ibuprofen"]
    assert summary.otc_split == []


def test_drug_facts_fields() -> None:
    assert has_drug_facts({"purpose": ["Antihistamine"]})
    assert has_drug_facts({"sections": {"stop_use": "Stop use and ask a doctor if ..."}})
    assert not has_drug_facts({"purpose": "None", "ask_doctor": "None", "warnings": "Bleeding risk."})
    assert not has_drug_facts({"sections": {"drug_interactions": "Warfarin ..."}})
    assert not has_drug_facts(["not a label"])


def _long(prefix: str, n: int) -> str:
    return " ".join(f"{prefix} sentence number {i} names another drug." for i in range(n))


def test_decisive_sections_are_kept_whole() -> None:
    text = _long("Interaction", 400)  # about 18,000 characters
    med = Medicine("m", "M", sections={"interactions": text, "contraindications": text, "boxed_warning": text,
                                       "warnings": text, "pharmacology": text})
    summary = CorpusSummary()
    kept = select_sections(med, tuple(med.sections), SECTION_CAPS, summary).sections
    for attr in ("contraindications", "boxed_warning"):
        assert kept[attr] == text, attr
    for attr in ("interactions", "warnings", "pharmacology"):
        assert len(kept[attr]) <= SECTION_CAPS[attr] < len(text), attr
    assert set(summary.shortened) == {"interactions", "warnings", "pharmacology"}


def test_a_lookup_word_naming_another_medicine_is_no_alias(tmp_path: Path) -> None:
    # the collection fetched a biosimilar by the reference product's name ("adalimumab")
    biosimilar = {"drug_name": "adalimumab", "openfda_meta": {
        "generic_name": ["ADALIMUMAB-AACF"], "brand_name": ["IDACIO"], "route": ["SUBCUTANEOUS"],
        "spl_set_id": ["bio-1"]},
        "sections": {"indications_and_usage": "Rheumatoid arthritis."}}
    reference = {"openfda": {"generic_name": ["ADALIMUMAB"], "brand_name": ["HUMIRA"], "route": ["SUBCUTANEOUS"],
                             "substance_name": ["ADALIMUMAB"], "spl_set_id": ["ref-1"]},
                 "indications_and_usage": ["Rheumatoid arthritis and more."]}
    (tmp_path / "bio.json").write_text(json.dumps(biosimilar), encoding="utf-8")
    (tmp_path / "ref.json").write_text(json.dumps(reference), encoding="utf-8")
    summary = build_corpus([tmp_path / "bio.json", tmp_path / "ref.json"], CorpusOptions())
    meds = {m.name: m for m in summary.medicines}
    assert "Adalimumab" in meds and "IDACIO" in meds["Adalimumab-aacf"].aliases
    assert "Adalimumab" not in meds["Adalimumab-aacf"].aliases


_needs_shipped = pytest.mark.skipif(not SHIPPED.is_file(), reason="corpora/medicines.jsonl is absent")


def _shipped(*ids: str) -> dict[str, dict[str, Any]]:
    wanted = set(ids)
    out: dict[str, dict[str, Any]] = {}
    with SHIPPED.open(encoding="utf-8") as f:
        for line in f:
            if any(f'"id": "{i}"' in line for i in wanted):
                med = json.loads(line)
                if med["id"] in wanted:
                    out[med["id"]] = med
    return out


@_needs_shipped
def test_shipped_database_holds_both_ibuprofen_labels_and_whole_contraindications() -> None:
    meds = _shipped("ibuprofen", "ibuprofen-otc", "omeprazole", "omeprazole-otc", "phenelzine-sulfate", "tramadol")
    assert meds["ibuprofen-otc"]["name"] == "Ibuprofen (OTC)"
    assert "do not exceed 6 tablets in 24 hours" in meds["ibuprofen-otc"]["sections"]["dosage"]
    assert "Advil" in meds["ibuprofen-otc"]["aliases"]
    assert "Directions" not in meds["ibuprofen"]["sections"]["dosage"]
    assert "14 days" in meds["omeprazole-otc"]["sections"]["dosage"]
    assert meds["omeprazole"]["product_type"] == "HUMAN PRESCRIPTION DRUG"
    # a 2,000 cap cut these at 1,769 of 4,857 and 1,835 of 6,626 characters
    assert "other MAO inhibitors because HYPERTENSIVE CRISES" in meds["phenelzine-sulfate"]["sections"][
        "contraindications"]
    assert len(meds["tramadol"]["sections"]["boxed_warning"]) > 6000


@pytest.mark.slow
@_needs_shipped
@pytest.mark.skipif(not SHARED_LABELS.is_dir(), reason="../shared/data/labels is absent")
def test_the_build_reproduces_the_shipped_database(tmp_path: Path) -> None:
    """corpora/README.md, Regenerating: the same sources give the same bytes."""
    s = SHARED_LABELS
    sources = [s / "raw/medguard", s / "raw/pharmagraphrag", s / "raw/angeloziletti", s / "raw/medtap",
               s / "raw/fda-drug-db/labels.jsonl", s / "spl"]
    out = tmp_path / "medicines.jsonl"
    write_corpus(build_corpus(sources), out)
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_numbered_subsections_past_the_cap_keep_their_first_sentences() -> None:
    # sertraline's warnings were cut inside 5.2: "5.5 Discontinuation Syndrome" was lost whole
    head = " ".join(f"5.1 Suicidality sentence {i} about the first subsection." for i in range(120))
    tail = ("5.5 Discontinuation Syndrome Adverse reactions after abrupt discontinuation include dizziness and "
            "sensory disturbances. Reduce the dose gradually. " + "Detail sentence of the discontinuation text. " * 30 +
            "5.6 Seizures Use with caution in patients with a seizure disorder. More detail follows here. "
            "5.6 Seizures repeated is no new subsection.")
    med = Medicine("m", "M", sections={"warnings": f"{head} {tail}", "pharmacology": f"{head} {tail}"})
    summary = CorpusSummary()
    kept = select_sections(med, tuple(med.sections), SECTION_CAPS, summary).sections
    warnings = kept["warnings"]
    assert warnings.startswith(warnings[: SECTION_CAPS["warnings"] - 100])
    # the heading ends with a full stop: no part of the first sentence
    assert ("5.5 Discontinuation Syndrome. Adverse reactions after abrupt discontinuation include dizziness and "
            "sensory disturbances. Reduce the dose gradually.") in warnings
    assert "5.6 Seizures. Use with caution in patients with a seizure disorder." in warnings
    assert "Detail sentence" not in warnings and warnings.count("5.6 Seizures") == 1
    assert "5.5 Discontinuation" not in kept["pharmacology"]  # an unnumbered section keeps its head only
    assert summary.subsection_leads == {"warnings": 2}


def test_a_subsection_heading_is_ended_before_its_first_sentence() -> None:
    from indexing.corpus import headed

    assert headed("7.5 Botanical (Herbal) Products and Foods More frequent INR monitoring is needed.", "7.5 ") == (
        "7.5 Botanical (Herbal) Products and Foods. More frequent INR monitoring is needed.")
    assert headed("7.3 Drugs that Increase Bleeding Risk Examples of drugs are in Table 3.", "7.3 ") == (
        "7.3 Drugs that Increase Bleeding Risk. Examples of drugs are in Table 3.")
    assert headed("2.4 Dosage in Elderly Because elderly patients are more likely.", "2.4 ") == (
        "2.4 Dosage in Elderly. Because elderly patients are more likely.")
    # no title-case run before the sentence: unchanged
    assert headed("5.2 the risk of bleeding is increased.", "5.2 ") == "5.2 the risk of bleeding is increased."
