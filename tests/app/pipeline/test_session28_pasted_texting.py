"""Session 28: what the twentieth sitting's tuning half still missed, and the twenty-first's (text pasted or
photographed into the chat, people texting on the go): a dose corrected beside the medicine it is taken with, a
name heard near (丁 for 汀), voice-typed Chinese whose pauses are spaces, dark urine "like strong tea", a brand with
"max" in it, "how is she actually supposed to take it"."""

from __future__ import annotations

import pytest

from app.pipeline.context import Owner, build_context, corrects_a_name, named_as_companion
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_dose import asks_dose
from app.pipeline.read_missed import MISSED_DOSE
from app.pipeline.state import Turn
from app.pipeline.zh_homophones import HomophoneIndex, near_sound, sound
from app.pipeline.zh_sections import topic_sections
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("rivaroxaban", "Rivaroxaban", "Xarelto"), _entry("aspirin", "Aspirin"),
        _entry("warfarin", "Warfarin"), _entry("sertraline", "Sertraline", "舍曲林"),
        _entry("atorvastatin", "Atorvastatin", "阿托伐他汀"),
    ], is_known_word=lambda word: False)


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


@pytest.mark.parametrize(("text", "surface", "expected"), [
    ("no wait, it's 2.5mg twice a day, together with aspirin. he forgot this morning's", "aspirin", True),
    ("是二点五毫克一天两次的 跟阿司匹林一起吃 今天早上那次忘了", "阿司匹林", True),
    ("sorry, I meant aspirin", "aspirin", False),
    ("不对，是阿司匹林", "阿司匹林", False),
    ("can I take ibuprofen with it?", "ibuprofen", False),
])
def test_a_name_said_as_what_the_medicine_is_taken_with(text: str, surface: str, expected: bool) -> None:
    assert named_as_companion(text, surface) is expected


def test_a_dose_corrected_beside_a_companion_keeps_the_medicine(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("My dad takes Xarelto 20mg once a day", "OK, what would you like to know?",
                         "no wait I read the wrong box, it's 2.5mg twice a day, together with aspirin. he forgot "
                         "this morning's dose and it's 3pm now, should he take it?")
    context = build_context(dialogue, lexicon)
    rivaroxaban = [m for m in context.medicines if m.medicine_id == "rivaroxaban"]
    assert rivaroxaban and rivaroxaban[0].status.value != "stopped"
    d = RuleDistiller().distill(dialogue, lexicon)
    assert [(q.medicine, q.attribute) for q in d.queries] == [("rivaroxaban", "dosage")]


def test_a_correction_naming_the_replacement_still_retracts(lexicon: MedicineLexicon) -> None:
    dialogue = _dialogue("I take warfarin", "OK", "sorry, I meant sertraline. can I take it with aspirin?")
    statuses = {m.medicine_id: m.status.value for m in build_context(dialogue, lexicon).medicines}
    assert statuses["warfarin"] == "stopped"


def test_a_misread_box_is_a_correction() -> None:
    assert corrects_a_name("不对不对 我看错盒子了 是二点五毫克")


@pytest.mark.parametrize(("question", "asked"), [
    ("今天早上那次忘了 现在下午三点 要补吗", True),
    ("晚上那顿忘了，要不要补？", True),
    ("缺钙要不要补钙", False),
    ("能跟钙片一起吃吗", False),
])
def test_a_missed_dose_told_in_chinese(question: str, asked: bool) -> None:
    assert MISSED_DOSE.asked(question) is asked


def test_a_long_name_heard_near_is_read() -> None:
    assert near_sound(sound("阿托发他丁") or "") == near_sound(sound("阿托伐他汀") or "")
    index = HomophoneIndex.of(["阿托伐他汀", "舍曲林", "瑞舒伐他汀"])
    assert index is not None
    text = "她吃的是阿托发他丁 二十毫克"
    assert index.at(text, text.index("阿")) == "阿托伐他汀"
    # a short name heard near is not (three characters: too many everyday words sound near)
    assert index.at("我吃的是舍曲令", 4) is None  # (ling near lin)


def test_voice_typed_chinese_pauses_are_clauses(lexicon: MedicineLexicon) -> None:
    context = build_context(_dialogue("我跟我妈都有吃药 我吃的是舍曲林 她吃的是阿托伐他汀"), lexicon)
    owners = {m.medicine_id: m.owner for m in context.medicines}
    assert owners == {"sertraline": Owner.USER, "atorvastatin": Owner.RELATIVE}


def test_urine_like_strong_tea_is_a_symptom_not_a_drink() -> None:
    assert "interactions" not in topic_sections("她最近腿酸没力气 小便有点像浓茶 要不要紧")[:1]
    assert topic_sections("吃这个药能喝浓茶吗")[:1] == ("interactions",)


@pytest.mark.parametrize(("question", "dose"), [
    ("is the flow max my husband takes is that for his blood pressure as well", False),
    ("can I take lemsip max with it", False),
    ("75yo, eGFR 28, max dose gabapentin?", True),
    ("whats the max i can take", True),
    ("is 4g the max?", True),
    ("what is the maximum", True),
])
def test_max_asks_a_dose_but_not_in_a_product_name(question: str, dose: bool) -> None:
    assert asks_dose(question, "indications") is dose


def test_how_she_is_supposed_to_take_it_told_on(lexicon: MedicineLexicon) -> None:
    from app.pipeline.read_dose import _ASKS_MANNER
    assert _ASKS_MANNER.search("how is she actually supposed to take it she's been having it with her tea")
    assert _ASKS_MANNER.search("how am I supposed to take it?")
    assert not _ASKS_MANNER.search("how is she supposed to take it easy at work")


@pytest.mark.parametrize(("question", "first"), [
    # a rash and whether to stop, after the dose raised: its warnings on the rash, not the dose
    ("双相 加量拉莫三嗪到100mg 第三周 身上出红疹 要不要停", "warnings"),
    ("吃了以后拉肚子，要不要停药？", "warnings"),
    # a kidney measure and whether it may go on: what the label forbids below it
    ("T2DM 老年患者 eGFR 27，门诊一直在吃二甲双胍0.5 tid，现在还能继续吗？", "contraindications"),
    ("我爸eGFR 40，二甲双胍吃多少", "dosage"),
])
def test_chinese_topic_of_what_is_asked(question: str, first: str) -> None:
    assert topic_sections(question)[:1] == (first,)
