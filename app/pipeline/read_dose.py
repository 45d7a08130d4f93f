"""How much, how often: what a dose question is answered with.

- The dose lines lead: the line for the indication the user stated ("for GERD", "for itchy hives"), the general
  adult line before special-population lines (kidney, liver, older age, children, mg/kg) unless that population
  was stated, a maximum-dose line, and what else the question asks (how often, with food, when). An indication
  or pharmacokinetic sentence is never a dose answer while the label has dose lines.
- A dosing section the sentence splitter cannot quote (an OTC "Directions" block with no full stop, a flattened
  age table) is recovered as rows ("adults and children 12 years and over take 1 tablet every 12 hours").
- When every dose line of the label is for a named condition ("Vitamin D Resistant Rickets: 12,000 to 500,000
  USP units daily") and the user stated none of them, a notice says so first and sends the user to a pharmacist
  or doctor (English or Chinese, the question's language).
- "Normal kidneys", "my liver is fine": the population is denied, not stated.

The reader (app.pipeline.read) asks `dose_plan` for a plan per medicine and applies it to its ranked sentences
(`DosePlan.apply`); `DosePlan.notice` is the notice; `recovered_rows` and `without_denied` are used before ranking.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from app.pipeline import phrases
from app.pipeline.read_cues import QUESTION_NOISE, Condition, children_only
from app.pipeline.read_missed import MISSED_DOSE, SilentTopic
from indexing.text import tokenize
from indexing.vocabulary import SALT_WORDS

T = TypeVar("T")

# -- what the question asks ------------------------------------------------------------------------------
# "max" asking the most: "the max", "max dose", "what's the max?" (not a product's name: "the flow max my husband
# takes", "Lemsip Max")
_MAX = (r"\bmaximum\b|(?:\b(?:the|a|what'?s|whats|at|any|is|over|above|past) )max\b|"
        r"\bmax\b(?=\s*(?:dose|doses|dosage|daily|amount|per\b|a day|in (?:a|one|24)|i\b|you\b|for\b|of\b|allowed|"
        r"safe|[?]|$))")
_DOSE_ASK = re.compile(r"\bhow (?:much|many|often)\b|\bdos(?:e|es|age|ing)\b|\bhow (?:do|should) i (?:take|give|use)\b|"
                       # how far a dose may be raised: "how high can it go?", "how far can they push it?"
                       r"\bhow (?:high|far) (?:can|could|may|will|should) (?:it|they|i|we|you|the dose|my dose)"
                       r"(?: \w+)? (?:go|be (?:raised|increased|pushed)|push|raise|increase)\b|"
                       r"\bhow (?:is|are|should) (?:it|they|\w+) (?:started|taken|given|dosed)\b|"
                       r"\bhow (?:to|do you) (?:take|use|start)\b|" + _MAX + r"|\bper day\b|\ba day\b|"
                       r"\b(?:take|taken|taking|give|given|use|used|dose|dosed)\b[^.?!]{0,30}?\b(?:in the morning|"
                       r"at night|in the evening|at bedtime|at what time)\b|\bmorning or (?:at )?night\b|"
                       r"\bnight or (?:in the )?morning\b|\bwhat time\b|\btime of (?:the )?day\b|"
                       r"多少|剂量|用量|几次|怎么吃|怎么用|吃几|用法", re.I)
_ASKS_MAX = re.compile(_MAX + r"|\bthe most\b|\bhow (?:high|many)\b|\blimit\b|\bin a day\b|\bper day\b|"
                       r"\bup to\b|\bexceed\b|最多|最大|上限", re.I)
_ASKS_OFTEN = re.compile(r"\bhow often\b|\bhow many times\b|\bfrequen|\bevery\b|\bregimen\b|几次|多久", re.I)
_ASKS_FOOD = re.compile(r"\bfood\b|\bmeals?\b|\beat(?:ing)?\b|\bempty stomach\b|\bbreakfast\b|\bwith milk\b|饭|餐|空腹",
                        re.I)
# How to take it, not how much: "how am I supposed to take it exactly?", "what's the right way to take it?" (the
# label's food, water and timing lines answer it)
_ASKS_MANNER = re.compile(r"\bhow (?:am|are|is|do|does|should|must) (?:i|we|you|he|she|they) "
                          r"(?:actually |really |even )?(?:supposed |meant "
                          r"|expected )?(?:to )?take(?: (?:it|them|this|these|[\w-]+))?(?: exactly| properly| "
                          # (dictated on into what is done now: "how is she supposed to take it she's been having it
                          # with her tea")
                          r"correctly)?\s*(?:[?.!]*\s*$|[?.!,]|\s(?:she|he|i|they|we|because|cos|as|since)\b)|"
                          r"\b(?:right|correct|proper|best) way to take\b", re.I)
_ASKS_WHEN = re.compile(r"\bwhen\b|\bwhat time\b|\btime of day\b|\bmorning\b|\bnight\b|\bbedtime\b|\bbefore\b|"
                        r"什么时候|早上|晚上|睡前", re.I)
_DOSE_SECTIONS = frozenset({"dosage", "pediatric", "geriatric", "specific_populations", "patient_counseling"})
# Sections that never answer how much to take while the label has dose lines.
_NOT_A_DOSE = frozenset({"indications", "pharmacology", "description", "clinical_studies", "overdosage"})

# -- what a label line says ------------------------------------------------------------------------------
_AMOUNT = re.compile(r"\d[\s-]*(?:mg|mcg|µg|g|grams?|mL|ml|(?:USP |international )?units?|IU|tablets?|capsules?|"
                     r"caplets?|softgels?|teaspoons?|teaspoonfuls?|tsp|tablespoons?|drops?|puffs?|sprays?|inhalations?|actuations?|"
                     r"chewables?|lozenges?|patch(?:es)?)\b|mg/kg|毫克|毫升|片|粒|袋|滴", re.I)
_FREQUENCY = re.compile(r"\bonce\b|\btwice\b|\b(?:three|four|\d) times\b|\bevery \d|\bevery (?:day|morning|evening|"
                        r"night|other day)\b|\bdaily\b|\ba day\b|\bper day\b|/day\b|\bat bedtime\b|\bq\.?\s?[id]\.?"
                        r"\b|\bt\.i\.d\b|\bq\.i\.d\b|\bb\.i\.d\b|每日|每天|一日|一天", re.I)
_MAXIMUM = re.compile(r"\bmaxim(?:um|al)\b|\bdo not exceed\b|\bnot (?:to )?exceed\b|\bshould not exceed\b|"
                      r"\bnot (?:take|use|give) more than\b|\bno more than\b|"
                      # "up to 4 g a day", not "for limited periods of up to 6 months"
                      r"\bup to \d[\d,.]*\s*(?!(?:days?|weeks?|months?|years?|hours?)\b)[a-zµ]|"
                      r"最大|不超过|不得超过", re.I)
_FOOD = re.compile(r"\bfood\b|\bmeals?\b|\bmilk\b|\bempty stomach\b|\bfasting\b|\bwith water\b|饭|餐|空腹", re.I)
# When in the day: "at bedtime", "in the morning", and the labels that leave it free ("at any time of the day",
# "without regard to the time of day"), which a "morning or night?" question is answered by.
_TIMING = re.compile(r"\bbefore\b|\bprior to\b|\bbedtime\b|\bevening\b|\bmorning\b|\bat night\b|\bhours? (?:before|"
                     r"after)\b|\btime of (?:the )?day\b|\bsame time\b|\bany time\b|\bat night(?:time)?\b|"
                     r"\bnightly\b|\bin the (?:morning|evening|afternoon)\b|睡前|早晨|晚上|任何时间", re.I)
# Of those, the ones that name a time of day (not "before starting treatment").
_TIME_OF_DAY = re.compile(r"\bbedtime\b|\bevening\b|\bmorning\b|\bat night\b|\btime of (?:the )?day\b|"
                          r"\bsame time\b|\bany time\b|\bnightly\b|\bbefore (?:breakfast|the first meal)|"
                          r"睡前|早晨|晚上|任何时间", re.I)
# A question about how much or how often, beside (or instead of) when.
_ASKS_AMOUNT = re.compile(r"\bhow (?:much|many|often)\b|\bdos(?:e|es|age|ing)\b|\bmg\b|\bmax(?:imum)?\b|"
                          r"多少|剂量|用量|几次", re.I)
# A pharmacokinetic line: not how much to take.
_PK = re.compile(r"\bpharmacokinetic|\bAUC\b|\bC ?max\b|\bbioavailab|\bplasma (?:levels?|concentrations?)|"
                 r"\bhalf-life\b|\bvolunteers\b|\bserum concentrations?\b", re.I)
# Populations a dose line may be for.
_SPECIAL: dict[str, re.Pattern[str]] = {
    "kidney": re.compile(r"\brenal\b|\bkidney|\bcreatinine clearance|\bCrCl\b|\bdialysis|\beGFR\b|\bESRD\b", re.I),
    "liver": re.compile(r"\bhepatic\b|\bliver\b|\bcirrho|\bChild-Pugh", re.I),
    "elderly": re.compile(r"\bgeriatric|\belderly\b|\bolder (?:adults?|patients?)", re.I),
    "child": re.compile(r"\bpediatric|\bpaediatric|\bchild(?:ren)?\b(?!bearing)|\binfants?\b|\bneonat|\bmg/kg\b|"
                        r"\badolescen", re.I),
}
_NORMAL_FUNCTION = re.compile(r"\b(?:normal|healthy) (?:kidney|renal|hepatic|liver) function\b", re.I)
_ADULT = re.compile(r"\badults?\b|成人|成年", re.I)
# "Vitamin D Resistant Rickets: 12,000 ...": a condition's name heading its dose.
_HEADING = re.compile(r"(?:^|(?<=[.;]\s)|(?<=\)\s))(?P<name>[A-Z][\w'’-]*(?:[ -][\w'’()-]+){0,5})\s*:\s*"
                      r"(?=[^:]{0,40}\d)")
_NOT_CONDITION = re.compile(
    r"\badults?\b|\bchild|\bpediatric|\bpaediatric|\bpatients?\b|\belderly|\bgeriatric|\binfants?|\bneonat|"
    r"\bdos(?:e|es|age|ing)\b|\bdirections\b|\badministration\b|\busage\b|\brecommended\b|\busual\b|\binitial\b|"
    r"\bmaintenance\b|\bmaxim|\brenal\b|\bhepatic\b|\bimportant\b|\bnote\b|\btable\b|\bweight\b|\bkg\b|\byears?\b|"
    r"\bstarting\b|\btitration\b|\bstep\b|\bday\b|\bweek\b|\bwarning|\bcaution|\bstrength|\bmen\b|\bwomen\b", re.I)

# What a dose line gains for each thing it gives; what a line for an unstated population loses.
_DOSE_LINE = 1.5
_INDICATION = 2.0
_GENERAL = 0.8
_SPECIAL_UNSTATED = 1.0
_SPECIAL_STATED = 1.5
_MAX_LINE = 0.5
_MAX_ASKED = 1.5
_OFTEN_ASKED = 1.0
_FOOD_ASKED = 4.0
_OTHER_INDICATION = 1.0
_BAND_FITS = 2.0
_BAND_MISSES = 1.5
_WHEN_ASKED = 1.0
# "Atorvastatin: morning or night?" asks only when: the line saying when (or that any time will do) answers it
# before any dose line, as a food question's line does.
_ONLY_WHEN_ASKED = 4.0
# How long ahead of what: "one hour before travel starts", "30 minutes before going to bed".
_AHEAD = re.compile(r"\b(?:\d+|one|two|half an?|an?) (?:hours?|minutes?) (?:before|prior to)\b", re.I)
_WHEN_TIE = 0.01  # the line saying when, moved second, scores just under the best dose line
# Words of a dose question that say nothing of the indication.
_DOSE_WORDS = frozenset(tokenize(
    "dose doses dosage dosing how much many often take taking start starting usual usually day daily a "
    "adult adults grown up grown-up maximum max most limit per every time times should can could would give "
    "tablet tablets pill pills capsule capsules mg people typical typically recommended first go up increase "
    "regimen long which what when with food meal one two three four five time times morning evening night now "
    "almost still just about after before year years month months week weeks hour hours child children kid kids "
    "son daughter mother father husband wife old older young"))
# A salt said with the name ("naproxen sodium") is no indication, though some dose lines say it and others not.
_SALTS = frozenset(t for w in SALT_WORDS for t in tokenize(w))
# A missed dose is answered by what the label says of one (app.pipeline.read_missed), not by the dose lines.
_MISSED = re.compile(r"\bmiss(?:ed|ing)?\b|\bforg[eo]t(?:ten)?\b|\bskipped\b|漏服|忘了|忘记", re.I)


# How a dose form is handled ("can I crush it?", "split the tablet", "open the capsule"): the administration
# line that says so answers, not the dose lines.
# (not crushing chest pain, nor another product chewed: "i chew tums all day ... and take my levothyroxine")
_ASKS_HANDLING = re.compile(r"\bcrush(?:ed|es|ing)?\b(?!\s+(?:chest|pain|injur\w*|feeling|headache))|"
                            r"\bchew(?:ed|ing|s)?\s+(?:it|them|one|the (?:tablets?|pills?|capsules?)|"
                            r"(?:his|her|my|their) (?:tablets?|pills?|capsules?|dose))\b|\b(?:be|been) chewed\b|"
                            r"\bchew\w*\s*\?|"
                            r"\bcut (?:it|them|the|my|in)\b|\bdivid|"
                            # a tablet split, not a condom ("condom split on Saturday night")
                            r"\bsplit(?:ting)?\s+(?:it|them|the|my|his|her|their|a|one|tablets?|pills?|in|into)\b|"
                            r"\b(?:be|been|get|got) split\b(?!\s+(?:up|from))|\bsplit\s*\?|"
                            # "Son won't swallow his ER capsule. Options?", "she can't swallow tablets any more"
                            r"\b(?:won'?t|can'?t|cannot|can not|unable to|struggles? to|refuses? to|hard to|trouble|"
                            r"difficulty|problems?) swallow(?:ing)?\b|"
                            # (not a dose halved by the prescriber: "halved my sitagliptin from 100 to 50")
                            r"\bbreak (?:it|them|the|my|in)\b|\bhalve(?!d\b[^.?!]{0,40}\bfrom\s+\d)"
                            r"(?!d\s+(?:my|his|her|the|their)\s+dose)|\bin half\b|"
                            r"\bopen (?:(?:the|a|my|his|her|their) )?(?:[a-z]+ )?capsules?\b|"
                            r"\bopen (?:it|them|one) (?:up )?(?:into|in|onto|over|and (?:mix|sprinkle|put|stir))\b|"
                            r"\bsprinkl|\bdissolve|"
                            r"\bswallow (?:it |them )?whole\b|\b(?:stay|sit|sitting|staying|remain) (?:up|upright)\b|"
                            r"\bupright\b|\b(?:lie|lay|lying|laying|go) (?:back )?(?:down|to bed) "
                            r"(?:(?:straight|right|just) )?(?:after|once)\b|"
                            # "anything I should do after each dose?" (an inhaler's "rinse the mouth after inhaling")
                            r"\b(?:do|be doing) after (?:each|every|a|the) (?:dose|puff|use|inhalation)\b|"
                            r"\brinse\b|\bgargle\b|"
                            r"掰开|压碎|碾碎|嚼碎|咀嚼|打开胶囊|整片吞|漱口|吞不下|"
                            r"(?:打开|拆开|倒出来?)[^，。？！,.?!]{0,3}(?:混|拌|撒)", re.I)


_AFTER_A_DOSE = re.compile(r"\bafter (?:each|every|a|the|my) (?:dose|puff|use|inhalation)\b", re.I)


def asks_handling(question: str) -> bool:
    """A question about handling a dose (crushing, opening a capsule, staying upright after it), not its amount:
    a strength told before the asking sentence ("I take 70mg weekly. How long must I stay upright?") asks none."""
    asking = _AFTER_A_DOSE.sub(" ", _asking_sentence(question))  # ("after each dose" names no amount)
    return _ASKS_HANDLING.search(question) is not None and not _ASKS_AMOUNT.search(asking)


# A label line on handling a dose: opening, crushing, mixing, swallowing whole, staying upright.
_HANDLING_LINE = re.compile(r"\bopen(?:ed|ing)?\b|\bcontents of the capsule|\bsprinkl|\bcrush|\bchew|\bsplit|"
                            r"\bswallow(?:ed)? whole\b|\byogh?urt|\bapplesauce|\bmix(?:ed)? (?:with|in|into)\b|"
                            r"\bdissolv|\bupright\b|\blie down\b", re.I)


# "Is it ok to crush amlodipine for my mum?" of a label that never says: its titration lines are no answer. Said so,
# and nothing quoted but its safety items (added to the reader's topics where asks_handling holds).
HANDLING = SilentTopic(
    "handling",
    _ASKS_HANDLING,
    # (not "open trials", "open-label", "open-angle glaucoma")
    re.compile(_HANDLING_LINE.pattern.replace(r"\bopen(?:ed|ing)?\b", r"\bopen(?:ed|ing)?\b(?![- ](?:label|trials?|"
                                              r"stud(?:y|ies)|angle|wounds?|heart|surgery|fractures?))")
               + r"|\bswallow|\brinse|\bgargle|\bnasogastric|\bfeeding tube|\bgastrostomy|"
               r"\b(?:ng|peg|g)[- ]tube|\bscor(?:e|ed) (?:tablet|line)|\bbisect|"
               r"掰|压碎|碾碎|嚼|打开胶囊|漱口|吞服|整片", re.I),
    frozenset({"dosage", "patient_counseling", "dosage_forms", "description", "storage"}),
    "{name}'s label in the medicine database does not say whether the dose can be crushed, split, opened or mixed "
    "into food or drink. Ask a pharmacist before you change how it is given.",
    "数据库中{name}的说明书没有说明能否压碎、掰开、打开胶囊或混在食物饮料里服用。改变服用方式前请先问药师。",
)


def handling_line(text: str) -> bool:
    """Whether a label line speaks of handling a dose (what `asks_handling` asks)."""
    return _HANDLING_LINE.search(text) is not None


def asks_dose(question: str, attribute: str | None) -> bool:
    """A question about how much, how often or when to take a medicine."""
    if asks_handling(question):
        return False
    if attribute == "dosage":
        return True
    asked_section = attribute in (None, "pediatric", "geriatric", "specific_populations", "indications")
    # (a regimen told before the asking sentence asks no dose: "I take it 1 g twice a day. What's it meant to do?")
    return asked_section and _DOSE_ASK.search(_asking_sentence(question)) is not None


def _asking_sentence(question: str) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?;。！？])\s*", question) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith(("?", "？"))]
    return asking[-1] if asking else question


# Stopping asked, not a dose ("can I just stop it?", "come off it", "quit cold turkey"): the label's lines on
# discontinuing answer, not its dose lines (unless an amount is asked too: "how much do I cut when stopping?").
_STOPPING = re.compile(r"\b(?:stop(?:ping|ped)?|quit(?:ting)?)\b(?!\s+(?:smoking|drinking|alcohol|cigarettes|vaping))|"
                       r"\bcome off\b|\bcoming off\b|\bcold turkey\b|\bwean(?:ing)? (?:off|myself|him|her)\b|"
                       r"停药|停了|不吃了", re.I)


# How long before a procedure to stop ("How many days before the extraction must I stop it?"): the label's
# interruption lines answer (apixaban "discontinued at least 48 hours prior to elective surgery"), not its doses.
_STOP_BEFORE = re.compile(r"\b(?:stop|hold|pause|interrupt)\w*\b.{0,40}\b(?:before|prior to)\b|"
                          r"\bhow (?:many|much|long)\b.{0,20}\bbefore\b.{0,40}\b(?:stop|hold|pause|interrupt)\w*",
                          re.IGNORECASE)


def stopping_asked(question: str) -> bool:
    """A question about stopping the medicine, asking no amount (how long before a procedure is no amount)."""
    return _STOPPING.search(question) is not None and (
        _ASKS_AMOUNT.search(question) is None or _STOP_BEFORE.search(question) is not None)


def missed_dose(question: str) -> bool:
    """A missed or forgotten dose asked about (read_missed's wordings too: "never took the morning one")."""
    return _MISSED.search(question) is not None or MISSED_DOSE.asked(question)


def dose_line(section: str, text: str) -> bool:
    """A line that gives an amount to take, in a section that doses."""
    return section in _DOSE_SECTIONS and _AMOUNT.search(text) is not None


# -- "normal kidneys": a population denied ---------------------------------------------------------------
_DENIED = {
    "kidney": re.compile(r"\b(?:normal|healthy|good|fine)\s+(?:kidneys?|renal)|\bkidneys? (?:are|is) (?:fine|normal|"
                         r"healthy|ok(?:ay)?|good)\b|\bno kidney (?:problems?|disease|issues?)", re.I),
    "liver": re.compile(r"\b(?:normal|healthy|good|fine)\s+(?:liver|hepatic)|\bliver (?:is|'s) (?:fine|normal|healthy|"
                        r"ok(?:ay)?|good)\b|\bno liver (?:problems?|disease|issues?)", re.I),
}


def denied_populations(said: str) -> frozenset[str]:
    """The populations the user says they are not in: "normal kidneys", "my liver is fine"."""
    return frozenset(name for name, pattern in _DENIED.items() if pattern.search(said)
                     and not _SPECIAL[name].search(pattern.sub(" ", said)))


def without_denied(conditions: list[Condition], said: str) -> list[Condition]:
    """The stated conditions less a population the user says they are not in ("normal kidneys": the renal
    dose lines are not theirs), unless they state it elsewhere too ("normal kidneys but a weak liver")."""
    denied = denied_populations(said)
    return [c for c in conditions if c.name not in denied] if denied else conditions


# -- a dosing section the splitter cannot quote ----------------------------------------------------------
# Where an OTC directions table's next row starts: "adults and children 12 years and over ...", "children under
# 12 years ..." (not "do not give to children ..."; not "use in children ...").
_ROW_START = re.compile(r"(?<!\bto )(?<!\bin )(?<!\bfor )(?<!\bgive )(?<!\bof )(?<!\band )"
                        r"(?=\b(?:adults|children|child|pediatric patients|infants|consumers)\b(?: and children)?"
                        r"\s+(?:\d|under|over|younger|older|aged?|with|\d{1,2}-\d))", re.I)
_LEADING_HEADING = re.compile(r"^(?:directions|dosage and administration|usage)\b[:\s]*", re.I)
_MAX_ROW = 320
_GLYPH = re.compile("[\ue000-\uf8ff•■▪●]")  # bullets, some in a symbol font's private-use area
_ROW_SAYS = re.compile(r"\d|\bdo not\b|\bask a (?:doctor|pharmacist)|\bconsult\b|\bbefore\b|\bonce\b|\btwice\b", re.I)


def recovered_rows(section_text: str, quoted: Sequence[frozenset[str]]) -> list[str]:
    """The rows of a dosing text that no quotable sentence (`quoted`: their tokens) carries: a short block
    whole, a longer one row by row ("Children 2-5 years (34 to 47 lbs) ask a doctor.")."""
    text = " ".join(_GLYPH.sub(" ", section_text).split())
    whole = len(_LEADING_HEADING.sub("", text)) <= _MAX_ROW
    parts = [text] if whole else _ROW_START.split(text)
    # a short block the quotable sentences carry between them (its rows, each a sentence: compose.directions_rows)
    carried = frozenset().union(*quoted) if whole else frozenset()
    out = []
    for part in parts:
        row = _LEADING_HEADING.sub("", part.strip().strip("•■;,").strip())
        if not row or len(row) > _MAX_ROW or not _ROW_SAYS.search(row):
            continue
        tokens = frozenset(tokenize(row))
        if len(tokens) < 3 or any(len(tokens & q) >= 0.85 * len(tokens) for q in (*quoted, carried)):
            continue
        row = row[:1].upper() + row[1:]
        out.append(row if row.endswith((".", "。")) else f"{row}.")
    return out


_ROW_UNIT = r"\d[\d,.]*\s*(?i:mg|mcg|g|grams?|mL|(?:USP )?units?)\b(?!/)"
_ROW_TAIL = (r"(?:\s*(?:;\s*)?(?i:once|twice|three times|four times|daily|a day|per day|orally|at bedtime|"
             r"every \d+(?: to \d+)? hours|for \d+ (?:days?|weeks?)|or|up to \d+ (?:days?|weeks?))|"
             + _ROW_UNIT + r")*")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}|[A-Z]{2,}")
