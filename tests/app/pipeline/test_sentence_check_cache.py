"""The reader's per-sentence checks (read_cues: noise_penalty, fragment, animal_penalty, key_sentence) are pure
functions of their arguments, cached (issue 18): the same sentence is computed once and gives what the function
computes, a different sentence is computed again, and reading a label ahead (label_prefetch) fills the entries
the reader then looks up with the arguments it passes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.pipeline.label_prefetch import LabelPrefetcher, chunk_sentences, label_chunks, sentence_checks
from app.pipeline.read_cues import animal_penalty, fragment, key_sentence, noise_penalty
from indexing.bm25 import BM25Index
from indexing.schema import Chunk
from indexing.store import MedicineEntry, SearchIndex
from indexing.text import tokenize

_fresh = itertools.count()


def _new(text: str) -> str:
    """A sentence no earlier test of this process has checked (a number the cache has not seen)."""
    return text.replace("#", str(10_000 + next(_fresh)))


CHECKS: list[tuple[str, Callable[..., Any], tuple[Any, ...], tuple[Any, ...]]] = [
    # name, check, its arguments, arguments of a different sentence that checks differently
    ("noise_penalty", noise_penalty, ("Myalgia; #; 3.6; 5.9; 8.4.", False),
     ("Take one tablet with # ml of water.", False)),
    ("noise_penalty, key", noise_penalty, ("The recommended dose is # mg once daily.", True),
     ("The recommended dose is # mg; 5; 10; 20.", False)),
    ("fragment", fragment, ("Lomitapide, lovastatin, and simvastatin #.",),
     ("Nausea and vomiting may occur in # of patients.",)),
    ("animal_penalty", animal_penalty, ("Single oral doses of # mg/kg in mice caused deaths.",),
     ("In humans, # overdoses were reported.",)),
    ("key_sentence", key_sentence, ("adverse_reactions", "The most common adverse reactions (>#%) are nausea."),
     ("adverse_reactions", "Nausea was reported by # patients.")),
]


@pytest.mark.parametrize(("name", "check", "args", "other"), CHECKS, ids=[c[0] for c in CHECKS])
def test_a_sentence_is_checked_once_and_another_again(
    name: str, check: Callable[..., Any], args: tuple[Any, ...], other: tuple[Any, ...]
) -> None:
    args = tuple(_new(a) if isinstance(a, str) else a for a in args)
    other = tuple(_new(a) if isinstance(a, str) else a for a in other)
    before = check.cache_info()  # type: ignore[attr-defined]
    first = check(*args)
    assert check(*args) == first == check.__wrapped__(*args)  # type: ignore[attr-defined]
    mid = check.cache_info()  # type: ignore[attr-defined]
    assert (mid.misses - before.misses, mid.hits - before.hits) == (1, 1), name
    second = check(*other)
    assert second == check.__wrapped__(*other) and second != first, name  # type: ignore[attr-defined]
    assert check.cache_info().misses - mid.misses == 1, name  # type: ignore[attr-defined]


def test_reading_ahead_fills_what_the_reader_looks_up() -> None:
    dosage = _new("The recommended starting dose is # mg once daily. Adjust the dose by the INR.")
    warnings = _new("Single oral doses of # mg/kg in rats caused deaths. Lomitapide, lovastatin, and simvastatin. "
                    "Myalgia; 3.1; 3.6; 5.9; 8.4.")
    chunks = [Chunk("warfarin:dosage:0", "warfarin", "dosage", 0, dosage, "Warfarin - dosage"),
              Chunk("warfarin:warnings:0", "warfarin", "warnings", 0, warnings, "Warfarin - warnings")]
    index = SearchIndex(path=Path("."), manifest={"version": "checks"}, chunks=chunks,
                        medicines={"warfarin": MedicineEntry("warfarin", "Warfarin", (), "en", "test",
                                                             ("dosage", "warnings"))},
                        bm25=BM25Index.build([tokenize(c.text) for c in chunks]), dense=None)
    prefetcher = LabelPrefetcher()
    prefetcher.prefetch(index, ["warfarin"])
    assert prefetcher.drain()
    looked_up = [(c.attribute, text) for c in label_chunks(index, "warfarin") for _, text, _ in chunk_sentences(c)]
    assert len(looked_up) >= 4
    checks: list[tuple[Callable[..., Any], Callable[[str, str], tuple[Any, ...]]]] = [
        (noise_penalty, lambda a, t: (t, key_sentence(a, t))),  # as read._rank passes them: (text, key)
        (fragment, lambda a, t: (t,)), (animal_penalty, lambda a, t: (t,)), (key_sentence, lambda a, t: (a, t))]
    for check, arguments in checks:
        calls = [arguments(a, t) for a, t in looked_up]
        before = check.cache_info()  # type: ignore[attr-defined]
        assert [check(*c) for c in calls] == [check.__wrapped__(*c) for c in calls]  # type: ignore[attr-defined]
        after = check.cache_info()  # type: ignore[attr-defined]
        assert (after.misses - before.misses, after.hits - before.hits) == (0, len(calls)), check


def test_sentence_checks_leaves_the_answers_as_computed() -> None:
    text = _new("The recommended dose is # mg; 5; 10; 20.")
    sentence_checks("dosage", text)
    assert noise_penalty(text, False) == noise_penalty.__wrapped__(text, False) > 0
    assert fragment(text) is fragment.__wrapped__(text) is False
