"""Text as it comes in: what can be stored, and the form names are matched in.

Two jobs, one module, so the API's edge checks and the pipeline's name matching agree on what a character is:

- `unstorable(text)`: the first character no database column can hold, or None. A lone surrogate
  (`"\\ud800"`, which JSON's escapes allow) cannot be encoded as UTF-8 at all, and PostgreSQL text cannot
  hold NUL (SQLite can, so the two would disagree). The API answers 422 for either, in every text and id
  field, before anything is stored; `check_text` is the same test for pydantic validators.
- `for_matching(text)`: the text that medicine names are looked for in: invisible characters removed
  (Unicode's default-ignorable code points: zero-width spaces and joiners, bidi controls, soft hyphens,
  variation selectors, tags), then NFKC. "ibu\\u200bprofen" and "war\\u200dfarin" are ibuprofen and warfarin.
  Only matching uses it; what the user wrote is stored as written.
- `check_json(value, ...)`: depth and size limits (and the storable-text test) for free-form JSON fields.

Imports nothing from app, so every layer may use it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator

T = TypeVar("T")

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters that render as nothing.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def for_matching(text: str) -> str:
    """`text` without invisible characters, NFKC-normalised (case kept), with a phone camera's letter-for-digit
    slips read back (`ocr_repaired`) and words hyphenated over a line break whole: the form names are matched in."""
    return unhyphenated(ocr_repaired(INVISIBLE.sub("", unicodedata.normalize("NFKC", INVISIBLE.sub("", text)))))


# Text read off a bottle by a phone camera or copied from a scanned letter mixes up look-alike characters: a
# lower-case l for I in capitals ("GLlPlZlDE"), 0 for O among letters ("0MEPRAZ0LE", "M0UTH"), O for 0 in a
# number ("3O MINUTES", "1Omg"), 1 for l in a word ("Lisinopri1", "week1y"), l for 1 before digits ("l0mg"). Each
# is read back one character for one, so positions in the text stay where they were.
_OCR_WORD = re.compile(r"[A-Za-z0-9]+")
_UNIT = r"(?:mg|mcg|ml|g|iu|units?|mgs|tabs?|caps?)?"
_NUMBER_WITH_O = re.compile(rf"^([0-9lI]?[0-9][0-9Oo]*|[0-9][0-9Oo]*)({_UNIT})$", re.IGNORECASE)
_ZERO_AS_O = re.compile(r"(?<=[A-Za-z])0+|0+(?=[A-Za-z])")
_ONE_AS_L = re.compile(r"(?<=[A-Za-z])1+(?=[A-Za-z]|$)")


def _ocr_word(word: str) -> str:
    letters = sum(c.isalpha() for c in word)
    found = _NUMBER_WITH_O.match(word) if word[0].isdigit() or word[0] in "lI" else None
    if found is not None:
        number = found.group(1)
        if any(c in "Oo" for c in number) or number[0] in "lI":
            number = ("1" if number[0] in "lI" else number[0]) + number[1:]
            return number.replace("O", "0").replace("o", "0") + found.group(2)
        return word
    if letters >= 2 and "0" in word and not any(c.isdigit() and c != "0" for c in word):
        word = _ZERO_AS_O.sub(lambda m: ("O" if word.isupper() or m.start() == 0 or word[m.start() - 1].isupper()
                                         else "o") * len(m.group()), word)
    if letters >= 3 and "1" in word and not any(c.isdigit() and c != "1" for c in word):
        word = _ONE_AS_L.sub(lambda m: ("L" if word[m.start() - 1].isupper() and word[:m.start()].isupper()
                                        else "l") * len(m.group()), word)
    upper = sum(c.isupper() for c in word)
    if upper >= 2 and "l" in word and all(c.isupper() or c == "l" or c.isdigit() for c in word) and (
            upper > word.count("l")):
        word = word.replace("l", "I")
    return word


# a lone l between words in capitals is a 1: "TAKE l TABLET BY MOUTH"
_LONE_L = re.compile(r"(?<=[A-Z]{2}) l(?= [A-Z]{2,}\b)")


def ocr_repaired(text: str) -> str:
    """`text` with the look-alike slips of text recognition read back, one character for one (see above)."""
    if not any(c in text for c in "0O1lI"):
        return text
    text = _OCR_WORD.sub(lambda m: _ocr_word(m.group()), text)
    return _LONE_L.sub(" 1", text)


# A word a copied PDF hyphenated over a line break ("Rosuva-\nstatin 5 mg tablets, one to be tak-\nen at night")
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-[ \t]*\r?\n[ \t]*(?=[a-z])")


def unhyphenated(text: str) -> str:
    """`text` with the words hyphenated over a line break written whole (the text grows shorter by the breaks)."""
    return _HYPHEN_BREAK.sub("", text) if "-\n" in text or "- \n" in text else text


def unstorable(text: str) -> str | None:
    """A description of the first character of `text` that cannot be stored, or None when all can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    ch = found.group()
    what = "NUL" if ch == "\x00" else "a lone surrogate"
    return f"contains {what} (U+{ord(ch):04X}) at character {found.start()}"


def storable(text: str) -> str:
    """`text` with each unstorable character replaced by U+FFFD (for echoing bad input back, or logging it)."""
    return _UNSTORABLE.sub("\ufffd", text)


def check_text(value: str) -> str:
    """A pydantic validator: the value unchanged, or ValueError when it holds an unstorable character."""
    problem = unstorable(value)
    if problem is not None:
        raise ValueError(f"text {problem}")
    return value


# A str field whose value can be stored (pydantic checks it with `check_text`).
StorableText = Annotated[str, AfterValidator(check_text)]


class JsonLimitError(ValueError):
    """A JSON value past a limit; `where` is the path to the offending part ("a.b.3"; "" for the whole)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


def _path(parent: str, key: str | int) -> str:
    """Where a part sits, as the API names fields in its 422 answers ("messages.0.content")."""
    return f"{parent}.{key}" if parent else str(key)


def check_json(value: T, max_depth: int, max_bytes: int | None = None, where: str = "") -> T:
    """`value` unchanged when it nests at most `max_depth` containers deep, every string and key can be
    stored, and (with `max_bytes`) its JSON text has at most that many bytes; else JsonLimitError.

    Iterative, so a value nested deeper than Python's recursion limit is refused rather than crashing."""
    stack: list[tuple[Any, int, str]] = [(value, 0, where)]
    while stack:
        item, depth, at = stack.pop()
        if isinstance(item, str):
            problem = unstorable(item)
            if problem is not None:
                raise JsonLimitError(at, f"text {problem}")
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                raise JsonLimitError(at, f"nested deeper than {max_depth} levels")
            if isinstance(item, dict):
                for key, child in item.items():
                    if isinstance(key, str) and (problem := unstorable(key)) is not None:
                        raise JsonLimitError(at, f"a key {problem}")
                    stack.append((child, depth + 1, _path(at, str(key))))
            else:
                stack.extend((child, depth + 1, _path(at, i)) for i, child in enumerate(item))
    if max_bytes is not None:
        size = len(json.dumps(value, ensure_ascii=False).encode())
        if size > max_bytes:
            raise JsonLimitError(where, f"{size} bytes of JSON; the limit is {max_bytes}")
    return value
