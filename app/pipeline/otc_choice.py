"""Which of an ingredient's two labels answers a dose question: the prescription label or the OTC Drug Facts
label (the corpus build keeps both: `ibuprofen` and `ibuprofen-otc`, indexing.corpus).

"What's the max ibuprofen a day?" asked by someone treating their own headache is answered by the Drug Facts
("do not exceed 6 tablets in 24 hours"), not by the prescribing information's 3,200 mg/day, which applies only
under a doctor's supervision. A question that says the medicine was prescribed, or names a strength the OTC
label does not sell (ibuprofen 800 mg), is about the prescription label. Only how much, how often and how long
are chosen this way: for interactions, pregnancy or side effects the prescription label is the fuller one.
Staying on it for months or years is a prescriber's course too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.pipeline.state import SearchQuery
from indexing.schema import Attribute

OTC_SUFFIX = "-otc"
_DOSE_SECTIONS = frozenset({Attribute.DOSAGE.value, Attribute.PEDIATRIC.value})
_PRESCRIBED = re.compile(
    r"\bprescri(?:bed|ption|be)\b|\brx\b|\bmy (?:doctor|gp|physician|consultant|rheumatologist|dentist|surgeon)\b|"
    r"\bdoctor (?:gave|put|started|told|said|wants)\b|\b(?:was|been|got) (?:put on|given|started on)\b|\bpt\b|"
    r"\bpatient\b|医生开|处方|医嘱",
    re.IGNORECASE)
# How long one may stay on it ("how long can I keep taking it?", "is it ok for years?"): the Drug Facts' 14-day
# course answers self-care; staying on it is a prescriber's course, which the prescription label describes.
_LONG_TERM = re.compile(
    r"\bfor (?:months|years|life|the rest of)\b|\bkeep(?:ing)? (?:on )?(?:taking|using)\b|\bstay(?:ing)? on\b|"
    r"\blong[- ]?term\b|\bindefinitely\b|\bforever\b|\bevery day for (?:months|years)\b|\bcontinu(?:e|ing) (?:to )?"
    r"(?:tak|us)ing\b|长期|一直吃|一直服用",
    re.IGNORECASE)
# A dose form the user has in hand: the OTC label that sells no such form is not theirs ("open the omeprazole
# capsules": the Drug Facts sell tablets).
_FORM = re.compile(r"\b(capsule|tablet|caplet|liquid|suspension|syrup|solution|injection|patch|cream|gel|ointment|"
                   r"drops|inhaler|spray|suppositor|granule|chewable|lozenge)", re.IGNORECASE)
_STRENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(?:mg|milligrams?)\b|(\d+(?:\.\d+)?)\s*毫克", re.IGNORECASE)


def self_care_label(query: SearchQuery, user_text: str, has_medicine: Callable[[str], bool],
                    otc_text: Callable[[str], str]) -> SearchQuery:
    """`query` with its medicine replaced by the OTC label when it asks how much of an ingredient that has one
    and nothing said points at the prescription. `has_medicine`: whether the database holds an id;
    `otc_text`: the OTC label's text (the strengths it sells)."""
    if query.medicine is None or query.attribute not in _DOSE_SECTIONS or query.medicine.endswith(OTC_SUFFIX):
        return query
    otc = query.medicine + OTC_SUFFIX
    if not has_medicine(otc) or _PRESCRIBED.search(user_text) or _LONG_TERM.search(user_text):
        return query
    said = {a or b for a, b in _STRENGTH.findall(user_text)}
    if said:
        sold = {a or b for a, b in _STRENGTH.findall(otc_text(otc))}
        if not said <= sold:
            return query  # "ibuprofen 800 mg": a strength only a prescription gives
    forms = {form.casefold() for form in _FORM.findall(user_text)}
    if forms and not forms <= {form.casefold() for form in _FORM.findall(otc_text(otc))}:
        return query
    return SearchQuery(otc, query.attribute, query.keywords)
