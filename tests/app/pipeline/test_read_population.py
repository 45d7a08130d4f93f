"""read_population: a child is never given an adult's dose, and a stated population's own sentence leads.
Hand-written wordings (English and Chinese) over label sentences in the shapes the shipped labels use."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from app.pipeline import phrases
from app.pipeline.read_cues import conditions_in
from app.pipeline.read_population import (
    Child,
    DoseLine,
    asks_dose,
    child_asked,
    dose_line,
    population_lead,
    population_plan,
)

# An Rx ibuprofen label: adult doses with no child wording, and a use-in-children section.
IBUPROFEN = [
    ("dosage", "Do not exceed 3,200 mg total daily dose."),
    ("dosage", "Mild to moderate pain: 400 mg every 4 to 6 hours as necessary for relief of pain."),
    ("pediatric", "Safety and effectiveness of ibuprofen tablets in pediatric patients have not been established."),
    ("overdosage", "In two other reported cases where children (each weighing approximately 10 kg) accidentally, "
                   "acutely ingested approximately 120 mg/kg, there were no signs of acute intoxication."),
    ("warnings", "NSAIDs may cause an increased risk of serious cardiovascular thrombotic events."),
]
# An amoxicillin-like label: doses by age and weight band.
AMOXICILLIN = [
    ("dosage", "Patients greater than 40 kg: 500 or 875 mg every 12 hours."),
    ("dosage", "Pediatric patients aged 12 weeks (3 months) and older: 25 to 45 mg/kg/day every 12 hours."),
    ("dosage", "Neonates and infants less than 12 weeks of age: 30 mg/kg/day divided every 12 hours."),
    ("dosage", "Adults and children 12 years and over: take 2 tablets every 6 hours."),
    ("pediatric", "The pediatric dose is based on body weight."),
]


def _plan(said: str, label: list[tuple[str, str]], attribute: str | None = "dosage"):  # type: ignore[no-untyped-def]
    return population_plan(said, said, attribute, conditions_in(said), label, phrases.language_of(said))


@pytest.mark.parametrize("said, age", [
    ("How much children's Motrin can I give my 3 year old? She weighs about 15 kg.", 3),
    ("my son is 8 and has a fever, how much acetaminophen can he have?", 8),
    ("dose of tylenol for a 2-year-old", 2),
    ("我女儿6岁，体重20公斤，美林给她吃多少合适？", 6),
    ("Can I give my toddler Benadryl?", None),
])
def test_the_child_asked_about(said: str, age: int | None) -> None:
    child = child_asked(said, conditions_in(said))
    assert child is not None and child.age == age


@pytest.mark.parametrize("said", [
    "Can I take Zyrtec while I'm nursing my baby?",  # the mother takes it
    "My son is 15, how much ibuprofen?",  # 12 and over: not the child rule
    "Is it safe for women of childbearing potential?",
    "What is the ibuprofen dose for adults?",
])
def test_not_a_child(said: str) -> None:
    assert child_asked(said, conditions_in(said)) is None


def test_weight_in_kilograms_pounds_and_jin() -> None:
    assert child_asked("my 4 year old weighs 33 lbs, dose?", conditions_in("my 4 year old"))  # parses
    child = child_asked("my 4 year old weighs 33 lbs, dose?", conditions_in("my 4 year old weighs 33 lbs"))
    assert child is not None and child.weight_kg == pytest.approx(15.0, abs=0.1)
    zh = "孩子5岁，40斤，布洛芬吃多少？"
    child = child_asked(zh, conditions_in(zh))
    assert child is not None and child.weight_kg == 20.0


def test_dose_lines_for_a_four_year_old() -> None:
    child = Child(4, None)
    kinds = [dose_line(s, t, child, ages_apart=True) for s, t in AMOXICILLIN]
    assert kinds == [DoseLine.OTHER, DoseLine.CHILD, DoseLine.OTHER, DoseLine.OTHER, DoseLine.NONE]


def test_a_dose_with_no_child_wording_is_an_adults_where_the_label_doses_children_apart() -> None:
    child = Child(3, 15.0)
    line = "Mild to moderate pain: 400 mg every 4 to 6 hours as necessary for relief of pain."
    assert dose_line("dosage", line, child, ages_apart=True) is DoseLine.OTHER
    assert dose_line("dosage", line, child, ages_apart=False) is DoseLine.NONE
    assert dose_line("overdosage", "ingested 120 mg/kg", child, ages_apart=True) is DoseLine.NONE


def test_ibuprofen_for_a_three_year_old_quotes_no_adult_dose_and_says_so() -> None:
    plan = _plan("How much children's Motrin can I give my 3 year old? She weighs about 15 kg.", IBUPROFEN)
    assert plan is not None and not plan.child_doses
    verdicts = [plan.verdict(s, t) for s, t in IBUPROFEN]
    assert [v.drop for v in verdicts] == [True, True, False, True, False]
    assert verdicts[2].lead  # the use-in-children sentence
    notice = plan.notice("Ibuprofen")
    assert "no dose for a child of 3" in notice and "pharmacist or doctor" in notice
    assert "have not been established." in notice and "mg" not in notice


def test_a_follow_up_inherits_the_child() -> None:
    said = "How much children's Motrin can I give my 3 year old? and how often?"
    plan = population_plan(said, "and how often?", "dosage", conditions_in(said), IBUPROFEN, "en")
    assert plan is not None and plan.child is not None and plan.child.age == 3
    assert plan.verdict(*IBUPROFEN[1]).drop


def test_the_notice_in_chinese() -> None:
    said = "我女儿6岁，体重20公斤，发高烧39度，美林（布洛芬混悬液）给她吃多少合适？"
    plan = _plan(said, IBUPROFEN, attribute=None)
    assert plan is not None and plan.dose_asked
    notice = plan.notice("布洛芬")
    assert "6岁儿童" in notice and "药师或医生" in notice and "400 mg" not in notice


def test_a_label_with_a_childs_dose_leads_with_it() -> None:
    plan = _plan("What is the dose of amoxicillin for a 4 year old?", AMOXICILLIN)
    assert plan is not None and plan.child_doses and plan.notice("Amoxicillin") == ""
    assert plan.verdict(*AMOXICILLIN[1]).lead and plan.verdict(*AMOXICILLIN[0]).drop


def test_an_adult_question_has_no_plan() -> None:
    assert _plan("What is the ibuprofen dose for adults?", IBUPROFEN) is None
    assert not asks_dose("is it safe with alcohol?", None) and asks_dose("一次吃多少", None)


@pytest.mark.parametrize("populations, section, text, lead, safety", [
    (("pregnancy",), "pregnancy", "Data from a prospective pregnancy exposure registry and epidemiological studies "
     "of pregnant women have not detected an increased frequency of birth defects compared with the general "
     "population.", True, False),
    (("pregnancy",), "pregnancy", "In developmental toxicity studies in rats and rabbits, oral administration to "
     "pregnant animals was associated with embryolethality.", False, False),
    (("pregnancy",), "pregnancy", "In the U.S. general population, the estimated background risk of major birth "
     "defects is 2% to 4%.", False, False),
    (("breastfeeding",), "warnings", "If pregnant or breast-feeding: if breast-feeding: not recommended.", True, True),
    (("elderly",), "geriatric", "The types and incidence of adverse reactions were similar across age groups except "
     "for peripheral edema and ataxia, which tended to increase in incidence with age.", True, False),
    (("kidney",), "dosage", "Reduce the dose in patients with renal impairment.", True, False),
    (("kidney",), "contraindications", "Do not use in patients with severe renal impairment.", True, True),
    (("kidney",), "dosage", "Take one tablet daily with food.", False, False),
])
def test_the_populations_own_sentence(populations: tuple[str, ...], section: str, text: str, lead: bool,
                                      safety: bool) -> None:
    v = population_lead(populations, section, text)
    assert (v.lead, v.safety) == (lead, safety)


@dataclass(frozen=True)
class _Item:
    section: str
    text: str
    score: float
    safety: bool = False


def test_apply_and_lead_first_put_the_population_before_general_lines_and_animal_data() -> None:
    said = "I'm 20 weeks pregnant. Is sumatriptan safe?"
    items = [
        _Item("pregnancy", "Several studies have suggested that women with migraine may be at increased risk of "
                           "preeclampsia.", 9.6),
        _Item("pregnancy", "In rats and rabbits, administration to pregnant animals was associated with "
                           "embryolethality.", 7.8),
        _Item("pregnancy", "Data from a pregnancy exposure registry of pregnant women have not detected an increased "
                           "frequency of birth defects.", 7.5),
    ]
    plan = _plan(said, [(i.section, i.text) for i in items], attribute="pregnancy")
    assert plan is not None

    def key(i: _Item) -> tuple[str, str]:
        return i.section, i.text

    ranked = plan.apply(items, key, lambda i, boost, safety: replace(i, score=i.score + boost,
                                                                     safety=i.safety or safety))
    assert "registry" in ranked[0].text
    ordered = plan.lead_first(list(reversed(ranked)), key, lambda i: i.safety)
    assert "registry" in ordered[0].text


def test_a_nursing_mothers_question_drops_the_childrens_dose() -> None:
    said = "Can I take Zyrtec while I'm nursing my baby?"
    label = [("dosage", "Children 2 to under 6 years of age: chew 1 tablet (2.5 mg) once daily."),
             ("warnings", "If breast-feeding: not recommended.")]
    plan = _plan(said, label, attribute="lactation")
    assert plan is not None and plan.child is None
    assert plan.verdict(*label[0]).drop and plan.verdict(*label[1]).safety


def test_a_childs_dose_only_in_a_flattened_table_is_quoted_from_its_row() -> None:
    said = "My daughter is 6 and weighs about 20 kg. How much cetirizine can she have?"
    quotable = [("dosage", "Directions chew tablets children 2 to under 6 years of age Chew and swallow 1 tablet "
                           "(2.5 mg) once daily.")]
    raw = [("dosage", quotable[0][1] + " adults and children 6 years and over Chew and swallow 2 tablets (5 mg) once "
                                       "daily. adults 65 years and over Chew and swallow 2 tablets (5 mg) once daily.")]
    plan = population_plan(said, said, "dosage", conditions_in(said), quotable, "en", raw=raw)
    assert plan is not None and plan.child is not None and plan.child.age == 6
    assert plan.verdict(*quotable[0]).drop  # the 2-to-5 band is not a 6-year-old's
    assert plan.table_rows == ((0, "Children 6 years and over Chew and swallow 2 tablets (5 mg) once daily."),)
    assert plan.notice("Cetirizine") == ""


def test_a_childs_row_too_long_to_quote_is_said_to_be_there_not_missing() -> None:
    said = "My daughter is 6. How much cetirizine can she have?"
    raw = [("dosage", "children 6 years and over Chew and swallow 2 tablets (5 mg) once daily " + "x " * 200)]
    plan = population_plan(said, said, "dosage", conditions_in(said), [], "en", raw=raw)
    assert plan is not None and plan.unquotable and not plan.table_rows
    assert "in a table" in plan.notice("Cetirizine") and "gives no dose" not in plan.notice("Cetirizine")
    zh = population_plan(said, said, "dosage", conditions_in(said), [], "zh", raw=raw)
    assert zh is not None and "表格" in zh.notice("西替利嗪")


def test_a_baby_of_eight_months_said_in_chinese_gets_no_school_age_dose() -> None:
    said = "宝宝8个月，发烧了，对乙酰氨基酚怎么吃？"
    child = child_asked(said, conditions_in(said))
    assert child is not None and child.age == 0
    line = "Children 6 years to under 12 years: take 1 tablet every 4 to 6 hours while symptoms last."
    assert dose_line("dosage", line, child, ages_apart=True) is DoseLine.OTHER
    assert dose_line("dosage", "Children under 6 years: ask a doctor.", child, ages_apart=True) is DoseLine.NONE
    plan = population_plan(said, said, None, conditions_in(said), [("dosage", line)], "zh")
    assert plan is not None and "1岁以下婴儿" in plan.notice("对乙酰氨基酚")


def test_an_older_adults_dose_question_drops_the_childrens_line() -> None:
    said = "I'm 70 years old, what dose of metformin should I take?"
    label = [("dosage", "The recommended starting dose for pediatric patients 10 years of age and older is 500 mg "
                        "orally twice a day."),
             ("dosage", "The recommended starting dose is 500 mg orally twice a day or 850 mg once a day.")]
    plan = _plan(said, label)
    assert plan is not None and plan.child is None
    assert plan.verdict(*label[0]).drop and not plan.verdict(*label[1]).drop
