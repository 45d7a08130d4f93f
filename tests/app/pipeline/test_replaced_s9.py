"""A medicine the user was taken off or not given, in favour of another (development set
eval/data/consult_dev_wrongmed_s9.jsonl, session 9): it is neither what "it" asks about nor a partner."""

from __future__ import annotations

import pytest

from app.pipeline.context import build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.replaced import NOT_GIVEN, instead_status
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([_entry(m, m.title()) for m in (
        "glipizide", "glimepiride", "amoxicillin", "doxycycline", "diazepam", "hydroxyzine", "tramadol", "naproxen",
        "lisinopril", "sertraline", "venlafaxine", "azithromycin", "warfarin", "aspirin")])


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


def _asked(lexicon: MedicineLexicon, *turns: str) -> list[str | None]:
    return [q.medicine for q in RuleDistiller().distill(_dialogue(*turns), lexicon).queries]


def _statuses(lexicon: MedicineLexicon, text: str) -> dict[str | None, str]:
    return {m.medicine_id: m.status.value for m in build_context(_dialogue(text), lexicon).medicines}


def test_not_given_words() -> None:
    for said in ("They took me off glipizide", "the GP wouldn't prescribe it", "she didn't give me amoxicillin",
                 "my doctor said no to tramadol", "he refused to prescribe diazepam"):
        assert NOT_GIVEN.search(said), said
    for said in ("I take glipizide", "she gave me amoxicillin", "took it off the shelf"):
        assert not NOT_GIVEN.search(said), said


def test_instead_says_which_was_given() -> None:
    names = ["diazepam", "hydroxyzine"]
    clause = "I asked for diazepam but the GP wouldn't prescribe it, gave me hydroxyzine instead."
    assert instead_status(clause, "diazepam", names) == "left"
    assert instead_status(clause, "hydroxyzine", names) == "given"
    assert instead_status("I was given hydroxyzine instead of diazepam.", "diazepam", names) == "left"
    assert instead_status("I was given hydroxyzine instead of diazepam.", "hydroxyzine", names) == "given"
    assert instead_status("I take diazepam and hydroxyzine.", "diazepam", names) is None


def test_taken_off_or_not_given_is_not_taken(lexicon: MedicineLexicon) -> None:
    # before: glipizide was current, amoxicillin and diazepam new, each like the one given
    assert _statuses(lexicon, "They took me off glipizide and put me on glimepiride.") == {
        "glipizide": "stopped", "glimepiride": "new"}
    assert _statuses(lexicon, "The doctor didn't give me amoxicillin this time, she prescribed doxycycline instead.") \
        == {"amoxicillin": "stopped", "doxycycline": "new"}
    assert _statuses(lexicon, "I asked for diazepam for my flight but the GP wouldn't prescribe it, gave me "
                              "hydroxyzine instead.") == {"diazepam": "stopped", "hydroxyzine": "new"}


def test_the_one_not_given_is_not_what_it_asks_about(lexicon: MedicineLexicon) -> None:
    # before: both were asked, the one left first (its label answered)
    assert _asked(lexicon, "They took me off glipizide and put me on glimepiride. Does it cause low blood sugar?"
                  ) == ["glimepiride"]
    assert _asked(lexicon, "The doctor didn't give me amoxicillin this time, she prescribed doxycycline instead. "
                           "Do I take it with food?") == ["doxycycline"]
    assert _asked(lexicon, "I asked for diazepam for my flight but the GP wouldn't prescribe it, gave me hydroxyzine "
                           "instead. how long before the flight should I take it?") == ["hydroxyzine"]
    # a comparison asked keeps both
    assert _asked(lexicon, "They took me off glipizide and put me on glimepiride. Is it safer than the old one?"
                  ) == ["glipizide", "glimepiride"]


def test_the_one_not_given_is_no_partner(lexicon: MedicineLexicon) -> None:
    # before: tramadol was asked with the two, its label quoted first
    assert _asked(lexicon, "GP said no to tramadol, so I'm on naproxen only. Can I take it with my lisinopril?"
                  ) == ["naproxen", "lisinopril"]
    # the asking sentence names none itself: a wash-out may be what is asked, all stay
    assert _asked(lexicon, "I stopped sertraline and started venlafaxine. Do they interact?") == [
        "sertraline", "venlafaxine"]


def _owners(lexicon: MedicineLexicon, text: str) -> dict[str | None, str]:
    return {m.medicine_id: m.owner.value for m in build_context(_dialogue(text), lexicon).medicines}


def test_the_clinicians_he_or_she_is_no_relative(lexicon: MedicineLexicon) -> None:
    # before: "she" made the medicines a relative's
    assert _owners(lexicon, "The doctor didn't give me amoxicillin this time, she prescribed doxycycline instead.") \
        == {"amoxicillin": "user", "doxycycline": "user"}
    assert _owners(lexicon, "My doctor put me on warfarin and she said to avoid aspirin.") == {
        "warfarin": "user", "aspirin": "user"}
    # a relative named with the clinician keeps the pronoun (the son's)
    assert _owners(lexicon, "My son saw the GP. He was given amoxicillin.") == {"amoxicillin": "relative"}
    assert _owners(lexicon, "My daughter's doctor gave her amoxicillin.") == {"amoxicillin": "relative"}


def test_instead_across_the_clauses_of_a_sentence(lexicon: MedicineLexicon) -> None:
    text = "I was prescribed amoxicillin but my GP changed her mind and gave me azithromycin instead."
    assert _statuses(lexicon, text) == {"amoxicillin": "stopped", "azithromycin": "new"}  # before: both new
    # before: amoxicillin's label was read for alcohol, the relative's azithromycin left out
    assert _asked(lexicon, f"{text} Can I drink alcohol on it?") == ["azithromycin", "alcohol"]
    assert _asked(lexicon, f"{text} Can I take it with doxycycline?") == ["azithromycin", "doxycycline"]
    # a question saying "instead" says nothing of what is taken
    assert _statuses(lexicon, "Can I take naproxen instead of tramadol?") == {"naproxen": "asked", "tramadol": "asked"}