_CLEARANCE_ROW = re.compile(r"\b(?:creatinine clearance|CrCl)\s*(?:of\s*)?(?:[<>≥≤]|\d)[^.]{0,30}?mL/min"
                            r"[^.]{0,120}?(?=\s*(?:creatinine clearance|CrCl)\b|\.|$)", re.I)
_IN_A_SENTENCE = re.compile(r"\b(?:is|are|was|were|be|should|may|can|of|with)\b", re.I)


# The rest of a heading that lists several indications, before the row's own words: "Management of Pain, Primary
# Dysmenorrhea, and " before "Acute Tendonitis and Bursitis Recommended starting dose 550 mg" (a row cut inside
# the list read "Dysmenorrhea, and Acute ..." or named one indication of three).
_LISTED_BEFORE = re.compile(r"(?:\b[A-Z][\w'-]*,?\s+(?:(?:and|or|of|the)\s+)?)*[A-Z][\w'-]*,\s+(?:(?:and|or)\s+)?$")
# The dose line after a table heading says what it is for: "Acute Tendonitis and Bursitis: Recommended ...".
_HEADED_DOSE = re.compile(r"(?<=[a-z)])\s+(?=(?:Recommended|Usual|Initial|Starting) )")


def _whole_heading(before: str) -> str:
    """The listed indications a row's heading continues (empty when the row starts the heading)."""
    m = _LISTED_BEFORE.search(before)
    return m.group(0) if m is not None else ""


