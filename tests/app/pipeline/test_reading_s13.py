"""Session 13's reading changes, from the tuning half's misses: conditions said the way clinicians and families say
them (CKD 3, CrCl 40, "Dad is 86", a past anorexia, tonsils out, nodded off at the wheel, a CT with contrast ahead),
infections in a patient's words said in any turn, "does that matter?" about a situation said before, a regimen
("twice a day") that is no double dose, the MAO-A inhibitors of a triptan's contraindication, and an indications
section's limitations after its uses."""

from __future__ import annotations

import re

from app.pipeline.distill import RuleDistiller
from app.pipeline.ingestion import too_much_taken
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.read_cues import (
    _after_cause,
    conditions_in,
    key_sentence,
    limitation_of_use,
    said_expansions,
)
from app.pipeline.state import Turn
from app.records.interactions import DRUG_CLASSES
from indexing.schema import Attribute
from indexing.store import MedicineEntry
from indexing.text import tokenize


def _names(text: str) -> set[str]:
    return {c.name for c in conditions_in(text)}


def test_a_clinicians_kidney_shorthand_is_kidney_disease() -> None:
    for said in ("I have CKD stage 3, last CrCl was 40.", "82F, CrCl 40, cystitis", "eGFR 35 last month",
                 "his creatinine clearance is about 45"):
        assert "kidney" in _names(said), said
    assert "kidney" not in _names("I get kidney stones")


def test_an_age_said_of_an_older_person_is_elderly_but_a_pulse_is_not() -> None:
    for said in ("Dad is 86 and his sugars are creeping up.", "she's 91", "82F, CrCl 40", "Mum is in her eighties"):
        assert "elderly" in _names(said), said
    for said in ("his pulse is 60", "the dose is 80 mg", "I'm 38 and I smoke"):
        assert "elderly" not in _names(said), said


def test_conditions_contraindications_name_in_a_patients_words() -> None:
    assert "eating_disorder" in _names("I was treated for anorexia in my early twenties")
    assert "tonsillectomy" in _names("My 7 year old had his tonsils out while we were abroad")
    assert "driving" in _names("he nodded off at the wheel at a red light")
    assert "driving" in _names("I'm a lorry driver")
    assert "procedure" in _names("I've got a CT scan with contrast dye on Thursday.")
    assert "procedure" in _names("having my wisdom teeth out next week")


def test_infections_said_in_any_turn_bring_the_labels_words() -> None:
    assert set(tokenize("pharyngitis tonsillitis")) <= said_expansions("My son is 5, strep throat. Dose per kg?")
    assert set(tokenize("mycotic candidiasis")) <= said_expansions("Since starting Farxiga I keep getting thrush.")
    assert set(tokenize("otitis")) <= said_expansions("another ear infection")
    assert not said_expansions("My son is 5 and has asthma")


def test_a_regimen_is_no_double_dose() -> None:
    assert not too_much_taken("I take metformin twice a day - does that matter?")
    assert not too_much_taken("I take it twice daily")
    assert too_much_taken("I took my levothyroxine twice this morning by mistake")


def test_a_monoamine_oxidase_a_inhibitor_is_an_maoi() -> None:
    pattern = re.compile(rf"\b(?:{DRUG_CLASSES['maoi']})\b", re.I)
    assert pattern.search("Concurrent administration of a monoamine oxidase (MAO)-A inhibitor or recent use")
    assert pattern.search("in patients receiving MAO-A inhibitors is contraindicated")
    assert pattern.search("MAO inhibitors")


def test_an_indications_section_states_uses_before_limitations() -> None:
    assert key_sentence("indications", "For symptomatic relief of anxiety and tension associated with psychoneurosis.")
    assert key_sentence("indications", "Useful in the management of pruritus due to allergic conditions.")
    assert limitation_of_use("The effectiveness of hydroxyzine as an antianxiety agent for long-term use, that is, "
                             "more than 4 months, has not been assessed by systematic clinical studies.")
    assert not limitation_of_use("Hydroxyzine is indicated for the relief of anxiety.")


def test_an_effect_reported_with_the_medicine_is_a_headline() -> None:
    assert set(tokenize("neuropsychiatric")) <= _after_cause(
        "Serious neuropsychiatric (NP) events have been reported with the use of montelukast sodium.")


