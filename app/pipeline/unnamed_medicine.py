"""A question about the user's own medicine that names none, when the conversation has named none either ("I've
been feeling dizzy since I started my new pills", "新开的药吃了头晕"): no label can be chosen by its words, so
the turn asks which medicine, instead of answering that the database has no evidence.

A kind of medicine ("my blood pressure pills", "my birth control pill") is asked back by app.pipeline.
class_question and app.pipeline.lay_products with examples; this is the question back when not even a kind is
said.
"""

from __future__ import annotations

import re

_OWN_UNNAMED_EN = re.compile(
    r"\b(?:my|his|her|their|our) (?:new |current |usual |regular |daily |other |morning |evening |night )?"
    r"(?:pills?|tablets?|meds|medicines?|medications?|prescriptions?|capsules?|tabs)\b|"
    r"\b(?:the|these|those) new (?:pills?|tablets?|meds|medicines?|medications?)\b",
    re.IGNORECASE)
_OWN_UNNAMED_ZH = re.compile(
    r"(?:新开的|刚开的|我吃的|我在吃的|正在吃的|医生开的|他吃的|她吃的)(?:这个|那个|这些|那些|这种|那种)?药")

ASK_EN = ("Which medicine do you mean? Tell me its name, as it is written on the box or the pharmacy label, and I "
          "will look it up in its label.")
ASK_ZH = "您说的是哪种药？请告诉我药名（药盒或处方上写的名字），我来查它的说明书。"


def own_medicine_unnamed(question: str) -> bool:
    """Whether the question speaks of someone's own medicine without naming it."""
    return bool(_OWN_UNNAMED_EN.search(question) or _OWN_UNNAMED_ZH.search(question))
