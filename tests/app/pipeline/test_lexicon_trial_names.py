"""Names from a new-user trial: a product's kind said beside it, British names of US medicines, clinician
shorthand and words of a hospital stay that are no misspelt drug."""

from __future__ import annotations

import pytest

from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.synonyms import drug_synonyms
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "storage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("insulin-glargine", "Insulin Glargine", "Lantus"),
        _entry("insulin", "Insulin"),
        _entry("metformin", "Metformin Hydrochloride", "metformin"),
        _entry("sitagliptin-and-metformin", "Sitagliptin and Metformin Hydrochloride", "Janumet"),
        _entry("chlorpheniramine-maleate", "Chlorpheniramine Maleate"),
        _entry("gentamicin-sulfate", "Gentamicin Sulfate"),
        _entry("clopidogrel", "Clopidogrel Bisulfate", "Plavix", "clopidogrel"),
        _entry("sunitinib", "Sunitinib Malate", "Sutent"),
        _entry("alendronate-sodium", "Alendronate Sodium"),
    ], synonyms=drug_synonyms())


def _ids(lexicon: MedicineLexicon, text: str) -> list[str | None]:
    return [m.medicine_id for m in lexicon.find(text)]


def test_a_kind_said_beside_a_product_is_not_a_second_medicine(lexicon: MedicineLexicon) -> None:
    assert _ids(lexicon, "How should I store my Lantus insulin pens once opened?") == ["insulin-glargine"]
    assert _ids(lexicon, "my insulin Lantus") == ["insulin-glargine"]
    # Apart, both are asked about.
    assert _ids(lexicon, "Janumet and metformin, which is better?") == ["sitagliptin-and-metformin", "metformin"]
    assert _ids(lexicon, "Is insulin safe with Lantus?") == ["insulin", "insulin-glargine"]


def test_british_names_reach_the_us_labels(lexicon: MedicineLexicon) -> None:
    synonyms = drug_synonyms()
    assert synonyms["chlorphenamine"] == "chlorpheniramine"
    assert synonyms["aciclovir"] == "acyclovir"
    assert _ids(lexicon, "chlorphenamine for hives") == ["chlorpheniramine-maleate"]
    # the INN's acid, the US label's salt
    assert _ids(lexicon, "Weekly alendronic acid 70mg on Sundays") == ["alendronate-sodium"]


def test_clinician_shorthand_and_hospital_words(lexicon: MedicineLexicon) -> None:
    assert _ids(lexicon, "gent dosing in ESRD pt on HD?") == ["gentamicin-sulfate"]
    assert _ids(lexicon, "Started on clopidogrel after my stent") == ["clopidogrel"]


def test_a_salt_only_a_combination_names_is_the_single_ingredient_product_given_the_same_way() -> None:
    def entry(mid: str, name: str, *routes: str) -> MedicineEntry:
        return MedicineEntry(mid, name, (), "en", "", ("dosage",), routes=routes)

    lexicon = MedicineLexicon([
        entry("codeine-sulfate", "Codeine Sulfate", "ORAL"),
        entry("acetaminophen-and-codeine-phosphate", "Acetaminophen and Codeine Phosphate", "ORAL"),
        entry("betamethasone-dipropionate", "Betamethasone Dipropionate", "TOPICAL"),
        entry("betamethasone-acetate-and-betamethasone-sodium-phosphate",
              "Betamethasone Acetate and Betamethasone Sodium Phosphate", "INTRAMUSCULAR"),
    ])
    assert _ids(lexicon, "sent home with codeine phosphate 30mg") == ["codeine-sulfate"]
    assert _ids(lexicon, "acetaminophen and codeine phosphate") == ["acetaminophen-and-codeine-phosphate"]
    # the injection's salt is not the cream's
    assert _ids(lexicon, "betamethasone sodium phosphate shot") == [
        "betamethasone-acetate-and-betamethasone-sodium-phosphate"]
