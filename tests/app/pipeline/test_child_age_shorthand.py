"""A child's age written the short way ("my 5yo", "a 3 y/o") is a child's age to the context and the reader."""

from __future__ import annotations

import pytest

from app.pipeline.context import build_context
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_cues import conditions_in
from app.pipeline.read_population import child_asked
from app.pipeline.state import Turn


@pytest.mark.parametrize(("said", "age"), [
    ("whats the azithromycin dose for my 5yo? she's 18kg", 5),
    ("how much tylenol for a 3 y/o", 3),
    ("how much tylenol for my 3 year old", 3),
])
def test_a_short_written_age_is_a_child_to_the_reader(said: str, age: int) -> None:
    conditions = conditions_in(said)
    child = child_asked(said, conditions)
    assert child is not None and child.age == age


def test_a_short_written_age_is_a_childs_age_in_the_context() -> None:
    def ages(said: str) -> list[str]:
        context = build_context([Turn("user", said)], MedicineLexicon([]))
        return [c.text for c in context.stated_conditions() if c.kind == "child_age"]

    assert ages("my 5yo has a chest infection") == ["5"]
    assert ages("I take 5 mg a day") == []
