"""A medicine the asking turn sets aside: "not the ibuprofen, the other one", "Not asking about the beta blocker.
The other one - ...", "apart from the metformin" (session 9, consult_dev_wrongmed_s9). What is set aside is not
what is asked about; with "the other one" it says which of the medicines said before the other one is."""

from __future__ import annotations

import re

# the words before a name that set it aside
_BEFORE = re.compile(
    r"(?:\bnot|\bn't|\bother than|\bapart from|\bbesides|\bexcept(?: for)?)\s+"
    r"(?:(?:asking|talking|worried|bothered|concerned)\s+(?:about|re:?|with)\s+)?"
    r"(?:the\s+|my\s+|his\s+|her\s+|that\s+)?$",
    re.IGNORECASE,
)
# a set-aside phrase: what follows the words, up to the end of its part ("not asking about the beta blocker")
_PHRASE = re.compile(
    r"(?:\bnot|\bn't|\bother than|\bapart from|\bbesides|\bexcept(?: for)?)\s+"
    r"(?:(?:asking|talking|worried|bothered|concerned)\s+(?:about|re:?|with)\s+)?"
    r"(?:the\s+|my\s+|his\s+|her\s+|that\s+)?(?P<said>[^.,;!?\u2013\u2014-]+)",
    re.IGNORECASE,
)


def is_set_aside(text: str, surface: str) -> bool:
    """Whether every place the text names `surface` sets it aside ("not the ibuprofen")."""
    words = re.findall(r"\w+", surface)
    if not words:
        return False
    places = list(re.finditer(r"\b" + r"[\W_]*".join(map(re.escape, words)) + r"\b", text, re.IGNORECASE))
    return bool(places) and all(_BEFORE.search(text[max(0, p.start() - 40):p.start()]) for p in places)


def set_aside_phrases(text: str) -> str:
    """The text of what the turn sets aside, for a kind word in it ("the beta blocker"); "" when nothing."""
    return " ".join(found.group("said") for found in _PHRASE.finditer(text))
