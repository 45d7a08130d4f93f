"""A question's cue scores (app.pipeline.attributes) from the cache are those computed afresh, whatever a
caller does with its copy; the threshold is applied per call, not cached."""

from __future__ import annotations

import pytest

from app.pipeline import attributes
from app.pipeline.attributes import classify_attribute


@pytest.mark.parametrize("question", [
    "im alergic to penicilin, can I take amoxicillin?",  # the misspelt allergy word is the cue
    "Is it safe while pregnant and how much should I take?",
    "what happens if I take too much",
    "我怀孕了可以吃吗",
    "hello",
])
def test_cue_scores_from_the_cache_are_those_computed_afresh(question: str) -> None:
    attributes._cue_scores.cache_clear()
    fresh = classify_attribute(question)
    fresh.scores["interactions"] = 99.0  # a caller changing its copy changes nothing cached
    cached = classify_attribute(question)
    assert cached.scores.get("interactions") != 99.0
    assert attributes._cue_scores.cache_info().hits == 1
    attributes._cue_scores.cache_clear()
    again = classify_attribute(question)
    assert cached == again and list(cached.scores) == list(again.scores)  # the same order: ties break by it


def test_the_threshold_applies_to_cached_scores() -> None:
    attributes._cue_scores.cache_clear()
    question = "can I take it while pregnant"
    assert classify_attribute(question).attribute is not None
    assert classify_attribute(question, min_score=100.0).attribute is None
    assert classify_attribute(question, min_score=100.0).scores == classify_attribute(question).scores


def test_the_allergy_cue_comes_through_the_cache() -> None:
    attributes._cue_scores.cache_clear()
    for _ in range(2):
        guess = classify_attribute("im alergic to sulfa, what can I use")
        assert guess.attribute is not None and guess.attribute.value == "contraindications"
