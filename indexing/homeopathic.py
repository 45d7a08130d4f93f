"""Recognise homeopathic products among the OTC labels.

A homeopathic label ("Quinine Salicylate" pellets, "Arnicare Leg Cramps") shares its ingredient words with
real medicines but is not them: a question about quinine for leg cramps must not be answered from pellets
"dissolved under the tongue". The labels carry no flag of their own, so it is read from their text: the
pharmacopoeia mark (HPUS), the word itself, potency notation ("6C", "30X") or pellets dissolved under the
tongue. Prescription labels are never homeopathic here: "14 C" is their radiolabel and pellets their capsules'
contents.
"""

from __future__ import annotations

import re

from indexing.schema import Medicine

_MARK = re.compile(r"\bHPUS\b|\bhomeopathic\b", re.IGNORECASE)
_POTENCY = re.compile(r"\b\d{1,4} ?(?:C|X|CH|LM)\b")
_PELLETS_UNDER_TONGUE = re.compile(r"\bpellets?\b[^.]{0,60}\bunder the tongue\b", re.IGNORECASE)
_PRESCRIPTION = "HUMAN PRESCRIPTION DRUG"


def is_homeopathic(med: Medicine) -> bool:
    if med.product_type == _PRESCRIPTION:
        return False
    text = " ".join(med.sections.values())
    return bool(_MARK.search(text) or len(_POTENCY.findall(text)) >= 2 or _PELLETS_UNDER_TONGUE.search(text))
