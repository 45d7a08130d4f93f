"""A contraindications list with no full stop: quoted whole rather than lost.

Some labels give their contraindications as a run of items with no sentence end ("Spironolactone is
contraindicated in the patients with: Hyperkalemia Addison's disease Concomitant use of eplerenone ..."), often
twice (the highlights and the full text). The sentence splitter finds no complete sentence there, so the one
section that answers "I have Addison's disease, can I take spironolactone?" had nothing to quote. Such a chunk
gives one line: its text up to where it starts again, with a full stop.
"""

from __future__ import annotations

import re

# The longest such list quoted whole (an answer's share for one medicine is about 600 characters).
MAX_LIST = 320
_SPACES = re.compile(r"\s+")
_SECTION_REF = re.compile(r"\(\s*\d+(?:\.\d+)*\s*\)")


def whole_list(section: str, text: str, quotable: int) -> str | None:
    """The line a contraindications chunk with no quotable sentence (`quotable` == 0) gives, or None."""
    if section != "contraindications" or quotable or "contraindicated" not in text.casefold():
        return None
    flat = _SPACES.sub(" ", _SECTION_REF.sub("", text)).strip()
    opening = " ".join(flat.split()[:3])
    again = flat.find(opening, len(opening))  # the highlights' copy of the same list
    line = (flat[:again] if again > 0 else flat).strip(" ;,")
    if len(line) < 25 or len(line) > MAX_LIST:
        return None
    return line if line.endswith(".") else f"{line}."
