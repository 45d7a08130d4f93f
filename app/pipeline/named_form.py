"""A dose-form word that picks one of the medicines a turn names by the form word said after it (session 9,
consult_dev_wrongmed_s9): "I'm on estradiol tablets and progesterone capsules for HRT. Should the capsules be taken
at bedtime?" asks of progesterone; tablets and capsules are both taken by mouth, so the form's kind
(app.pipeline.context.FORM_WORDS) cannot tell them apart, the word itself can."""

from __future__ import annotations

import re

from app.pipeline.context import FORM_WORDS

_FORM_WORD = {w for words in FORM_WORDS.values() for w in words if w not in ("eye", "ear", "topical")}
_WORD = re.compile(r"[a-z]+")


def _singular(word: str) -> str:
    return word[:-2] if word.endswith("ches") else word[:-1] if word.endswith("s") else word


def form_word(text: str) -> str | None:
    """The first dose-form word of a text ("the capsules" -> "capsule"), singular; None when it says none."""
    return next((_singular(w) for w in _WORD.findall(text.casefold()) if w in _FORM_WORD), None)


def said_with_form(text: str, surface: str, word: str) -> bool:
    """Whether the text names `surface` with the form word right after it (a word between allowed: "progesterone
    100 mg capsules" is not, "progesterone soft capsules" is)."""
    names = r"\W+".join(map(re.escape, surface.casefold().split()))
    for found in re.finditer(rf"\b{names}\b", text.casefold()):
        after = _WORD.findall(text.casefold()[found.end():])[:2]
        if any(_singular(w) == word for w in after):
            return True
    return False
