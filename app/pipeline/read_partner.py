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
