"""Session 33: living with a long-term condition: an effect asked of one medicine while others are told as also
taken, trial reporting that is no answer to a patient, and a pregnancy registry's announcement."""

from __future__ import annotations

import pytest

from app.pipeline.asks_cause import asks_cause, told_as_also_taken
from app.pipeline.attributes import classify_attribute
from app.pipeline.generic_names import SHIPPED_TABLE, shipped_name_table
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_cues import (
    asks_switching,
    conditions_in,
    noise_penalty,
    question_expansions,
    switching_line,
)
from app.pipeline.read_missed import GOING_WITHOUT
from app.pipeline.read_population import population_lead
from app.pipeline.warned_symptom import symptom_words
from app.pipeline.zh_sections import topic_sections
from indexing.store import MedicineEntry


@pytest.mark.parametrize(("sentence", "cause"), [
    ("Is the high potassium from the spironolactone and what should happen?", True),
    ("Is there any link with the tablets?", True),
    ("Could this be because of the new dose?", True),
    ("is this because i stopped?", True),
    ("Is that a side effect of it?", True),
    ("Is it linked to my inhaler?", True),
    ("Is that OK?", False),
    ("Can I take ibuprofen with it?", False),
    ("What dose should she start on?", False),
])
def test_a_question_that_asks_a_cause(sentence: str, cause: bool) -> None:
    assert asks_cause(sentence) is cause


def test_medicines_told_as_also_taken_are_background() -> None:
    question = ("My husband has been on Abilify for two years. Since then he's lost money betting. Is there any link "
                "with the tablets? He also takes a statin and vitamin D.")
    asking = "Is there any link with the tablets?"
    assert told_as_also_taken(question, "vitamin D", asking)
    assert told_as_also_taken(question, "statin", asking)
    assert not told_as_also_taken(question, "Abilify", asking)
    bracketed = ("I'm on spironolacton 25mg for heart failure (plus bisoprolol and furosemide). Is the high potassium "
                 "from the spironolactone?")
    asking = "Is the high potassium from the spironolactone?"
    assert told_as_also_taken(bracketed, "furosemide", asking) and told_as_also_taken(bracketed, "bisoprolol", asking)
    assert not told_as_also_taken(bracketed, "spironolactone", asking)  # the asking sentence names it
    assert not told_as_also_taken("I take warfarin and aspirin. Is that OK?", "aspirin", "Is that OK?")


def test_a_lay_potassium_result_is_an_effect() -> None:
    assert "hyperkalemia" in symptom_words("my potassium came back raised at the last check")


@pytest.mark.parametrize("sentence", [
    "In controlled clinical studies of pregabalin in fibromyalgia, 106 patients were 65 years of age or older.",
    "In controlled clinical studies of pregabalin in neuropathic pain associated with diabetic peripheral neuropathy, "
    "246 patients were 65 to 74 years of age, and 73 patients were 75 years of age or older.",
    "In all controlled and uncontrolled trials across various patient populations during the premarketing "
    "development of pregabalin, more than 10,000 patients have received pregabalin.",
    "In the placebo group, 1% of patients withdrew due to dizziness and less than 1% withdrew due to somnolence.",
    "In the pregabalin treatment group, the adverse reactions most frequently leading to discontinuation were "
    "dizziness (4%) and somnolence (4%).",
    "In clinical trials in adults with neuropathic pain, 9% of patients treated with pregabalin and 4% of patients "
    "treated with placebo discontinued prematurely due to adverse reactions.",
    "For partial-onset seizure dosing in pediatric patients 1 month of age and older, refer to section 2.4.",
])
def test_trial_reporting_and_referrals_tell_a_patient_little(sentence: str) -> None:
    assert noise_penalty(sentence) >= 1.0


@pytest.mark.parametrize("sentence", [
    "Most common adverse reactions (greater than or equal to 5% and twice placebo) in adults are dizziness, "
    "somnolence, dry mouth, edema, blurred vision, weight gain, and thinking abnormal.",
    "Elderly patients 65 years of age and older may need a lower dose.",
    "Pregabalin may cause dizziness and somnolence.",
])
def test_what_the_medicine_does_is_no_noise(sentence: str) -> None:
    assert noise_penalty(sentence) == 0.0


