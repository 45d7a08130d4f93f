"""RxNorm product codes -> the database's medicines through ingredients (issue 21), with a hand-made RRF subset
(tests/fixtures/rxnorm: warfarin, metformin, ibuprofen, acetaminophen + ibuprofen, lisinopril)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.records.fhir import read_fhir
from app.records.provider import list_entries
from app.records.rxnorm import MedicineMapper, RxNorm
from indexing.store import MedicineEntry
from tests.app.records.conftest import FIXTURES

RRF = FIXTURES / "rxnorm"


def medicine(mid: str, name: str, rxcuis: tuple[str, ...] = (), aliases: tuple[str, ...] = ()) -> MedicineEntry:
    return MedicineEntry(mid, name, aliases, "en", "test", ("indications",), rxcuis=rxcuis)


MEDICINES = [
    medicine("warfarin", "Warfarin Sodium", ("855318",), ("Coumadin",)),  # the label lists the 1 MG tablet only
    medicine("metformin", "Metformin Hydrochloride", ("860975",)),
    medicine("ibuprofen", "Ibuprofen", ("197806",), ("Advil",)),
    medicine("acetaminophen", "Acetaminophen", (), ("Tylenol",)),  # no RxCUIs on its label
    medicine("sertraline", "Sertraline", ()),
]


@pytest.fixture(scope="module")
def rxnorm() -> RxNorm:
    return RxNorm.load(RRF)


def test_ingredients_follow_the_relations_towards_ingredients_only(rxnorm: RxNorm) -> None:
    assert rxnorm.ingredients("855332") == {"11289"}  # SCD -> SCDC -> IN (and PIN -> IN); not its dose form
    assert rxnorm.ingredients("855334") == {"11289"}  # SBD -> SCD, and SBD -> BN -> IN
    assert rxnorm.ingredients("999001") == {"11289"}  # a pack contains the SCD
    assert rxnorm.ingredients("1003") == {"161", "5640"}  # a combination: both ingredients
    assert rxnorm.ingredients("11289") == {"11289"}
    assert rxnorm.ingredients("424242") == frozenset()  # unknown code
    # names: the RXNORM source's preferred term; another source's rows and suppressed atoms are not read
    assert rxnorm.name("855332") == "warfarin sodium 5 MG Oral Tablet"
    assert rxnorm.name("1003") == "acetaminophen 250 MG / ibuprofen 125 MG Oral Tablet"
    assert "5640" not in rxnorm.edges.get("855332", set())  # the MTHSPL relation is ignored


def test_a_product_code_maps_to_the_medicine_through_its_ingredient(rxnorm: RxNorm) -> None:
    mapper = MedicineMapper(MEDICINES, rxnorm)
    assert mapper.map("860975").medicine_ids == ("metformin",) and mapper.map("860975").how == "rxcui"
    for code in ("855332", "855334", "999001"):  # another strength, a brand, a pack: none on the label
        got = mapper.map(code)
        assert (got.medicine_ids, got.how, got.ingredients) == (("warfarin",), "ingredient", ("warfarin",)), code
    combo = mapper.map("1003")
    # no medicine has both ingredients: ibuprofen by its label's RxCUIs, acetaminophen by its ingredient's name
    assert combo.how == "ingredient" and combo.medicine_ids == ("acetaminophen", "ibuprofen")


def test_without_a_release_or_a_known_code_names_are_matched() -> None:
    mapper = MedicineMapper(MEDICINES)
    assert mapper.map("860975").how == "rxcui"  # a label's own code needs no release
    got = mapper.map("855332", "Warfarin Sodium 5 MG Oral Tablet")
    assert (got.medicine_ids, got.how) == (("warfarin",), "name")
    assert mapper.map("312938", "Sertraline 50 MG Oral Tablet").medicine_ids == ("sertraline",)
    assert mapper.map(None, "Coumadin 5 MG").medicine_ids == ("warfarin",)  # an alias
    assert mapper.map("855332").how == "none"  # a code alone, no release: nothing to go on
    assert mapper.map(None, "Zebrafinib 10 MG").medicine_ids == ()
    # the caller's matcher (the lexicon's) replaces the built-in one
    lexicon = MedicineMapper(MEDICINES, by_name=lambda text: ["ibuprofen"] if "ibu" in text.casefold() else [])
    assert lexicon.map(None, "IBU 400").medicine_ids == ("ibuprofen",)


def test_a_combinations_ingredient_alias_does_not_claim_a_single_ingredient_product() -> None:
    combos = [*MEDICINES,
              medicine("lisinopril", "Lisinopril"),
              medicine("lisinopril-hctz", "Lisinopril and Hydrochlorothiazide", (),
                       ("Hydrochlorothiazide", "Lisinopril")),
              medicine("metformin-sita", "Sitagliptin and Metformin Hydrochloride", (), ("Janumet", "Metformin")),
              medicine("codeine", "Codeine Sulfate", (), ("Codeine",))]
    mapper = MedicineMapper(combos)
    assert mapper.map(None, "lisinopril 10 MG Oral Tablet").medicine_ids == ("lisinopril",)
    assert mapper.map(None, "24 HR Metformin hydrochloride 500 MG").medicine_ids == ("metformin",)
    # named by the combination's own name, or by an alias no other medicine's name holds: kept
    assert mapper.map(None, "Lisinopril and Hydrochlorothiazide 20/12.5").medicine_ids == ("lisinopril-hctz",)
    assert mapper.map(None, "Janumet 50/500").medicine_ids == ("metformin-sita",)
    assert mapper.map(None, "Acetaminophen 300 MG / Codeine Phosphate 15 MG").medicine_ids == (
        "acetaminophen", "codeine")


def test_a_release_names_a_code_the_mapper_cannot_place_by_ingredient(rxnorm: RxNorm) -> None:
    mapper = MedicineMapper(MEDICINES, rxnorm)
    assert mapper.map("314076").medicine_ids == ()  # lisinopril: not in this database
    with_lisinopril = MedicineMapper([*MEDICINES, medicine("lisinopril", "Lisinopril")], rxnorm)
    got = with_lisinopril.map("314076")
    assert (got.medicine_ids, got.how) == (("lisinopril",), "ingredient")


def test_a_fhir_medication_coded_only_by_rxnorm_is_named_from_the_release(rxnorm: RxNorm) -> None:
    got = read_fhir(FIXTURES / "fhir" / "carol_bundle.json", rxnorm_names=rxnorm.name)
    meds = list_entries(next(r.text for r in got.records if r.kind == "medication_list"))
    assert "lisinopril 10 MG Oral Tablet (since 2022-01-10)" in meds


def test_without_conso_the_walk_ends_at_the_last_concept(tmp_path: Path) -> None:
    (tmp_path / "RXNREL.RRF").write_text((RRF / "RXNREL.RRF").read_text(encoding="utf-8"), encoding="utf-8")
    bare = RxNorm.load(tmp_path)
    assert not bare.names
    assert bare.ingredients("855332") == {"11289"}
    with pytest.raises(FileNotFoundError):
        RxNorm.load(tmp_path / "nowhere")
