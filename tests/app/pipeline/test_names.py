"""Names (issue 17): brands through the dictionary's canonical names and the maintained brand list,
misspelt multi-word names, near-misses of brands as "did you mean", ordinary words, product kinds the
database lacks, questions that name no medicine."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.synonyms import BRANDS, CANONICAL_EQUIVALENTS, drug_synonyms
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


ENTRIES = [
    _entry("levothyroxine", "Levothyroxine", "Levothyroxine Sodium"),
    _entry("amoxicillin-and-clavulanate-potassium", "Amoxicillin and Clavulanate Potassium", "Amoxicillin"),
    _entry("amoxicillin", "Amoxicillin"),
    _entry("insulin", "Insulin"),
    _entry("insulin-glargine", "Insulin Glargine", "BASAGLAR KwikPen"),
    _entry("insulin-aspart", "Insulin Aspart", "NovoLog Mix 70/30"),
    _entry("diclofenac-sodium", "Diclofenac Sodium", "Diclofenac", "Zorvolex"),
    _entry("atorvastatin", "Atorvastatin"),
    _entry("ergocalciferol", "Ergocalciferol", "Vitamin D"),
    _entry("digoxin", "Digoxin"),
]


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    # Few words are "known to the labels" here, so only the ordinary-word list keeps words like "coffee"
    # from being reported as brand names the database lacks.
    label_words = {"antibiotics", "cough", "headache", "heartburn", "side", "effects"}
    return MedicineLexicon(ENTRIES, synonyms={**BRANDS, "synthroid": CANONICAL_EQUIVALENTS["thyroxine"]},
                           is_known_word=lambda word: word in label_words)


def _ask(lexicon: MedicineLexicon, *turns: str) -> tuple[list[tuple[str | None, str | None]], list[str]]:
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    d = RuleDistiller().distill(dialogue, lexicon)
    return [(q.medicine, q.attribute) for q in d.queries], d.unknown_drugs


def test_brand_whose_canonical_name_the_labels_do_not_use() -> None:
    lex = MedicineLexicon(ENTRIES, synonyms={"synthroid": "thyroxine"})
    assert lex.resolve("Synthroid") is None  # the dictionary says thyroxine; the label says levothyroxine
    synonyms = drug_synonyms()
    if "synthroid" not in synonyms:
        pytest.skip("the brand dictionary package is not installed")
    assert synonyms["synthroid"] == "levothyroxine"
    assert MedicineLexicon(ENTRIES, synonyms=synonyms).resolve("Synthroid") == "levothyroxine"


def test_maintained_brands(lexicon: MedicineLexicon) -> None:
    assert "augmentin" in drug_synonyms()  # with or without the dictionary package
    queries, unknown = _ask(lexicon, "I'm allergic to penicillin. Can I take Augmentin?")
    assert queries == [("amoxicillin-and-clavulanate-potassium", "contraindications")]
    # The allergen is what the person reacts to, not a medicine asked about: no "not in the database" for it
    assert unknown == []
    queries, _ = _ask(lexicon, "I take Synthroid.", "Okay.", "Should I take it on an empty stomach?")
    assert queries == [("levothyroxine", "dosage")]


def test_misspelt_last_word_of_a_longer_name(lexicon: MedicineLexicon) -> None:
    assert [m.medicine_id for m in lexicon.find("how do I inject insulin glargin")] == ["insulin-glargine"]
    assert [m.medicine_id for m in lexicon.find("insulin dose")] == ["insulin"]


def test_misspelt_generic_name_resolves(lexicon: MedicineLexicon) -> None:
    assert [m.medicine_id for m in lexicon.find("side efects of atorvastatine")] == ["atorvastatin"]


def test_near_miss_of_a_brand_is_not_answered_as_that_drug(lexicon: MedicineLexicon) -> None:
    queries, unknown = _ask(lexicon, "My doctor mentioned Zorvalex. What are the side effects?")
    assert queries == []
    assert unknown == ["Zorvalex (did you mean Zorvolex (Diclofenac Sodium)?)"]
    assert lexicon.resolve("Zorvolex") == "diclofenac-sodium"


@pytest.mark.parametrize("question", [
    "Can grandma take anything with coffee on Sundays?",
    "My husband takes something for his mornings.",
])
def test_ordinary_words_are_not_missing_medicines(lexicon: MedicineLexicon, question: str) -> None:
    assert lexicon.find(question) == []


def test_ordinary_words_do_not_hide_a_real_name(lexicon: MedicineLexicon) -> None:
    queries, unknown = _ask(lexicon, "My grandma takes digoxin. Can she have anything for a cough?")
    assert [q[0] for q in queries] == ["digoxin"] and unknown == []


@pytest.mark.parametrize(("question", "product"), [
    ("Is it okay to get the flu shot while on antibiotics?", "flu shot"),
    ("How much vitamin b12 should an older adult take?", "vitamin b12"),
    ("Can I get the shingles vaccine this week?", "shingles vaccine"),
    ("Are probiotics fine with amoxicillin?", "probiotics"),
])
def test_products_the_database_lacks(lexicon: MedicineLexicon, question: str, product: str) -> None:
    found = lexicon.find(question)
    assert (product, None) in [(m.surface, m.medicine_id) for m in found]


def test_a_product_kind_the_database_holds_resolves(lexicon: MedicineLexicon) -> None:
    assert [m.medicine_id for m in lexicon.find("how much vitamin d a day")] == ["ergocalciferol"]


def test_absent_product_gets_no_evidence_about_another_drug(lexicon: MedicineLexicon) -> None:
    queries, unknown = _ask(lexicon, "Is it okay to get the flu shot while on antibiotics?")
    assert queries == [] and unknown == ["flu shot"]


def test_no_medicine_named_searches_nothing(lexicon: MedicineLexicon) -> None:
    assert _ask(lexicon, "I've had a headache for three days, what should I do?") == ([], [])


def test_asking_which_medicines_searches_the_database(lexicon: MedicineLexicon) -> None:
    queries, _ = _ask(lexicon, "What can I take for heartburn?")
    assert [q[0] for q in queries] == [None]


def test_generic_name_before_a_brand_as_close() -> None:
    lex = MedicineLexicon([_entry("amoxicillin", "Amoxicillin"), _entry("amox-es", "Amox ES", "Amoxicilina")])
    assert [(m.medicine_id, m.how) for m in lex.find("can i take amoxicilin")] == [("amoxicillin", "fuzzy")]
