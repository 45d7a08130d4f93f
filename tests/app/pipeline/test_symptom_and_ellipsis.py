"""A symptom laid at a medicine's door asks its adverse reactions (without "side effect"), and an elliptical
follow-up naming another medicine ("and what about naproxen instead?") keeps the previous question's section
and partner (issue 17)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Distillation, Turn
from app.pipeline.zh_sections import topic_of
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "adverse_reactions"), routes=("ORAL",))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("amlodipine", "Amlodipine", "Norvasc", "氨氯地平"), _entry("simvastatin", "Simvastatin", "Zocor"),
        _entry("atorvastatin", "Atorvastatin", "Lipitor", "阿托伐他汀"), _entry("lisinopril", "Lisinopril"),
        _entry("ibuprofen", "Ibuprofen", "Advil"), _entry("naproxen", "Naproxen", "Aleve"),
        _entry("acetaminophen", "Acetaminophen", "Tylenol"), _entry("warfarin", "Warfarin", "Coumadin"),
    ])


def _distill(lexicon: MedicineLexicon, *user_turns: str) -> Distillation:
    dialogue: list[Turn] = []
    for text in user_turns:
        dialogue += [Turn("assistant", "Okay.")] if dialogue else []
        dialogue.append(Turn("user", text))
    return RuleDistiller().distill(dialogue, lexicon)


@pytest.mark.parametrize("question", [
    "Is it the one that makes my ankles swell?",
    "my feet have gotten puffy, could that be from the norvasc?",
    "Could it be causing this dry cough?",
    "Is my rash from it?",
    "I keep getting headaches lately - is that the amlodipine?",
    "does this pill make me lightheaded",
    "which one gives me the leg cramps",
])
def test_a_symptom_blamed_on_a_medicine_asks_adverse_reactions(question: str) -> None:
    assert classify_attribute(question).attribute is not None
    assert classify_attribute(question).attribute.value == "adverse_reactions"


@pytest.mark.parametrize("question", ["他最近脚有点肿，是不是他的药引起的？", "最近有点头晕，是药的原因吗？",
                                      "我妈脚踝都肿起来了，跟药有关吗"])
def test_a_chinese_symptom_with_words_between_is_symptom_after(question: str) -> None:
    topic = topic_of(question)
    assert topic is not None and topic.name == "symptom_after"


def test_the_one_that_causes_a_symptom_answers_both_without_asking_back(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "I take amlodipine and simvastatin together every evening.",
                 "Is it the one that makes my ankles swell?")
    assert d.clarify == ""
    assert {(q.medicine, q.attribute) for q in d.queries} == {("amlodipine", "adverse_reactions"),
                                                             ("simvastatin", "adverse_reactions")}


def test_chinese_swelling_after_a_fathers_medicines_asks_adverse_reactions(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "我爸爸75岁，一直在吃氨氯地平降压，还有阿托伐他汀。", "他最近脚有点肿，是不是他的药引起的？")
    assert d.clarify == "" and d.queries[0].attribute == "adverse_reactions"
    assert {q.medicine for q in d.queries} == {"amlodipine", "atorvastatin"}


@pytest.mark.parametrize("follow_up", ["and what about naproxen instead?", "How about Tylenol?", "and Aleve?",
                                       "what about acetaminophen"])
def test_an_elliptical_follow_up_keeps_the_interaction(lexicon: MedicineLexicon, follow_up: str) -> None:
    first = "I've been taking lisinopril for years. Can I take ibuprofen for my back pain?"
    assert {q.attribute for q in _distill(lexicon, first).queries} == {"interactions"}
    d = _distill(lexicon, first, follow_up)
    assert d.clarify == "" and {q.attribute for q in d.queries} == {"interactions"}
    assert "ibuprofen" not in {q.medicine for q in d.queries}


def test_an_elliptical_follow_up_with_its_own_cue_keeps_its_own(lexicon: MedicineLexicon) -> None:
    d = _distill(lexicon, "I've been taking lisinopril for years. Can I take ibuprofen for my back pain?",
                 "and what's the dose of naproxen?")
    assert {q.attribute for q in d.queries} == {"dosage"}
    side = _distill(lexicon, "What are the side effects of warfarin?", "and naproxen?")
    assert [(q.medicine, q.attribute) for q in side.queries] == [("naproxen", "adverse_reactions")]
