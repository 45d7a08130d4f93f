"""indexing.combination_labels and the corpus build's use of it: a label named only by its file (the medtap
dumps) whose own text is a combination product is named after that product, not merged into the
single-ingredient medicine of its file name (medtap's simvastatin.json, the ezetimibe and simvastatin label,
gave simvastatin its indications and dosage). Label texts here are written for the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexing.combination_labels import find_combination, plain_ingredient, substance_combination
from indexing.corpus import build_corpus

KNOWN = {"simvastatin", "ezetimibe", "lisinopril", "hydrochlorothiazide", "nabumetone", "insulin aspart",
         "amoxicillin", "clavulanate", "naproxen", "clonazepam"}


@pytest.mark.parametrize(("stem", "text", "ingredients"), [
    ("simvastatin", "1 INDICATIONS AND USAGE Ezetimibe and simvastatin tablets lower LDL cholesterol.",
     ("Ezetimibe", "simvastatin")),
    ("hydrochlorothiazide", "Lisinopril and hydrochlorothiazide tablets are for high blood pressure.",
     ("Lisinopril", "hydrochlorothiazide")),
    ("amoxicillin", "Amoxicillin and Clavulanate Potassium is indicated for ear infections.",
     ("Amoxicillin", "Clavulanate Potassium")),
    ("insulin", "Brand Mix 70/30 is a mixture of insulin aspart protamine and insulin aspart indicated for diabetes.",
     ("insulin aspart protamine", "insulin aspart")),
    ("simvastatin", "Take one ezetimibe/simvastatin tablet in the evening.", ("ezetimibe", "simvastatin")),
])
def test_a_product_phrase_names_the_combination(stem: str, text: str, ingredients: tuple[str, ...]) -> None:
    found = find_combination(stem, {"indications": text}, KNOWN)
    assert found is not None and found.identified
    assert found.ingredients == ingredients


@pytest.mark.parametrize(("stem", "text"), [
    # no product phrase: "and other ..." is advice, not a second ingredient
    ("nabumetone", "Carefully consider the benefits of nabumetone tablets and other treatment options first."),
    ("doxycycline", "To keep doxycycline and other antibacterial drugs working, use it only for infections."),
    # one ingredient named twice
    ("naproxen", "Naproxen tablets and naproxen sodium tablets are indicated for arthritis pain."),
    # a dose form after a word that is no known ingredient
    ("clonazepam", "Dispense clonazepam and unscored tablets in a tight container."),
    # a combination that does not contain the file's own name
    ("simvastatin", "Unlike lisinopril and hydrochlorothiazide tablets, this statin lowers cholesterol."),
    ("amlodipine", "Amlodipine may be used alone or in combination with other antihypertensive agents."),
])
def test_no_combination_without_a_product_phrase_of_the_own_name(stem: str, text: str) -> None:
    assert find_combination(stem, {"indications": text}, KNOWN) is None


def test_a_combination_whose_other_ingredient_is_unknown_is_not_identified() -> None:
    found = find_combination("warfarin", {"dosage": "Zentrovan and warfarin is indicated for clots."}, KNOWN)
    assert found is not None and not found.identified and found.ingredients == ("warfarin",)


def test_only_the_openings_of_indications_description_and_dosage_are_read() -> None:
    late = "x " * 300 + "Ezetimibe and simvastatin tablets are indicated for cholesterol."
    assert find_combination("simvastatin", {"indications": late}, KNOWN) is None
    assert find_combination("simvastatin", {"interactions": "Ezetimibe and simvastatin tablets are red."},
                            KNOWN) is None


def test_substances_and_names() -> None:
    found = substance_combination(["LISINOPRIL", "HYDROCHLOROTHIAZIDE"])
    assert found is not None and found.name == "Lisinopril and Hydrochlorothiazide"
    assert substance_combination(["NAPROXEN", "NAPROXEN SODIUM"]) is None
    assert plain_ingredient("Clavulanate Potassium") == "clavulanate"


# ---------------------------------------------------------------- the build

_SIMVA = "Simvastatin tablets are indicated to lower cholesterol and the risk of heart attack."
_COMBO_SIMVA = "Ezetimibe and simvastatin tablets are a combination product indicated to lower LDL cholesterol."
_COMBO_LISI = "Lisinopril and hydrochlorothiazide tablets are indicated for hypertension, not for first therapy."


def _openfda(generic: str, set_id: str, substances: list[str], **sections: str) -> dict[str, Any]:
    meta = {"generic_name": [generic], "brand_name": [generic.title()], "route": ["ORAL"],
            "substance_name": substances, "spl_set_id": [set_id]}
    return {"openfda": meta, **{k: [v] for k, v in sections.items()}}


def _sources(tmp_path: Path) -> list[Path]:
    recs = [
        _openfda("SIMVASTATIN", "s-1", ["SIMVASTATIN"], indications_and_usage=_SIMVA,
                 dosage_and_administration="Take 20 mg once daily in the evening."),
        _openfda("EZETIMIBE", "e-1", ["EZETIMIBE"], indications_and_usage="Ezetimibe tablets lower cholesterol."),
        _openfda("LISINOPRIL", "l-1", ["LISINOPRIL"],
                 indications_and_usage="Lisinopril tablets are indicated for hypertension."),
        _openfda("HYDROCHLOROTHIAZIDE", "h-1", ["HYDROCHLOROTHIAZIDE"],
                 indications_and_usage="Hydrochlorothiazide tablets are indicated for edema."),
        _openfda("LISINOPRIL AND HYDROCHLOROTHIAZIDE", "lh-1", ["LISINOPRIL", "HYDROCHLOROTHIAZIDE"],
                 indications_and_usage="For hypertension."),
        _openfda("NABUMETONE", "n-1", ["NABUMETONE"], indications_and_usage="For osteoarthritis."),
    ]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    # a collection whose files carry no name inside (named after the file, like medtap)
    folder = tmp_path / "medtap"
    folder.mkdir()
    files = {
        "simvastatin": {"indications_and_usage": [_COMBO_SIMVA + " It is much longer than the single label's."],
                        "dosage_and_administration": ["Take one ezetimibe and simvastatin tablet each evening, "
                                                      "10 mg/20 mg, and never more than the maximum dose."]},
        "lisinopril": {"indications_and_usage": [_COMBO_LISI + " Written longer than any other label here."]},
        "nabumetone": {"indications_and_usage": ["Carefully consider nabumetone tablets and other treatment "
                                                 "options before deciding to use nabumetone for arthritis."]},
        "warfarin": {"indications_and_usage": ["Zentrovan and warfarin tablets are indicated for clots."]},
    }
    for stem, label in files.items():
        (folder / f"{stem}.json").write_text(json.dumps(label), encoding="utf-8")
    return [labels, folder]


def test_combination_labels_are_named_after_their_product_or_left_out(tmp_path: Path) -> None:
    summary = build_corpus(_sources(tmp_path))
    meds = {m.id: m for m in summary.medicines}
    # the single-ingredient medicines keep their own text
    simva = meds["simvastatin"]
    assert simva.sections["indications"] == _SIMVA and "ezetimibe" not in simva.sections["dosage"]
    assert "file:medtap/simvastatin.json" not in simva.sources
    assert "hydrochlorothiazide" not in meds["lisinopril"].sections["indications"].lower()
    # the combination is a medicine of its own, linked to its ingredients
    combo = meds["ezetimibe-and-simvastatin"]
    assert combo.name == "Ezetimibe and Simvastatin" and combo.sources == ("file:medtap/simvastatin.json",)
    assert combo.ingredient_ids == ("ezetimibe", "simvastatin")
    # joining the combination the sources have already: its name stays, the file's text is merged in
    lisi_hctz = meds["lisinopril-and-hydrochlorothiazide"]
    assert lisi_hctz.name == "Lisinopril and Hydrochlorothiazide"
    assert set(lisi_hctz.sources) == {"dailymed:lh-1", "file:medtap/lisinopril.json"}
    assert lisi_hctz.sections["indications"].startswith(_COMBO_LISI)
    assert lisi_hctz.ingredient_ids == ("hydrochlorothiazide", "lisinopril")
    # "nabumetone tablets and other treatment options" is no combination: merged into nabumetone as before
    assert "file:medtap/nabumetone.json" in meds["nabumetone"].sources
    # a combination with an ingredient nobody knows is left out, not merged into warfarin
    assert "warfarin" not in meds
    decisions = dict(summary.combination_labels)
    assert len(decisions) == 3
    by_file = {pos.split("/")[-1].split(" ")[0]: d for pos, d in decisions.items()}
    assert by_file["simvastatin.json"].startswith("named 'Ezetimibe and Simvastatin', not 'Simvastatin'")
    assert by_file["lisinopril.json"].startswith("named 'Lisinopril and Hydrochlorothiazide'")
    assert by_file["warfarin.json"].startswith("left out")
    assert "labels named by their file that are combination products: 3" in summary.render()


def test_a_label_with_its_own_names_is_not_renamed(tmp_path: Path) -> None:
    # named inside (generic and brand names): the file name and text do not matter
    (tmp_path / "simvastatin.json").write_text(json.dumps(
        {"drug_name": "simvastatin", "generic_names": ["SIMVASTATIN"], "brand_names": ["Zocor"],
         "sections": {"indications_and_usage": _COMBO_SIMVA}}), encoding="utf-8")
    summary = build_corpus([tmp_path / "simvastatin.json"])
    assert [m.id for m in summary.medicines] == ["simvastatin"] and summary.combination_labels == []