@lru_cache(maxsize=1024)
def _indication_row(word: str) -> re.Pattern[str]:
    """A table row headed by `word` (compiled once per word: it ran once per word, section and question)."""
    return re.compile(rf"(?:\b[A-Z][\w-]*\s+){{0,3}}\b(?i:{re.escape(word)})\w*\b[^.;:|()]{{0,40}}?"
                      + _ROW_UNIT + _ROW_TAIL)


def indication_rows(section_text: str, question: str, skip: frozenset[str]) -> list[str]:
    """A flattened dosing table's row for an indication the question names ("famotidine for GERD" ->
    "GERD 20 mg twice daily."): the word, then within a few words its amount and how often. `skip`: tokens
    that are not an indication (the medicine's names, dose words)."""
    words = {w for w in _WORD.findall(question) if not set(tokenize(w)) <= skip | _DOSE_WORDS | QUESTION_NOISE}
    words |= {w for pattern, label in _LAY_INDICATIONS if pattern.search(question) for w in label.split()}
    out: list[str] = []
    flat = " ".join(section_text.split())
    folded = flat.casefold()
    for word in sorted(words):
        if word.casefold() not in folded:
            continue  # (the row's pattern is compiled for each word; most words are in no row)
        for m in _indication_row(word).finditer(flat):
            if not m.group(0)[:1].isupper() or _IN_A_SENTENCE.search(m.group(0)):
                continue  # a table row's heading is capitalised; "the dosage for gout is 100 mg daily" is a sentence
            row = _whole_heading(flat[:m.start()]) + m.group(0).strip(" ;")
            row = _HEADED_DOSE.sub(": ", row[:1].upper() + row[1:], count=1) + "."
            if len(row) <= _MAX_ROW and len(out) < 3 and not any(row[:-1] in o or o[:-1] in row for o in out):
                out.append(row)
    if said_clearance(question) is not None:  # "my creatinine clearance is about 20": the table's band rows
        for m in _CLEARANCE_ROW.finditer(" ".join(section_text.split())):
            row = m.group(0).strip(" ;,")
            if _AMOUNT.search(row) and len(row) <= _MAX_ROW:
                out.append(row[:1].upper() + row[1:] + ".")
    return out


