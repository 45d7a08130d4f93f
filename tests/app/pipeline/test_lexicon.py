"""Name matching reads past invisible characters (issue 15, finding 11)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RawQuery, RuleDistiller
from app.pipeline.lexicon import MedicineLexicon, normalize_name
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("warfarin", "Warfarin Sodium", "Coumadin", "warfarin"),
        _entry("ibuprofen", "Ibuprofen", "Advil"),
        _entry("naproxen", "Naproxen", "Aleve"),
        _entry("clopidogrel", "Clopidogrel Bisulfate", "Plavix", "clopidogrel"),
    ])


@pytest.mark.parametrize("text", ["ibu\u200bprofen", "IBU\u200dPRO\u2060FEN", "\u202eibuprofen\u202c",
                                  "ｉｂｕｐｒｏｆｅｎ", "ibu\u00adprofen"])
def test_invisible_characters_inside_a_name(lexicon: MedicineLexicon, text: str) -> None:
    assert [m.medicine_id for m in lexicon.find(f"What is the dose of {text}?")] == ["ibuprofen"]
    assert lexicon.resolve(text) == "ibuprofen"
    assert normalize_name(text) == "ibuprofen"


def test_interaction_query_keeps_both_medicines(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill([Turn("user", "Can I take Plavix with war\u200dfarin?")], lexicon)
    assert {q.medicine for q in d.queries} == {"clopidogrel", "warfarin"}
    assert {q.attribute for q in d.queries} == {"interactions"}
    assert all("\u200d" not in q.keywords for q in d.queries)


def test_earlier_turns_are_read_the_same_way(lexicon: MedicineLexicon) -> None:
    dialogue = [Turn("user", "I take war\u200bfarin."), Turn("assistant", "Noted."),
                Turn("user", "Can I take it with Advil?")]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert {q.medicine for q in d.queries} == {"ibuprofen", "warfarin"}


def test_raw_query_drops_invisible_characters() -> None:
    class State:
        question = "dose of ibu\u200bprofen "
        distilled = None

    state = State()
    RawQuery().run(state)  # type: ignore[arg-type]
    assert state.distilled is not None
    assert state.distilled.queries[0].keywords == "dose of ibuprofen"


def test_no_name_starts_at_a_contractions_tail() -> None:
    # levamlodipine is S-amlodipine: "it's amlodipine" once read "s amlodipine"
    lexicon = MedicineLexicon([
        MedicineEntry("amlodipine", "Amlodipine", (), "en", "", ("dosage",)),
        MedicineEntry("levamlodipine", "Levamlodipine", ("S-Amlodipine",), "en", "", ("dosage",)),
    ])
    assert [m.medicine_id for m in lexicon.find("I took it twice, it's amlodipine")] == ["amlodipine"]
    assert [m.medicine_id for m in lexicon.find("it\u2019s amlodipine")] == ["amlodipine"]
    assert [m.medicine_id for m in lexicon.find("is S-amlodipine the same?")] == ["levamlodipine"]


def test_a_brand_dictionary_is_read_once_for_every_lexicon_built_over_it() -> None:
    from app.pipeline.lexicon import _prepared_synonyms

    synonyms = {"Coumadin": "warfarin", "Bactrim DS": "trimethoprim/sulfamethoxazole", "Xarelto": "rivaroxaban",
                "Lipitor": "atorvastatin (calcium)"}
    assert _prepared_synonyms(synonyms) is _prepared_synonyms(synonyms)
    entries = [_entry("warfarin", "Warfarin Sodium"), _entry("smx", "Sulfamethoxazole and Trimethoprim"),
               _entry("atorvastatin", "Atorvastatin")]
    lexicons = [MedicineLexicon(entries, synonyms=synonyms) for _ in range(2)]
    for lexicon in lexicons:
        assert [m.medicine_id for m in lexicon.find("coumadin and bactrim ds and lipitor")] == \
            ["warfarin", "smx", "atorvastatin"]
        assert [(m.surface.casefold(), m.medicine_id) for m in lexicon.find("xarelto")] == [("xarelto", None)]
