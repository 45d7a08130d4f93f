"""A missed dose the label is silent on: say so, and quote no unrelated dosing line.

Many labels say nothing about a missed dose (levothyroxine's does not). Asked "I missed my levothyroxine dose",
the reader used to quote the label's general administration lines, which read as advice they are not. When the
asking turn is about a missed or forgotten dose and no sentence of the medicine's label speaks of one, the
reader quotes nothing from that label and a notice says the label is silent and who to ask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.pipeline import phrases

# "I missed my dose", "forgot to take it", "skipped this morning's pill", 漏服, 忘了吃.
_ASKS_MISSED = re.compile(
    r"\bmiss(?:ed|ing)?\b(?:\s+\w+){0,3}\s+(?:dose|doses|pill|pills|tablet|tablets|capsule|capsules|injection|shot)\b|"
    r"\bmissed (?:it|one)\b|\bforg[eo]t(?:ten)?\b|"
    r"\bskip(?:ped|ping)?\b(?:\s+\w+){0,3}\s+(?:dose|pill|tablet|capsule)s?\b|"
    r"漏服|漏吃|忘(?:了|记)(?:吃|服)", re.I)
# A label sentence about a dose not taken when it should have been.
_SPEAKS_MISSED = re.compile(r"\bmiss(?:ed|es)?\b|\bforg[eo]t|\bskip(?:ped|s)?\b|\bas soon as (?:you )?remember|"
                            r"\bnot taken at the scheduled time|\bdose is not taken\b|漏服", re.I)


def asks_missed_dose(question: str) -> bool:
    """Whether the asking turn is about a missed or forgotten dose."""
    return _ASKS_MISSED.search(question) is not None


def label_speaks_of_missed(sentences: Iterable[str]) -> bool:
    """Whether any of a label's sentences speaks of a missed dose."""
    return any(_SPEAKS_MISSED.search(s) is not None for s in sentences)


def silent_notice(name: str, language: phrases.Language) -> str:
    """The notice for a label that says nothing about a missed dose."""
    if language == "zh":
        return f"数据库中{name}的说明书没有说明漏服后该怎么办。请咨询药师或医生。"
    return (f"{name}'s label in the medicine database does not say what to do about a missed dose. "
            "Ask a pharmacist or doctor.")
