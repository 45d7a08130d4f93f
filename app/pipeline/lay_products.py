"""Everyday words for a kind of product the database holds several labels of: "my birth control pill", "the
mini pill", "contraceptive pills". Labels differ between the products (each names its own interactions), so
when the conversation names none of them, the turn asks which one the user takes (as the class question does,
app.pipeline.class_question), and when the user said earlier which one they take, that one is meant.

A birth control pill is a medicine taken by mouth that is a combined pill (ethinyl estradiol with a progestin) or
a progestin-only pill (norgestrel, norethindrone alone); rings, patches, injections and hormone replacement
(estradiol with norethindrone acetate) are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from indexing.vocabulary import base_name

# Pill words only: "birth control" alone may be a ring, a patch, an implant or a device, whose labels differ
# from the pills' (such a question stays with what the database lacks).
BIRTH_CONTROL_PILL = re.compile(
    r"\b(?:birth[- ]control (?:pills?|tablets?)|contraceptive (?:pills?|tablets?)|oral contraceptives?|"
    r"combined (?:oral contraceptive )?pills?|mini[- ]?pills?|progestin[- ]only pills?|progestogen[- ]only pills?)\b|"
    r"\bon the pill\b", re.IGNORECASE)
_PROGESTIN_ONLY = frozenset({"norgestrel", "norethindrone"})
_NOT_BY_MOUTH = re.compile(r"\b(?:vaginal|ring|patch|transdermal|injection|injectable|implant|intrauterine)\b",
                           re.IGNORECASE)
MAX_EXAMPLES = 5


def birth_control_said(question: str) -> str | None:
    """The words the question calls a birth control pill by ("birth control pill"), or None."""
    found = BIRTH_CONTROL_PILL.search(question)
    return found.group(0) if found else None


def birth_control_pills(names: dict[str, str], routes_of: Callable[[str], Iterable[str]]) -> list[str]:
    """The database's birth control pills (ids), combined pills first, shorter names first."""
    found: list[tuple[int, int, str]] = []
    for mid, name in names.items():
        lowered = name.casefold()
        routes = set(routes_of(mid))
        if _NOT_BY_MOUTH.search(lowered) or (routes and "ORAL" not in routes):
            continue
        if "ethinyl estradiol" in lowered:
            found.append((0, len(name), mid))
        elif base_name(name).casefold() in _PROGESTIN_ONLY:
            found.append((1, len(name), mid))
    return [mid for _, _, mid in sorted(found)]


def pill_options(examples: list[str], names: dict[str, str]) -> tuple[str, ...]:
    """The pills the question back names, as the user would reply with one (the web page's buttons)."""
    return tuple(dict.fromkeys(base_name(names[mid]) for mid in examples[:MAX_EXAMPLES]))


def which_pill(examples: list[str], names: dict[str, str], unknown: list[str]) -> str:
    """The question back: which pill, with a few of the database's, and what is not in the database."""
    listed = ", ".join(base_name(names[mid]) for mid in examples[:MAX_EXAMPLES])
    lacking = (f" {' and '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in the medicine database; "
               "your pill's label is read for what it says of "
               f"{'it' if len(unknown) == 1 else 'them'}.") if unknown else ""
    return ("Which birth control pill do you take? Labels differ between pills, so the answer depends on the pill"
            + (f"; the database has, for example: {listed}." if listed else ".") + lacking)
