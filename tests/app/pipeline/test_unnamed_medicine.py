"""A question about one's own medicine that names none, with nothing named before: asked which (issue 17)."""

from __future__ import annotations

import pytest

from app.pipeline.context import build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.unnamed_medicine import ASK_EN, ASK_ZH, own_medicine_unnamed
from indexing.store import MedicineEntry


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([MedicineEntry("metoprolol", "Metoprolol", (), "en", "", ("adverse_reactions",),
                                          routes=("ORAL",))])


@pytest.mark.parametrize(("question", "unnamed"), [
    ("I've been feeling dizzy since I started my new pills", True), ("can I take my medicine with food", True),
    ("新开的药吃了头晕", True), ("my mum's tablets make her sleepy", False),  # whose tablets: not "her tablets"
    ("what can I take for a headache?", False), ("does metoprolol make you dizzy?", False),
])
def test_own_medicine_unnamed(question: str, unnamed: bool) -> None:
    assert own_medicine_unnamed(question) is unnamed


def _distill(lexicon: MedicineLexicon, *turns: str):  # type: ignore[no-untyped-def]
    dialogue = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]
    return RuleDistiller().distill(dialogue, lexicon, build_context(dialogue, lexicon))


def test_asked_which_when_nothing_is_named(lexicon: MedicineLexicon) -> None:
    assert _distill(lexicon, "I've been feeling dizzy since I started my new pills").clarify == ASK_EN
    assert _distill(lexicon, "新开的药吃了头晕").clarify == ASK_ZH


def test_the_reply_is_answered_with_the_question_asked(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "I've been feeling dizzy since I started my new pills", ASK_EN, "metoprolol")
    assert not d.clarify and [q.medicine for q in d.queries] == ["metoprolol"]


def test_a_medicine_named_before_is_what_is_meant(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "I was put on metoprolol last week", "Noted.", "I feel dizzy since starting my new pills")
    assert not d.clarify and [q.medicine for q in d.queries] == ["metoprolol"]