# -- kidney function said as a number --------------------------------------------------------------------
_SAID_CLEARANCE = re.compile(r"\b(?:creatinine clearance|crcl|e?gfr|kidney function)\D{0,25}?(\d{1,3})\b", re.I)
_BAND = re.compile(r"(?P<lo>\d{1,3})\s*(?:to|-|–)\s*(?P<hi>\d{1,3})\s*mL/min|"
                   r"(?:<|less than|below|under)\s*(?P<below>\d{1,3})\s*mL/min|"
                   r"(?:>|≥|greater than|more than|above|over|at least)\s*(?P<above>\d{1,3})\s*mL/min", re.I)


def said_clearance(said: str) -> float | None:
    """"my creatinine clearance is about 20", "eGFR 45": the number, in mL/min."""
    found = _SAID_CLEARANCE.findall(said)
    return float(found[-1]) if found else None


def clearance_bands(text: str) -> list[tuple[float, float]]:
    """The creatinine clearance bands a dose line is for, [low, high) in mL/min."""
    out = []
    for m in _BAND.finditer(text):
        if m.group("lo"):
            out.append((float(m.group("lo")), float(m.group("hi")) + 1.0))
        elif m.group("below"):
            out.append((0.0, float(m.group("below"))))
        else:
            out.append((float(m.group("above")), 1000.0))
    return out


