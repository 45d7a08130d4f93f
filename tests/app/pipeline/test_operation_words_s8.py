"""An operation named beside a medicine ("a hernia op on Monday") is no misspelt or missing drug name."""

from __future__ import annotations

from app.pipeline.lexicon import MedicineLexicon
from indexing.store import MedicineEntry


def test_an_operation_word_is_no_drug_name() -> None:
    entries = [MedicineEntry("empagliflozin", "Empagliflozin", (), "en", "", ("warnings",)),
               MedicineEntry("neratinib", "Neratinib", ("Hernix",), "en", "", ("warnings",))]
    lexicon = MedicineLexicon(entries, is_known_word=lambda w: w not in {"hernia", "hernix", "empagliflozin",
                                                                         "neratinib"})
    found = lexicon.find("Having a hernia op on Monday - do I need to stop my empagliflozin beforehand?")
    assert [(m.surface, m.medicine_id) for m in found] == [("empagliflozin", "empagliflozin")]