def _distill(*said: str):  # type: ignore[no-untyped-def]
    lexicon = MedicineLexicon([MedicineEntry("metformin", "Metformin", (), "en", "", ("dosage", "warnings")),
                               MedicineEntry("atorvastatin", "Atorvastatin", (), "en", "",
                                             ("dosage", "warnings", "interactions"))])
    dialogue: list[Turn] = []
    for text in said:
        dialogue += [Turn("user", text), Turn("assistant", "Okay.")]
    return RuleDistiller().distill(dialogue[:-1], lexicon)


def test_does_that_matter_asks_about_the_situation_said_before() -> None:
    d = _distill("I've got a CT scan with contrast dye on Thursday.",
                 "I take metformin twice a day - does that matter?")
    assert d.queries[0].medicine == "metformin" and d.queries[0].attribute == Attribute.WARNINGS.value, d
    d = _distill("I drink a big carton of grapefruit juice most days.",
                 "Just started atorvastatin 40. Do I have to give it up completely?")
    assert d.queries[0].attribute == Attribute.INTERACTIONS.value, d
    d = _distill("I take metformin twice a day. What's the maximum dose?")
    assert d.queries[0].attribute == Attribute.DOSAGE.value, d


def test_the_renal_row_for_the_stated_clearance_leads_and_other_rows_go() -> None:
    from app.pipeline.read_renal import clearance_fit, said_clearance

    assert said_clearance("My creatinine clearance is about 20 - how should cephalexin be dosed?") == 20
    assert said_clearance("82F, CrCl 40, cystitis") == 40
    assert said_clearance("eGFR of 35 last month") == 35
    assert said_clearance("my kidneys are fine") is None
    assert clearance_fit("Creatinine clearance 15 to 29 mL/min 250 mg, every 8 hours or every 12 hours.", 20) > 0
    assert clearance_fit("Creatinine clearance 30 to 59 mL/min No dose adjustment.", 20) < 0
    assert clearance_fit("Creatinine clearance > 60 mL/min No dose adjustment.", 20) < 0
    assert clearance_fit("contraindicated (creatinine clearance under 60 mL per minute)", 40) > 0
    assert clearance_fit("For patients with CrCl 15-30 mL/min: 75 mg twice daily.", 25) > 0
    assert clearance_fit("The usual dose is 250 mg every 6 hours.", 20) == 0
    assert clearance_fit("Creatinine clearance 30 to 59 mL/min No dose adjustment.", None) == 0


def test_a_section_number_cut_by_a_sentence_break_is_removed() -> None:
    from app.pipeline.compose import strip_references

    assert strip_references("CrCl 15-30 mL/min: 75 mg orally, twice daily ( 2.") == \
        "CrCl 15-30 mL/min: 75 mg orally, twice daily."
    assert strip_references("Take 2 tablets (500 mg).") == "Take 2 tablets (500 mg)."


def test_older_antihistamines_cause_drowsiness_whatever_a_cut_label_copy_says() -> None:
    from app.pipeline.list_conditions import sedating_antihistamine, warns_of_drowsiness
    from indexing.schema import Chunk

    assert sedating_antihistamine("Chlorpheniramine Maleate chlorpheniramine-maleate")
    assert sedating_antihistamine("Diphenhydramine HCl")
    assert not sedating_antihistamine("Loratadine") and not sedating_antihistamine("Fexofenadine")
    only_too_much = Chunk("loratadine:warnings:0", "loratadine", "warnings", 0, "When using this product do not "
                          "take more than directed. Taking more than directed may cause drowsiness.", "Loratadine")
    assert warns_of_drowsiness([only_too_much]) is None
    marked = Chunk("x:warnings:0", "x", "warnings", 0, "When using this product marked drowsiness may occur.", "X")
    assert warns_of_drowsiness([marked])


def _distill_two(*said: str):  # type: ignore[no-untyped-def]
    lexicon = MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("dosage", "interactions"))
                               for m in ("clarithromycin", "simvastatin", "citalopram", "tramadol")])
    dialogue: list[Turn] = []
    for text in said:
        dialogue += [Turn("user", text), Turn("assistant", "Okay.")]
    return RuleDistiller().distill(dialogue[:-1], lexicon)


