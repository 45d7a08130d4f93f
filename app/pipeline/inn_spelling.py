"""A generic name as it is spelled in another language: "levotiroxina", "azitromicina", "metotrexato",
"hidroclorotiazida", "amoxicilline", "cefalexina" are levothyroxine, azithromycin, methotrexate,
hydrochlorothiazide, amoxicillin and cephalexin.

International nonproprietary names are shared across languages; Spanish, Portuguese, Italian, French and other
spellings differ from the English in a regular way: ph/f, th/t, y/i, ch/c, doubled letters, and the ending vowel
(-ine/-ina/-ino, -one/-ona, -ide/-ida, -ate/-ato, -an/-ana, -ole/-ol/-olo). A spelling key that drops those
differences finds the English generic when exactly one holds the key; typing slips are left to the edit distance
(app.pipeline.lexicon).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_MIN_LETTERS = 6  # shorter words share keys with too much
_FOLDS = (("ph", "f"), ("th", "t"), ("ch", "c"), ("y", "i"), ("k", "c"), ("qu", "c"))
_DOUBLED = re.compile(r"(.)\1+")
_END_VOWELS = re.compile(r"[aeiou]+$")


def inn_key(word: str, ending: bool = False) -> str:
    """The spelling key: accents removed, ph/th/ch/y/k/qu folded, doubled letters single, the ending vowels cut
    (kept with `ending`: a brand spelled as it sounds, "flagil" for Flagyl, is still told from "Xarelta")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))
    for spelled, said in _FOLDS:
        folded = folded.replace(spelled, said)
    single = _DOUBLED.sub(r"\1", folded)
    return single if ending else _END_VOWELS.sub("", single)


class InnSpellings:
    """The generic names by spelling key; a key two generics share finds neither."""

    def __init__(self, generics: Iterable[str]) -> None:
        by_key: dict[str, set[str]] = {}
        for name in generics:
            if name.isalpha() and len(name) >= _MIN_LETTERS:
                by_key.setdefault(inn_key(name), set()).add(name)
        self._by_key = {key: next(iter(names)) for key, names in by_key.items() if len(names) == 1}

    def generic(self, word: str) -> str | None:
        """The English generic `word` spells in another language; None when it spells none or several, or is
        a generic itself."""
        if len(word) < _MIN_LETTERS or not word.isalpha():
            return None
        found = self._by_key.get(inn_key(word))
        return found if found != word else None