def test_a_pregnancy_registrys_announcement_is_demoted() -> None:
    registry = ("There is a pregnancy exposure registry that monitors pregnancy outcomes in women exposed to "
                "antidepressants during pregnancy.")
    assert population_lead(["pregnancy"], "pregnancy", registry).demote
    assert population_lead(["pregnancy"], "pregnancy", "Healthcare providers are encouraged to register patients "
                                                       "by calling the registry.").demote
    finding = ("Third trimester use may increase risk for persistent pulmonary hypertension and withdrawal in the "
               "neonate.")
    assert not population_lead(["pregnancy"], "pregnancy", finding).demote


# -- what a question about long-term use asks -------------------------------------------------------------------
@pytest.mark.parametrize(("question", "section"), [
    ("They're moving me onto Eliquis. How does the changeover work, do I take my last warfarin tonight and start the "
     "new one tomorrow?", "dosage"),
    ("He took his last lisinopril this morning. Can he have the first Entresto tonight, or does he need to wait?",
     "dosage"),
    ("My next one is due in June but I'd rather not have any more injections, I feel my bones are fine now. Is it "
     "okay to just not book the next one?", "warnings"),
    ("I had a kidney transplant four years ago. Now I'm 31 and we'd really like to have a baby. What does the "
     "CellCept mean for that?", "pregnancy"),
    ("My son is on clozapine and he's stopping smoking this week - 25 a day to zero. Does that affect his clozapine?",
     "interactions"),
    ("my levothyroxine went up from 75 to 100 mcg and the tablets changed from purple to yellow. is yellow right for "
     "100?", "dosage_forms"),
])
def test_what_a_long_term_question_asks(question: str, section: str) -> None:
    assert classify_attribute(question).attribute == section


@pytest.mark.parametrize(("question", "words"), [
    ("Can I just go straight back on 200 a day or do I have to start low again?", {"restart", "initi"}),
    ("neurologist still sends me for a full blood count every few months", {"agranulocytosi", "aplast"}),
    ("My friend said it stays in you for ages.", {"elimin", "washout"}),
    ("He took his last lisinopril this morning. Can he have the first Entresto tonight?", {"switch", "washout"}),
])
def test_long_term_words_in_the_labels_words(question: str, words: set[str]) -> None:
    found = question_expansions(question)
    assert all(any(f.startswith(w) for f in found) for w in words), found


def test_restarting_after_running_out_is_no_question_of_going_without() -> None:
    assert GOING_WITHOUT.asked("I ran out for two weeks while moving house. What happens?")
    assert not GOING_WITHOUT.asked("I ran out while I was moving house and didn't get a new script for two weeks. Can "
                                   "I just go straight back on 200 a day or do I have to start low again?")


# -- names -------------------------------------------------------------------------------------------------------
_SECTIONS = ("indications", "dosage", "warnings")


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    if not SHIPPED_TABLE.is_file():
        pytest.skip("the shipped generic-name table is absent")
    entries = [
        MedicineEntry("phenytoin-sodium", "Phenytoin Sodium", ("Extended Phenytoin Sodium", "Phenytoin"), "en", "",
                      _SECTIONS),
        MedicineEntry("phenytoin-sodium-injection", "Phenytoin Sodium", (), "en", "", _SECTIONS),
        MedicineEntry("dolutegravir-sodium", "Dolutegravir Sodium", ("Tivicay",), "en", "", _SECTIONS),
        MedicineEntry("dabigatran-etexilate-mesylate", "Dabigatran Etexilate Mesylate", (), "en", "", _SECTIONS),
    ]
    return MedicineLexicon(entries, name_table=shipped_name_table())


