"""Medicine names that speech-to-text split into words: "lose artan fifty milligrams" is losartan, "sir tra line"
sertraline, "am low dipping" amlodipine, "a tour of a statin" atorvastatin.

A message dictated to a phone or a smart speaker arrives with a long name heard as several short words. Two to
five words in a row are written together and compared with the generic names of the database by how they sound:
a consonant skeleton (`sound_key`) in which letters that sound alike are one letter (c/k/q, s/z, f/v/ph) and the
vowels after the first letter, h and w are dropped, so that "ibeprofen" and "ibuprofen" both read "ibprfn".

Only a long name is looked for (a skeleton of five consonants or more), the words must start with its first
sound, and at least one of them must be no English word ("artan", "tra", "pril"), unless the skeletons are the same:
so that ordinary words in a row ("mild pain") are never read as a medicine. A skeleton one letter off ("lie sinner
pril": lsnrprl for lisinopril's lsnprl) is accepted only with such a word and a long name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

_MIN_KEY = 5  # letters of the skeleton of a name looked for: short names collide with ordinary words
_MIN_KEY_SAID = 6  # ... heard as English words only ("met forming", "am low dipping")
_MIN_KEY_NEAR = 7  # for a skeleton one letter off
_MAX_WORDS = 5
_MIN_BRAND = 6  # letters of a brand name looked for in two words
_MAX_SPELLING = 0.32  # the words written together are also this close to the name, letter by letter,
_MAX_SOUNDING = 0.1  # or as they sound, vowels as one ("mert as a peen": martasapan, mirtazapine martasapana)
# Words a spoken name neither starts nor ends with ("is starting" is no acitretin, "my stent can" no macitentan)
_EDGE_WORDS = frozenset({
    "the", "is", "my", "on", "for", "to", "it", "and", "or", "ok", "one", "in", "of", "with", "at", "his", "her",
    "she", "he", "we", "you", "they", "this", "that", "what", "does", "do", "can", "will", "was", "are", "be", "so",
    "if", "as", "by", "an", "no", "not", "but", "from", "sl", "s", "me", "him", "them", "its", "our", "their", "your",
    "have", "has", "had", "any", "should", "would", "could", "how", "why", "when", "where", "who", "which", "there",
    "then", "than", "also", "just", "very", "really", "about", "after", "before", "over", "under", "into", "some",
    "like", "i", "a"})
# Words that start a new clause: inside ordinary words in a row they end any name ("rolled her eyes when i said" is
# no isoniazid, although it sounds the same)
_CLAUSE_WORDS = frozenset({"i", "he", "she", "we", "you", "they", "when", "while", "because", "said", "says"})
_CONTRACTION_TAILS = frozenset({"s", "ve", "ll", "re", "d", "t", "m"})
_VOWELS = frozenset("aeiouy")
_SOUND_ALIKE = ((re.compile(r"ph"), "f"), (re.compile(r"ck"), "k"), (re.compile(r"qu"), "kw"), (re.compile(r"x"), "ks"),
                (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"c"), "k"), (re.compile(r"q"), "k"),
                (re.compile(r"z"), "s"), (re.compile(r"v"), "f"), (re.compile(r"dg"), "g"), (re.compile(r"gh"), ""),
                (re.compile(r"ng$"), "n"))  # "forming" is heard for "formin"


def _sounding(word: str) -> str:
    """A word as it sounds, vowels kept as one letter: the sound-alike letters as one, no h or w, repeats as one."""
    letters = re.sub(r"[^a-z]", "", word.casefold())
    letters = re.sub(r"(?<=[^aeiouy])e$", "", letters)  # a silent final e: "row pin a roll" sounds as ropinirole
    for pattern, sound in _SOUND_ALIKE:
        letters = pattern.sub(sound, letters)
    letters = re.sub(r"[aeiouy]", "a", re.sub(r"[hw]", "", letters))
    return re.sub(r"(.)\1+", r"\1", letters)


def _spelt_like(spelt: str, name: str, unheard: bool) -> bool:
    """Whether words written together are spelt like the name, or sound like it: nearly when one of them is no
    English word, exactly when all are ("nap rocks in" sounds as naproxen does; "exhibit any" only nearly like
    oxybutynin)."""
    sounds = Levenshtein.normalized_distance(_sounding(spelt), _sounding(name))
    return Levenshtein.normalized_distance(spelt, name) <= _MAX_SPELLING or sounds <= (_MAX_SOUNDING if unheard
                                                                                       else 0.0)


def _sounds_as(spelt: str, names: list[str]) -> bool:
    """Whether the words sound exactly as one of the names ("war far in": warfarin)."""
    return any(_sounding(spelt) == _sounding(name) for name in names)


def sound_key(word: str) -> str:
    """The consonant skeleton of a word as it sounds: its first letter (a vowel as 'a'), then its consonants
    without h and w, sound-alike letters as one, repeats as one."""
    letters = re.sub(r"[^a-z]", "", word.casefold())
    if not letters:
        return ""
    for pattern, sound in _SOUND_ALIKE:
        letters = pattern.sub(sound, letters)
    if not letters:
        return ""
    first = "a" if letters[0] in _VOWELS else letters[0]
    out = [first]
    for ch in letters[1:]:
        if ch in _VOWELS or ch in "hw":
            continue
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class SpokenName:
    name: str  # the generic name matched
    start: int  # token offset of the first word
    words: int  # how many words it spans


class SpokenNames:
    """The generic names of a lexicon by their sound keys."""

    def __init__(self, names: Iterable[str], brands: Iterable[str] = ()) -> None:
        by_key: dict[str, list[str]] = {}
        for name in names:
            if " " in name or not name.isalpha():
                continue
            key = sound_key(name)
            if len(key) >= _MIN_KEY:
                by_key.setdefault(key, []).append(name)
        self._by_key = {k: sorted(v) for k, v in by_key.items()}
        # brand names split in two words ("flow max" for Flomax): the same sound and at most one letter off
        self._brands: dict[str, list[str]] = {}
        for brand in brands:
            if brand.isalpha() and len(brand) >= _MIN_BRAND and len(key := sound_key(brand)) >= _MIN_KEY:
                self._brands.setdefault(key, []).append(brand)
        self._keys_by_first: dict[str, list[str]] = {}
        for key in self._by_key:
            self._keys_by_first.setdefault(key[0], []).append(key)

    def find(self, tokens: list[str], free: Callable[[int], bool], is_word: Callable[[str], bool]) -> list[SpokenName]:
        """The names spoken as 2-5 words in a row of `tokens`, over tokens `free` says no name was found at."""
        out: list[SpokenName] = []
        i = 0
        while i < len(tokens):
            found = self._at(tokens, i, free, is_word)
            if found is None:
                i += 1
                continue
            out.append(found)
            i += found.words
        return out

    def _at(self, tokens: list[str], i: int, free: Callable[[int], bool],
            is_word: Callable[[str], bool]) -> SpokenName | None:
        spans: list[tuple[int, str, bool]] = []
        # (a name heard with a vowel first may start with a one-letter word: "i be profen", "a tour of a statin")
        if tokens[i] in _EDGE_WORDS and len(tokens[i]) > 1:
            return None
        # ("a sprain" is an article and a word: a name heard after a one-letter word takes two more words at least)
        for n in range(3 if len(tokens[i]) == 1 else 2, min(_MAX_WORDS, len(tokens) - i) + 1):
            words = tokens[i:i + n]
            if not all(w.isalpha() and free(i + k) and w not in _CONTRACTION_TAILS for k, w in enumerate(words)):
                break  # ("like i ve run": a contraction's tail is no syllable of a name)
            key = sound_key("".join(words))
            # ("am lo deep in"; "enta cap one" is entacapone written out, whatever word it ends with)
            if len(key) >= _MIN_KEY and (words[-1] not in _EDGE_WORDS or words[-1] == "in"
                                         or "".join(words) in self._by_key.get(key, ())):
                unheard = any(not is_word(w) for w in words if len(w) > 2)
                if not unheard and any(w in _CLAUSE_WORDS for w in words[1:]):
                    break
                spans.append((n, key, unheard))
        # the same skeleton, the longest span first ("a tour of a statin"); then one letter off, the shortest
        # ("i be profen", not "i be profen with")
        for n, key, unheard in reversed(spans):
            same = self._by_key.get(key)
            spelt = "".join(tokens[i:i + n])
            if same and (unheard or len(key) >= _MIN_KEY_SAID or _sounds_as(spelt, same)) and (
                    name := next((m for m in same if _spelt_like(spelt, m, unheard)), None)):
                return SpokenName(name, i, n)
        for n, key, unheard in spans:
            if not unheard or len(key) < _MIN_KEY_NEAR:
                continue
            near = [k for k in self._keys_by_first.get(key[0], ())
                    if abs(len(k) - len(key)) <= 1 and len(k) >= _MIN_KEY_NEAR - 1
                    and Levenshtein.distance(k, key, score_cutoff=1) <= 1]
            spelt = "".join(tokens[i:i + n])
            names = [m for k in near for m in self._by_key[k] if _spelt_like(spelt, m, unheard)]
            if len(names) == 1:
                return SpokenName(names[0], i, n)
        if len(tokens) - i >= 2 and all(w.isalpha() and free(i + k) for k, w in enumerate(tokens[i:i + 2])) \
                and tokens[i + 1] not in _EDGE_WORDS and tokens[i] not in _EDGE_WORDS:
            spelt = tokens[i] + tokens[i + 1]
            brands = [b for b in self._brands.get(sound_key(spelt), ())
                      if Levenshtein.distance(spelt, b, score_cutoff=1) <= 1]
            if len(brands) == 1:
                return SpokenName(brands[0], i, 2)
        return None
