"""A label quoted for another dose form than the one the user has.

The database holds one label per medicine, often of one product: fentanyl's is an injection. Asked "I use a
fentanyl patch. Can I shower with it on?", the reader quotes the injection's dosing, which says nothing of a
patch (the notes of session 19). When the user gives the medicine a form word ("fentanyl patch", "the
ibuprofen tablets") whose route the label's product does not have, the answer says which product the label is
for, so its text is not taken for the user's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.pipeline.context import FORM_WORDS, ConversationContext

# The routes of a product of each form the conversation context tells (app.pipeline.context.FORM_WORDS); drops
# may be for the eye, the ear or the mouth, so they are not checked.
_ROUTES_OF_FORM: dict[str, frozenset[str]] = {
    "topical": frozenset({"TOPICAL", "TRANSDERMAL", "CUTANEOUS", "VAGINAL", "RECTAL"}),
    "inhaled": frozenset({"RESPIRATORY (INHALATION)", "NASAL", "INHALATION"}),
    "injected": frozenset({"SUBCUTANEOUS", "INTRAVENOUS", "INTRAMUSCULAR", "INTRADERMAL", "INTRAVITREAL",
                           "INTRA-ARTICULAR", "INTRATHECAL", "EPIDURAL", "PERINEURAL", "INFILTRATION",
                           "INTRAVASCULAR", "INTRA-ARTERIAL", "INTRALESIONAL", "SOFT TISSUE", "INTRACAUDAL"}),
    "oral": frozenset({"ORAL", "SUBLINGUAL", "BUCCAL"}),
}
_HOW_GIVEN = {
    "ORAL": "taken by mouth", "SUBLINGUAL": "taken under the tongue", "BUCCAL": "taken in the cheek",
    "INTRAVENOUS": "injected", "INTRAMUSCULAR": "injected", "SUBCUTANEOUS": "injected", "INTRADERMAL": "injected",
    "TOPICAL": "applied to the skin", "TRANSDERMAL": "applied to the skin", "CUTANEOUS": "applied to the skin",
    "OPHTHALMIC": "put in the eye", "OTIC": "put in the ear", "NASAL": "sprayed in the nose",
    "RESPIRATORY (INHALATION)": "inhaled", "RECTAL": "given rectally", "VAGINAL": "used vaginally",
}
_WORD = re.compile(r"[a-z]+")


def _said_word(text: str, form: str) -> str:
    """The form word the user wrote ("patches" -> "patch"), the form's first word when none is found."""
    words = FORM_WORDS[form]
    found = next((w for w in _WORD.findall(text.casefold()) if w in words), None) or sorted(words)[0]
    return found[:-2] if found.endswith("ches") else found[:-1] if found.endswith("s") and found != "gas" else found


def form_notice(conversation: ConversationContext | None, cited: Iterable[str], user_text: str,
                routes_of: Callable[[str], tuple[str, ...]], name_of: Callable[[str], str]) -> str:
    """The notice for a cited label whose product is given another way than the form the user gave that
    medicine ("fentanyl patch" read from an injection's label); "" when none is. `user_text`: the user's turns."""
    if conversation is None:
        return ""
    forms = {m.medicine_id: m.form for m in reversed(conversation.latest()) if m.medicine_id and m.form}
    for mid in cited:
        form = forms.get(mid)
        if form not in _ROUTES_OF_FORM:
            continue
        routes = set(routes_of(mid))
        if not routes or routes & _ROUTES_OF_FORM[form]:
            continue
        given = sorted({_HOW_GIVEN.get(r, r.casefold()) for r in routes})
        word = _said_word(user_text, form)
        if word == "spray":
            continue  # a spray may be for the nose, the mouth or the skin
        how = " or ".join(given)
        article = "an" if word[:1] in "aeiou" else "a"
        return (f"{name_of(mid)}'s label in the medicine database is for a product that is {how}, not {article} "
                f"{word}: "
                f"what it says may not hold for the {word}. Ask a pharmacist about the {word} you have.")
    return ""
