"""An ingredient named as what a product holds ("how much codeine is in Tylenol #3?", "is there
acetaminophen in Norco?") is not a medicine asked about: the product's label answers, and the single
ingredient's label (codeine sulfate) would be the wrong medicine."""

from __future__ import annotations

import re
from collections.abc import Callable

from app.pipeline.lexicon import NameMatch

# what a product holds: an amount or a presence
_HOLDS = re.compile(r"\b(?:how\s*much|how many (?:mg|mgs|milligrams)|amount of|is there|are there|any|"
                    r"contains?|containing)\b", re.IGNORECASE)
# between the ingredient and the product: "is in", "in the", "inside my"
_IN_BETWEEN = re.compile(r"^\W*(?:is\s+|are\s+)?(?:there\s+)?(?:in|inside|contained\s+in)\s+(?:the\s+|a\s+|an\s+|my\s+|"
                         r"his\s+|her\s+|this\s+|each\s+|one\s+)?\W*$", re.IGNORECASE)


def _span(question: str, surface: str) -> tuple[int, int] | None:
    found = re.search(r"\b" + r"\W+".join(map(re.escape, surface.split())) + r"(?!\w)", question, re.IGNORECASE)
    return found.span() if found else None


def without_held_ingredients(question: str, matches: list[NameMatch]) -> list[NameMatch]:
    """The matches less a medicine named as held in another named one; unchanged when nothing is."""
    if len(matches) < 2 or not _HOLDS.search(question):
        return matches
    spans = {id(m): _span(question, m.surface) for m in matches}
    held: set[int] = set()
    for ingredient in matches:
        first = spans[id(ingredient)]
        if first is None:
            continue
        for product in matches:
            second = spans[id(product)]
            if product is ingredient or second is None or second[0] <= first[1] \
                    or product.medicine_id == ingredient.medicine_id:
                continue
            if _IN_BETWEEN.match(question[first[1]:second[0]]):
                held.add(id(ingredient))
    return [m for m in matches if id(m) not in held] if held else matches


_SENTENCE_END = re.compile(r"[.!?;]\s")
# an ingredient named as a product of its own: with its form, or as another one
_OWN_PRODUCT = re.compile(r"\s+(?:\d+\s*(?:mg|mcg|%)\s+)?(?:cream|gel|ointment|lotion|tablets?|pills?|capsules?|"
                          r"syrup|liquid|drops|spray|patch(?:es)?|injections?|inhaler|on its own|alone)\b",
                          re.IGNORECASE)
_ANOTHER = re.compile(r"\b(?:also|another|separate|plain|extra|some more|more)\s+$", re.IGNORECASE)


def without_ingredients_of_named(question: str, matches: list[NameMatch],
                                 in_combination: Callable[[str | None, list[str | None]], bool]) -> list[NameMatch]:
    """The matches less an ingredient named in a sentence after the one naming a combination that holds it: "wants
    co-codamol 30/500 for wound pain. is codeine ok for baby?" asks of the co-codamol's codeine (its label), not of
    a codeine-only product. `in_combination(medicine, named)`: whether the medicine is an ingredient of one named."""
    if len(matches) < 2:
        return matches
    spans = {id(m): _span(question, m.surface) for m in matches}
    ends = [m.end() for m in _SENTENCE_END.finditer(question)]
    held: set[int] = set()
    for ingredient in matches:
        first = spans[id(ingredient)]
        if first is None:
            continue
        if _OWN_PRODUCT.match(question[first[1]:]) or _ANOTHER.search(question[max(0, first[0] - 20):first[0]]):
            continue  # "Can I also use betamethasone cream (the plain one)?": a product of its own
        before = [m for m in matches if m is not ingredient and (at := spans[id(m)]) is not None
                  and any(at[1] <= end <= first[0] for end in ends)]
        if before and in_combination(ingredient.medicine_id, [m.medicine_id for m in before]):
            held.add(id(ingredient))
    kept = [m for m in matches if id(m) not in held]
    return kept if held and any(m.medicine_id for m in kept) else matches
