"""What the extractive reader knows about questions and label sentences besides their words.

- `conditions_in`: the conditions and populations the user states ("I have asthma", "for a 4 year old",
  "can I stop it?"), each with the words label sentences use for it and the sections that speak of it;
- `question_expansions`: the label's words for a patient's ("drowsy" -> somnolence, "stop" -> cessation,
  "look like" -> debossed), so a sentence that answers in label language is found;
- `key_sentence`: the shape of the sentence a section is usually asked for ("The recommended starting dose
  is ...", "The most common adverse reactions are ..."); `noise_penalty`: shapes a patient cannot use
  (flattened table rows, trial designs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.pipeline import zh_glossary
from indexing.text import tokenize

# Words of a question that say nothing about which sentence answers it.
QUESTION_NOISE = frozenset(tokenize(
    "take taking took can could safe safety okay ok fine use using used doctor prescribe prescribed want wants "
    "tell know need question medicine medication drug drugs pill pills tablet tablets mg please help thanks"))


@dataclass(frozen=True, slots=True)
class Condition:
    name: str
    terms: frozenset[str]
    sections: tuple[str, ...]


# (name, pattern over what the user said, words label sentences use for it, sections that speak about it).
_CONDITIONS: tuple[tuple[str, re.Pattern[str], str, tuple[str, ...]], ...] = (
    ("asthma", re.compile(r"\basthma|\bcopd\b|bronch", re.I), "asthma asthmatic bronchospasm bronchospastic bronchial",
     ("contraindications", "warnings")),
    ("pregnancy", re.compile(r"\bpregnan|expecting a baby|trying to conceive", re.I),
     "pregnancy pregnant fetal fetus", ("pregnancy", "boxed_warning", "warnings", "specific_populations")),
    ("breastfeeding", re.compile(r"breast ?feed|breast-?feeding|nursing|lactat|breast milk", re.I),
     "lactation breastfeeding breastfed nursing milk", ("lactation", "specific_populations", "warnings")),
    ("kidney", re.compile(r"\bkidney|\brenal\b|dialysis", re.I), "renal kidney creatinine dialysis",
     ("warnings", "dosage", "specific_populations", "contraindications")),
    ("liver", re.compile(r"\bliver\b|hepat|cirrho", re.I), "hepatic liver cirrhosis",
     ("warnings", "dosage", "specific_populations", "contraindications")),
    ("child", re.compile(r"\b\d{1,2}[- ](?:year|yr|month)s?[- ]old\b|\bchild|\bkids?\b|"
                         r"\bbaby\b|\binfant|\btoddler|\bmy (?:son|daughter)\b|\bpediatric|\bpaediatric", re.I),
     "pediatric children child infants weight kg", ("pediatric", "dosage")),
    ("adult", re.compile(r"\badults?\b|\bgrown[- ]ups?\b", re.I), "adult adults", ("dosage",)),
    # Labels dose some medicines by sex ("5 mg for women"); "woman" and "women" stem apart.
    ("women", re.compile(r"\bwom[ae]n\b|\bfemales?\b|\bmy wife\b", re.I), "women woman female females",
     ("dosage",)),
    # Heart conditions in a patient's words and in the label's, which contraindications name.
    ("coronary", re.compile(r"\bcoronary|\bheart attack|\bangina|\bmyocardial|\bheart disease|\bischemi|"
                            r"\bischaemi", re.I),
     "coronary ischemic ischemia myocardial infarction angina", ("contraindications", "warnings")),
    ("bradycardia", re.compile(r"\bslow (?:heart ?(?:rate|beat)|pulse)|\bbradycard|\bheart block|"
                               r"\b(?:heart ?rate|pulse) (?:is |of |around |about )*(?:[2-4]\d|5[0-5])\b", re.I),
     "bradycardia heart block sinus", ("contraindications", "warnings")),
    ("elderly", re.compile(r"\b(?:[6-9]\d|1[01]\d)[- ]years?[- ]old|\belderly\b|\bolder adult|\bgeriatric|"
                           r"\bi am (?:[6-9]\d)\b", re.I), "geriatric elderly older", ("geriatric", "dosage")),
    ("driving", re.compile(r"\bdrive\b|\bdriving\b|operate machinery|\bmachinery\b", re.I),
     "driving drive machinery operate somnolence dizziness drowsiness", ("warnings", "patient_counseling")),
    ("alcohol", re.compile(r"\balcohol|\bdrink(?:ing)?\b|\bbeer\b|\bwine\b", re.I), "alcohol ethanol",
     ("warnings", "interactions", "contraindications")),
    # Stopping a medicine: labels warn about abrupt cessation (beta blockers, anticonvulsants, steroids).
    ("stopping", re.compile(r"\bstop(?:ping|ped)?\b|\bquit(?:ting)?\b|\bcome off\b|\bcoming off\b|"
                            r"\bdiscontinu|\btaper|\bwean", re.I),
     "abrupt abruptly cessation discontinuation discontinuing withdrawal taper tapering",
     ("boxed_warning", "warnings", "dosage")),
)
_AGE = re.compile(r"\b(\d{1,2})[- ](?:year|yr)s?[- ]old\b|\bi(?:'m| am) (\d{2})\b", re.I)
_CHILD_WORD = re.compile(r"\bchild|\bkid|\bbaby|\binfant|\btoddler|\bmy (?:son|daughter)\b", re.I)
# Conditions whose matching warnings come first whatever was asked (the others steer the ranking only).
SAFETY_CONDITIONS = frozenset({"asthma", "pregnancy", "stopping"})
# Conditions that are not about the patient's health: a contraindication naming them is not "theirs".
NOT_HEALTH = frozenset({"driving", "child", "adult", "elderly", "stopping", "women"})


def conditions_in(dialogue_text: str) -> list[Condition]:
    """The conditions and populations the user states ("I have asthma", "for a 4 year old")."""
    ages = [int(a or b) for a, b in _AGE.findall(dialogue_text)]
    out = []
    for name, pattern, words, sections in _CONDITIONS:
        if name == "child":
            if ages and all(a >= 18 for a in ages) and not _CHILD_WORD.search(dialogue_text):
                continue
            if not pattern.search(dialogue_text) and not any(a < 18 for a in ages):
                continue
        elif name == "adult":
            grown = any(18 <= a < 65 for a in ages) and not _CHILD_WORD.search(dialogue_text)
            if not pattern.search(dialogue_text) and not grown:
                continue
        elif not pattern.search(dialogue_text):
            continue
        out.append(Condition(name, frozenset(tokenize(words)), sections))
    return out


# A patient's words -> the label's (both sides tokenised, so stems match).
_EXPANSIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bdrows|\bsleepy|\btired|\bsedat", re.I), "somnolence drowsiness sedation fatigue"),
    (re.compile(r"\bdizzy", re.I), "dizziness"),
    (re.compile(r"\blook(?:s)? like|\bcolou?r\b|\bshape\b|\bimprint|\bwhat does it look", re.I),
     "white round oval debossed imprinted engraved film-coated color scored"),
    (re.compile(r"\bbleed", re.I), "bleeding hemorrhage"),
    (re.compile(r"\bupset (?:my |the )?stomach|\bnause", re.I), "nausea gastrointestinal dyspepsia"),
    (re.compile(r"\ballerg", re.I), "hypersensitivity anaphylaxis allergic"),
    (re.compile(r"\bweight gain|\bgain weight", re.I), "weight increase"),
    (re.compile(r"\baddict|\bhabit[- ]forming|\bdependen", re.I), "abuse dependence addiction misuse"),
    (re.compile(r"\bmiss(?:ed)? (?:a )?dose|\bforgot", re.I), "missed dose"),
    (re.compile(r"\bfood\b|\bempty stomach|\bwith meals?\b", re.I), "food meals"),
    (re.compile(r"\bhow long\b", re.I), "duration days weeks"),
)


def question_expansions(question: str) -> set[str]:
    found = {t for pattern, words in _EXPANSIONS if pattern.search(question) for t in tokenize(words)}
    return found | set(tokenize(zh_glossary.label_words(question)))  # Chinese words -> an English label's


# The shape of the sentence a section is usually asked for.
_KEY_SENTENCE: dict[str, re.Pattern[str]] = {
    "dosage": re.compile(r"\b(?:recommended|usual|starting|initial|maximum)\b[^.]{0,40}\b(?:dose|dosage)\b|"
                         r"\b\d+(?:\.\d+)? ?(?:mg|mcg|g|units?)\b[^.]{0,60}\b(?:daily|once|twice|every|times)\b",
                         re.I),
    "adverse_reactions": re.compile(r"\bmost (?:common|frequent)(?:ly reported)? (?:adverse|side)|"
                                    r"\bcommon (?:adverse reactions|side effects)\b", re.I),
    "indications": re.compile(r"\bindicated (?:for|as|in)\b|\bused to treat\b", re.I),
    "contraindications": re.compile(r"\bcontraindicated\b|\bdo not (?:use|take)\b", re.I),
    "interactions": re.compile(r"\bconcomitant|\bcoadministration|\bco-administration|\bincrease[sd]? the risk\b",
                               re.I),
    "storage": re.compile(r"\bstore[sd]?\b|\b\d+\s*°\s*[CF]\b", re.I),
    "dosage_forms": re.compile(r"\b(?:tablets?|capsules?)\b[^.]{0,80}\b(?:white|yellow|pink|blue|orange|red|"
                               r"green|round|oval|debossed|imprinted|engraved)\b", re.I),
    "overdosage": re.compile(r"\boverdos[^.]{0,80}\b(?:poison control|medical help|emergency|symptoms)\b", re.I),
}
_TRIAL_DESIGN = re.compile(r"\bplacebo-controlled|\brandomi[sz]ed\b|\bdouble-blind|\bmedian (?:treatment|follow)|"
                           r"\bage range\b|\bmean age\b|\b\d+% (?:were )?(?:female|male|women|men|white|black)", re.I)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A sentence that leans on the one before it ("These effects are usually reversible.", "Because of these risks,
# ..."): quoted alone it says little, and the one before usually says it whole.
_BACK_REFERENCE = re.compile(r"^(?:(?:Because of|Due to|Given|Despite|For) )?(?:this|these|those|such|it|they)\b"
                             r"(?! (?:drug|medicine|medication|product)\b)", re.I)


def key_sentence(attribute: str | None, text: str) -> bool:
    pattern = _KEY_SENTENCE.get(attribute or "")
    return pattern is not None and pattern.search(text) is not None


_BACK_REFERENCE_PENALTY = 1.0
# A sentence sending the reader to another document ("Consult the labeling of all concurrently used drugs ...")
# answers nothing itself.
_REFERRAL = re.compile(r"^(?:consult|refer to|see) (?:the )?(?:full )?(?:prescribing information|label(?:l)?ing|"
                       r"package insert)\b", re.I)


def noise_penalty(text: str, key: bool = False) -> float:
    """Table rows ('Nasopharyngitis; 8.2; 12.9; 5.3'), trial designs, sentences that lean on the one
    before them and ones that send the reader to another label tell a patient little."""
    words = len(text.split())
    numbers = len(_NUMBER.findall(text))
    penalty = 0.0
    if words and numbers / words > 0.25:
        penalty += 1.5
    if _TRIAL_DESIGN.search(text) and not key:  # "The most common adverse reactions in placebo-controlled trials
        penalty += 1.0                           # were ..." is what a side-effects question asks
    if _BACK_REFERENCE.search(text):
        penalty += _BACK_REFERENCE_PENALTY
    if _REFERRAL.search(text):
        penalty += 2.0
    return penalty


_PAEDIATRIC = re.compile(r"\bpediatric|\bpaediatric|\bchildren\b|\bchild\b|\bneonates?\b|\binfants?\b|"
                         r"\badolescents?\b|\b\d+ (?:years?|months?) of age and older\b|\bweeks? of age\b", re.I)
_ADULT = re.compile(r"\badults?\b", re.I)


def population_fit(text: str, conditions: list[Condition], attribute: str | None, section: str = "") -> float:
    """A child's dose for a child, an adult's for everyone else: a dosing answer for an adult asker (the
    default) that leads with the paediatric dose is the wrong answer."""
    names = {c.name for c in conditions}
    paediatric = _PAEDIATRIC.search(text) is not None
    adult = _ADULT.search(text) is not None
    if section == "pediatric" and "child" not in names and attribute != "pediatric":
        return -1.5  # the use-in-children section answers an adult's question only about children
    if "child" in names:
        return (1.0 if paediatric else 0.0) - (1.0 if adult and not paediatric else 0.0)
    if paediatric and not adult:
        return -2.0 if "adult" in names else (-0.8 if attribute in ("dosage", None) else -0.3)
    if adult and ("adult" in names or attribute == "dosage"):
        return 0.6 if "adult" in names else 0.3
    return 0.0
