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
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import lru_cache

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
    r"\b(?:should|must) not be (?:used|given|taken|administered|ingested|consumed|combined)\b|\bnot recommended\b|"
    # "ethanol must not be ingested by female patients ..." (acitretin), "patients must not drink alcohol"
    r"\bmust not (?:use|take|drink|ingest|consume|combine)\b|"
    # "Warn patients against excessive alcohol intake", "counsel patients against ..."
    r"\b(?:warn|caution|counsel|advise)\w* (?:\w+ ){0,2}?against\b",
    re.IGNORECASE,
)
# What to do about it (stop, lower the dose, watch): decisive, after what happens and what must not be done.
# ("Initiate SILDENAFIL ORAL FILM at 25 mg orally in patients on concomitant therapy with an alpha-blocker")
ADVICE = re.compile(r"\bdiscontinue\b|\breduce (?:the )?\w* ?dose\b|\bdose reduction\b|\bmonitor\b|"
                    r"\b(?:initiate|start)\w*\b[^.]{0,60}\bat (?:a |the )?(?:\d|lowest|lower|reduced)", re.IGNORECASE)
DIRECTIVE = re.compile(f"{PROHIBITION.pattern}|{ADVICE.pattern}", re.IGNORECASE)
# A mechanism alone (enzymes, transporters, exposure): true, but not what the patient must know first.
MECHANISM = re.compile(
    r"\bcyp\s?\d\w*|\bp-?gp\b|\bplasma concentrations?\b|\bauc\b|\bc ?max\b|\bexposure\b|"
    r"\bpharmacokinetic\w*|\bmetaboli[sz]\w*|\bclearance\b|\bprotein binding\b|\bisozymes?\b",
    re.IGNORECASE,
)

CONSEQUENCE_WEIGHT = 1.5
# What a sentence naming the other medicine by its own name gains over one naming only a class it is in: lisinopril's
# "Potassium-sparing diuretics (spironolactone, ...) can increase the risk of hyperkalemia" before its warning on
# patients "treated vigorously with diuretics" for an Aldactone question.
NAMED_BONUS = 1.0
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
_QUALIFIERS = ("macrolide", "penicillin", "sulfonamide", "aminoglycoside", "quinolone", "cephalosporin",
               "tetracycline", "beta-lactam", "azole", "triazole", "imidazole", "polyene", "echinocandin")