def test_whether_to_hold_one_medicine_for_another_asks_about_both() -> None:
    d = _distill_two("clarithromycin 500 bd x7d for pt on simvastatin 40 nocte - ok or hold statin?")
    assert {q.medicine for q in d.queries} == {"clarithromycin", "simvastatin"}, d
    assert all(q.attribute == "interactions" for q in d.queries), d


def test_ok_with_what_i_am_already_on_asks_about_interactions() -> None:
    d = _distill_two("I'm on citalopram 20mg for anxiety.", "My GP has just added tramadol for my back.",
                     "Is the new one ok with what I'm already on?")
    assert [q.medicine for q in d.queries][:1] == ["tramadol"] and d.queries[0].attribute == "interactions", d


def test_forgot_then_took_another_is_a_dose_taken_twice_not_a_missed_one() -> None:
    from app.pipeline.read_missed import MISSED_DOSE

    said = "I think I took my levothyroxine twice this morning. Had one at 6, forgot, then took another at 8."
    assert too_much_taken(said)
    assert not MISSED_DOSE.asked(said)
    assert MISSED_DOSE.asked("forgot my levothyroxine this morning, do I take 2 tomorrow?")


def test_a_heading_with_its_abbreviation_is_a_fragment() -> None:
    from app.pipeline.read_cues import fragment

    assert fragment("Monoamine Oxidase Inhibitors (MAOIs):.")
    assert not fragment("Do not use with MAOIs.")


def test_english_words_in_a_drug_slot_are_not_unknown_medicines() -> None:
    from app.pipeline.lexicon import english_words

    words = english_words()
    if not words:  # the encoder package is a dependency; without it the test says nothing
        return
    assert {"broke", "wrist", "honestly"} <= words
    assert not {"lipitor", "zentravix", "warfarin", "crestor"} & words


def test_the_other_one_after_the_monthly_one_is_the_medicine_not_taken_monthly() -> None:
    from app.pipeline.context import MedicineMention, MedStatus, Owner
    from app.pipeline.distill import _other_than_schedule

    said = [MedicineMention("ibandronate-sodium", "ibandronate", Owner.RELATIVE, MedStatus.CURRENT, 0),
            MedicineMention("trospium-chloride", "trospium", Owner.RELATIVE, MedStatus.CURRENT, 0)]
    earlier = "My mother takes ibandronate once a month and trospium twice a day."
    other = _other_than_schedule("She knows the rules for the monthly one. What about the other one?", said, earlier)
    assert [m.medicine_id for m in other] == ["trospium-chloride"]
    assert _other_than_schedule("What about the other one?", said, earlier) == []


def test_anything_serious_to_know_about_it_is_no_which_medicine_question() -> None:
    from app.pipeline.indication_search import asks_medicine_for_condition

    assert not asks_medicine_for_condition("GP prescribed levofloxacin for sinusitis. I play five-a-side twice a "
                                           "week. Is there anything serious I should know about it?")
    assert asks_medicine_for_condition("I have hay fever. What can I take for it?")


def test_keep_taking_my_statin_beside_a_new_antibiotic_asks_about_both() -> None:
    lexicon = MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("dosage", "interactions"))
                               for m in ("clarithromycin", "simvastatin", "ticagrelor", "aspirin")])
    dialogue = [Turn("user", "I've been on simvastatin 40 for years."), Turn("assistant", "Okay."),
                Turn("user", "The dentist has prescribed clarithromycin for an abscess. Can I keep taking my statin "
                             "during the course?")]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert d.queries[0].medicine == "clarithromycin" and d.queries[0].attribute == "interactions", d
    dialogue = [Turn("user", "I'm on ticagrelor after my heart attack."), Turn("assistant", "Okay."),
                Turn("user", "My old aspirin tablets are 300 mg. Can I take one of those a day with it?")]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert d.queries[0].medicine == "aspirin" and d.queries[0].attribute == "interactions", d


def test_a_procedure_ahead_makes_does_she_need_to_do_anything_a_warnings_question() -> None:
    d = _distill("My mother takes metformin for her sugar.",
                 "She's having a knee replacement in two weeks and will be laid up. Does she need to do anything "
                 "about it?")
    assert d.queries and d.queries[0].attribute == Attribute.WARNINGS.value, d


