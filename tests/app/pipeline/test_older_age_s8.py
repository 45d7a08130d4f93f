"""An age of 65 or more ("my 80 year old dad", "Mum's 85") asks about an older patient, not a child."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.context import build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from indexing.store import MedicineEntry


def _child_ages(said: str) -> list[str]:
    context = build_context([Turn("user", said)], MedicineLexicon([]))
    return [c.text for c in context.stated_conditions() if c.kind == "child_age"]


def test_an_adults_age_is_no_childs_age() -> None:
    assert _child_ages("is it safe for my 80 year old dad?") == []
    assert _child_ages("my 80yo mum") == []
    assert _child_ages("my 12 year old son") == ["12"]
    assert _child_ages("she is 18 months old") == ["18"]


@pytest.mark.parametrize("question", [
    "is zolpidem safe for my 80 year old dad? he keeps getting up at night",
    "Mum's 85 and on zolpidem, she's become really unsteady on her feet. Could it be that?",
])
def test_an_older_age_is_a_geriatric_question(question: str) -> None:
    assert classify_attribute(question).attribute is not None
    assert classify_attribute(question).attribute.value == "geriatric"
    lexicon = MedicineLexicon([MedicineEntry("zolpidem", "Zolpidem", (), "en", "", ("geriatric", "pediatric"))])
    out = RuleDistiller().distill([Turn("user", question)], lexicon)
    assert out.audit.get("attribute") == "geriatric"


def test_a_dose_is_no_age() -> None:
    assert classify_attribute("I take 75 mg of it daily").scores.get("geriatric") is None