def test_a_chinese_generic_reaches_the_label_the_english_name_does(lexicon: MedicineLexicon) -> None:
    # the capsules list "Phenytoin" as an alias; the injection's name only shortens to it
    assert [m.medicine_id for m in lexicon.find("我吃苯妥英鈉控制癲癇差不多十年了")] == ["phenytoin-sodium"]
    assert [m.medicine_id for m in lexicon.find("I take phenytoin for epilepsy")] == ["phenytoin-sodium"]


def test_a_brand_plus_a_count_of_other_tablets_is_the_brand(lexicon: MedicineLexicon) -> None:
    found = lexicon.find("hi, I'm on Tivicay plus two other HIV tablets, viral load undetectable for three years.")
    assert [(m.surface.casefold(), m.medicine_id) for m in found] == [("tivicay", "dolutegravir-sodium")]


def test_giving_up_smoking_is_no_medicine_stopped() -> None:
    said = ("He's just decided to quit smoking completely, starting Monday. Does stopping change anything with the "
            "clozapine dose?")
    assert "stopping" not in {c.name for c in conditions_in(said)}
    assert "stopping" in {c.name for c in conditions_in("I feel fine now. Can I stop my sertraline?")}
    assert {"smoke", "tobacco", "cyp1a2"} <= question_expansions(said)


@pytest.mark.parametrize(("question", "sections"), [
    ("这个我知道。那正在用的那支，开封以后放在外面常温，最多能用多少天？", ("storage",)),
    ("眼药水打开以后还能用几天？", ("storage",)),
    ("这个药要吃多久？", ("dosage",)),
    ("这个药一次吃多少？", ("dosage",)),
])
def test_how_long_a_pen_keeps_is_no_dose(question: str, sections: tuple[str, ...]) -> None:
    assert topic_sections(question) == sections


def test_switching_questions_and_lines() -> None:
    assert asks_switching("Switching from ramipril to Entresto - how long do I have to wait after the last ramipril?")
    assert asks_switching("He took his last lisinopril this morning. Can he have the first Entresto tonight?")
    assert not asks_switching("What is the starting dose of Entresto?")
    assert switching_line("If switching from an ACE inhibitor to ENTRESTO allow a washout period of 36 hours between "
                          "administration of the two drugs.")
    assert switching_line("Switching from warfarin to ELIQUIS: Warfarin should be discontinued and ELIQUIS started "
                          "when the INR is below 2.0.")
    assert not switching_line("The recommended starting dose of ENTRESTO is 49/51 mg orally twice-daily.")


def test_a_positive_test_is_a_pregnancy() -> None:
    question = "hydroxyzine 25mg for anxiety, but i just got a positive test about 6 weeks. keep taking it?"
    assert classify_attribute(question).attribute == "pregnancy"


def test_a_medicine_to_help_stop_smoking_is_no_interaction_question() -> None:
    assert classify_attribute("I want to quit smoking and my GP mentioned bupropion. Is that an option for me?"
                              ).attribute != "interactions"


# -- found in my own trial over HTTP (session 33) -----------------------------------------------------------------
def test_a_medicine_taken_for_years_is_no_stated_condition() -> None:
    assert conditions_in("My dad has been on amiodarone for years.") == []
    assert [c.name for c in conditions_in("I have Addison's disease and take hydrocortisone")] == ["stated"]


def test_trial_words_in_the_labels_words() -> None:
    assert {"blue", "discolor"} <= question_expansions("Now his skin goes a bit blue-grey in the sun. Is that from it?")
    assert "durat" in question_expansions("She's been on it 8 years. Should she have a break from it?")
    assert asks_switching("我想把华法林换成利伐沙班，怎么换？")


def test_a_break_from_a_medicine_asks_how_long_to_stay_on_it() -> None:
    question = "Hi, my mum takes alendronate on Sundays. She's been on it 8 years. Should she have a break from it?"
    assert classify_attribute(question).attribute == "indications"


def test_swollen_gums_in_chinese_read_the_labels_gingival_hyperplasia() -> None:
    assert {"gingiv", "hyperplasia"} <= question_expansions("我吃苯妥英钠十年了，牙龈肿，跟药有关吗？")