def test_travel_words_reach_the_labels() -> None:
    from app.pipeline.read_cues import question_expansions

    assert set(tokenize("return")) <= question_expansions("back from Uganda yesterday, how long do I keep taking it?")
    assert set(tokenize("ascent")) <= question_expansions("How early before we start climbing should I begin it?")


def test_a_chinese_form_cue_chooses_the_english_product_of_that_form() -> None:
    from app.pipeline.form_choice import zh_form_said

    assert zh_form_said("用了三天雷诺考特喷鼻子，要用多久才有效果？") == "nasal"
    assert zh_form_said("布地奈德吸入用法") == "inhaled"
    assert zh_form_said("华法林一天吃几片？") is None


def test_a_missed_dose_of_one_medicine_taken_with_another_asks_about_the_missed_one() -> None:
    from app.pipeline.read_missed import MISSED_DOSE

    said = "Missed my morning rivaroxaban 2.5 (I take it twice a day with aspirin). It's now 6 pm. What do I do?"
    assert MISSED_DOSE.asked(said)
    assert not MISSED_DOSE.asked("I missed my period, can I take ibuprofen?")
    lexicon = MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("dosage", "interactions", "overdosage"))
                               for m in ("rivaroxaban", "aspirin")])
    d = RuleDistiller().distill([Turn("user", said)], lexicon)
    assert {q.medicine for q in d.queries} == {"rivaroxaban"}, d
    assert all(q.attribute != "overdosage" for q in d.queries), d



def test_a_list_the_chunking_cut_inside_a_bracket_ends_before_it() -> None:
    from app.pipeline.compose import label_sentences

    text = ("Sexual Dysfunction [see Warnings and Precautions (5.11) ] Most commonly observed adverse reactions "
            "(incidence ≥ 5% and at least twice the incidence of placebo patients) are: insomnia, ejaculation "
            "disorder (primarily")
    text = "The following adverse reactions are discussed in greater detail elsewhere. " + "x " * 260 + text
    last = label_sentences(text)[-1][1]
    assert last.endswith("are: insomnia, ejaculation disorder, and others."), last


def test_clinical_studies_boilerplate_is_not_quoted() -> None:
    from app.pipeline.compose import boilerplate

    assert boilerplate("Because clinical studies are conducted under widely varying conditions, adverse reaction "
                       "rates observed in the clinical studies of a drug cannot be directly compared.")


def test_counselling_and_big_deal_ask_the_cautions_and_the_gravest_risks() -> None:
    from app.pipeline.read_gravity import asks_cautions, asks_gravity

    assert asks_cautions("pt 58M, marathon runner, cipro 500 bid for prostatitis. Anything to counsel re: training?")
    assert asks_gravity("Pharmacist said methotrexate is not a daily pill. Why is that such a big deal?")


def test_doing_things_at_night_without_remembering_reaches_complex_sleep_behaviors() -> None:
    from app.pipeline.read_cues import question_expansions

    said = "my mom takes ambien and last night she cooked eggs at 3am and doesnt remember. is that the pill?"
    assert set(tokenize("complex sleep")) <= question_expansions(said)


def test_helper_113_altitude_sickness_is_acute_mountain_sickness() -> None:
    from app.pipeline.indication_search import LAY_TERMS

    assert "acute mountain sickness" in LAY_TERMS["altitude sickness"]


def test_stopping_for_another_event_and_stopping_a_feed_are_no_stopping_asked() -> None:
    from app.pipeline.read_cues import stops_for_an_event

    assert stops_for_an_event("If lactic acidosis is suspected, discontinue metformin and institute supportive care.")
    assert not stops_for_an_event("Do not discontinue abruptly; taper over 2 weeks.")
    assert "stopping" not in _names("Do I have to stop feeding her while I'm on it?")
    assert "stopping" in _names("Do I have to stop it?")


