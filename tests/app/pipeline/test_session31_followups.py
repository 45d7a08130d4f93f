"""Session 31: follow-ups that react to the previous answer, choosing and switching between medicines, and worried
or upset people."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.context import MedStatus, Owner, clause_owner, switch_status
from app.pipeline.distill import _CHANGES_THE_ANSWER
from app.pipeline.indication_search import _phrases, condition_asked, framed_condition
from app.pipeline.lexicon import _ZH_QUOTED_NAME
from app.pipeline.not_asked import without_not_asked
from app.pipeline.phrases import unknown_drug_zh
from app.pipeline.read_cues import conditions_in, shorthand_expansions
from app.pipeline.read_dose import asks_handling
from app.pipeline.read_partner import EXTRA_CLASSES
from app.pipeline.small_talk import TalkKind, social_kind
from app.pipeline.spoken_names import SpokenNames
from app.pipeline.statement import bare_statement
from app.pipeline.zh_conditions import english_condition_words
from app.pipeline.zh_sections import topic_sections
from app.pipeline.zh_switch import zh_switched_from
from indexing.schema import Attribute
from indexing.text import tokenize


@pytest.mark.parametrize(("question", "condition"), [
    ("my husband can't sleep, what can he take?", "can't sleep"),
    ("My mum is 88 and has a heart condition, she can't sleep at night, what can she take?", "can't sleep"),
])
def test_who_cannot_sleep_is_no_part_of_the_condition(question: str, condition: str) -> None:
    assert condition_asked(question) == condition


@pytest.mark.parametrize(("said", "framed"), [
    ("can't sleep", "insomnia (can't sleep)"),
    ("trouble sleeping", "insomnia (trouble sleeping)"),
    ("heartburn", "heartburn"),
    ("period pain", "period pain"),  # a noun said as the user says it
])
def test_a_complaint_said_as_a_clause_is_framed_by_the_labels_word(said: str, framed: str) -> None:
    assert framed_condition(said) == framed


def test_a_complaint_said_as_doing_something_is_searched_by_its_noun() -> None:
    assert "cough" in _phrases("coughing")
    assert _phrases("heartburn")[0] == "heartburn"


# -- names: ordinary words in a row that start a new clause are no spoken name ------------------------------------
def test_a_clause_in_ordinary_words_is_no_spoken_name() -> None:
    spoken = SpokenNames(["isoniazid", "warfarin", "atorvastatin"])
    for said, names in [("the nurse rolled her eyes when i said i was in pain", []),
                        ("war far in five milligrams", ["warfarin"]),
                        ("a tour of a statin at night", ["atorvastatin"])]:
        found = spoken.find(said.split(), lambda i: True, lambda w: True)
        assert [s.name for s in found] == names, said


def test_a_name_quoted_after_jiao_is_a_product() -> None:
    assert [m.group(1) for m in _ZH_QUOTED_NAME.finditer("朋友带回来一盒叫“舒眠宁”的助眠药")] == ["舒眠宁"]
    assert not _ZH_QUOTED_NAME.search("他叫我“别担心”")  # (a quote after 叫我 is no name: 我 is no quote mark)


# -- what the user says was not asked -------------------------------------------------------------------------------
@pytest.mark.parametrize(("said", "left"), [
    ("I didn't ask about side effects?? I asked WHEN to take it.", "I asked WHEN to take it."),
    ("我问的不是副作用，是什么时候吃", "是什么时候吃"),
    ("I didn't ask about side effects", "I didn't ask about side effects"),  # nothing else left: the text itself
])
def test_what_the_user_did_not_ask_is_no_cue(said: str, left: str) -> None:
    assert without_not_asked(said).strip() == left


def test_a_correction_asks_the_previous_question_again() -> None:
    assert _CHANGES_THE_ANSWER.search("he's only four and a half. does that change things?")
    assert _CHANGES_THE_ANSWER.search("那这样还一样吗")
    assert not _CHANGES_THE_ANSWER.search("does it change the colour of urine?")


# -- switches --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("clause", "surface", "status"), [
    ("so in March the diabetes nurse changed me to Jardiance", "jardiance", MedStatus.NEW),
    ("Cardiology are moving me off warfarin onto Eliquis", "warfarin", MedStatus.STOPPED),
    ("Cardiology are moving me off warfarin onto Eliquis", "eliquis", MedStatus.NEW),
    ("Third bout of thrush since I swapped from metformin to empagliflozen", "metformin", MedStatus.STOPPED),
    ("My stomach couldn't take ibuprofen any more so the rheumatologist switched me to celecoxib", "ibuprofen",
     MedStatus.STOPPED),
    ("I take aspirin daily and the rheumatologist switched me to celecoxib", "aspirin", None),
])
def test_what_a_switch_leaves_and_goes_to(clause: str, surface: str, status: MedStatus | None) -> None:
    assert switch_status(clause, surface) is status


@pytest.mark.parametrize(("clause", "owner"), [
    ("A friend swears by meloxicam", Owner.USER),
    ("邻居说扶他林那个凝胶抹一抹就好", Owner.USER),
    ("my friend takes meloxicam", Owner.OTHER),
    ("my friend takes meloxicam and swears by it", Owner.OTHER),
])
def test_a_medicine_someone_recommends_is_the_users_to_weigh(clause: str, owner: Owner) -> None:
    assert clause_owner(clause) is owner


# -- sections ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("question", "attribute"), [
    ("ok I'll sort that one with my GP. what about the amlodipine - do I need to come off that one too if I fall "
     "pregnant?", Attribute.PREGNANCY),
    ("men whose sex drive never came back. How common is this actually??", Attribute.ADVERSE_REACTIONS),
    ("The GP has just started him on a week of antibiotics. Does that do anything to his warfarin?",
     Attribute.INTERACTIONS),
    ("Renal clinic has halved my sitagliptin from 100 to 50. Is 50 enough to do anything?", Attribute.DOSAGE),
    ("I'm on the combined pill and really do not want to get pregnant - does the higher dose stop the pill working?",
     Attribute.INTERACTIONS),
])
def test_sections_of_follow_ups_and_worries(question: str, attribute: Attribute) -> None:
    assert classify_attribute(question).attribute is attribute


def test_long_use_said_to_harm_is_no_overdose() -> None:
    assert classify_attribute("老中医说我血压药吃多了伤肾").attribute is not Attribute.OVERDOSAGE
    assert classify_attribute("孩子不小心吃多了怎么办").attribute is Attribute.OVERDOSAGE


@pytest.mark.parametrize(("question", "sections"), [
    ("我已经两天没吃了，今天头特别胀。是不是停药反弹了？", ("warnings", "dosage")),
    ("现在发的是白色圆片，一面刻着022。是不是拿错药了？", ("dosage_forms", "description")),
    ("我没有糖尿病，医生给我开了个达格列净。没糖尿病吃降糖药干什么？", ("indications",)),
])
def test_chinese_topics_of_this_sitting(question: str, sections: tuple[str, ...]) -> None:
    assert topic_sections(question)[: len(sections)] == sections


def test_heart_failure_said_in_chinese_is_heart_failure_in_the_labels_words() -> None:
    assert "heart failure" in english_condition_words("我心衰，射血分数35%")
    assert "heart failure" not in english_condition_words("我有冠心病")


def test_a_childs_age_in_words_after_a_pronoun() -> None:
    child = next(c for c in conditions_in("can I give my lad one of my loratadine, he's only four and a half")
                 if c.name == "child")
    assert child.ages == (4,)
    assert not [c for c in conditions_in("she is one of the nurses") if c.name == "child"]


def test_a_table_rows_heading_is_no_class_of_the_other_medicine() -> None:
    antibiotic = EXTRA_CLASSES["antibiotic"]
    assert not antibiotic.search("Antibiotics Macrolide antibiotics have been reported to cause a decrease")
    assert antibiotic.search("antibiotics, antifungals, botanical (herbal) products")


def test_a_dose_halved_by_the_prescriber_is_no_tablet_split() -> None:
    assert not asks_handling("Renal clinic has halved my sitagliptin from 100 to 50 because my eGFR is now 38.")
    assert asks_handling("can I halve the tablet?")


def test_a_scare_beside_a_childs_age_asks_the_warnings_first() -> None:
    question = "看到新闻说有小孩吃了治流感的药之后跳楼了，吓死我了。我女儿九岁，医生刚开了奥司他韦。到底能不能继续吃？"
    assert topic_sections(question)[:2] == ("warnings", "pediatric")


def test_what_cannot_be_stopped_is_no_medicine_stopped() -> None:
    assert "stopping" not in {c.name for c in conditions_in("I can't stop thinking about it. Is that a real thing?")}
    assert "stopping" in {c.name for c in conditions_in("Can I stop the metoprolol dead tonight?")}


def test_a_scare_asked_whether_it_is_real_is_an_effect() -> None:
    question = "a friend told me her nephew took his own life while he was on it. Is that a real thing with this drug?"
    assert classify_attribute(question).attribute is Attribute.WARNINGS


def test_a_product_said_again_by_a_shorter_name_is_listed_once() -> None:
    assert unknown_drug_zh(["叶黄素软胶囊", "叶黄素"]).startswith("药品数据库中没有叶黄素软胶囊，无法")
    assert "舒眠宁、叶黄素" in unknown_drug_zh(["舒眠宁", "叶黄素"])


# -- found in my own trial over HTTP --------------------------------------------------------------------------------
def test_thanks_for_help_that_helped_a_lot() -> None:
    assert social_kind("thank you, that helps a lot") is TalkKind.THANKS


def test_a_low_magnesium_is_the_labels_hypomagnesemia() -> None:
    found = shorthand_expansions("My magnesium came back low, is the new one to blame?")
    assert set(tokenize("hypomagnesemia")) <= found
    assert not set(tokenize("hypomagnesemia")) & shorthand_expansions("Can I take magnesium with it?")


@pytest.mark.parametrize(("question", "attribute"), [
    ("Which is easier on the stomach, ibuprofen or naproxen?", Attribute.WARNINGS),
    ("the pharmacy gave me a generic levothyroxine that looks different, is it the same medicine?",
     Attribute.DOSAGE_FORMS),
])
def test_a_comparison_of_the_stomach_and_a_different_look(question: str, attribute: Attribute) -> None:
    assert classify_attribute(question).attribute is attribute


def test_a_childs_age_corrected_with_actually() -> None:
    text = "can my daughter take cetirizine, she's six. sorry she's actually only three, does that change anything?"
    child = next(c for c in conditions_in(text) if c.name == "child")
    assert child.ages[-1] == 3


def test_a_switch_told_as_a_statement_is_noted() -> None:
    said = "I was on omeprazole for years but they moved me onto lansoprazole last month."
    assert bare_statement(said, ["omeprazole", "lansoprazole"])
    assert not bare_statement("I take warfarin but my INR is high", ["warfarin"])


def test_what_a_chinese_switch_across_clauses_leaves() -> None:
    left = zh_switched_from("我妈本来吃辛伐他汀，医生给她换成了阿托伐他汀，新的这个晚上吃还是早上吃？")
    assert "辛伐他汀" in left and "阿托伐他汀" not in left
