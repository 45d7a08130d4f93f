"""Prevention or acute treatment: what a which-medicine question wants, and what an indication says.

"Which medicines prevent migraines?" asks for a preventive; the triptans' labels say "acute treatment of
migraine" and, in their limitations, that they are not for prevention. Labels write prevention as
"prophylaxis of", "preventive treatment of", "prevention of", "to prevent", "reduce the frequency of"; an
acute use as "acute treatment of", "treatment of acute ...", "relief of an attack". A question asks one aim
only when it says so; most say neither, and then every indication counts (`Aim.ANY`).
"""

from __future__ import annotations

import re
from enum import StrEnum


class Aim(StrEnum):
    ANY = "any"
    PREVENTION = "prevention"
    ACUTE = "acute"


# What the user asks for: "prevent", "stop me getting them", "preventive", "fewer attacks", "daily pill so I
# don't get ..."; an acute use: "when one starts", "during an attack", "at the first sign", "stop an attack".
_ASKS_PREVENTION = re.compile(
    r"\bprevent(?:s|ing|ion|ive|ative)?\b|\bprophyla\w*|\bstop (?:me |him |her |them |us |(?:my|our|his|her) \w+ )?"
    r"(?:from )?getting\b|"
    r"\bkeep (?:\w+ )?(?:from )?(?:coming back|getting)\b|\bfrom (?:coming back|returning|recurring)\b|"
    r"\bfewer\b|\bless often\b|\bhow often (?:i|he|she|they|we) "
    r"get\b|\breduce (?:the )?(?:number|frequency)\b|\bso (?:i|he|she|they|we) (?:don't|do not|won't) get\b",
    re.IGNORECASE)
_ASKS_ACUTE = re.compile(
    r"\bacute\b|\bwhen (?:it|one|an? \w+|(?:the|my|his|her|their|our) \w+|a \w+ \w+) (?:starts|comes on|hits|begins|"
    r"strikes|flares up)\b|"
    r"\bduring (?:an?|the) (?:attack|episode|flare\w*)\b|\bat the (?:first )?(?:sign|start|onset)\b|"
    r"\b(?:stop|treat|relieve|abort) (?:an?|the) (?:attack|episode|flare\w*)\b|\bonce (?:it|one|an? \w+) "
    r"(?:starts|has started)\b",
    re.IGNORECASE)

# What an indication says, in the words between the word saying it is treated and the condition (with that
# word itself, stemmed by indexing.text.tokenize ("acut", "frequent", "mainten") or as written):
# "indicated for the preventive treatment of migraine", "prophylaxis of migraine headache".
_SAYS_PREVENTION = re.compile(r"\bprevent\w*|\bprophyla\w*|\breduc\w* (?:the )?(?:frequen\w*|number|risk|"
                              r"occurr\w*|recurr\w*)|\bmainten\w*", re.IGNORECASE)
_SAYS_ACUTE = re.compile(r"\bacut\w*|\breli(?:ef|ev\w*)|\babort\w*|\brescu\w*", re.IGNORECASE)


def aim_asked(question: str) -> Aim:
    """The aim the question asks for: prevention, acute treatment, or either (neither said, or both)."""
    prevention = _ASKS_PREVENTION.search(question) is not None
    acute = _ASKS_ACUTE.search(question) is not None
    if prevention == acute:
        return Aim.ANY
    return Aim.PREVENTION if prevention else Aim.ACUTE


def aims_said(words_before_condition: str) -> frozenset[Aim]:
    """The aims an indication's words before the condition name (empty: it says neither)."""
    said = set()
    if _SAYS_PREVENTION.search(words_before_condition):
        said.add(Aim.PREVENTION)
    if _SAYS_ACUTE.search(words_before_condition):
        said.add(Aim.ACUTE)
    return frozenset(said)


def aim_fit(asked: Aim, said: frozenset[Aim]) -> int | None:
    """How an indication's aims fit the asked one: 1 it says the asked aim, 0 it says none (or none asked),
    None it says only the other aim (an acute treatment for a prevention question: not listed)."""
    if asked is Aim.ANY or not said:
        return 0
    return 1 if asked in said else None
