"""Session 34: life stages and reproductive health (contraception, trying to conceive, pregnancy,
breastfeeding, children, menopause, men's health, older age)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.compose import boilerplate, label_sentences
from app.pipeline.indication_search import asks_medicine_for_condition
from app.pipeline.ingestion import someone_swallowed
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_cues import conditions_in, stops_for_an_event
from app.pipeline.read_missed import GOING_WITHOUT, MISSED_DOSE, VOMITED_DOSE, topics_asked
from indexing.store import MedicineEntry


@pytest.mark.parametrize(("sentence", "is_boilerplate"), [
    ("Significant drug interactions with lamotrigine are summarized in this section.", True),
    ("Additional details of these drug interaction studies are provided in the Clinical Pharmacology section "
     "[see Clinical Pharmacology (12.3)].", True),
    ("A better perspective on the serious adverse events associated with the use of Cesamet is provided in the "
     "WARNINGS and PRECAUTIONS sections.", True),
    ("Dosage adjustments will be necessary in most patients who start or stop estrogen-containing oral "
     "contraceptives while taking lamotrigine.", False),
    ("Instructions for use are provided in the Medication Guide.", False),
])
def test_signposts_to_other_parts_of_the_label_are_not_quoted(sentence: str, is_boilerplate: bool) -> None:
    assert boilerplate(sentence) is is_boilerplate


@pytest.mark.parametrize(("question", "attribute"), [
    ("is that ok? how should she actually be taking it", "dosage"),
    ("how should she be taking it", "dosage"),
    ("Is letrozole actually a medicine for helping you ovulate?", "indications"),
    ("prescription just says finasteride 5mg. is that for hair loss?", "indications"),
    ("really bad period cramps, GP gave me naproxen sodium 550mg. can i double up on day 1 when its worst", "dosage"),
    ("I threw up about an hour after taking my pill and I've had diarrhoea all day. Is the pill still working or do "
     "we need to use something else?", "dosage"),
    ("my friend has to take progesterone as well because she still has her womb. i still have mine too, is that "
     "right?", "boxed_warning"),
    ("what strength is the maroon one? i'm meant to be on 0.625", "dosage_forms"),
])
def test_life_stage_questions_ask_their_section(question: str, attribute: str) -> None:
    guess = classify_attribute(question).attribute
    assert guess is not None and guess.value == attribute


def test_a_child_who_got_at_a_siblings_tablets_is_an_ingestion() -> None:
    assert someone_swallowed("his little brother (4) just chewed 2 of them off the kitchen counter!!! what do i look "
                             "out for, who do i call")
    assert not someone_swallowed("can my 4 year old chew the tablets or should he swallow them whole?")


def _names(text: str) -> set[str]:
    return {c.name for c in conditions_in(text)}


@pytest.mark.parametrize(("text", "present", "absent"), [
    ("I'm breastfeeding and really don't want to stop. how much gets through to her in the milk?",
     {"breastfeeding"}, {"stopping"}),
    ("I was on Yaz before I got pregnant - can I just go back on it now?", set(), {"pregnancy"}),
    ("I'm 52, periods stopped last year and the hot flushes are unbearable", set(), {"stopping"}),
    ("I'm 61, started raloxifene for my bones 2 months ago", set(), {"elderly"}),
    ("mum is 78 and on alendronate", {"elderly"}, set()),
    ("My PSA came back high and they're sending me for a prostate biopsy", {"prostate_cancer"}, set()),
    ("can I stop the sertraline straight away?", {"stopping"}, set()),
])
def test_what_the_user_states(text: str, present: set[str], absent: set[str]) -> None:
    found = _names(text)
    assert present <= found and not absent & found


def test_a_line_on_stopping_for_an_event_is_no_warning_against_stopping() -> None:
    assert stops_for_an_event("Use of the product should be discontinued if hypersensitivity to any of the "
                              "ingredients is noted.")
    assert stops_for_an_event("If the degree of local irritation warrants, patients should be directed to use the "
                              "medication less frequently, discontinue use temporarily, or discontinue use altogether.")
    assert not stops_for_an_event("Avoid abrupt discontinuation; taper the dose over 1 to 2 weeks.")


def test_a_dose_brought_back_up_is_no_dose_missed() -> None:
    asked = topics_asked("吃完大概一个半小时就吐了，吐得挺厉害的，这药还有效吗？要不要再买一盒补吃")
    assert VOMITED_DOSE in asked and MISSED_DOSE not in asked
    assert VOMITED_DOSE.asked("This morning I threw up about an hour after taking my pill. Is the pill still working?")
    assert VOMITED_DOSE.label_speaks(["In case of severe vomiting or diarrhea, absorption may not be complete and "
                                      "additional contraceptive measures should be taken."])


def test_a_strength_alone_names_no_medicine() -> None:
    lexicon = MedicineLexicon([
        MedicineEntry("clobetasol-propionate-ointment-usp-0-05", "Clobetasol Propionate Ointment USP, 0.05%",
                      ("Clobetasol",), "en", "", ("indications",)),
        MedicineEntry("tretinoin-skin", "Tretinoin", (), "en", "", ("indications", "pregnancy")),
    ])
    found = {m.medicine_id for m in lexicon.find("been using tretinoin cream 0.05% every night for my acne")}
    assert found == {"tretinoin-skin"}


def test_a_dashed_list_after_a_full_stop_is_quoted_item_by_item() -> None:
    text = ("16.1 How Supplied PREMARIN (conjugated estrogens tablets, USP) - Each oval green tablet contains 0.3 mg, "
            "in bottles of 100 (NDC 0046-1100-81). - Each oval maroon tablet contains 0.625 mg, in bottles of 100 (NDC "
            "0046-1102-81). - Each oval white tablet contains 0.9 mg, in bottles of 100 (NDC 0046-1103-81). The "
            "appearance of these tablets is a trademark of Wyeth LLC.")
    quoted = [s for _, s in label_sentences(text)]
    assert any(s.startswith("Each oval maroon tablet contains 0.625 mg") for s in quoted)
    assert not any("trademark" in s for s in quoted)


def test_what_to_tell_the_surgeon_is_no_which_medicine_question() -> None:
    assert not asks_medicine_for_condition("Having cataract surgery in March. I've been on tamsulosin for years. Is "
                                           "there anything I should tell the eye surgeon?")
    assert asks_medicine_for_condition("I have a terrible headache. What can I take for it?")


def test_another_product_instead_of_the_one_run_out_asks_its_dose() -> None:
    assert not GOING_WITHOUT.asked("can i give my 3 yr old half an advil for his fever? the kids one ran out")
    assert GOING_WITHOUT.asked("I've run out of my baclofen, is it ok to go without until Monday?")


def test_a_baby_in_a_pregnancy_is_unborn_in_chinese_too() -> None:
    assert _names("一直用维A酸乳膏擦痘印，今天发现怀孕了，擦了这么久会不会对宝宝有影响") == {"pregnancy"}
    assert "child" in _names("宝宝10个月，发烧38.5度，可以吃美林吗？")


@pytest.mark.parametrize("question", [
    "She's fallen twice at night since she started it. Is 10mg too much for someone her age?",
    "is that dose too high for him at 90?",
])
def test_a_dose_too_much_for_someone_is_a_dose_question(question: str) -> None:
    assert classify_attribute(question).attribute is not None
    assert classify_attribute(question).attribute.value == "dosage"
    assert "overdose" not in _names(question)
