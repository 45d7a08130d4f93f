"""A brand asked about whose own label the database lacks (read_brand): "my Ozempic pens" answered from the WEGOVY
label of semaglutide says so."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from app.pipeline.read import ExtractiveReader
from app.pipeline.read_brand import asked_brand, brand_notice, label_brand
from app.pipeline.state import Evidence, SearchQuery
from app.pipeline.synonyms import drug_synonyms
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex

_STORAGE = ("Store the WEGOVY prefilled pen in the refrigerator from 2°C to 8°C (36°F to 46°F). After first use, the "
            "WEGOVY pen can be stored for 56 days at room temperature. Keep the WEGOVY pen cap on when not in use.")
_BRANDS = {"ozempic": "semaglutide", "wegovy": "semaglutide", "advil": "ibuprofen"}


def test_the_labels_brand_is_the_alias_it_names_throughout() -> None:
    assert label_brand(["WEGOVY"], _STORAGE) == "WEGOVY"
    assert label_brand(["Advil"], "Take 1 tablet every 4 to 6 hours.") is None


def test_a_brand_of_the_medicine_the_label_never_says_is_asked() -> None:
    names = frozenset({"semaglutide"})
    assert asked_brand("how should I store my Ozempic pens?", _BRANDS.get, names, _STORAGE) == "Ozempic"
    assert asked_brand("how do I store Wegovy?", _BRANDS.get, names, _STORAGE) is None  # the label says it
    assert asked_brand("how much Advil a day?", _BRANDS.get, names, _STORAGE) is None  # another medicine's brand
    assert "WEGOVY's" in brand_notice("Semaglutide", "Ozempic", "WEGOVY", "en")


def test_the_reader_says_which_brands_label_it_quotes() -> None:
    if drug_synonyms().get("ozempic") != "semaglutide":
        pytest.skip("the drug-name dictionary does not map Ozempic to semaglutide")
    chunk = Chunk("semaglutide:storage:0", "semaglutide", "storage", 0, _STORAGE)
    index = cast(SearchIndex, SimpleNamespace(
        version="v1", medicines={"semaglutide": MedicineEntry("semaglutide", "Semaglutide", ("WEGOVY",), "en", "",
                                                               ("storage",))},
        rows_by_medicine={"semaglutide": [0]}, chunks=[chunk], dense=None))
    q = [SearchQuery("semaglutide", "storage", "semaglutide storage pen")]
    result = ExtractiveReader().read_evidence("how should I store my Ozempic pens?", q, [Evidence(chunk, 0.03, 0, 0)],
                                              index=index)
    assert "refrigerator" in result.text
    assert "label is WEGOVY's" in result.notice and "Ozempic" in result.notice
    wegovy = ExtractiveReader().read_evidence("how should I store my Wegovy pens?", q, [Evidence(chunk, 0.03, 0, 0)],
                                              index=index)
    assert "WEGOVY's" not in wegovy.notice
