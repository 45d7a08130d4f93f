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
_BEFORE_ZH = re.compile(r"(?:不是|而不是|除了|不问|不是问)$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# a set-aside phrase: what follows the words, up to the end of its part ("not asking about the beta blocker")
_PHRASE = re.compile(
    r"(?:\bnot|\bn't|\bother than|\bapart from|\bbesides|\bexcept(?: for)?)\s+"
    r"(?:(?:asking|talking|worried|bothered|concerned)\s+(?:about|re:?|with)\s+)?"
    r"(?:the\s+|my\s+|his\s+|her\s+|that\s+)?(?P<said>[^.,;!?\u2013\u2014-]+)",
    re.IGNORECASE,
)


def is_set_aside(text: str, surface: str) -> bool:
    """Whether every place the text names `surface` sets it aside ("not the ibuprofen")."""
    if _CJK.search(surface):
        # 是甲泼尼龙，不是泼尼松; 除了二甲双胍
        zh_places = list(re.finditer(re.escape(surface), text))
        return bool(zh_places) and all(_BEFORE_ZH.search(text[max(0, p.start() - 6):p.start()]) for p in zh_places)
    words = re.findall(r"\w+", surface)
    if not words:
        return False
    places = list(re.finditer(r"\b" + r"[\W_]*".join(map(re.escape, words)) + r"\b", text, re.IGNORECASE))
    return bool(places) and all(_BEFORE.search(text[max(0, p.start() - 40):p.start()]) for p in places)


def set_aside_phrases(text: str) -> str:
    """The text of what the turn sets aside, for a kind word in it ("the beta blocker"); "" when nothing."""
    return " ".join(found.group("said") for found in _PHRASE.finditer(text))