# -- the patient's word for an indication, the label's ----------------------------------------------------
# What people call a condition -> the words dosing tables head it with (famotidine's "GERD", hydroxyzine's
# "pruritus ... urticaria"): the stated indication's line is found by them too.
_LAY_INDICATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), w) for p, w in (
    (r"\bhives\b", "urticaria pruritus"),
    (r"\bitch", "pruritus"),
    (r"\bheartburn|\bacid reflux|\breflux\b", "gerd gastroesophageal reflux"),
    (r"\bperiod (?:pain|cramps?)|\bmenstrual (?:pain|cramps?)", "dysmenorrhea"),
    (r"\bshingles\b", "zoster postherpetic"),
    (r"\bnerve pain\b", "neuralgia neuropathic"),
    (r"\bchest infection|\bpneumonia|\bbronchitis", "respiratory pneumonia"),
    (r"\bbladder infection|\buti\b|\burine infection", "urinary"),
    (r"\bsea ?sick|\bcar ?sick|\btravel sick|\bmotion sick", "motion travel"),
    (r"\bhigh blood pressure", "hypertension"),
    (r"\bhay ?fever\b", "allergic rhinitis"),
    (r"\bcold sores?\b|\bfever blisters?\b", "labialis"),
))


def lay_words(said: str, lines: Sequence[str]) -> frozenset[str]:
    """The tokens of the lay words for a condition in what the user said ("period cramps") that none of the label's
    `lines` says (an OTC label's "hives" is its own word)."""
    return frozenset(t for pattern, _ in _LAY_INDICATIONS if not any(pattern.search(line) for line in lines)
                     for m in pattern.finditer(said) for t in tokenize(m.group(0)))


