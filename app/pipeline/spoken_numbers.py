"""Numbers a dictated message spells out before a unit: "weighs like fifteen kilos", "she's three years old",
"twenty five milligrams", as the digits the age, weight and dose readings look for ("15 kilos").

Only a number word right before a unit (or "and a half" between) is written as digits: "the blue one", "one of
those" and "no one" stay as they are.
"""

from __future__ import annotations

import re

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_TAIL = rf"(?: (?:and )?(?:{_WORD})(?:[- ](?:{_WORD}))?)?"
_NUMBER = rf"(?:(?:{_WORD})(?:[- ](?:{_WORD}))?(?: hundred{_TAIL})?|a hundred{_TAIL})"
_UNIT = (r"(?:kilos?|kilograms?|kgs?|pounds?|lbs?|stone|years?|yrs?|months?|weeks?|days?|mg|milligrams?|mcg|"
         r"micrograms?|ml|millilitres?|milliliters?|grams?|units?|tablets?|pills?|capsules?|puffs?)")
_SPOKEN = re.compile(rf"\b(?P<n>{_NUMBER})(?P<half> and a half)?(?=[- ]{_UNIT}\b)", re.IGNORECASE)


def _value(words: str) -> int:
    total = 0
    for part in re.split(r"[- ]+", words.casefold().removeprefix("a ")):
        if part == "hundred":
            total = max(total, 1) * 100
        elif part in _UNITS:
            total += _UNITS[part]
        elif part in _TENS:
            total += _TENS[part]
    return total


def spoken_numbers(text: str) -> str:
    """The text with number words before a unit written as digits ("fifteen kilos" -> "15 kilos",
    "two and a half years" -> "2.5 years"); everything else as it was."""
    if not _SPOKEN.search(text):
        return text

    def digits(m: re.Match[str]) -> str:
        value = _value(m.group("n").replace(" and ", " "))
        return f"{value}.5" if m.group("half") else str(value)

    return _SPOKEN.sub(digits, text)
