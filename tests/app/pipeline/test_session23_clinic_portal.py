"""Readings a hospital clinic portal showed (session 23): "so he doesn't forget" is why a pill box is used, not a
missed dose; "missed the morning Eliquis" is one; "I'm not planning a baby" rules pregnancy out; "does her age
change anything" is an older person's question; "how many days at room temperature" is storage; "blood pressure
checks" are monitoring; "open his <name> capsule" is handling a dose, and a label's line on opening it comes
before the child's regimen; lay words for suicidal thoughts, for thirst and passing water, for late pregnancy.
Chinese: a pill organiser (分药盒) is storage; whether the contraceptive pill still works is the interactions."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.compose import label_sentences
from app.pipeline.read_cues import question_expansions, said_expansions
from app.pipeline.read_dose import asks_handling, handling_line
from app.pipeline.read_missed import asks_missed_dose
from app.pipeline.zh_sections import topic_of
from app.records.mag import TAKING_CUE


@pytest.mark.parametrize("question", [
    "I've been putting all his tablets in a weekly dosette box so he doesn't forget. Is that alright?",
    "Don't forget to take it with food, the nurse said. Why?",
    "I never forget my tablets. Can I take it at night instead?",
])
def test_not_forgetting_is_no_missed_dose(question: str) -> None:
    assert not asks_missed_dose(question)


@pytest.mark.parametrize("question", [
    "Missed the morning Eliquis, it's lunchtime now. Do I take it?",
    "I forgot my dose last night, do I double up?",
    "missed this evening dose of metformin",
])
def test_a_dose_missed_is_still_one(question: str) -> None:
    assert asks_missed_dose(question)


def test_a_missed_bus_is_not_a_dose() -> None:
    assert not asks_missed_dose("Missed the morning bus so I took my tablets late. Is that OK?")


@pytest.mark.parametrize(("question", "section"), [
    ("She's on digoxin and her kidneys aren't great. Does her age change anything with the digoxin?", "geriatric"),
    ("Insulin glargine pen at room temperature - how many days can I use it?", "storage"),
    ("How long is it OK out of the fridge once opened?", "storage"),
    ("Does methylphenidate need blood pressure checks in children?", "warnings"),
    ("Can my son open his lisdexamfetamine capsule?", "dosage"),
    ("We're planning a baby next year. Is it safe?", "pregnancy"),
    ("Sevelamer - all at bedtime OK?", "dosage"),
    ("Hydroxychloroquine for 5 years now for RA. Does it need any checks?", "warnings"),
    ("The new tablet is midodrine. Anything special about when I take it?", "dosage"),
    ("White patches on his tongue since the nebs. Is that from the steroid one, and what should we be doing?",
     "adverse_reactions"),
])
def test_the_cue_words_name_the_section(question: str, section: str) -> None:
    assert (guess := classify_attribute(question).attribute) is not None and guess.value == section, question


def test_a_baby_planned_is_no_child() -> None:
    scores = classify_attribute("Im not planning a baby right now. Is it OK with my pill?").scores
    assert "pediatric" not in scores and "pregnancy" not in scores


def test_opening_a_named_capsule_is_handling_and_the_label_line_says_so() -> None:
    assert asks_handling("Can my son open his lisdexamfetamine capsule?")
    assert asks_handling("can I open the capsules?")
    assert asks_handling("她吞不下去，可以打开混在酸奶里吗？")
    assert handling_line("Open capsules, empty and mix the entire contents with yogurt, water, or orange juice.")
    assert not handling_line("The recommended starting dosage is 30 mg once daily in the morning.")


@pytest.mark.parametrize(("question", "words"), [
    ("Teenager on atomoxetine saying dark things. Linked?", {"suicid"}),
    ("He keeps talking about hurting himself since the new tablets", {"suicid"}),
    ("My son on quetiapine is thirsty all the time and weeing a lot.", {"hyperglycemia", "polyuria"}),
    ("Sertraline in pregnancy, I'm 22 weeks - any risk near the end?", {"trimest", "neonat"}),
    ("Does methylphenidate need blood pressure checks in children?", {"monitor"}),
    ("Ticagrelor and feeling breathless - dangerous?", {"dyspnea"}),
])
def test_lay_words_reach_the_labels_words(question: str, words: set[str]) -> None:
    found = question_expansions(question)
    assert all(any(t.startswith(w[:6]) for t in found) for w in words), (question, sorted(found))


def test_the_end_of_a_meeting_is_no_late_pregnancy() -> None:
    assert not {"neonat", "trimest"} & {t[:7] for t in question_expansions("I'll ask at the end of the clinic")}


@pytest.mark.parametrize(("question", "topic"), [
    ("我爸84岁，吃泰毕全（达比加群）胶囊，我想把药放进一周分药盒里，可以吗？", "storage"),
    ("化疗止吐开了阿瑞匹坦（意美），我在吃口服避孕药，还有效吗？", "affects_another"),
    ("我女儿12岁，吃 Vyvanse 胶囊，她吞不下去，可以打开混在酸奶里吗？", "into_food"),
])
def test_chinese_topics(question: str, topic: str) -> None:
    assert (found := topic_of(question)) is not None and found.name == topic, question


def test_stopping_before_an_operation_is_no_taking_beside_the_others() -> None:
    assert TAKING_CUE.search("Do I need to stop the new one beforehand, and how many days?") is None
    assert TAKING_CUE.search("The dentist gave me metronidazole. Do I need to stop my warfarin?") is not None


def test_a_test_result_is_no_monitoring_question() -> None:
    assert not {t for t in question_expansions("I tested positive for covid. Can I still take it?") if
                t.startswith("monitor")}


def test_a_dose_too_high_for_his_age_is_a_dose_question() -> None:
    question = "dad 70 on citalopram 40mg, new GP says that's too high for his age?? is that right"
    assert "geriatric" not in classify_attribute(question).scores


def test_capsules_mixed_up_in_a_pill_box_are_no_storage_question() -> None:
    found = topic_of("哈乐（坦索罗辛）的胶囊长什么样？我爸药盒里混了一些散装的胶囊，想认一下")
    assert found is None or found.name != "storage"


def test_white_patches_in_the_mouth_are_the_labels_oral_candidiasis() -> None:
    found = said_expansions("He's got white patches on his tongue and inside his cheeks since he started the nebs.")
    assert any(t.startswith("candid") for t in found), found


def test_a_list_told_apart_by_its_cross_references_keeps_its_items_whole() -> None:
    text = ("Warfarin can cause bleeding. The following serious adverse reactions to warfarin sodium are discussed in "
            "greater detail in other sections of the labeling: Hemorrhage [see Boxed Warning, Warnings and Precautions "
            "(5.1), and Overdosage ( 10 )] Tissue Necrosis [see Warnings and Precautions ( 5.2 )] Calciphylaxis [see "
            "Warnings and Precautions ( 5.3 )] Acute Kidney Injury [see Warnings and Precautions ( 5.4 )] Systemic "
            "Atheroemboli and Cholesterol Microemboli [see Warnings and Precautions ( 5.5 )] Limb Ischemia, Necrosis, "
            "and Gangrene in Patients with HIT and HITTS [see Warnings and Precautions ( 5.6 )] Other Clinical "
            "Settings with Increased Risks [see Warnings and Precautions ( 5.8 )]. Other adverse reactions are listed "
            "below.")
    quoted = " ".join(sentence for _, sentence in label_sentences(text))
    assert "Hemorrhage; Tissue Necrosis; Calciphylaxis; Acute Kidney Injury;" in quoted, quoted
    assert "tissue; necrosis" not in quoted and "[see" not in quoted
