"""Which sentence about the other medicine of an interaction question a label should be quoted by.

A label speaks of the other medicine in many ways: the decisive sentence names what happens to the patient
("may lead to severe hyperkalemia", "serotonin syndrome", "increase the risk of bleeding", "is
contraindicated"), while others only give the mechanism ("can increase the plasma concentration ... via
CYP2D6", "Table 1 provides recommendations for CYP3A4 inhibitors"). The reader weighs a sentence about the
partner by `partner_weight`: the consequence or the directive first, a bare mechanism last, and a long
sentence (a glued paragraph, a flattened table) a little below a short one saying the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from indexing.vocabulary import DOSE_FORM_WORDS, SALT_WORDS

# What happens to the patient when the two are taken together, in label words.
CONSEQUENCE = re.compile(
    r"\b(?:hyperkal[a]?emi\w*|hypokal[a]?emi\w*|bleed\w*|h[a]?emorrhag\w*|serotonin syndrome|"
    r"hypotensi\w*|respiratory depression|profound sedation|coma|death|fatal|myopathy|rhabdomyolysis|"
    r"seizures?|convulsions?|qt(?:c)?[- ]?(?:interval )?prolongation|torsades?|arrhythmi\w*|"
    r"lactic acidosis|hypoglyc[a]?emi\w*|toxicity|nephrotoxic\w*|renal (?:failure|impairment)|"
    r"neuroleptic malignant|hypertensive crisis|bradycardia|heart block|hyponatr[a]?emi\w*|"
    r"digoxin toxicity|bone marrow suppression|myelosuppression|agranulocytosis)",
    re.IGNORECASE,
)
# What must not be done: as decisive as a consequence.
PROHIBITION = re.compile(
    r"\bcontraindicated\b|\bdo not (?:use|take|give|exceed|administer)\b|\bavoid\b|"
    r"\bshould not be (?:used|given|taken|administered)\b|\bnot recommended\b",
    re.IGNORECASE,
)
# What to do about it (stop, lower the dose, watch): decisive, after what happens and what must not be done.
ADVICE = re.compile(r"\bdiscontinue\b|\breduce (?:the )?\w* ?dose\b|\bdose reduction\b|\bmonitor\b", re.IGNORECASE)
DIRECTIVE = re.compile(f"{PROHIBITION.pattern}|{ADVICE.pattern}", re.IGNORECASE)
# A mechanism alone (enzymes, transporters, exposure): true, but not what the patient must know first.
MECHANISM = re.compile(
    r"\bcyp\s?\d\w*|\bp-?gp\b|\bplasma concentrations?\b|\bauc\b|\bc ?max\b|\bexposure\b|"
    r"\bpharmacokinetic\w*|\bmetaboli[sz]\w*|\bclearance\b|\bprotein binding\b|\bisozymes?\b",
    re.IGNORECASE,
)

CONSEQUENCE_WEIGHT = 1.5
DIRECTIVE_WEIGHT = 1.0
MECHANISM_ONLY_PENALTY = 1.0
# Characters beyond which a sentence about the partner starts losing weight, and how much per 100 more.
LONG_SENTENCE = 220
LENGTH_PENALTY = 0.3
MAX_LENGTH_PENALTY = 1.2
# What an interaction answer over two labels takes off each label's share of the quotes for its lead line
# ("Spironolactone (DailyMed label), drug interactions:") and "Important:" mark, which the budget does not
# count: those answers ran 714 characters (median) on answers_blind_tune against the 600 the reader aims at.
PARTNER_LEAD_CHARS = 45


def partner_weight(text: str) -> float:
    """What a sentence naming the other medicine (or its class, or what its class adds) gains or loses:
    a consequence and a directive gain, a mechanism with neither loses, a long sentence loses a little."""
    consequence = CONSEQUENCE.search(text) is not None
    directive = DIRECTIVE.search(text) is not None
    weight = (CONSEQUENCE_WEIGHT if consequence else 0.0) + (DIRECTIVE_WEIGHT if directive else 0.0)
    if not consequence and not directive and MECHANISM.search(text) is not None:
        weight -= MECHANISM_ONLY_PENALTY
    excess = max(0, len(text) - LONG_SENTENCE)
    return weight - min(MAX_LENGTH_PENALTY, LENGTH_PENALTY * excess / 100)


def decisiveness(text: str) -> int:
    """0: says what happens ("severe hyperkalemia") or what must not be done ("contraindicated"); 1: only what
    to do about it ("discontinue potassium supplementation"); 2: neither (a mechanism, a study)."""
    if CONSEQUENCE.search(text) is not None or PROHIBITION.search(text) is not None:
        return 0
    return 1 if ADVICE.search(text) is not None else 2


def is_decisive(text: str) -> bool:
    """A sentence that says what happens or what to do (not only how)."""
    return CONSEQUENCE.search(text) is not None or DIRECTIVE.search(text) is not None


# -- classes the interaction sentences name that the shared class table lacks ------------------------------
# Labels speak of these by class ("SNRIs, TCAs, and triptans", "sulfonamide antibiotics", "drugs that prolong the
# QT interval", "potassium-sparing diuretics"); the medicine a user names is put in them by its name's stem, its
# declared pharmacologic classes, or what its own label says of itself.
_QT_DRUGS = (r"(?:drugs?|medications?|medicines?|agents?) (?:that|which|known to) (?:also )?(?:can )?"
             r"(?:prolong|increase|lengthen)s? (?:the )?qtc?(?:/qtc)?(?: interval)?")
EXTRA_CLASSES: dict[str, re.Pattern[str]] = {
    key: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    for key, pattern in {
        "triptan": r"triptans?|5-?ht1b?/?1?d? (?:receptor )?agonists?",
        "sulfonamide": r"sulfonamides?(?: antibiotics?| antibacterials?| antimicrobials?)?",
        "azole_antifungal": r"azole anti-?fungals?|(?:systemic )?azoles|(?:select )?azole anti-?fungal agents?",
        "potassium_sparing": r"potassium[- ]sparing diuretics?|aldosterone antagonists?|"
                             r"mineralocorticoid receptor antagonists?",
        "qt_prolonging": rf"{_QT_DRUGS}|qtc?[- ]prolonging (?:drugs?|agents?|medications?)",
    }.items()
}
# A word of the medicine's name -> its class ("sumatriptan", "fluconazole", "sulfamethoxazole").
_NAME_STEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\w+triptan$"), "triptan"),
    (re.compile(r"^\w+conazole$"), "azole_antifungal"),
    (re.compile(r"^sulfa\w+$|^sulfi\w*zole$"), "sulfonamide"),
)
# Declared pharmacologic class names (MedicineEntry.classes) -> the class.
_DECLARED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"sulfonamide", re.IGNORECASE), "sulfonamide"),
    (re.compile(r"azole antifungal", re.IGNORECASE), "azole_antifungal"),
    (re.compile(r"aldosterone antagonist|potassium[- ]sparing", re.IGNORECASE), "potassium_sparing"),
    (re.compile(r"serotonin 5-ht1", re.IGNORECASE), "triptan"),
)
# A label that warns of its own QT prolongation, or of taking it with *other* drugs that prolong it; a sentence
# saying there was none ("was not associated with QT prolongation") does not count.
_OWN_QT = re.compile(rf"\bother {_QT_DRUGS}|\bqtc?(?: interval)? prolongation\b|\bprolongs? the qtc?\b",
                     re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|without|neither|nor)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z-]*")
# Between a medicine's name and "other <class>" in its own label ("venlafaxine tablets, other SNRIs, or SSRIs"):
# only its salt and form words, a comma, "and"/"or" ("... with aspirin, NSAIDs, other antiplatelet drugs" is not).
_GAP_WORDS = "|".join(sorted(map(re.escape, SALT_WORDS | DOSE_FORM_WORDS | {"and", "or", "oral"}), key=len,
                             reverse=True))
_NAME_TO_OTHER = rf"(?:[\s,]+(?:{_GAP_WORDS})\b){{0,4}}[\s,]+other\s+"


def extra_classes(names: Iterable[str], declared: Iterable[str], label: str) -> set[str]:
    """The EXTRA_CLASSES a medicine is in: by a word of its names, by its declared class names, and QT-prolonging
    when its own label speaks of QT prolongation (not its absence) at least twice."""
    out = {key for name in names for word in _WORD.findall(name.casefold()) for stem, key in _NAME_STEMS
           if stem.match(word)}
    out |= {key for name in declared for pattern, key in _DECLARED if pattern.search(name)}
    if sum(1 for sentence in re.split(r"(?<=[.!?])\s+", label)
           if _OWN_QT.search(sentence) and not _NEGATION.search(sentence)) >= 2:
        out.add("qt_prolonging")
    return out | own_classes(names, label, EXTRA_CLASSES)


def own_classes(names: Iterable[str], label: str, classes: Mapping[str, re.Pattern[str]]) -> set[str]:
    """The classes a label puts its own medicine in by "<its name> ... other <class>" ("Neonates exposed to
    venlafaxine tablets, other SNRIs, or SSRIs"): a label says "other NSAIDs" of an NSAID. The name must come
    just before: "aspirin, NSAIDs, other antiplatelet drugs" in sertraline's label is not about sertraline."""
    forms = sorted({n.casefold() for n in names if len(n) >= 4}, key=len, reverse=True)
    if not forms or not label:
        return set()
    name = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    out = set()
    for key, pattern in classes.items():
        body = pattern.pattern.removeprefix(r"\b(?:").removesuffix(r")\b")
        if re.search(rf"\b(?:{name})\b{_NAME_TO_OTHER}(?:{body})\b", label, re.IGNORECASE):
            out.add(key)
    return out


def unknown_partner(said: str) -> str:
    """A medicine the database lacks as the distiller reports it ("Lithium", "zorvalex (did you mean ...?)"): the
    name a label would use for it."""
    return said.split(" (", 1)[0].strip().casefold()