def test_feeding_after_breastfeeding_said_asks_lactation_and_stopping_before_a_scan_its_warnings() -> None:
    lexicon = MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("dosage", "warnings"))
                               for m in ("metronidazole", "metformin")])
    dialogue = [Turn("user", "I'm breastfeeding my 8 week old."), Turn("assistant", "Noted."),
                Turn("user", "The GP has given me metronidazole for an infection. Do I have to stop feeding her "
                             "while I'm on it?")]
    d = RuleDistiller().distill(dialogue, lexicon)
    assert d.queries[0].attribute == Attribute.LACTATION.value, d
    d = RuleDistiller().distill([Turn("user", "Having a CT scan with contrast dye on friday. do i need to stop my "
                                              "metformin?")], lexicon)
    assert d.queries[0].attribute == Attribute.WARNINGS.value, d


def test_for_a_strength_the_label_lacks_the_daily_mg_ceiling_gains_and_tablet_counts_lose() -> None:
    from app.pipeline.read_strength import mg_ceiling, strength_fit, strength_mismatch

    label = "Acetaminophen 325 mg. Adults: take 2 tablets every 4 to 6 hours; do not take more than 10 tablets."
    assert strength_mismatch("How many Dolo 650 tablets can I take in one day?", label)
    assert not strength_mismatch("How many 325 mg tablets can I take?", label)
    assert mg_ceiling("Severe liver damage may occur if you take more than 4,000 mg of acetaminophen in 24 hours.")
    assert strength_fit("do not take more than 10 tablets in 24 hours", True) < 0
    assert strength_fit("more than 4,000 mg of acetaminophen in 24 hours", True) > 0
    assert strength_fit("do not take more than 10 tablets in 24 hours", False) == 0


def test_drowsiness_after_an_instruction_is_a_warning_but_only_from_too_much_is_not() -> None:
    from app.pipeline.list_conditions import warns_of_drowsiness
    from indexing.schema import Chunk

    def warns(text: str) -> bool:
        return warns_of_drowsiness([Chunk("x:warnings:0", "x", "warnings", 0, text)]) is not None

    assert warns("When using this product do not use more than directed drowsiness may occur avoid alcoholic drinks")
    assert not warns("Taking more than directed may cause drowsiness.")
    assert not warns("It has not demonstrated increased effectiveness at higher doses and somnolence may occur.")


def test_what_happens_after_an_ingestion_said_the_turn_before_is_about_it() -> None:
    from app.pipeline.ingestion import _ASKS_ABOUT_IT, ingestion_event

    assert ingestion_event("急！孩子两岁，把奶奶的降压药氨氯地平抠出来吃了两片！")
    assert _ASKS_ABOUT_IT.search("会有什么反应？要不要马上去医院？")
    assert _ASKS_ABOUT_IT.search("What will happen? Should we go to the hospital?")
    assert not _ASKS_ABOUT_IT.search("What is amlodipine for?")


def test_red_spots_are_a_symptom_in_chinese() -> None:
    from app.pipeline.zh_sections import _SYMPTOMS

    assert re.search(_SYMPTOMS, "身上起了好多红点点，要紧吗")


def test_helper_114_vaccine_jabs_clinician_ix_and_the_risk_of_stopping() -> None:
    from app.pipeline.attributes import classify_attribute
    from app.pipeline.read import _STOPPING_RISK
    from app.pipeline.read_cues import question_expansions

    assert classify_attribute("I need the yellow fever jab. Is that ok with it?").attribute == Attribute.WARNINGS
    assert set(tokenize("live vaccines")) <= question_expansions("I need the yellow fever jab. Is that ok with it?")
    assert classify_attribute("new rx ramipril + HCTZ - any ix to watch?").attribute == Attribute.INTERACTIONS
    assert _STOPPING_RISK.search("Discontinuation of clopidogrel increases the risk of cardiovascular events.")
    assert not _STOPPING_RISK.search("Discontinue 5 days prior to elective surgery that has a major risk of bleeding.")


def test_what_can_i_take_for_a_headache_says_no_product_is_taken() -> None:
    from app.pipeline.context import _unrecognised_product

    assert _unrecognised_product("what can i take for a headache, i'm breastfeeding my 2 month old") is None
    assert _unrecognised_product("I was started on blood thinner pills") is not None


def test_a_diet_question_reads_the_dosage_lines_too() -> None:
    diet = next(c for c in conditions_in("What foods should I avoid with warfarin?") if c.name == "diet")
    assert "dosage" in diet.sections  # "affected by factors such as other drugs and dietary vitamin K"
