"""Combination products among labels named only by their file or a collection's lookup word.

The medtap dumps carry no name inside: `simvastatin.json` is named "Simvastatin" after its file, yet its text
is the ezetimibe and simvastatin (Vytorin) label, and merged by that name it gave simvastatin's indications
and dosage the combination's text. A label named so says what it is in its own words: the opening of its
indications, description or dosage names the product ("Ezetimibe and simvastatin tablets are ...",
"Amoxicillin and Clavulanate Potassium is indicated ...", "... is a mixture of insulin aspart protamine and
insulin aspart ...", "ezetimibe/simvastatin"). Only a product phrase counts: two names joined by "and" and
followed by a dose form or "is/are indicated", or after "a combination/mixture of"; "nabumetone tablets and
other treatment options", "doxycycline and other antibacterial drugs", "naproxen tablets and naproxen sodium
tablets" name no combination.

Where the phrase leaves a name's extent open (the words before "and" may be a heading: "USAGE Ezetimibe and
simvastatin tablets"), the other ingredient must be one the sources name as a substance or generic name
(`known`), or the file's own name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from indexing.vocabulary import SALT_WORDS

# Where a label names its product: the openings of these sections.
OPENING_SECTIONS: tuple[str, ...] = ("indications", "description", "dosage")
OPENING_CHARS = 400
_MAX_NAME_WORDS = 4

# Words after "A and B" that make it a product: dose forms, release words, "is/are indicated".
_PRODUCT_HEAD = re.compile(
    r"\s+(?:tablets?|capsules?|caplets?|injection|injectable|suspension|solution|powder|granules|cream|ointment|"
    r"gel|lotion|mix|extended|delayed|film|chewable|orally|usp|for\s+(?:oral|injection)|"
    r"(?P<strong>(?:is|are)\s+(?:indicated|an?\s+(?:combination|fixed|mixture))))\b",
    re.IGNORECASE,
)
# "... tablets, USP are indicated": the dose form's product is what the label is for
_INDICATED_AFTER_FORM = re.compile(r"(?:[\s,]+[A-Za-z-]+){0,3}?\s+(?:is|are)\s+(?:indicated|an?\s+combination)\b",
                                   re.IGNORECASE)
_MIXTURE_OF = re.compile(r"\b(?:combination|mixture)\s+of\s+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
# Words that are never part of a medicine's name in a product phrase.
_NOT_NAME = frozenset(
    """and or of the a an its their other others all any each these those this that with without in on for to
    by as is are be was were indicated used use usage indications dosage administration description
    information important tablets tablet capsules capsule caplets caplet injection injectable suspension
    solution powder granules cream ointment gel lotion mix extended delayed release film coated chewable
    orally oral usp drug drugs products product treatment options therapy agents combination mixture
    fixed dose doses""".split()
)


@dataclass(frozen=True, slots=True)
class Combination:
    """A combination product a label names itself as: its ingredients as written (one only where the other
    could not be told: `identified` is False), and the words found."""

    ingredients: tuple[str, ...]  # in the label's order, e.g. ("Ezetimibe", "simvastatin")
    phrase: str  # the words found, for the build summary

    @property
    def identified(self) -> bool:
        return len(self.ingredients) > 1

    @property
    def name(self) -> str:
        """'Ezetimibe and Simvastatin'"""
        return " and ".join(" ".join(w[:1].upper() + w[1:] for w in i.split()) for i in self.ingredients)


def plain_ingredient(text: str) -> str:
    """'Clavulanate Potassium' -> 'clavulanate': lower case, salt words gone unless nothing would be left."""
    words = text.lower().split()
    core = [w for w in words if w not in SALT_WORDS]
    return " ".join(core or words)


def _name_words_before(text: str, end: int) -> list[str]:
    """Up to _MAX_NAME_WORDS name words ending just before `end`, in reading order."""
    out: list[str] = []
    cursor = end
    for match in reversed(list(_WORD.finditer(text, max(0, end - 120), end))):
        if text[match.end():cursor].strip() or match.group().lower() in _NOT_NAME or len(out) == _MAX_NAME_WORDS:
            break
        out.insert(0, match.group())
        cursor = match.start()
    return out


def _name_words_after(text: str, start: int) -> tuple[list[str], int]:
    """Up to _MAX_NAME_WORDS name words from `start` and the offset after the last one."""
    out: list[str] = []
    pos = start
    for match in _WORD.finditer(text, start, start + 120):
        if text[pos:match.start()].strip() or match.group().lower() in _NOT_NAME or len(out) == _MAX_NAME_WORDS:
            break
        out.append(match.group())
        pos = match.end()
    return out, pos


def _has_word(words: list[str], stem_words: list[str]) -> bool:
    lowered = [w.lower() for w in words]
    n = len(stem_words)
    return any(lowered[i:i + n] == stem_words for i in range(len(lowered) - n + 1))


def _pick(options: list[list[str]], known: Collection[str]) -> str | None:
    """Of a side's possible extents (longest first), the longest that is a known ingredient."""
    for words in options:
        if plain_ingredient(" ".join(words)) in known:
            return " ".join(words)
    return None


