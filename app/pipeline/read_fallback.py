"""When nothing of the asked section answers: the sections that answer that kind of question, then the
label's sentences that share the question's own words.

A label often lacks the section a question was sent to ("what colour is fluvastatin?" -> dosage forms; "what
is in montelukast?" -> description), or its sentences share no word of the question. The extractive reader
then falls back here, over the same medicine's label only (never another medicine's):

1. the kind of question, from its wording, else from the asked section: appearance, ingredients, storage,
   metabolism, what the medicine is;
2. sentences of the sections that answer that kind ("Tablets: yellow, round, debossed ..." in dosage forms or
   description for a colour question; the indications for "what is X") qualify whatever their words;
3. elsewhere a sentence qualifies only by a word labels use for that kind ("Store at 20-25 °C", "excreted in the
   urine") or a content word of the question itself (not the medicine's name, not a number alone).

Nothing qualifies: the reader says the database has no evidence, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.pipeline.read_cues import ANIMAL_TOXICITY, QUESTION_NOISE, animal_penalty, key_sentence, noise_penalty
from indexing.text import tokenize


@dataclass(frozen=True, slots=True)
class QuestionKind:
    name: str
    asks: re.Pattern[str]  # how a question words it
    answers: tuple[str, ...]  # sections whose every sentence answers it, best first
    cues: frozenset[str]  # label words that say a sentence elsewhere answers it


def _words(text: str) -> frozenset[str]:
    """Tokens of `text` without the halves of its hyphenated words ("half-life" is not "half")."""
    parts = {p for t in tokenize(text) if "-" in t for p in tokenize(t.replace("-", " "))}
    return frozenset(t for t in tokenize(text) if t not in parts or "-" in t)


KINDS: tuple[QuestionKind, ...] = (
    QuestionKind(
        "appearance",
        re.compile(r"\bcolou?rs?\b|\bimprint|\bshape\b|\bmarkings?\b|\bstamped\b|\bengraved\b|\bidentify\b|"
                   r"\b(?:pills?|tablets?|capsules?) looks? like\b|\b(?:does|do|should|would) (?:it|they) look like\b|"
                   r"\bwhat (?:does|do) (?![^?.]*\b(?:make|makes|using|your|skin|face)\b)[^?.]{0,40}\blooks? like\b",
                   re.I),
        ("dosage_forms", "description"),
        # Not "red": it stems from "redness" as well.
        _words("white yellow pink blue orange green brown purple peach beige round oval oblong debossed "
               "imprinted engraved scored film-coated colored coloured color bisected"),
    ),
    QuestionKind(
        "ingredients",
        re.compile(r"\bingredients?\b|\bwhat(?:'s| is| are)(?: \w+)? in\b|\bcontains?\b|\bmade (?:of|from|with)\b|"
                   r"\blactose\b|\bgluten\b|\bdyes?\b|\bgelatin\b|\bexcipients?\b|\bin the (?:pill|tablet|capsule)\b",
                   re.I),
        ("description",),
        _words("ingredient ingredients inactive contains lactose gelatin starch stearate excipients dye"),
    ),
    QuestionKind(
        "storage",
        re.compile(r"\bfreez|\bfrozen\b|\bfridge\b|\brefrigerat|\bstor(?:e|ed|age|ing)\b|\btemperature|"
                   r"\bhot car\b|\bexpir", re.I),
        ("storage",),
        _words("store stored storage temperature refrigerate refrigerator freeze frozen freezing room protect "
               "moisture"),
    ),
    QuestionKind(
        "metabolism",
        re.compile(r"\bmetaboli|\bbroken down\b|\bbreaks? (?:it )?down\b|\bexcret|\beliminat|\bhalf[- ]life|"
                   r"\bclear(?:ed)?\b|\bdrug (?:screen|test)|\bstays? in (?:your|my|the|his|her) (?:system|body)|"
                   r"\bout of (?:your|my|the) system\b|\bhow does \w+ work\b|\bmechanism\b", re.I),
        ("pharmacology",),
        _words("metabolized metabolism metabolite excreted excretion eliminated elimination half-life clearance "
               "pharmacokinetics cyp3a4 cyp2d6"),
    ),
    QuestionKind(
        "what_is",
        re.compile(r"^\s*(?:what|wat)(?:'s| is| are)\s+(?!in\b)(?:\w+\s*){1,4}\??\s*$|\bwhat (?:kind|type|sort) of\b|"
                   r"\bwhere does \w+ come from\b", re.I),
        ("indications", "description"),
        _words("indicated treatment class"),
    ),
)
_BY_NAME = {k.name: k for k in KINDS}
# The kind a section was asked for stands for, when the wording names none.
_SECTION_KIND = {"dosage_forms": "appearance", "description": "what_is", "storage": "storage",
                 "pharmacology": "metabolism", "indications": "what_is", None: "what_is"}
# Words that ask rather than say what is asked ("what does it look like", "where does it come from").
_ASKING = _words("look looks like come comes from work works kind type sort much long get make makes happen way")
_ANSWERS_BONUS = 2.0
_CUE_WEIGHT = 0.6
_MAX_FALLBACK = 3


@dataclass(frozen=True, slots=True)
class LabelSentence:
    """What the fallback needs of a label sentence (the reader's candidates)."""

    attribute: str
    text: str
    tokens: frozenset[str]
    chunk_order: int
    source: int


def kinds_of(question: str, asked: str | None) -> list[QuestionKind]:
    """The kinds the question's wording says, in the order above ("what is X" only when it says no other:
    "what are the ingredients in X" asks the ingredients), else the asked section's."""
    found = [k for k in KINDS if k.asks.search(question)]
    specific = [k for k in found if k.name != "what_is"]
    if found:
        return specific or found
    fallback = _SECTION_KIND.get(asked)
    return [_BY_NAME[fallback]] if fallback else []


def content_words(question: str, name_words: frozenset[str]) -> frozenset[str]:
    """The question's own words that say what it is about: not the medicine's name, not asking words."""
    return frozenset(t for t in tokenize(question)
                     if t not in QUESTION_NOISE and t not in name_words and t not in _ASKING)


def rank_fallback(
    question: str,
    asked: str | None,
    label: Sequence[LabelSentence],
    idf: dict[str, float],
    name_words: frozenset[str],
) -> list[tuple[int, float]]:
    """(position in `label`, score) of the sentences that answer the question's kind or share its words, the
    best first; [] when none does (the reader's no_evidence)."""
    kinds = kinds_of(question, asked)
    content = content_words(question, name_words)
    wordy = {t for t in content if any(ch.isalpha() for ch in t)}  # "30mg" alone matches dosing at random
    out: list[tuple[int, float]] = []
    for i, s in enumerate(label):
        animal = animal_penalty(s.text)
        if animal >= ANIMAL_TOXICITY:
            continue
        answers = next((rank for k in kinds for rank, a in enumerate(k.answers) if a == s.attribute), None)
        cue_hits = sum(1 for k in kinds for t in k.cues if t in s.tokens)
        shared = s.tokens & content
        if answers is None and not cue_hits and not (shared & wordy):
            continue
        score = sum(idf.get(t, 0.0) for t in shared) + _CUE_WEIGHT * min(cue_hits, 4)
        if answers is not None:
            score += _ANSWERS_BONUS - 0.3 * answers
            if key_sentence(s.attribute, s.text):
                score += 1.0
        score += 0.3 / (1 + s.chunk_order) + 0.2 / (1 + s.source) - noise_penalty(s.text) - animal
        out.append((i, score))
    out.sort(key=lambda x: (-x[1], label[x[0]].chunk_order, label[x[0]].source))
    return out[:_MAX_FALLBACK * 3]


def fallback_notice(name: str, asked: str | None, sections: Sequence[str]) -> str:
    """For a label that has the asked section, none of whose sentences answers: where the quotes come from."""
    listed = " and ".join(dict.fromkeys(s.replace("_", " ") for s in sections))
    asked_words = (asked or "").replace("_", " ")
    return (f"In the medicine database, {name}'s {asked_words} section does not say this; "
            f"the answer quotes its {listed}.")
