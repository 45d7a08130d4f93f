"""Who the answer is for: the stated population's own sentences lead, and a child is never given an adult's dose.

- A child asked about (an age under 12, or a child said to be the one who takes it: "my 3 year old", "give my
  son", 孩子6岁; follow-ups inherit it from the conversation): an adult's dose line is never quoted (a line for
  adults or for ages that leave the child out, or a dose with no child wording in a label that doses children
  apart or has a use-in-children section). The label's paediatric dose lines that include the child lead; when
  it has none the answer quotes what its use-in-children section says and a notice says the label gives no
  dose for the child and sends the user to a pharmacist or doctor. Overdose case reports do not answer a dose.
- A stated population (pregnancy, breastfeeding, older age, kidney or liver disease): the label's sentence about
  that population that says what to do or what was found in people leads, before general lines and animal
  data; one that says not to, or to ask a doctor first, is marked as a safety item.

The reader (app.pipeline.read) asks `population_plan` for a plan per medicine and applies it to its ranked
sentences (`PopulationPlan.apply`, `PopulationPlan.lead_first`); `PopulationPlan.notice` is the notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from app.pipeline import phrases
from app.pipeline.read_cues import Condition, age_ranges, asks_effect, asks_of_what_was_told
from app.pipeline.read_renal import clearance_fit, said_clearance
from app.pipeline.spoken_numbers import spoken_numbers

T = TypeVar("T")

# -- the child asked about -------------------------------------------------------------------------------
# A child as the one who takes the medicine: "my 3 year old", "my son", "give the baby", 女儿/孩子/宝宝.
_CHILD_PATIENT = re.compile(
    r"\b(?:my|our|her|his|the|a|this)\s+(?:\d{1,2}[- ](?:year|yr|month|week)s?[- ]old|\d{1,2} ?(?:yo|y/o)|son|"
    r"daughter|child|kid|baby|toddler|infant|little (?:one|girl|boy)|newborn)\b|"
    r"\b(?:give|giving|gave|for)\s+(?:to\s+)?(?:my|our|a|the|her|his)?\s*(?:child|kid|baby|toddler|infant|son|"
    r"daughter|little (?:girl|boy|one))\b|\bchild(?:ren)?'s (?:dose|dosage|dosing)\b|"
    r"儿子|女儿|孩子|小孩|宝宝|婴儿|幼儿|娃", re.I)
# Giving it to a child, said while pregnant or nursing ("can I give my baby ..."): the child takes it.
_GIVE_CHILD = re.compile(r"\bgiv(?:e|ing)\s+(?:it\s+|this\s+)?(?:to\s+)?(?:my|our|the|a)\s+(?:baby|child|kid|son|"
                         r"daughter|toddler|infant)|给(?:孩子|宝宝|女儿|儿子|小孩)", re.I)
_WEIGHT = re.compile(r"(\d{1,3}(?:\.\d)?)\s*(kg|kilo(?:gram)?s?|公斤|千克|lbs?|pounds?|斤)\b|"
                     r"(\d{1,3}(?:\.\d)?)\s*(公斤|千克|斤)", re.I)
_CHILD_AGE_SAID = re.compile(
    r"\b(?:my|our|her|his|the)\s+(?:(?:little|youngest|oldest|eldest|younger|older)\s+)?"
    r"(?:son|daughter|child|kid|boy|girl|grandson|granddaughter)(?:\s+is|\s*,)\s*"
    r"(?P<years>\d{1,2})\b(?!\s*(?:kg|kilo|lb|pound|mg|months?|weeks?|%))|"
    r"\b(?P<mn>\d{1,2})[- ](?P<months>months?)[- ]old\b|"
    # "my toddler is 18 months", "aged 20 months" (not "for 3 months": how long it was taken)
    r"\b(?:is|aged?|turned|toddler|baby|infant)\s+(?P<mn2>\d{1,2})[- ]?(?P<months2>months?)\b|"
    r"\b(?P<yo>\d{1,2}) ?(?:yo|y/o)\b|"  # "my 5yo"
    r"(?<![了过续])(?:[0-9]{1,2}|[一二两三四五六七八九十]{1,3})(?P<zh_months>个月|周)(?!.{0,2}(?:前|了|以来))",
    re.I)
# The child's age under which the adult's dose never applies (the brief's "an age under 12").
_CHILD_AGE = 12


@dataclass(frozen=True, slots=True)
class Child:
    age: int | None  # years; None: a child of unsaid age
    weight_kg: float | None


def child_asked(said: str, conditions: Sequence[Condition]) -> Child | None:
    """The child the question is about, from what the user said in the conversation (the asking turn last)
    and the conditions the reader found in it (which carry a Chinese turn's age as "6 year old")."""
    child = next((c for c in conditions if c.name == "child"), None)
    if child is None:
        return None
    said = spoken_numbers(said)  # "weighs like fifteen kilos", dictated
    names = {c.name for c in conditions}
    if names & {"pregnancy", "breastfeeding"} and not _GIVE_CHILD.search(said):
        return None  # "nursing my baby": the mother takes it
    age = child.ages[-1] if child.ages else _said_age(said)
    if age is not None and age >= _CHILD_AGE:
        return None
    if age is None and not _CHILD_PATIENT.search(said):
        return None  # "childbearing potential", "Children's Motrin" alone: no child said to take it
    return Child(age, _weight(said))


def _said_age(said: str) -> int | None:
    """"my son is 8", "my daughter, 15,", "a 10 month old" (0 years), "my toddler is 18 months" (1 year)."""
    found = list(_CHILD_AGE_SAID.finditer(said))
    if not found:
        return None
    m = found[-1]
    if m.group("months") or m.group("months2"):
        return int(m.group("mn") or m.group("mn2")) // 12
    return 0 if m.group("zh_months") else int(m.group("years") or m.group("yo"))


def _weight(said: str) -> float | None:
    found = list(_WEIGHT.finditer(said))
    if not found:
        return None
    m = found[-1]
    value, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    amount = float(value)
    unit = unit.casefold()
    if unit.startswith(("lb", "pound")):
        return round(amount / 2.2046, 1)
    return amount / 2 if unit == "斤" else amount


# -- dose lines ------------------------------------------------------------------------------------------
_DOSE_SECTIONS = frozenset({"dosage", "pediatric", "patient_counseling", "specific_populations"})
_DOSE = re.compile(r"\d[\s-]*(?:mg|mcg|µg|g|mL|ml|units?|IU|tablets?|capsules?|teaspoons?|tsp|tablespoons?|drops?|"
                   r"puffs?|sprays?|caplets?|softgels?|chewables?)\b|mg/kg|毫克|毫升|片|粒|袋|滴", re.I)
_CHILD_WORDS = re.compile(r"\bpediatric|\bpaediatric|\bchild(?!bearing|[- ]pugh)|\bkids?\b|\binfants?\b|\bneonat|"
                          r"\btoddler|"
                          r"\bbab(?:y|ies)\b|"
                          r"\badolescen|\bmg/kg\b|\bkg\b|\bbody weight\b|\bweigh(?:s|ing)?\b|\byears? of age\b|"
                          r"儿童|小儿|婴|幼儿|岁", re.I)
_ADULT_WORDS = re.compile(r"\badults?\b|成人|成年", re.I)
_WEIGHT_BAND = re.compile(r"(?P<below>(?:less than|under|below|<)\s*)(?P<lo>\d{1,3})\s*kg|"
                          r"(?P<above>(?:at least|more than|greater than|over|≥|>=|>)\s*)(?P<hi>\d{1,3})\s*kg|"
                          r"(?P<hi2>\d{1,3})\s*kg (?:or|and) (?:more|over|above|greater)", re.I)
# "Neonates and infants less than 12 weeks of age", "under 6 months"
_INFANT_BAND = re.compile(r"\b(?:less than|under|younger than|below|<)\s*(\d{1,2})\s*(weeks?|months?)", re.I)
# Where a flattened dosing table's next row starts: "adults and children 6 years and over Chew ...".
_BAND_START = re.compile(r"(?=\b(?:adults|children|child|pediatric patients|infants)\b)", re.I)
_MAX_ROW = 320


def _row(part: str) -> str:
    """A table row as a quotable line: "adults and children 6 years and over Chew ..." -> "Adults and ...."."""
    part = part.strip().rstrip(";,")
    return part[:1].upper() + part[1:] + ("" if part.endswith((".", "。")) else ".")


# Overdose case reports ("a 19-month old child ... ingested"): not how much to give.
_DOSE_ASK = re.compile(r"\bhow (?:much|many|often)\b|\bdos(?:e|es|age|ing)\b|\bhow (?:do|should) i give\b|"
                       r"\bevery \d+ hours\b|多少|剂量|用量|几次|怎么吃|怎么用|吃几|用法", re.I)


class DoseLine(Enum):
    CHILD = "child"  # a paediatric dose that includes the child
    OTHER = "other"  # an adult's, or another age's or weight's
    NONE = "none"  # not a dose line


def dose_line(section: str, text: str, child: Child, ages_apart: bool) -> DoseLine:
    """What a label sentence is for the child asked about. `ages_apart`: the label doses children apart or
    has a use-in-children section (there a dose with no child wording is an adult's)."""
    if section not in _DOSE_SECTIONS or not _DOSE.search(text):
        return DoseLine.NONE
    ranges = age_ranges(text)
    if ranges and child.age is not None:
        return DoseLine.CHILD if any(lo <= child.age < hi for lo, hi in ranges) and not _adult_only(ranges) \
            else DoseLine.OTHER
    if ranges and _adult_only(ranges):
        return DoseLine.OTHER
    if not _weight_fits(text, child.weight_kg if child.weight_kg is not None else _usual_weight(child.age)):
        return DoseLine.OTHER
    if child.age is not None and any(child.age * 12 >= int(m.group(1)) * (1 if m.group(2).startswith("month") else 0.25)
                                     for m in _INFANT_BAND.finditer(text)):
        return DoseLine.OTHER  # "infants less than 12 weeks of age" for a 4-year-old
    if _CHILD_WORDS.search(text):
        return DoseLine.OTHER if _ADULT_WORDS.search(text) and not re.search(
            r"\bchild|\bpediatric|儿童|小儿", text, re.I) else DoseLine.CHILD
    if _ADULT_WORDS.search(text) or ages_apart:
        return DoseLine.OTHER
    return DoseLine.NONE


def _usual_weight(age: int | None) -> float:
    """A child's weight when it was not said (the paediatric life-support estimate, 2 x age + 8 kg; 20 kg for a
    child of unsaid age): enough to leave out "patients greater than 40 kg"."""
    return 2.0 * age + 8.0 if age is not None else 20.0


def _adult_only(ranges: list[tuple[int, int]]) -> bool:
    return all(lo >= _CHILD_AGE for lo, _ in ranges)


def _weight_fits(text: str, weight: float) -> bool:
    """True unless the sentence's weight bands all leave the child's weight out."""
    bands: list[tuple[float, float]] = []
    for m in _WEIGHT_BAND.finditer(text):
        if m.group("lo"):
            bands.append((0.0, float(m.group("lo"))))
        else:
            bands.append((float(m.group("hi") or m.group("hi2")), 1000.0))
    return not bands or any(lo <= weight < hi for lo, hi in bands)


def asks_dose(question: str, attribute: str | None) -> bool:
    """A dose question; the use-in-children section asked of an effect ("since my son started it he has
    nightmares, could the medicine do that?") is not one."""
    if _DOSE_ASK.search(question) is not None or attribute == "dosage":
        return True
    return attribute == "pediatric" and not asks_effect(question)


# -- the stated population's own sentence ----------------------------------------------------------------
_POPULATION_WORDS: dict[str, re.Pattern[str]] = {
    "pregnancy": re.compile(r"\bpregnan|\bfetal\b|\bfetus|\bbirth defects?\b|\bmiscarriage|\bteratogen|怀孕|孕妇|妊娠",
                            re.I),
    "breastfeeding": re.compile(r"\bbreast[- ]?(?:feed|fed|milk)|\bnursing\b|\blactat|\bhuman milk\b|哺乳|乳汁",
                                re.I),
    "elderly": re.compile(r"\bgeriatric|\belderly\b|\bolder (?:adults?|patients?|people|subjects)|"
                          r"\b(?:65|70|75) years (?:of age )?and (?:older|over)|[≥>] ?(?:65|75) years|\bage groups?\b|"
                          r"\bwith age\b|\bage-related|老年", re.I),
    "kidney": re.compile(r"\brenal\b|\bkidney|\bcreatinine clearance|\bdialysis|\beGFR\b|肾", re.I),
    "liver": re.compile(r"\bhepatic (?:impairment|disease|insufficiency)|\bliver (?:disease|impairment|problems?)|"
                        r"\bcirrho|肝", re.I),
}
# What to do (or not), said of the population.
_WHAT_TO_DO = re.compile(
    r"\bnot recommended|\bdo not\b|\bshould not\b|\bcontraindicated|\bavoid\b|\bask a (?:doctor|health ?care|health "
    r"professional|pharmacist)|\bconsult (?:a|your) (?:doctor|physician|health)|\bdiscontinue|\breduc(?:e|ed) (?:the )?"
    r"dos|\bdose (?:adjustment|reduction)|\blower (?:starting )?dose|\blow end of the dosing range|\bstart(?:ing)? at "
    r"the low|\bshould be used (?:only )?(?:if|when|during pregnancy only)|\buse only if|\bmonitor|\bcaution\b|"
    r"\bnot to (?:breast|nurse)|慎用|禁用|不宜|不推荐|遵医嘱|咨询医生|减量", re.I)
# What is said not to do, or to ask first: marked as a safety item.
_SAY_NOT = re.compile(r"\bnot recommended|\bdo not\b|\bshould not\b|\bcontraindicated|\bavoid\b|\bnot to (?:use|take|"
                      r"breast|nurse)|禁用|不宜|不推荐", re.I)
# To ask first: a safety item unless the label says what not to do for the population (then that one leads and
# the generic "If pregnant or breast-feeding, ask a health professional" gives it room).
_ASK_FIRST = re.compile(r"\bask a (?:doctor|health ?care|health professional|pharmacist)|\bconsult (?:a|your) "
                        r"(?:doctor|physician|health)|咨询医生|遵医嘱", re.I)
# Found in people (not in animals): registries, studies of women, published human data.
_IN_HUMANS = re.compile(r"\bregistry|\bregistries|\bhuman data|\bin humans\b|\bpregnant women\b|\bwomen who\b|"
                        r"\bstudies in (?:pregnant )?women|\bpublished (?:data|studies|literature|reports)|"
                        r"\bepidemiolog|\bobservational|\bhave not (?:detected|identified|shown|established)|"
                        r"\bno (?:increased|evidence of)|\bnot (?:been )?associated|\bpresent in human milk|"
                        r"\bexcreted in (?:human|breast) milk|\bbreastfed infants?\b|\belderly patients\b|"
                        r"\bpatients with (?:renal|hepatic|kidney|liver)", re.I)
_ANIMAL = re.compile(r"\b(?:mice|mouse|rats?|rodents?|dogs?|rabbits?|monkeys?|hamsters?|animals?|nonclinical|"
                     r"embryo-?fetal toxicity|pups?)\b", re.I)
# General lines every pregnancy section carries: not about this medicine.
# The registry's announcement ("There is a pregnancy exposure registry that monitors pregnancy outcomes in women
# exposed to ...", "Healthcare providers are encouraged to register patients") says nothing of the risk asked.
_BOILERPLATE = re.compile(r"\bbackground risk|^in the u\.?s\.? general population|\ball pregnancies have|"
                          r"^there (?:is|are) (?:a )?pregnancy (?:exposure )?registr(?:y|ies) that monitors?\b|"
                          r"\bencouraged to (?:register|enroll)\b", re.I)
_OWN_SECTION = {"pregnancy": "pregnancy", "breastfeeding": "lactation", "elderly": "geriatric"}
_FINDING = re.compile(r"\b(?:increased?|decreased?|similar|higher|lower|greater|larger|risk|exposure|"
                      r"effects?|can cause|may cause|causes?)\b", re.I)
_LEAD_BOOST = 4.0
# Where a line saying not to use it at the child's age is a safety item (a dosing line's "do not use" for an age
# is the child's dose line, read_population's own), and how it says so (not "do not give more than 2 tablets").
_SAFETY_SECTIONS = frozenset({"boxed_warning", "contraindications", "warnings"})
_NOT_FOR_AGE = re.compile(r"\bcontraindicated|\b(?:should|must) not be (?:used|given|administered)|"
                          r"\bdo not (?:use|give|administer)\b(?! more)|\bnot recommended|\bnot for use\b|"
                          # "in pediatric patients 8 years of age or less only when the potential benefits are
                          # expected to outweigh the risks"; a tetracycline's tooth discoloration in childhood
                          r"\bonly (?:when|if) the (?:potential )?benefits?\b|\bpermanent discoloration\b", re.I)
# What to do, said in the population's own section without naming it again.
_OWN_DIRECTIVE = re.compile(r"\b(?:individual )?(?:doses?|dosage) (?:should|must) be (?:reduced|lowered|decreased)|"
                            r"\bstart(?:ing)? (?:at|with) (?:a )?lower dose", re.I)


@dataclass(frozen=True, slots=True)
class Verdict:
    drop: bool = False
    lead: bool = False
    safety: bool = False
    demote: bool = False  # a line every label of its kind carries ("background risk of birth defects")


_KEEP = Verdict()
_BOILER = Verdict(demote=True)
_DEMOTE = 2.0


def population_lead(populations: Sequence[str], section: str, text: str, said_not: bool = False) -> Verdict:
    """A sentence about a stated population that says what to do or what was found in people: it leads. In
    the population's own section a finding ("a larger treatment effect in patients 75 years of age and
    older") is one of people."""
    if _BOILERPLATE.search(text):
        return _BOILER
    if section in ("overdosage", "pharmacology", "description") or _ANIMAL.search(text):
        return _KEEP
    for name in populations:
        if not _POPULATION_WORDS[name].search(text):
            if section == _OWN_SECTION.get(name) and _OWN_DIRECTIVE.search(text):
                return Verdict(lead=True)  # the geriatric section's "the individual doses should be reduced"
            continue
        own = section == _OWN_SECTION.get(name) and _FINDING.search(text) is not None
        if own or _WHAT_TO_DO.search(text) or _IN_HUMANS.search(text):
            if _SAY_NOT.search(text):
                return Verdict(lead=True, safety=True)
            if _ASK_FIRST.search(text):
                return Verdict(lead=True, safety=True) if not said_not else _KEEP
            return Verdict(lead=True)
    return _KEEP


@dataclass
class PopulationPlan:
    """What the stated population changes in one medicine's ranked sentences."""

    child: Child | None
    dose_asked: bool
    ages_apart: bool
    child_doses: bool  # the label has a paediatric dose line that includes the child
    populations: tuple[str, ...]
    language: phrases.Language
    pediatric_text: str = ""  # the use-in-children sentence quoted when the label gives the child no dose
    grown: bool = False  # a grown-up asks (pregnant, nursing "my baby", older, an adult): no child's dose line
    said_not: bool = False  # the label says what not to do for the stated population
    unquotable: bool = False  # the child's dose is in the label's text but not in a sentence the reader can quote
    # The child's rows of a flattened dosing table the sentence pool leaves out: (index into `raw`, row text).
    table_rows: tuple[tuple[int, str], ...] = ()
    # A dose asked for a stated kidney or liver impairment the label never speaks of ("tramadol max daily dose if
    # CrCl <30?" quoted the usual 300 mg ceiling): the organ, for the notice that says so.
    organ_silent: str = ""
    clearance: float | None = None  # the CrCl (or eGFR) said: the rows of other ranges are not quoted (read_renal)
    # What the medicine does to someone is asked ("Mum's 79 ... her lips keep moving on their own"): an older
    # person's dosing line does not lead
    effect_asked: bool = False

    def verdict(self, section: str, text: str) -> Verdict:
        if self.clearance is not None and (fit := clearance_fit(text, self.clearance)):
            # "Creatinine clearance 15 to 29 mL/min 250 mg ..." for a CrCl of 20 leads; the 30 to 59 row is not quoted
            return Verdict(lead=True) if fit > 0 else Verdict(drop=True)
        if self.child is not None and self.child.age is not None and section in _SAFETY_SECTIONS and \
                _NOT_FOR_AGE.search(text) and _CHILD_WORDS.search(text) and any(
                    low <= self.child.age < high for low, high in age_ranges(text)):
            # "should not be used in pediatric patients less than 2 years of age" for a toddler of 18 months
            return Verdict(lead=True, safety=True)
        if self.child is not None:
            kind = dose_line(section, text, self.child, self.ages_apart)
            if kind is DoseLine.OTHER:
                return Verdict(drop=True)
            if self.dose_asked and section == "overdosage":
                return Verdict(drop=True)
            if self.dose_asked and kind is DoseLine.CHILD:
                return Verdict(lead=True)
            if self.dose_asked and not self.child_doses and section == "pediatric":
                return Verdict(lead=True)
        elif self.grown and section in _DOSE_SECTIONS and _DOSE.search(text) and _CHILD_WORDS.search(text) and \
                not _ADULT_WORDS.search(text):
            return Verdict(drop=True)
        if self.effect_asked and section in _DOSE_SECTIONS and self.child is None:
            return Verdict()
        return population_lead(self.populations, section, text, self.said_not)

    def apply(self, ranked: list[T], key: Callable[[T], tuple[str, str]],
              rescore: Callable[[T, float, bool], T]) -> list[T]:
        """`ranked` less what must not be quoted, the leading sentences raised (`rescore(item, boost,
        safety)`), best first again."""
        out: list[tuple[float, int, T]] = []
        for i, item in enumerate(ranked):
            v = self.verdict(*key(item))
            if v.drop:
                continue
            if v.lead:
                item = rescore(item, _LEAD_BOOST, v.safety)
            elif v.demote:
                item = rescore(item, -_DEMOTE, False)
            out.append((-_LEAD_BOOST if v.lead else _DEMOTE if v.demote else 0.0, i, item))
        return [item for _, _, item in sorted(out, key=lambda o: (o[0], o[1]))]

    def lead_first(self, chosen: list[T], key: Callable[[T], tuple[str, str]], safety: Callable[[T], bool]) -> list[T]:
        """The chosen sentences in reading order with the population's own after the safety items, before the
        rest (general lines, animal data)."""
        head = [c for c in chosen if safety(c)]
        leads = [c for c in chosen if not safety(c) and self.verdict(*key(c)).lead]
        return head + leads + [c for c in chosen if c not in head and c not in leads]

    def notice(self, name: str) -> str:
        """For a child's dose the label does not give: says so, with its use-in-children sentence; for a stated
        kidney or liver impairment the label never mentions, that its doses do not say what changes."""
        if self.organ_silent and (self.child is None or not self.dose_asked):
            if self.language == "zh":
                organ = "肾功能" if self.organ_silent == "kidney" else "肝功能"
                return f"药品数据库中{name}的说明书没有提到{organ}不全时的剂量，下面的剂量未必适用。请咨询药师或医生。"
            return (f"{name}'s label in the medicine database says nothing about {self.organ_silent} impairment: the "
                    "doses below may not apply. Ask a pharmacist or doctor.")
        if self.child is None or not self.dose_asked or self.child_doses:
            return ""
        age = self.child.age
        who = "a child" if age is None else "a baby under 1" if age == 0 else f"a child of {age}"
        if self.unquotable:
            if self.language == "zh":
                return phrases.child_dose_in_table_zh(name, self.child.age)
            return (f"{name}'s label in the medicine database gives the dose for {who} in a table this answer "
                    "cannot quote. Ask a pharmacist or doctor how much to give.")
        if self.language == "zh":
            return phrases.no_child_dose_zh(name, self.child.age, self.pediatric_text)
        says = f"; its pediatric use section says: \u201c{self.pediatric_text}\u201d" if self.pediatric_text else "."
        return f"{name}'s label in the medicine database gives no dose for {who}{says} Ask a pharmacist or doctor " \
               "how much to give."


# An older person's age said as a number: "my mother is 82", "aged 70", 奶奶78岁.
_OLD_AGE = re.compile(r"\b(?:is|am|aged?|i'm|she's|he's|turned)\s+(?:6[5-9]|[7-9]\d|1[01]\d)\b"
                      r"(?!\s*(?:mg|kg|lb|%|pounds))|"
                      r"(?<![0-9])(?:6[5-9]|[7-9]\d|1[01]\d)\s*岁", re.I)
_PLAN_POPULATIONS = ("pregnancy", "breastfeeding", "elderly", "kidney", "liver")


_EFFECT_SECTIONS = frozenset({"warnings", "adverse_reactions", "boxed_warning"})
# What the product is and how it is kept: the same whoever takes it ("my son's blue inhaler in a hot car?")
_NOT_OF_PEOPLE = frozenset({"storage", "dosage_forms", "description"})


def population_plan(said: str, question: str, attribute: str | None, conditions: Sequence[Condition],
                    label: Sequence[tuple[str, str]], language: phrases.Language,
                    too_much: bool = False, raw: Sequence[tuple[str, str]] = ()) -> PopulationPlan | None:
    """The plan for one medicine's label (its quotable (section, sentence) pairs), or None when no population
    is stated. `said`: the user's turns with the asking one; `too_much`: an overdose question (its answer is
    kept); `raw`: the label's (section, chunk text) pairs, where a flattened dosing table the reader leaves
    out may still give the child's dose (then the notice says so rather than that the label gives none)."""
    if too_much or attribute in _NOT_OF_PEOPLE:
        return None
    child = child_asked(said, conditions)
    named = {c.name for c in conditions} | ({"elderly"} if _OLD_AGE.search(said) else set())
    populations = tuple(p for p in _PLAN_POPULATIONS if p in named)
    # kidney function said by its measure ("tramadol max daily dose if CrCl <30?"): only for the notice below, as
    # the ranking already reads the question's own "creatinine clearance" words against the dosing rows
    measured = ("kidney",) if "kidney" not in populations and _KIDNEY_MEASURE.search(said) else ()
    if child is None and not populations and not measured:
        return None
    if (child is None and not measured and set(populations) <= {"elderly"} and attribute in _EFFECT_SECTIONS
            and asks_of_what_was_told(question)):
        return None  # "she's 91 ... everything looks yellow. Could it be her heart tablet?": the effect, not her age
    ages_apart = any(s == "pediatric" for s, _ in label)
    child_doses = unquotable = False
    table_rows: tuple[tuple[int, str], ...] = ()
    pediatric_text = ""
    if child is not None:
        ages_apart = ages_apart or any(s in _DOSE_SECTIONS and _DOSE.search(t) and _CHILD_WORDS.search(t)
                                       for s, t in label)
        child_doses = any(dose_line(s, t, child, ages_apart) is DoseLine.CHILD for s, t in label)
        pediatric_text = next((t for s, t in label if s == "pediatric"), "")
        if not child_doses:
            found = [(i, part.strip()) for i, (s, text) in enumerate(raw) if s in _DOSE_SECTIONS
                     for part in _BAND_START.split(text) if dose_line(s, part, child, True) is DoseLine.CHILD]
            table_rows = tuple((i, _row(part)) for i, part in found if len(part) <= _MAX_ROW)
            unquotable = bool(found) and not table_rows
            child_doses = bool(table_rows)
    grown = child is None and bool(named & {"pregnancy", "breastfeeding", "elderly", "adult"})
    said_not = any(population_lead(populations, sec, t).safety and _SAY_NOT.search(t) for sec, t in label)
    organ_silent = ""
    if asks_dose(question, attribute) or attribute == "dosage":
        every = [t for _, t in label] + [t for _, t in raw]
        organ_silent = next((organ for organ in ("kidney", "liver") if organ in populations + measured
                             and not any(_ORGAN_WORDS[organ].search(t) for t in every)), "")
    return PopulationPlan(child, child is not None and asks_dose(question, attribute), ages_apart, child_doses,
                          populations, language, pediatric_text, grown, said_not, unquotable, table_rows,
                          organ_silent, said_clearance(said),
                          attribute in ("adverse_reactions", "warnings") and asks_effect(question)
                          and not asks_dose(question, attribute))


_KIDNEY_MEASURE = re.compile(r"\bcr ?cl\b|\begfr\b|\bcreatinine clearance\b|\bckd\b", re.I)
# How labels speak of the organ whose impairment changes a dose.
_ORGAN_WORDS = {
    "kidney": re.compile(r"\brenal\b|\bkidney|\bcreatinine\b|\bcrcl\b|\begfr\b|\bdialysis\b|\bnephr", re.I),
    "liver": re.compile(r"\bhepatic\b|\bliver\b|\bcirrho|\bchild-pugh\b", re.I),
}