def lay_indication_words(said: str) -> frozenset[str]:
    """The label's tokens for the conditions the user named in their own words."""
    return frozenset(t for pattern, words in _LAY_INDICATIONS if pattern.search(said) for t in tokenize(words))


# -- the plan --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DosePlan:
    """What a dose question changes in one medicine's ranked sentences."""

    indication: frozenset[str]  # question words the label's dose lines use: the stated indication
    stated: frozenset[str]  # populations stated (child, elderly, kidney, liver)
    denied: frozenset[str]  # populations the user says they are not in ("normal kidneys")
    asks_max: bool
    asks_often: bool
    asks_food: bool
    asks_when: bool
    has_dose_lines: bool
    conditions_only: tuple[str, ...]  # every dose line is for one of these named conditions, none stated
    language: phrases.Language
    clearance: float | None = None  # the creatinine clearance (mL/min) the user said
    asks_amount: bool = True  # how much or how often, not only when

    def delta(self, section: str, text: str, tokens: frozenset[str]) -> float | None:
        """What a sentence gains or loses for this dose question; None: never quoted for it."""
        if self.has_dose_lines and (section in _NOT_A_DOSE or _PK.search(text) or _table_cells(text)):
            return None
        gain = 0.0
        if section in _DOSE_SECTIONS and self.asks_food and _FOOD.search(text):
            gain += _FOOD_ASKED
        if section in _DOSE_SECTIONS and self.asks_when and _TIMING.search(text):
            gain += _WHEN_ASKED if self.asks_amount or not _TIME_OF_DAY.search(text) else _ONLY_WHEN_ASKED
        if not dose_line(section, text) and not (section in _DOSE_SECTIONS and _FREQUENCY.search(text)
                                                 and _MAXIMUM.search(text)):
            return gain
        gain += _DOSE_LINE
        if self.indication & tokens:
            gain += _INDICATION
        elif self.indication and not _MAXIMUM.search(text):
            gain -= _OTHER_INDICATION  # another indication's dose, when the user said theirs
        plain = _NORMAL_FUNCTION.sub(" ", text)  # "patients with normal kidney function": everyone's line
        special = {name for name, pattern in _SPECIAL.items() if pattern.search(plain)}
        if special & self.denied and not special & self.stated:
            return None  # "normal kidneys": the renal dose line is not theirs
        if children_only(text):
            special.add("child")  # "2 to 16 years; 10 to less than 20 kg: 10 mg"
        elif "child" in special and _ADULT.search(text):
            special.discard("child")  # "adults and children 12 years and over": the general line
        if special - self.stated:
            gain -= _SPECIAL_UNSTATED
        elif special:
            gain += _SPECIAL_STATED  # the stated population's own dose line
        elif not self.stated:
            gain += _GENERAL
        elif plain != text:
            gain -= _SPECIAL_UNSTATED  # "normal kidney function" for someone with kidney disease
        if self.clearance is not None and (bands := clearance_bands(text)):
            fits = any(lo <= self.clearance < hi for lo, hi in bands)
            gain += _BAND_FITS if fits else -_BAND_MISSES
        if _MAXIMUM.search(text):
            gain += _MAX_ASKED if self.asks_max else _MAX_LINE
        if self.asks_often and _FREQUENCY.search(text):
            gain += _OFTEN_ASKED
        return gain

    def apply(self, ranked: list[T], key: Callable[[T], tuple[str, str, frozenset[str]]],
              rescore: Callable[[T, float], T], score: Callable[[T], float]) -> list[T]:
        """`ranked` less what never answers a dose question, each rescored (`rescore(item, delta)`), best first."""
        out = []
        for item in ranked:
            change = self.delta(*key(item))
            if change is None:
                continue
            out.append(rescore(item, change) if change else item)
        out.sort(key=lambda item: -score(item))
        if self.asks_when and self.asks_amount and len(out) > 2:
            # "what dose ..., and what time of day?": the best line saying when comes second, after the best dose
            # line, scored as well as it (however many other dose lines outscore it, and whatever floor the reader
            # keeps under its best line)
            when = next((i for i, item in enumerate(out) if _says_when(*key(item)[:2])), None)
            if when is not None and when > 0:
                item = out.pop(when)
                out.insert(1, rescore(item, score(out[0]) - score(item) - _WHEN_TIE))
        return out

    def notice(self, name: str) -> str:
        """When the label doses only named conditions the user did not state: says so, first."""
        if not self.conditions_only:
            return ""
        listed = _listed(self.conditions_only, self.language)
        if self.language == "zh":
            return (f"{name}的说明书只给出了特定疾病（{listed}）的用量，没有日常用量。"
                    "请咨询药师或医生应该用多少。")
        return (f"{name}'s label in the medicine database gives doses only for {listed}; it gives no everyday dose. "
                "Ask a pharmacist or doctor how much to take.")


