"""A kind word that means the medicine said before: "Lantus" ... "how do I use my insulin pen?".

The database holds labels named by a kind alone (a plain "Insulin" label, "Potassium"); a user who said
earlier that they take Lantus (insulin glargine) and now asks about "my insulin" or "it, the insulin pen"
means their Lantus, not that other label (whose "do not use it if it looks clear" answered a Lantus question).
The same word said beside the product in one turn is the lexicon's rule (`MedicineLexicon`: "my Lantus insulin
pens"); this is its rule across turns. Only a kind said as the user's own or as a reference back counts ("my
insulin", "it ... insulin pen"): "can I also take aspirin?" after Aggrenox asks about more aspirin.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.pipeline.context import ConversationContext
    from app.pipeline.lexicon import NameMatch

_WORD = re.compile(r"[a-z0-9]+")
# The kind said as one's own or as the thing spoken of: "my insulin", "the insulin", "this insulin".
_OWN_KIND = r"\b(?:my|his|her|their|our|the|this|that|these|those)\s+(?:\w+\s+)?{word}\b"
# A reference back anywhere in the question: "how to use it insulin pen", "is this insulin ok in the heat?"
_REFERS_BACK = re.compile(r"\b(?:it|its|this|that|them|they)\b", re.IGNORECASE)


def kinds_meaning_earlier(question: str, latest: list[NameMatch], context: ConversationContext,
                          names: Mapping[str, str], question_turn: int) -> list[NameMatch]:
    """The question's name matches, each kind word that means the one medicine said before whose name holds
    it ("insulin" -> insulin glargine after Lantus) resolved to that medicine; every other match as it was."""
    out = []
    for match in latest:
        word = match.surface.casefold()
        own_name = names.get(match.medicine_id or "", "").casefold()
        if match.medicine_id is None or " " in word or own_name != word or not _said_as_own(question, word):
            out.append(match)
            continue
        earlier = {m.medicine_id for m in context.latest(question_turn)
                   if m.medicine_id and m.medicine_id != match.medicine_id
                   and word in _WORD.findall(names.get(m.medicine_id, m.medicine_id).casefold())}
        out.append(replace(match, medicine_id=earlier.pop()) if len(earlier) == 1 else match)
    return out


def _said_as_own(question: str, word: str) -> bool:
    own = re.search(_OWN_KIND.format(word=re.escape(word)), question, re.IGNORECASE)
    return own is not None or _REFERS_BACK.search(question) is not None
