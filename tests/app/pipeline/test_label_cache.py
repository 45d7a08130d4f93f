"""The reader's caches give what computing afresh gives: the index's combination names (one list per index
version, replaced with the version), population marks of a sentence, the intent's question embeddings, and the
cleaning's pattern pre-checks (a sentence a pattern can match is never skipped)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.pipeline import read_cues
from app.pipeline.compose import boilerplate, label_sentences, strip_references, table_like
from app.pipeline.intent import EmbeddingCache, IntentClassifier
from app.pipeline.label_cache import combination_names, combined_with
from app.pipeline.read_cues import Condition, age_ranges, children_only, population_fit, population_marks
from indexing.bm25 import BM25Index
from indexing.store import MedicineEntry, SearchIndex


def _entry(mid: str, name: str, aliases: tuple[str, ...] = (), ingredients: tuple[str, ...] = ()) -> MedicineEntry:
    return MedicineEntry(mid, name, aliases, "en", "test", ("dosage",), ingredient_ids=ingredients)


def _index(version: str, *entries: MedicineEntry) -> SearchIndex:
    return SearchIndex(path=Path("."), manifest={"version": version}, chunks=[],
                       medicines={e.id: e for e in entries}, bm25=BM25Index.build([["x"]]), dense=None)


def _scan(index: SearchIndex, mid: str) -> set[str]:
    """The reader's former scan of every medicine's names, for comparison."""
    import re

    own = index.medicines[mid].name.casefold()
    return {n for m in index.medicines.values() if m.id != mid for n in (m.name, *m.aliases)
            if re.search(r"\s(?:and|&)\s|/|,", n, re.I) and (
                mid in m.ingredient_ids or re.search(rf"\b{re.escape(own)}\b", n, re.I))}


AMOXICILLIN = _entry("amoxicillin", "Amoxicillin", ("Amoxil",))
AUGMENTIN = _entry("amoxicillin-and-clavulanate", "Amoxicillin and Clavulanate Potassium", ("Augmentin",),
                   ("amoxicillin", "clavulanate"))
ZESTORETIC = _entry("zestoretic", "Zestoretic", ("lisinopril/HCTZ",))
LISINOPRIL = _entry("lisinopril", "Lisinopril", ("Zestril",))


def test_combination_names_are_found_by_ingredient_and_by_name_word() -> None:
    index = _index("v1", AMOXICILLIN, AUGMENTIN, ZESTORETIC, LISINOPRIL)
    augmentin = {"Amoxicillin and Clavulanate Potassium"}
    assert combined_with(index, "amoxicillin") == augmentin == _scan(index, "amoxicillin")
    assert combined_with(index, "lisinopril") == {"lisinopril/HCTZ"} == _scan(index, "lisinopril")
    assert combined_with(index, "amoxicillin-and-clavulanate") == set() == _scan(index, "amoxicillin-and-clavulanate")


def test_a_new_index_version_replaces_the_combination_list() -> None:
    old = _index("v-old", AMOXICILLIN, LISINOPRIL)
    assert combined_with(old, "amoxicillin") == set()
    assert combination_names(old) == ()
    new = _index("v-new", AMOXICILLIN, AUGMENTIN, LISINOPRIL)
    assert combined_with(new, "amoxicillin") == {"Amoxicillin and Clavulanate Potassium"}
    assert [c.medicine_id for c in combination_names(new)] == ["amoxicillin-and-clavulanate"]
    assert combined_with(old, "amoxicillin") == set()  # the old version, asked again, is listed again


SENTENCES = [
    "Children under 6 years: ask a doctor.",
    "Epilepsy in patients 3 to 12 years of age: the starting dose is 10 to 15 mg/kg/day.",
    "Adults and children 12 years and over: take 2 tablets every 4 hours.",
    "The usual adult dose is 500 mg twice daily.",
    "Pediatric patients weighing less than 40 kg should receive 25 mg/kg/day.",
    "Store at room temperature.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_population_marks_are_what_the_patterns_say(text: str) -> None:
    ranges, paediatric, adult = population_marks(text)
    assert list(ranges) == age_ranges(text)
    assert paediatric == (read_cues._PAEDIATRIC.search(text) is not None or children_only(text))
    assert adult == (read_cues._ADULT.search(text) is not None)


def test_population_fit_is_the_same_from_the_cache() -> None:
    child = Condition("child", frozenset({"child"}), ("pediatric",), ages=(4,))
    for text in SENTENCES:
        first = [population_fit(text, c, a, "dosage") for c in ([], [child]) for a in ("dosage", None)]
        again = [population_fit(text, c, a, "dosage") for c in ([], [child]) for a in ("dosage", None)]
        assert first == again
    assert population_fit(SENTENCES[0], [child], "dosage", "dosage") == 1.5  # 4 is under 6
    assert population_fit(SENTENCES[2], [child], "dosage", "dosage") == -2.0  # 4 is not 12 and over


def test_the_embedding_cache_embeds_a_batch_once_and_stays_bounded() -> None:
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.arange(len(texts) * 3, dtype=np.float32).reshape(len(texts), 3) + len(calls)

    cache = EmbeddingCache(size=2)
    a = cache.get(("how much?", "how"), embed)
    assert np.array_equal(cache.get(("how much?", "how"), embed), a) and len(calls) == 1
    cache.get(("b",), embed)
    cache.get(("c",), embed)  # the least recently used batch goes
    cache.get(("how much?", "how"), embed)
    assert len(calls) == 4
    with pytest.raises(ValueError):
        a[0, 0] = 1.0  # shared between turns: read-only


def test_the_intent_classifier_embeds_a_question_asked_again_once() -> None:
    from app.pipeline.intent import IntentModel
    from indexing.schema import ATTRIBUTES

    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.ones((len(texts), 4), dtype=np.float32)

    classes = ("dosage", "adverse_reactions")
    model = IntentModel(classes, np.zeros((2, 4 + len(ATTRIBUTES)), dtype=np.float32), np.zeros(2, np.float32), "x", {})
    classifier = IntentClassifier(model, embed)
    first = classifier.rank("How much ibuprofen can I take?")
    assert classifier.rank("How much ibuprofen can I take?") == first
    assert len(calls) == 1


@pytest.mark.parametrize("sentence", [
    "To report SUSPECTED ADVERSE REACTIONS, contact the maker.",
    "To report \u017fuspected adverse reactions, contact the maker.",  # long s: IGNORECASE matches it to 's'
    "Call 1-800-FDA-1088 for help.",
    "Call (555) 123-4567 for help.",
    "See the table below.",
    "These are the usual doses for adults.",
])
def test_boilerplate_pre_checks_skip_only_what_cannot_match(sentence: str) -> None:
    from app.pipeline import compose

    expected = bool(compose._BOILERPLATE.search(sentence)) or (
        bool(compose._PHONE.search(sentence)) and not compose._EMERGENCY.search(sentence))
    assert boilerplate(sentence) == expected
    assert expected == ("usual doses" not in sentence)


def test_cleaning_is_unchanged_on_label_shapes() -> None:
    assert strip_references("Take with food ( 2.1 ) [see Warnings and Precautions (5.2)].") == "Take with food."
    numbered = "2.3 Pediatric Patients The dose is 5 mg (Table 2)."
    assert strip_references(numbered) == "Pediatric Patients The dose is 5 mg."
    assert strip_references("Hypotension.. may occur") == "Hypotension. may occur"
    text = "Do not use if you have • asthma • kidney disease. Take 1 tablet daily with water and food."
    assert label_sentences(text) == ((0, "Do not use if you have: asthma; kidney disease."),
                                     (1, "Take 1 tablet daily with water and food."))
    table = ("Refrigerated Room Temperature 28 days Refrigerated Room Temperature 28 days Not In-Use Refrigerated "
             "Room Temperature")
    assert table_like(table)
    assert not table_like("Take one tablet by mouth every day with a full glass of water and some food please now.")