def _says_when(section: str, text: str) -> bool:
    """A dosing line that says when in the day to take it ("once daily in the evening", "at bedtime")."""
    return section in _DOSE_SECTIONS and (_TIME_OF_DAY.search(text) is not None or _AHEAD.search(text) is not None
                                          ) and _PK.search(text) is None


def _table_cells(text: str) -> bool:
    """A flattened table read cell by cell ("Table 1: recommended; dosage and; duration of; ..."): no answer."""
    cells = text.split("; ")
    return len(cells) >= 7 and sum(len(c) for c in cells) / len(cells) < 25


def _listed(names: Sequence[str], language: phrases.Language) -> str:
    if language == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def condition_headings(text: str) -> list[str]:
    """The named conditions heading a dose line ("Vitamin D Resistant Rickets: ..."), populations and
    generic headings ("Adults:", "Usual dose:") left out."""
    return [m.group("name").strip() for m in _HEADING.finditer(text) if not _NOT_CONDITION.search(m.group("name"))]


def dose_plan(question: str, said: str, attribute: str | None, conditions: Sequence[Condition],
              label: Sequence[tuple[str, str, frozenset[str]]], names: frozenset[str],
              language: phrases.Language, too_much: bool = False) -> DosePlan | None:
    """The plan for one medicine's label (its quotable (section, sentence, tokens)), or None when the question
    asks no dose. `said`: the user's turns with the asking one; `names`: the medicine's name tokens."""
    if too_much or not asks_dose(question, attribute) or missed_dose(question) or stopping_asked(question):
        return None
    stated = frozenset(c.name for c in conditions if c.name in _SPECIAL)
    lines = [(s, t, tokens) for s, t, tokens in label if dose_line(s, t)]
    # the lay words for a condition the dose lines name otherwise count by the label's word only: "period cramps"
    # is dysmenorrhea, and its "period" no indication ("for limited periods of up to 6 months")
    unsaid = lay_words(said, [t for _, t, _ in lines])
    words = {t for t in tokenize(said) if t not in QUESTION_NOISE and t not in _DOSE_WORDS and t not in names
             and t not in _SALTS and t not in unsaid and not t.isdigit()} | lay_indication_words(said)
    # A word of the question that some dose lines use and others do not: the indication (or situation) stated.
    indication = frozenset(w for w in words if 0 < sum(1 for _, _, tokens in lines if w in tokens) < max(2, len(lines)))
    conditions_only: tuple[str, ...] = ()
    main = [(t, tokens) for s, t, tokens in lines if s == "dosage"]
    if main and not stated:
        headed = [condition_headings(t) for t, _ in main]
        if all(headed):
            found = list(dict.fromkeys(h for hs in headed for h in hs))
            said_words = set(tokenize(said))
            # A heading is stated when the user said most of its words besides the medicine's names ("vitamin D
            # for rickets"; "how much vitamin D" alone does not state "Vitamin D Resistant Rickets").
            if not any(len(set(tokenize(h)) & said_words - names) * 2 > len(set(tokenize(h)) - names)
                       for h in found):
                conditions_only = tuple(found[:4])
    # what the asking sentence asks, not the regimen told before it ("1 every 6 hours. Can I keep going till they
    # run out?" asks no frequency)
    asking = _asking_sentence(question)
    return DosePlan(indication, stated, denied_populations(said), _ASKS_MAX.search(asking) is not None,
                    _ASKS_OFTEN.search(asking) is not None,
                    _ASKS_FOOD.search(asking) is not None or _ASKS_MANNER.search(asking) is not None,
                    _ASKS_WHEN.search(asking) is not None or _ASKS_MANNER.search(asking) is not None,
                    bool(lines), conditions_only, language,
                    said_clearance(said), _ASKS_AMOUNT.search(asking) is not None or _ASKS_OFTEN.search(asking)
                    is not None or _ASKS_MAX.search(asking) is not None)
