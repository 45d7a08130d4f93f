"""Allergies as people type them: "im alergic to penicilin" is an allergy to penicillin.

The allergy word ("alergic", "allergick", "alergies") and the allergen ("penicilin", "sulpha", "amoxicilin")
are read with the misspelling tolerance names get (app.pipeline.lexicon): an allergy word within one or two
edits of allergic/allergy/allergies, starting as they do; an allergen word within the same distance of an
allergen people name (drug classes and the common allergens), else the medicine the lexicon resolves it to.
The conversation context (app.pipeline.context) reads allergies through `spell_allergy_words` and keeps each
allergen as `respell_allergen` gives it, so the allergy alert (app.records.mag) matches names and classes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

if TYPE_CHECKING:
    from app.pipeline.lexicon import MedicineLexicon

_ALLERGY_FORMS = ("allergic", "allergy", "allergies")
# Allergens people name by class or substance; the classes are those app.records.interactions matches.
ALLERGEN_WORDS: tuple[str, ...] = (
    "penicillin", "penicillins", "amoxicillin", "ampicillin", "cephalosporin", "cephalosporins", "sulfa",
    "sulfonamide", "sulfonamides", "aspirin", "ibuprofen", "nsaid", "nsaids", "codeine", "morphine", "opioids",
    "latex", "iodine", "erythromycin", "tetracycline", "macrolides", "quinolones", "fluoroquinolones",
    "lidocaine", "novocaine", "contrast", "shellfish", "eggs", "peanuts", "gluten", "lactose", "acetaminophen",
    "paracetamol", "naproxen", "statins", "insulin", "heparin", "vancomycin", "clindamycin", "doxycycline",
)
# (a clinician's "allergic to pen", "PCN allergy": penicillin, said only of an allergy)
_SPELLED_AS = {"sulpha": "sulfa", "sulphonamide": "sulfonamide", "sulphonamides": "sulfonamides",
               "pen": "penicillin", "pcn": "penicillin"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# Allergens people name by a word labels do not use, with the labels' word: a sulfa allergy is what labels
# contraindicate as "hypersensitivity to ... sulfonamides" (Bactrim); "sulfa drugs/antibiotics" is the same.
_LABELS_SAY = ((re.compile(r"\bsulfa(?:\s+(?:drugs?|medicines?|medications?|meds|antibiotics?|pills?))?\b",
                           re.IGNORECASE), "sulfonamides"),)


def _near(word: str, target: str) -> bool:
    edits = 1 if len(target) <= 6 else 2
    return word[:2] == target[:2] and Levenshtein.distance(word, target, score_cutoff=edits) <= edits


def _allergy_form(word: str) -> str | None:
    lowered = word.casefold()
    if len(lowered) < 5 or lowered in _ALLERGY_FORMS:
        return None
    return next((form for form in _ALLERGY_FORMS if _near(lowered, form)), None)


def spell_allergy_words(text: str) -> str:
    """The text with misspelt allergy words written as allergic/allergy/allergies ("alergic" -> "allergic");
    every other character as it was."""
    return _WORD.sub(lambda m: _allergy_form(m.group(0)) or m.group(0), text)


def _allergen_word(word: str) -> str:
    lowered = word.casefold()
    if lowered in _SPELLED_AS:
        return _SPELLED_AS[lowered]
    if len(lowered) < 4 or lowered in ALLERGEN_WORDS:
        return word
    near = [w for w in ALLERGEN_WORDS if _near(lowered, w)]
    return min(near, key=lambda w: (Levenshtein.distance(lowered, w), w)) if near else word


def respell_allergen(allergen: str, lexicon: MedicineLexicon | None = None) -> str:
    """What the user is allergic to, spelt as the alert matches it: class and common allergen words within
    the misspelling tolerance ("penicilin" -> "penicillin"), lay allergen words as labels write them
    ("sulfa drugs" -> "sulfonamides"), then a medicine name the lexicon reads through a
    misspelling ("amoxicilin" -> "amoxicillin"); anything else as said."""
    spelt = _WORD.sub(lambda m: _allergen_word(m.group(0)), allergen)
    for said, label_word in _LABELS_SAY:
        spelt = said.sub(label_word, spelt)
    if lexicon is None:
        return spelt
    for match in lexicon.find(spelt):
        if match.how == "fuzzy" and match.medicine_id is not None:
            spelt = spelt.replace(match.surface, lexicon.names.get(match.medicine_id, match.surface).casefold())
    return spelt
