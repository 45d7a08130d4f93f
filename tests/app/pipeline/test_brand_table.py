"""Refusals of answerable questions (issue 17): brands the dictionary lacks (corpora/names/brands.tsv), a
dictionary's generic written otherwise than the label's ("trimethoprim/sulfamethoxazole", "insulin aspart
(rdna origin)"), slips of the keys in a brand ("singular" for Singulair), one name typed as two words
("level iracetam"), and a misspelt supplement that must stay a supplement ("calciun"). Questions written
by hand in the ways people type them; none resolves an ordinary word to a medicine."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.pipeline.lexicon import MedicineLexicon, ingredient_names, typing_slip
from app.pipeline.synonyms import BrandTableError, drug_synonyms, load_brand_table
from indexing.store import MedicineEntry

_TABLE = Path(__file__).resolve().parents[3] / "corpora" / "names" / "brands.tsv"


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "adverse_reactions"))


ENTRIES = [
    _entry("phenytoin-sodium", "Phenytoin Sodium", "Extended Phenytoin Sodium"),
    _entry("dimenhydrinate", "Dimenhydrinate"),
    _entry("montelukast", "Montelukast", "Montelukast Sodium"),
    _entry("levetiracetam", "Levetiracetam"),
    _entry("sulfamethoxazole-and-trimethoprim", "Sulfamethoxazole and Trimethoprim", "Trimethoprim"),
    _entry("hydrocodone-bitartrate-and-acetaminophen", "Hydrocodone Bitartrate and Acetaminophen", "Hydrocodone"),
    _entry("acetaminophen", "Acetaminophen"),
    _entry("insulin-aspart", "Insulin Aspart"),
    _entry("calcium-gluconate", "Calcium Gluconate", "Calcium"),
    _entry("alendronate-sodium", "Alendronate Sodium"),
    _entry("diclofenac-sodium", "Diclofenac Sodium", "Zorvolex"),
    _entry("warfarin", "Warfarin", "Coumadin"),
]
# What the dictionary says of these words (a few of its real entries), with the maintained table on top.
DICTIONARY = {
    "singulair": "montelukast",
    "bactrim": "trimethoprim/sulfamethoxazole",
    "novolog": "insulin aspart (rdna origin)",
    "dilantin": "phenytoin sodium",
    "gravol": "dimenhydrinate",
    "vicodin": "hydrocodone bitartrate and acetaminophen",
    "nicoderm": "nicotine patch",
}
LABEL_WORDS = {"level", "normal", "blood", "dose", "side", "effects", "counter", "together", "safe"}


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon(ENTRIES, synonyms=DICTIONARY, is_known_word=lambda w: w in LABEL_WORDS,
                           products=["calcium", "prevagen"])


def _found(lexicon: MedicineLexicon, text: str) -> list[tuple[str, str | None, str]]:
    return [(m.surface, m.medicine_id, m.how) for m in lexicon.find(text)]


@pytest.mark.parametrize(("text", "medicine"), [
    ("Is Dilantin safe to take with my birth control?", "phenytoin-sodium"),
    ("how many gravol can a grown up take in a day", "dimenhydrinate"),
    ("my mom is on vicodin after surgery, can she have a glass of wine", "hydrocodone-bitartrate-and-acetaminophen"),
    ("bactrim ds twice a day how long", "sulfamethoxazole-and-trimethoprim"),
    ("Novolog before meals - how much?", "insulin-aspart"),
])
def test_brand_through_the_label_name(lexicon: MedicineLexicon, text: str, medicine: str) -> None:
    assert [m.medicine_id for m in lexicon.find(text) if m.medicine_id] == [medicine]


def test_combination_found_by_its_ingredients_in_any_order() -> None:
    assert ingredient_names("trimethoprim/sulfamethoxazole") == ingredient_names("Sulfamethoxazole and Trimethoprim")
    assert ingredient_names("Butalbital, Acetaminophen, and Caffeine") == {"butalbital", "acetaminophen", "caffeine"}
    assert ingredient_names("hydrocodone bitartrate + acetaminophen") == {"hydrocodone", "acetaminophen"}
    # a combination the database lacks is not one of its ingredients
    lex = MedicineLexicon(ENTRIES, synonyms={"jalyn": "dutasteride/tamsulosin"})
    assert [(m.surface, m.medicine_id) for m in lex.find("jalyn 0.5/0.4 capsules?")] == [("jalyn", None)]


def test_a_patch_is_not_the_gum(lexicon: MedicineLexicon) -> None:
    # the dictionary's generic names a dose form the database has no label of: a product it lacks
    assert _found(lexicon, "side effects of nicoderm?") == [("nicoderm", None, "unknown")]


@pytest.mark.parametrize(("text", "medicine"), [
    ("what is medication for singular 10 mg", "montelukast"),
    ("can kids take singuliar", "montelukast"),  # two letters swapped
    ("singulairr for asthma", "montelukast"),  # a letter doubled
])
def test_slip_of_the_keys_in_a_brand(lexicon: MedicineLexicon, text: str, medicine: str) -> None:
    assert [m.medicine_id for m in lexicon.find(text)] == [medicine]


def test_a_changed_letter_in_a_brand_stays_a_question(lexicon: MedicineLexicon) -> None:
    (match,) = lexicon.find("is zorvalex an nsaid")
    assert (match.medicine_id, match.how) == (None, "uncertain")
    assert match.suggestion is not None and "Zorvolex" in match.suggestion


def test_typing_slip() -> None:
    assert typing_slip("singular", "singulair")  # left out
    assert typing_slip("seroqeul", "seroquel")  # swapped
    assert typing_slip("zoloftt", "zoloft")  # doubled
    assert not typing_slip("zorvalex", "zorvolex")  # changed
    assert not typing_slip("lasx", "lasix")  # too short to tell
    assert not typing_slip("singulair", "singulair")


@pytest.mark.parametrize(("text", "surface", "medicine"), [
    ("why did my doctor give me level iracetam", "level iracetam", "levetiracetam"),
    ("how long does levetir acetam take to work", "levetir acetam", "levetiracetam"),
])
def test_one_name_typed_as_two_words(lexicon: MedicineLexicon, text: str, surface: str, medicine: str) -> None:
    assert _found(lexicon, text) == [(surface, medicine, "fuzzy")]


@pytest.mark.parametrize("text", [
    "my blood level is low, should I worry",
    "what does a normal level look like on the report",
    "after the surgery I feel weak",
])
def test_ordinary_word_pairs_are_not_joined(lexicon: MedicineLexicon, text: str) -> None:
    assert [m for m in lexicon.find(text) if m.medicine_id] == []


def test_misspelt_supplement_stays_a_supplement(lexicon: MedicineLexicon) -> None:
    # "calcium" is also an alias of a calcium gluconate injection; "calciun" is the supplement, misspelt
    assert _found(lexicon, "do i take over the counter calciun with alendronate?") == [
        ("calciun", None, "unknown"), ("alendronate", "alendronate-sodium", "exact")]


def test_shipped_table_is_well_formed_and_wins() -> None:
    table = load_brand_table(_TABLE)
    assert table["gravol"] == "dimenhydrinate"
    assert table["generics"] is None  # a dictionary entry dropped: an ordinary word, not a brand
    synonyms = drug_synonyms()
    assert synonyms["dilantin"] == "phenytoin sodium" and "generics" not in synonyms


def test_bad_table_lines_say_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "brands.tsv"
    path.write_text("# comment\nGravol\tdimenhydrinate\nDilantin phenytoin\n", encoding="utf-8")
    with pytest.raises(BrandTableError, match=r"brands.tsv:3"):
        load_brand_table(path)
    path.write_text("Gravol\tdimenhydrinate\ngravol\tmeclizine\n", encoding="utf-8")
    with pytest.raises(BrandTableError, match=r"brands.tsv:2: brand 'gravol' is listed twice"):
        load_brand_table(path)
    assert load_brand_table(tmp_path / "absent.tsv") == {}
