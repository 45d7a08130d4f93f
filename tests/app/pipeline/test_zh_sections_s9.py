"""Chinese questions written by hand in the ninth session (issue 19; other wordings than the dev items of
eval/data/consult_zh_dev9.jsonl): sex, sleep and the mind said as people say them (性欲下降, 影响睡眠, 说胡话: the
adverse reactions, also for a child), a procedure ahead (拔牙前要停药吗: the warnings), what it is swallowed with
(用牛奶送服: the dosage), foods beside it (蔓越莓, 酸奶: the interactions); and the glossary's food and drink words
(柚子 is grapefruit to a US label)."""

from __future__ import annotations

import pytest

from app.pipeline.zh_glossary import shipped_glossary
from app.pipeline.zh_sections import topic_sections


@pytest.mark.parametrize(("question", "first"), [
    ("帕罗西汀吃了以后性欲减退怎么办", "adverse_reactions"),
    ("吃这个药会不会性功能下降", "adverse_reactions"),
    ("吃了唑吡坦晚上说胡话", "adverse_reactions"),
    ("吃了这个药睡眠不好正常吗", "adverse_reactions"),
    ("孩子吃了奥司他韦出现幻觉怎么办", "adverse_reactions"),  # a child's effect: the effect first
    ("做胃镜前阿司匹林要停几天", "warnings"),
    ("要停多久才能拔牙", "warnings"),
    ("氯吡格雷做手术之前需要停吗", "warnings"),
    ("左甲状腺素可以用牛奶送服吗", "dosage"),
    ("能就着果汁吞服吗", "dosage"),
    ("吃华法林能喝蔓越莓汁吗", "interactions"),
    ("多西环素能和酸奶一起吃吗", "interactions"),
])
def test_topic_first_section(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first


def test_stopping_without_a_procedure_is_still_the_stopping_topic() -> None:
    assert topic_sections("氯吡格雷能自己停吗")[:2] == ("warnings", "dosage")


@pytest.mark.parametrize(("word", "label_word"), [
    ("柚子", "grapefruit juice"), ("蔓越莓", "cranberry juice"), ("牛奶", "milk"), ("咖啡", "coffee"),
    ("绿茶", "green tea"),
])
def test_food_and_drink_words_carry_the_label_words(word: str, label_word: str) -> None:
    assert label_word in shipped_glossary().label_words(f"吃阿托伐他汀能喝{word}吗")


@pytest.mark.parametrize(("question", "first"), [
    ("我妈吃的是氯吡格雷，她最近牙龈老出血", "adverse_reactions"),  # a symptom told, not asked
    ("吃了二甲双胍以后总是拉肚子", "adverse_reactions"),
    ("胰岛素打完能马上吃饭吗", "dosage"),
    ("阿卡波糖吃完多久能吃东西", "dosage"),
])
def test_symptoms_told_and_eating_after_a_dose(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first


def test_a_complaint_before_another_ask_is_not_the_topic() -> None:
    assert "adverse_reactions" not in topic_sections("一直在吃华法林，最近牙疼，医生开了甲硝唑，两个能一起吃吗")[:1]


@pytest.mark.parametrize(("question", "first"), [
    ("非那雄胺会影响性功能吗", "adverse_reactions"),
    ("跟那个药有关系吗", "adverse_reactions"),  # what was told in an earlier turn, caused by it?
    ("是不是这个药引起的", "adverse_reactions"),
    ("他那个药会影响肾脏吗", "warnings"),
    ("孩子吃了奥司他韦会做恶梦吗", "adverse_reactions"),
    ("硝酸甘油含了两片还疼", "dosage"),
])
def test_effects_asked_without_a_symptom_word_of_before(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first


@pytest.mark.parametrize(("question", "first"), [
    ("吃了米氮平总想吃东西", "adverse_reactions"),
    ("度洛西汀血压会不会升高", "adverse_reactions"),
    ("吃了氨氯地平血压还是高怎么办", "dosage"),  # not working: how it is dosed, not an effect
    ("胺碘酮伤肺吗", "warnings"),
])
def test_appetite_blood_pressure_and_organs(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first
