"""Session 17's changes: "is X safe with Y?" asks whether to take them together; a product the database lacks
asked together with a medicine is read in that label's words for it whoever takes the medicine (salt substitutes
now among them); a Chinese answer's full-width brackets (钙尔奇D（calcium carbonate）) are read like " (...)"; a
Chinese "一起吃" (which expands to "concomitant") is no word a silent label speaks of."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.enums import Mode
from app.pipeline.distill import _safe_with_another, original_case
from app.pipeline.lexicon import NameMatch
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.product_words import is_listed_product, label_words
from app.pipeline.read_partner import described_ingredients, split_described, unknown_partner
from app.pipeline.state import TurnRequest
from eval.runtime import load_orchestrator
from tests.conftest import MINI_CORPUS


@pytest.fixture(scope="module")
def orchestrator(tmp_path_factory: pytest.TempPathFactory, mini_index_dir: Path, encoder: Any) -> Orchestrator:
    database = tmp_path_factory.mktemp("reading_s17") / "clinqa.db"
    settings = Settings(database_url=f"sqlite:///{database}", index_dir=mini_index_dir, corpus=MINI_CORPUS,
                        vector_caches=[], vector_cache_out=None)
    return load_orchestrator(settings, encoder)


def _ask(orchestrator: Orchestrator, question: str) -> Any:
    return orchestrator.answer(TurnRequest(question, [], Mode.DRR))


@pytest.mark.parametrize("question", ["Is ibuprofen safe with warfarin?", "is ibuprofen ok with the warfarin",
                                      "Would ibuprofen be a problem with warfarin?"])
def test_safe_with_another_medicine_asks_about_taking_them_together(orchestrator: Orchestrator,
                                                                     question: str) -> None:
    answer = _ask(orchestrator, question)
    assert {q.medicine for q in answer.queries} == {"ibuprofen", "warfarin-sodium"}
    assert {q.attribute for q in answer.queries} == {"interactions"}, [q.to_dict() for q in answer.queries]


def test_safe_with_a_condition_or_alone_stays_a_safety_question(orchestrator: Orchestrator) -> None:
    for question in ("Is ibuprofen safe with asthma?", "Is ibuprofen safe?"):
        assert "interactions" not in {q.attribute for q in _ask(orchestrator, question).queries}, question


def test_the_words_of_safe_with_another() -> None:
    ibuprofen, warfarin = NameMatch("ibuprofen", "ibuprofen", 1, "exact"), NameMatch("warfarin", "warfarin", 4, "exact")
    assert _safe_with_another("Is ibuprofen safe with warfarin?", [ibuprofen, warfarin])
    assert _safe_with_another("is it ok to have ibuprofen and my warfarin", [ibuprofen, warfarin])
    assert not _safe_with_another("Is ibuprofen or warfarin safer in pregnancy?", [ibuprofen, warfarin])
    assert not _safe_with_another("Is ibuprofen safe? I also take warfarin.", [ibuprofen, warfarin])


@pytest.mark.parametrize("question", ["Is ginkgo safe with warfarin?", "Can I take ginkgo with warfarin?"])
def test_a_product_asked_together_with_a_medicine_nobody_said_is_taken_is_read_in_its_labels_words(
        orchestrator: Orchestrator, question: str) -> None:
    answer = _ask(orchestrator, question)
    assert answer.status.value == "answered", answer.text
    assert [c.medicine_id for c in answer.citations][:1] == ["warfarin-sodium"]
    assert "botanical" in answer.text.casefold()


def test_salt_substitutes_are_a_class_of_products_labels_name() -> None:
    for brand in ("LoSalt", "Lo-Salt", "NoSalt", "salt substitute"):
        assert is_listed_product(brand), brand
        assert "salt substitutes" in label_words(brand), brand


def test_full_width_brackets_describe_a_product_like_half_width_ones() -> None:
    assert split_described("钙尔奇D（calcium carbonate）") == ("钙尔奇D", "calcium carbonate")
    assert split_described("Percocet (oxycodone and acetaminophen)") == ("Percocet", "oxycodone and acetaminophen")
    assert split_described("ginkgo") == ("ginkgo", None)
    assert unknown_partner("钙尔奇D（calcium carbonate）") == "钙尔奇d"
    assert described_ingredients("钙尔奇D（calcium carbonate）") == ["calcium carbonate"]
    assert described_ingredients("zorvalex (did you mean diclofenac?)") == []


def test_a_chinese_name_keeps_how_it_was_written() -> None:
    assert original_case("钙尔奇d", "钙尔奇D和环丙沙星要隔开吃吗？") == "钙尔奇D"
    assert original_case("xarelto", "Is Xarelto safe?") == "Xarelto"


def test_a_chinese_together_question_about_a_product_the_label_never_names_is_not_in_the_database(
        orchestrator: Orchestrator) -> None:
    # 一起吃 expands to "concomitant": ibuprofen's sentences with that word say nothing of 蒙脱石散
    answer = _ask(orchestrator, "蒙脱石散可以和布洛芬一起吃吗？")
    assert answer.status.value == "unknown_drug" and not answer.citations, answer.text
    assert "蒙脱石" in answer.text


@pytest.mark.parametrize(("question", "section"), [
    # whether stopping is safe: the warnings (withdrawal, rebound); how to stop: the dosing (the taper)
    ("right yes. if I'm feeling better by the summer can I just stop taking them?", "warnings"),
    ("it makes me so tired all the time. can I just stop it from tomorrow?", "warnings"),
    ("Started it 3 weeks ago and now I've got an itchy rash on both arms. Carry on or stop?", "warnings"),
    ("My prescription runs out tomorrow. If I just don't take it any more until the new one starts, is that a "
     "problem?", "warnings"),
    ("Do I need to stop it beforehand and for how long?", "warnings"),
    ("How do I stop taking it?", "dosage"),
    ("Do I take it before bed or in the morning?", "dosage"),
    # what was just described, put down to the medicine ("doing" is no misspelt "dosing")
    ("by teatime my ankles look like someone's pumped them up with a bike pump. Is that the tablets doing it?",
     "adverse_reactions"),
    ("around 4pm I get shaky and sweaty. Is it my sugar tablets doing that?", "adverse_reactions"),
])
def test_stopping_and_blaming_the_tablets_are_cued(question: str, section: str) -> None:
    from app.pipeline.attributes import classify_attribute

    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == section, guess.scores


def test_stopping_an_effect_is_no_stopping_the_medicine() -> None:
    from app.pipeline.attributes import classify_attribute

    assert classify_attribute("Can I stop the nausea?").attribute != "warnings"


def test_doing_is_no_misspelt_dosing() -> None:
    from app.pipeline.cue_spelling import spell_cue_words

    assert spell_cue_words("Is that the tablets doing it?") == "Is that the tablets doing it?"
    assert spell_cue_words("any side efects?") == "any side effects?"


def test_wine_by_its_colour_is_alcohol() -> None:
    from app.pipeline.drink_words import asks_alcohol

    assert asks_alcohol("and is a glass or two of red in the evening going to be a problem with it?")
    assert asks_alcohol("a bottle of white with dinner ok?")
    assert not asks_alcohol("is red meat ok?") and not asks_alcohol("a glass of milk with it?")


def _dialogue_answer(orchestrator: Orchestrator, *turns: str) -> Any:
    from app.pipeline.state import Turn

    history = [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns[:-1])]
    return orchestrator.answer(TurnRequest(turns[-1], history, Mode.DRR))


def test_the_other_one_taken_beside_the_one_named_keeps_both(orchestrator: Orchestrator) -> None:
    answer = _dialogue_answer(orchestrator, "I've been on warfarin for years.", "OK. What would you like to know?",
                              "The GP has added amoxicillin. Is the 500 right for me given I'm on the other one?")
    assert {q.medicine for q in answer.queries} == {"amoxicillin", "warfarin-sodium"}


def test_the_new_one_with_the_old_one_asks_of_both(orchestrator: Orchestrator) -> None:
    answer = _dialogue_answer(orchestrator, "I've been on lisinopril for about ten years.", "OK.",
                              "Now the doctor's added ibuprofen for my knee. Can I take the new one with the old one?")
    assert {q.medicine for q in answer.queries} == {"ibuprofen", "lisinopril"}


def test_the_first_jab_of_a_course_is_no_vaccine(orchestrator: Orchestrator) -> None:
    answer = _dialogue_answer(orchestrator, "Just started metformin for weight loss, first jab on Sunday",
                              "OK.", "What is it for?")
    assert not any("Not in the database" in n.text for n in answer.notices), answer.notices
    assert [q.medicine for q in answer.queries] == ["metformin"]


def test_the_pill_as_people_say_it_is_the_class_labels_name() -> None:
    from app.pipeline.read_partner import EXTRA_CLASSES

    pill = EXTRA_CLASSES["hormonal_contraceptive"]
    for said in ("I'm on the combined pill", "the mini pill", "I'm on the pill", "birth control pills"):
        assert pill.search(said), said
    assert pill.search("Advise patients using oral hormonal contraceptives to switch")
    assert not pill.search("take the pill with food")


@pytest.mark.parametrize(("question", "section"), [
    ("I'm on the combined pill. Does that still work properly with it?", "interactions"),
    ("We fly to Tenerife on Friday. Anything I need to watch with the sun while I'm on it?", "warnings"),
])
def test_the_pill_and_the_sun_are_cued(question: str, section: str) -> None:
    from app.pipeline.attributes import classify_attribute

    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == section, guess.scores


def test_a_correction_takes_back_the_medicine_named_before(orchestrator: Orchestrator) -> None:
    answer = _dialogue_answer(orchestrator, "I'm on sertraline.", "Noted.",
                              "Sorry, I meant diazepam. Can I drink alcohol on it?")
    assert "sertraline-hydrochloride" not in {q.medicine for q in answer.queries}
    assert "diazepam" in {q.medicine for q in answer.queries}


@pytest.mark.parametrize(("text", "corrects"), [
    ("Sorry, I meant citalopram.", True), ("I typed it wrong, it's lamotrigine", True), ("no wait, it's the 20 mg one",
                                                                                         True),
    ("不好意思，我说错了，是辛伐他汀。", True),
    ("不对，我刚看了盒子，是埃索美拉唑，就是耐信。那跟波立维能一起吃吗？", True),
    ("不对的话会不会有问题？我吃的是阿司匹林吗？", False),
    ("Sorry this is long. My daughter is 4 and has an ear infection since the weekend, crying at night, pulling "
     "her ear, the usual. The doctor gave us cephalexin.", False),
    ("I take metformin and it's fine.", False),
])
def test_what_reads_as_a_correction(text: str, corrects: bool) -> None:
    from app.pipeline.context import corrects_a_name

    assert corrects_a_name(text) is corrects


def test_on_it_means_what_is_taken_not_the_product_asked_about_since(orchestrator: Orchestrator) -> None:
    answer = _dialogue_answer(orchestrator, "I take lisinipril for my blood pressure.", "Noted.",
                              "Can I use Lo-Salt?", "OK.", "what if I get pregnant on it?")
    assert [q.medicine for q in answer.queries] == ["lisinopril"]


def test_an_elliptical_follow_up_keeps_whose_medicines_were_checked(orchestrator: Orchestrator) -> None:
    answer = _dialogue_answer(orchestrator, "My mum is on warfarin.", "Noted.",
                              "Can she take ibuprofen for her back?", "OK.", "Paracetamol instead?")
    notices = " ".join(n.text for n in answer.notices)
    assert "your mother takes" in notices and "you said you take" not in notices, notices


@pytest.mark.parametrize(("question", "section"), [
    ("必理痛一日最多可以食幾多粒？我頭痛咗成日", "dosage"),
    ("毓婷最晚要在同房后几天内吃？", "dosage"),
    ("威而鋼要在多久之前吃才有效？", "dosage"),
    ("舒利迭吸完以后一定要漱口吗？", "dosage"),
    ("医生说要从小剂量开始吃，是真的吗？", "dosage"),
    ("我有癫痫，一直吃德巴金，打算明年要孩子，可以继续吃吗？", "pregnancy"),
])
def test_chinese_cues_for_how_much_how_soon_and_a_child_planned(question: str, section: str) -> None:
    from app.pipeline.attributes import classify_attribute

    guess = classify_attribute(question)
    assert guess.attribute is not None and guess.attribute.value == section, guess.scores


def test_a_child_planned_is_no_child_to_dose() -> None:
    from app.pipeline.zh_conditions import english_condition_words

    assert "child" not in english_condition_words("打算明年要孩子，可以继续吃吗？")
    assert "pregnant" in english_condition_words("打算明年要孩子，可以继续吃吗？")
    assert "child" in english_condition_words("孩子5岁，能吃吗？")


def test_a_chinese_name_set_aside() -> None:
    from app.pipeline.set_aside import is_set_aside

    text = "不对，我说错了，是甲泼尼龙（美卓乐），不是泼尼松。我能直接停掉吗？"
    assert is_set_aside(text, "泼尼松") and not is_set_aside(text, "甲泼尼龙")
    assert is_set_aside("除了二甲双胍，还有什么药？", "二甲双胍")


def test_whats_good_for_a_condition_is_a_which_medicine_question_not_a_name() -> None:
    from app.pipeline.indication_search import asks_medicine_for_condition, asks_self_care

    for question in ("What's good for heartburn?", "Best thing for a headache that won't go away?"):
        assert asks_medicine_for_condition(question), question
    assert asks_self_care("Best thing for a headache that won't go away?")


def test_whats_good_for_heartburn_is_never_a_missing_medicine(orchestrator: Orchestrator) -> None:
    answer = _ask(orchestrator, "What's good for heartburn?")
    assert answer.status.value != "unknown_drug" and "good for heartburn" not in answer.text.casefold(), answer.text


def test_an_operation_as_people_say_it_is_a_procedure_ahead() -> None:
    from app.pipeline.read_cues import conditions_in

    for said in ("Hernia repair booked. How long before should I stop it?", "my knee op is next week",
                 "having my gallbladder out on Thursday", "he's going under general anaesthetic"):
        assert "procedure" in {c.name for c in conditions_in(said)}, said


def test_how_to_take_it_asks_the_manner_not_only_the_amount(orchestrator: Orchestrator) -> None:
    from app.pipeline.read_dose import _ASKS_MANNER

    for asked in ("how am I supposed to take it exactly?", "how should I take levothyroxine?",
                  "what's the right way to take these?"):
        assert _ASKS_MANNER.search(asked), asked
    assert not _ASKS_MANNER.search("how should I take it with my warfarin and ibuprofen for the pain")
    answer = _ask(orchestrator, "How should I take metformin?")
    first = answer.text.split("[1]")[0].casefold()
    assert "meal" in first or "food" in first, answer.text[:400]