_UNQUALIFIED = "".join(f"(?<!{q} )(?<!{q}-)" for q in _QUALIFIERS)
# nor a table row's heading before the qualified class it is about ("Antibiotics Macrolide antibiotics have been
# reported to ...")
_NOT_HEADING = "(?!\\s+(?:" + "|".join(_QUALIFIERS) + ")\\b)"
EXTRA_CLASSES: dict[str, re.Pattern[str]] = {
    key: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    for key, pattern in {
        "triptan": r"triptans?|5-?ht1b?/?1?d? (?:receptor )?agonists?",
        "sulfonamide": r"sulfonamides?(?: antibiotics?| antibacterials?| antimicrobials?)?",
        "azole_antifungal": r"azole anti-?fungals?|(?:systemic )?azoles|(?:select )?azole anti-?fungal agents?",
        "potassium_sparing": r"potassium[- ]sparing diuretics?|aldosterone antagonists?|"
                             r"mineralocorticoid receptor antagonists?",
        "qt_prolonging": rf"{_QT_DRUGS}|qtc?[- ]prolonging (?:drugs?|agents?|medications?)",
        # unqualified: "macrolide antibiotics" and "azole antifungals" are not every antibiotic or antifungal
        "antifungal": rf"{_UNQUALIFIED}anti-?fungals?(?: agents?| drugs?| medications?)?{_NOT_HEADING}",
        "antibiotic": rf"{_UNQUALIFIED}(?:antibiotics?|antibacterials?(?: agents?| drugs?)?){_NOT_HEADING}",
        # the pill as people say it and as labels write it ("oral hormonal contraceptives")
        "hormonal_contraceptive": r"(?:oral )?(?:hormonal |steroidal )?contraceptives?(?: pills?| tablets?)?|"
                                  r"birth[- ]control(?: pills?| tablets?)?|combined (?:oral contraceptive )?pills?|"
                                  r"mini[- ]?pills?|progest(?:in|ogen)[- ]only pills?|on the pill",
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
    (re.compile(r"antifungal", re.IGNORECASE), "antifungal"),
    (re.compile(r"antibacterial|antimicrobial|antibiotic", re.IGNORECASE), "antibiotic"),
)
# A declared enzyme inhibitor ("Cytochrome P450 2C9 Inhibitors [MoA]") and how labels name its kind: "CYP2C9
# inhibitors", "strong CYP3A inhibitors", "Inhibitors of CYP2C9, 1A2, and/or 3A4", "a CYP2C9, 1A2, and/or 3A4
# inhibitor".
_DECLARED_ENZYME = re.compile(r"cytochrome p450 (\d[a-z]\d*) inhibitor", re.IGNORECASE)
_CYP = r"(?:cyp|cytochrome p450)\s?"
_ENZYME_LIST = r"(?:\d[a-z]\d*\s*(?:,\s*(?:and/or|and|or)?|and/or|and|or)\s*(?:cyp)?\s*)*"
_ENZYME_TAIL = r"(?:\s*(?:,\s*(?:and/or|and|or)?|and/or|and|or)\s*(?:cyp)?\s*\d[a-z]\d*)*"


def enzyme_inhibitor_patterns(declared: Iterable[str]) -> list[re.Pattern[str]]:
    """How labels name the enzyme inhibitors a medicine is declared to be (fluconazole: CYP2C9, 2C19, 3A4)."""
    out = []
    for enzyme in sorted({m.group(1).casefold() for name in declared for m in _DECLARED_ENZYME.finditer(name)}):
        e = "3a4?" if enzyme == "3a4" else re.escape(enzyme)
        out.append(re.compile(rf"\b{_CYP}{_ENZYME_LIST}{e}{_ENZYME_TAIL}\s+inhibitors?\b|"
                              rf"\binhibitors?\s+(?:and inducers\s+)?of\s+{_CYP}{_ENZYME_LIST}{e}\b", re.IGNORECASE))
    return out


# A question asking about taking something with another ("is adding another QT-prolonging drug a problem?").
_ALONGSIDE = re.compile(r"\b(?:with|together|another|add(?:ing|ed)?|combin\w*|alongside|plus|on top of|"
                        r"same time|i'?m on|i am on|i take|while on|while taking)\b", re.IGNORECASE)


def classes_asked(question: str, interactions: bool, classes: Mapping[str, re.Pattern[str]],
                  own: Callable[[], Collection[re.Pattern[str]]] = tuple) -> list[re.Pattern[str]]:
    """The classes a question names as the other medicine ("another QT-prolonging drug", "an NSAID with my
    lisinopril", "I'm on warfarin. Is it ok to take an antibiotic?") when it asks about taking them together: the
    interactions section, words for alongside, or a medicine the user is on. A class of the asked medicine's own
    (`own`, asked only when the question names a class) is that medicine ("can statins cause muscle pain? I'm on
    atorvastatin"), unless "another" one."""
    if not interactions and not _ALONGSIDE.search(question):
        return []
    named = [(pattern, found) for pattern in classes.values() if (found := pattern.search(question)) is not None]
    if not named:
        return []
    mine = own()
    return [pattern for pattern, found in named if pattern not in mine or _ANOTHER.search(question[:found.start()])]


_ANOTHER = re.compile(r"\b(?:another|other)\s+$", re.IGNORECASE)


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
    before_other = _name_before_other(tuple(forms))
    bodies = _class_bodies(classes)
    out = set()
    # Only where the label says "other": one search over the whole label per class was ~100 ms a partner.
    for other in _OTHER.finditer(label):
        after = label[other.end():other.end() + _AFTER_OTHER]
        found = {key for key, body in bodies if key not in out and body.match(after)}
        if found and before_other.search(label[max(0, other.start() - _BEFORE_OTHER):other.end()]):
            out |= found
    return out


@lru_cache(maxsize=512)
def _name_before_other(forms: tuple[str, ...]) -> re.Pattern[str]:
    """A medicine's names just before "other " (compiled once per medicine: ~6 ms a compile, a few per turn)."""
    name = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    return re.compile(rf"\b(?:{name})\b{_NAME_TO_OTHER}$", re.IGNORECASE)


def _body(pattern: re.Pattern[str]) -> str:
    return pattern.pattern.removeprefix(r"\b(?:").removesuffix(r")\b")


_OTHER = re.compile(r"\bother\s+", re.IGNORECASE)
_BEFORE_OTHER = 240  # the name and up to four salt/form words before "other"
_AFTER_OTHER = 120
_BODIES: dict[tuple[tuple[str, re.Pattern[str]], ...], tuple[tuple[str, re.Pattern[str]], ...]] = {}


def _class_bodies(classes: Mapping[str, re.Pattern[str]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each class's words as a pattern matched where "other " ends (compiled once per class table, by content:
    callers pass a table built afresh)."""
    table = tuple(classes.items())
    bodies = _BODIES.get(table)
    if bodies is None:
        bodies = tuple((key, re.compile(f"(?:{_body(pattern)})" + r"\b", re.IGNORECASE)) for key, pattern in table)
        _BODIES[table] = bodies
    return bodies


def unknown_partner(said: str) -> str:
    """A medicine the database lacks as the distiller reports it ("Lithium", "zorvalex (did you mean ...?)"): the
    name a label would use for it."""
    return split_described(said)[0].casefold()


_DESCRIBED = re.compile(r"^(.*?)(?: \((.*)\)|（(.*)）)$", re.S)


def split_described(said: str) -> tuple[str, str | None]:
    """A product as the distiller describes it -> (its name, what the brackets say or None): "Percocet (oxycodone
    and acetaminophen)", and in a Chinese answer's full-width brackets, 钙尔奇D（calcium carbonate）."""
    match = _DESCRIBED.match(said.strip())
    if match is None:
        return re.split(r" \(|（", said, maxsplit=1)[0].strip(), None
    return match.group(1).strip(), (match.group(2) if match.group(2) is not None else match.group(3)).strip()


def silent_partner_notice(silent: list[tuple[str, list[str]]], language: str) -> str:
    """What the answer says when a label does not name the other medicine of an interaction question, nor a class
    it is in: `silent` pairs each such label's medicine with the medicines it is silent on (display names)."""
    if language == "zh":
        said = "；".join(f"数据库中{name}的说明书没有提到{'、'.join(of)}" for name, of in silent)
        return f"{said}。能否同时使用，请咨询药师或医生。"
    said = " ".join(f"{name}'s label in the medicine database does not mention {' or '.join(of)}."
                    for name, of in silent)
    return f"{said} Ask a pharmacist or doctor whether they can be taken together."


_INGREDIENT_SEPARATOR = re.compile(r"\s*(?:,|\band\b|/|\+)\s*", re.IGNORECASE)


def described_ingredients(said: str) -> list[str]:
    """What a product the database lacks is made of, as the distiller describes it ("Percocet (oxycodone and
    acetaminophen)" -> oxycodone, acetaminophen); nothing for a guess ("zorvalex (did you mean ...?)")."""
    inside = split_described(said)[1]
    if inside is None or inside.casefold().startswith("did you mean"):
        return []
    return [part.casefold() for part in _INGREDIENT_SEPARATOR.split(inside) if len(part) >= 3]


# -- a long list that names the other medicine -----------------------------------------------------------
# "Some examples of drugs that are contraindicated for coadministration with itraconazole capsules are: methadone,
# ..., lovastatin, simvastatin, avanafil, ..." is too long to quote (compose.MAX_SENTENCE), and its shortened form
# keeps only the first items: the items naming the other medicine are quoted under the list's head.
_MAX_HEAD = 200


def list_items(text: str) -> list[str]:
    """A list's items at the top level (commas inside parentheses stay in their item), "and"/"or" dropped."""
    items: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [re.sub(r"^(?:and|or)\s+", "", item.strip()) for item in items if item.strip()]


def list_excerpt(sentence: str, names_partner: Callable[[str], bool]) -> str | None:
    """"<head>: <the items naming the partner>, and others." for a "<head>: a, b, c, ..." sentence; None when it
    is not such a list, or no item (or every item) names the partner."""
    head, colon, rest = sentence.partition(": ")
    if not colon or len(head) > _MAX_HEAD or not head[:1].isupper():
        return None
    items = list_items(rest.rstrip(" ."))
    kept = [item for item in items if names_partner(item)]
    if not kept or len(kept) == len(items):
        return None
    return f"{head}: {', '.join(kept)}, and others."


# A Drug Facts warning's "The chance is higher if you: are age 60 or older have had stomach ulcers ... take a blood
# thinning (anticoagulant) or steroid drug ..." lost its bullets; each item starts with its verb.
_RISK_LIST = re.compile(r"^The chance (?:of this )?is (?:higher|greater) if you: (?P<items>.+?)\.?$")
_WARNING_HEADING = re.compile(r"\b[A-Z][a-z]+(?: [a-z]+){0,3} (?:warning|alert):")
_ITEM_VERB = re.compile(r"\s+(?=(?:are|have|had|take|use|get|drink)\s)")


def risk_list_excerpt(before: str, sentence: str, names_partner: Callable[[str], bool]) -> str | None:
    """The warning `before` with the items of its "The chance is higher if you: ..." list that name the other
    medicine ("... may cause severe stomach bleeding. The chance is higher if you take a blood thinning
    (anticoagulant) or steroid drug."); None for another sentence, or a list none of whose items names it."""
    found = _RISK_LIST.match(sentence)
    if found is None or not before:
        return None
    items: list[str] = []
    for piece in _ITEM_VERB.split(found["items"]):
        if items and len(items[-1].split()) == 1:  # "have" of "have had stomach ulcers"
            items[-1] = f"{items[-1]} {piece}"
        else:
            items.append(piece)
    kept = [item.strip() for item in items if names_partner(item)]
    if not kept:
        return None
    headings = list(_WARNING_HEADING.finditer(before))
    if headings:  # "Allergy alert: ... (wheezing) Stomach bleeding warning: This product ...": from the last heading
        before = before[headings[-1].start():]
    return f"{before.strip()} The chance is higher if you {' or '.join(kept)}."


# The other medicine named only as what a reaction followed or an allergy is to ("patients who have experienced
# asthma, urticaria, or allergic-type reactions after taking aspirin", "allergic to aspirin"): a contraindication
# for someone allergic to it, not what happens when someone who takes it daily adds this medicine.
_REACTION_TO = re.compile(
    r"\b(?:allerg\w*|hypersensitiv\w*|anaphyla\w*|urticaria|idiosyncratic)\b[^.;]{0,80}?"
    r"\b(?:after|to|following)\s+(?:taking\s+|the use of\s+)?[a-z]", re.IGNORECASE)
ASKS_ALLERGY = re.compile(r"\ballerg|\bhypersensitiv|\breaction|\bhives\b|\brash\b|过敏", re.IGNORECASE)


def reaction_to_partner(text: str) -> bool:
    """Whether the sentence speaks of an allergy or a reaction to another medicine (`_REACTION_TO`)."""
    return _REACTION_TO.search(text) is not None