def _combination(left: str | None, right: str | None, stem: str, phrase: str) -> Combination | None:
    """Both ingredients where both are told and differ; the file's own name alone where one is not told;
    None where the two are one ingredient ("naproxen and naproxen sodium")."""
    if left and right:
        return None if plain_ingredient(left) == plain_ingredient(right) else Combination((left, right), phrase)
    return Combination((stem,), phrase)


def find_combination(stem: str, sections: Mapping[str, str], known: Collection[str]) -> Combination | None:
    """The combination product the label's own text names, where one of its ingredients is `stem` (the name
    the label got from its file), else None. `known`: plain ingredient names the sources hold
    (`plain_ingredient`). A product phrase with the other ingredient not told gives a Combination that is not
    `identified`."""
    stem_words = stem.lower().replace("_", " ").split()
    if not stem_words:
        return None
    names = {*known, " ".join(stem_words)}
    unidentified: Combination | None = None
    for attr in OPENING_SECTIONS:
        text = sections.get(attr, "")[:OPENING_CHARS]
        for found in _combinations_in(text, stem_words, names):
            if found is None:
                continue
            if found.identified:
                return found
            unidentified = unidentified or found
    return unidentified


def _combinations_in(text: str, stem_words: list[str], known: Collection[str]) -> Iterator[Combination | None]:
    """Each product phrase naming the file's own name (None: it names one ingredient twice)."""
    stem = " ".join(stem_words)
    # "A and B <dose form | is indicated>": B's extent is exact, A's is open on the left. The product's own
    # name, so it comes first (its order names the product: "Ezetimibe and Simvastatin").
    for joint in re.finditer(r"\s+and\s+", text):
        right, end = _name_words_after(text, joint.end())
        head = _PRODUCT_HEAD.match(text, end) if right else None
        left = _name_words_before(text, joint.start())
        # "Naproxen tablets and naproxen sodium tablets": no name right before "and" is no second ingredient
        if head is None or not left or not (_has_word(left, stem_words) or _has_word(right, stem_words)):
            continue
        phrase = text[joint.start() - len(" ".join(left)):head.end()].strip()
        left_name = _pick(_suffixes(left), known)
        right_name = " ".join(right) if plain_ingredient(" ".join(right)) in known else None
        # a dose form after two words says less than "is indicated" ("clonazepam and unscored tablets"):
        # there both must be known ingredients
        strong = head.group("strong") or _INDICATED_AFTER_FORM.match(text, head.end())
        if (left_name and right_name) or strong:
            yield _combination(left_name, right_name, stem, phrase)
    # "a combination/mixture of A and B": A's extent is exact, B's is open on the right
    for mix in _MIXTURE_OF.finditer(text):
        left, pos = _name_words_after(text, mix.end())
        conjunction = re.match(r"\s+and\s+", text[pos:])
        if not left or conjunction is None:
            continue
        right, end = _name_words_after(text, pos + conjunction.end())
        if _has_word(left, stem_words) or _has_word(right, stem_words):
            yield _combination(" ".join(left), _pick(_prefixes(right), known), stem,
                               text[mix.start():end])
    # "A/B" (ezetimibe/simvastatin): both open, both must be known
    for slash in re.finditer(r"(?<=[A-Za-z])/(?=[A-Za-z])", text):
        left = _name_words_before(text, slash.start())
        right, end = _name_words_after(text, slash.end())
        left_name, right_name = _pick(_suffixes(left), known), _pick(_prefixes(right), known)
        if left_name and right_name and stem in {plain_ingredient(left_name), plain_ingredient(right_name)}:
            yield _combination(left_name, right_name, stem, text[slash.start():end])


def _suffixes(words: list[str]) -> list[list[str]]:
    return [words[i:] for i in range(len(words))]


def _prefixes(words: list[str]) -> list[list[str]]:
    return [words[:i] for i in range(len(words), 0, -1)]


def substance_combination(substances: Iterable[str]) -> Combination | None:
    """A label listing several active substances is a combination of them (the first two or more distinct
    plain names)."""
    names = list(dict.fromkeys(plain_ingredient(s) for s in substances if s.strip()))
    if len(names) < 2:
        return None
    return Combination(tuple(names), "substances: " + ", ".join(names))
