"""Topic words as people type them: "breastfeding", "pregnent", "side efects", "dosis" are the section cues
breastfeeding, pregnant, side effects, doses.

A word that is no English word the cues know, within one edit of a cue word (two for words of nine letters or
more) and starting as it does, is read as that cue word; every other character stays as it was. Only the
section and population words are respelt: a medicine's name is the lexicon's business (its own tolerance).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

# The cue words people misspell (attributes' patterns, read_cues' conditions), as the patterns spell them.
CUE_WORDS: tuple[str, ...] = (
    "breastfeeding", "breastfeed", "breastfed", "breast-feeding", "nursing", "lactating", "pregnant", "pregnancy",
    "trimester", "side", "effects", "effect", "dosage", "doses", "dosing", "overdose", "interaction",
    "interactions", "interact", "contraindications", "contraindicated", "allergic", "warnings", "warning",
    "storage", "refrigerator", "fridge", "alcohol", "children", "toddler", "elderly", "kidney", "kidneys", "liver",
    "ingredients", "missed", "forgot", "grapefruit", "dizziness", "drowsy", "nausea", "diarrhea", "diarrhoea",
    "headache", "swelling", "bleeding", "surgery", "dental", "dentist",
)
# Words within an edit of a cue word that are words of their own.
_REAL_WORDS = frozenset({
    "dose", "does", "dosed", "side", "sides", "aside", "tide", "wide", "ride", "hide", "site", "sided", "effect",
    "affect", "affects", "affected", "defect", "defects", "liver", "lives", "lover", "river", "giver", "diver",
    "forget", "forgets", "missed", "mixed", "kissed", "nursing", "cursing", "purse", "warning", "warming",
    "warnings", "earnings", "storage", "shortage", "fridge", "bridge", "ridge", "interact", "interacts",
    "intact", "dosing", "closing", "posing", "nosing", "losing", "dentist", "dentists", "dental", "rental",
    "mental", "children", "kidney", "kidneys", "surgery", "surgeon", "pregnant", "overdose", "overdosed",
    "breastfed", "toddler", "toddlers", "doses", "dosage", "doesn", "effects", "alcohol", "nausea", "dozing",
    "dozes", "lived", "liven", "liner", "livers", "size", "sine",
    # ("Is that the tablets doing it?" is no question of dosing)
    "doing", "dotage", "fringe", "sire", "sidle", "misses", "forgo", "drowse", "warring",
})
# A cue word's own inflections are spelt right ("headaches" is no misspelt "headache": the symptom cues match it).
_INFLECTED = frozenset(f"{t}{ending}" for t in CUE_WORDS for ending in ("s", "es"))
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*")


def _edits(target: str) -> int:
    return 1 if len(target) <= 8 else 2


@lru_cache(maxsize=16384)
def cue_word(word: str) -> str | None:
    """The cue word a misspelt word stands for, or None (a word of its own, a short word, no cue near it)."""
    lowered = word.casefold()
    if len(lowered) < 4 or lowered in _REAL_WORDS or lowered in CUE_WORDS or lowered in _INFLECTED:
        return None
    near = [(Levenshtein.distance(lowered, t, score_cutoff=_edits(t)), t) for t in CUE_WORDS
            if t[:2] == lowered[:2] and abs(len(t) - len(lowered)) <= _edits(t)]
    near = [(d, t) for d, t in near if d <= _edits(t)]
    return min(near)[1] if near else None


def spell_cue_words(text: str) -> str:
    """The text with misspelt cue words written as the cues spell them ("breastfeding" -> "breastfeeding",
    "side efects" -> "side effects"); every other character as it was."""
    return _WORD.sub(lambda m: cue_word(m.group(0)) or m.group(0), text)
