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


# --- the twenty-first sitting: text pasted or photographed into the chat ---

@pytest.mark.parametrize(("scanned", "read"), [
    ("GLlPlZlDE 5 MG TABLET", "GLIPIZIDE 5 MG TABLET"),
    ("TAKE l TABLET BY M0UTH 3O MINUTES BEF0RE BREAKFAST", "TAKE 1 TABLET BY MOUTH 30 MINUTES BEFORE BREAKFAST"),
    ("0MEPRAZ0LE DR 4O MG CAP - TAKE l CAP DAlLY", "OMEPRAZOLE DR 40 MG CAP - TAKE 1 CAP DAILY"),
    ("Lisinopri1 l0mg, 1Omg, 1OOmg", "Lisinopril 10mg, 10mg, 100mg"),
    ("titrating by 25 mg week1y to 5O mg bd", "titrating by 25 mg weekly to 50 mg bd"),
    # ordinary text is left as it is
    ("I took 10mg in 2020 at 11am, B12, H1N1, COVID19, x1, Omg lol", "I took 10mg in 2020 at 11am, B12, H1N1, "
     "COVID19, x1, Omg lol"),
    ("l love it, call 111", "l love it, call 111"),
])
def test_a_phone_cameras_look_alike_slips_are_read_back(scanned: str, read: str) -> None:
    from app.text_input import for_matching, ocr_repaired
    assert ocr_repaired(scanned) == read
    assert len(ocr_repaired(scanned)) == len(scanned)  # one character for one: positions stay
    assert for_matching(scanned) == read


def test_pasted_lines_are_not_what_is_asked() -> None:
    from app.pipeline.pasted import asked_part
    label = ("HYDROCHLOROTHIAZIDE 25MG TABS\n1 TAB DAILY IN THE MORNING FOR BLOOD PRESSURE\n"
             "Had my first ever gout attack last week, two months after starting these. Connected?")
    assert asked_part(label) == "Had my first ever gout attack last week, two months after starting these. Connected?"
    listed = "Dad's tablets:\nAmlodipine 5mg - morning\nDonepezil 10mg - bedtime\nCould he take it in the morning?"
    assert asked_part(listed) == "Dad's tablets:\nCould he take it in the morning?"
    quoted = ('sticker on the box says "AMOXICILLIN/CLAV 875/125 TAB - 1 BD WITH FOOD - 14 TABS". day 4 and I\'m '
              'running to the loo. keep going with it?')
    assert "WITH FOOD" not in asked_part(quoted) and "keep going" in asked_part(quoted)
    # a question typed in capitals is still the question
    assert asked_part("CAN I TAKE IBUPROFEN WITH WARFARIN?") == "CAN I TAKE IBUPROFEN WITH WARFARIN?"


_SLIP = ("my meds off the repeat slip:\n1. Amlodipine 10mg tablets - ONE daily\n2. Simvastatin 40mg tablets - ONE at "
         "night\n3. Metformin 500mg tablets - ONE twice daily\n4. Aspirin 75mg dispersible tablets - ONE daily")
_PACK = ("Dad's tablets from his blister pack label (he's 81):\nAmlodipine 5mg - morning\nFurosemide 20mg - morning\n"
         "Omeprazole 20mg - before breakfast\nDonepezil 10mg - bedtime\nSenna 7.5mg x2 - night")


@pytest.fixture(scope="module")
def list_lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("amlodipine", "Amlodipine"), _entry("simvastatin", "Simvastatin"), _entry("metformin", "Metformin"),
        _entry("aspirin", "Aspirin"), _entry("furosemide", "Furosemide"), _entry("omeprazole", "Omeprazole"),
        _entry("donepezil", "Donepezil"), _entry("clopidogrel", "Clopidogrel"), _entry("ibuprofen", "Ibuprofen"),
        _entry("bisoprolol", "Bisoprolol"), _entry("ramipril", "Ramipril"), _entry("lamotrigine", "Lamotrigine"),
        _entry("levetiracetam", "Levetiracetam"), _entry("sertraline", "Sertraline"),
    ], is_known_word=lambda word: False)


@pytest.mark.parametrize(("earlier", "question", "meant"), [
    ([_SLIP], "is the 3rd one ok with grapefruit juice?", "metformin"),
    ([_SLIP], "what about the second one on the list", "simvastatin"),
    ([_SLIP], "and the last one?", "aspirin"),
    ([_SLIP, "is the 3rd one ok with grapefruit juice?"], "ugh ignore that, I meant the one above it", "simvastatin"),
    ([_PACK], "The one he takes at bedtime, not the senna. Could he take it in the morning?", "donepezil"),
    ([_SLIP], "can it be taken with food?", None),
    (["I take amlodipine and aspirin"], "is the 2nd one ok?", None),  # no list of three lines
])
def test_a_line_of_a_pasted_list_is_meant(list_lexicon: MedicineLexicon, earlier: list[str], question: str,
                                          meant: str | None) -> None:
    from app.pipeline.listed import listed_meant
    found = listed_meant(question, earlier, list_lexicon.find)
    assert [m.medicine_id for m in found] == ([meant] if meant else [])


def test_each_line_of_a_discharge_list_says_its_own_status(list_lexicon: MedicineLexicon) -> None:
    listed = ("Discharged after a seizure. Meds on the sheet:\nLevetiracetam 750mg BD - continue\n"
              "Lamotrigine 25mg once daily - NEW, titrate per leaflet\nSertraline 50mg OD - continue")
    d = RuleDistiller().distill(_dialogue(listed, "OK", "the new one they put me on in hospital: I've got a red spotty "
                                          "rash coming up on my chest. Should I worry?"), list_lexicon)
    assert [q.medicine for q in d.queries] == ["lamotrigine"]


def test_the_new_blood_one_of_a_discharge_list(list_lexicon: MedicineLexicon) -> None:
    from app.pipeline.class_reference import kinds_as_partner
    question = "I usually take ibuprofen for a few days. is that ok with the new blood one they want me on?"
    assert kinds_as_partner(question) == ["blood_thinning"]
    listed = ("DISCHARGE MEDICATIONS\nAspirin 75mg OD (continue)\nClopidogrel 75mg OD - NEW\n"
              "Bisoprolol 2.5mg OD - NEW\nRamipril 2.5mg OD - NEW")
    d = RuleDistiller().distill(_dialogue(listed, "OK", question), list_lexicon)
    asked = [q.medicine for q in d.queries]
    assert asked[:2] == ["ibuprofen", "clopidogrel"] and "bisoprolol" not in asked and "ramipril" not in asked


def test_a_food_beside_a_listed_medicine_pairs_no_other_medicine(list_lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue(_SLIP, "OK", "is the 2nd one ok with grapefruit juice?"), list_lexicon)
    assert [q.medicine for q in d.queries] == ["simvastatin"]
    d = RuleDistiller().distill(_dialogue(_SLIP, "OK", "is the 3rd one ok with grapefruit juice?", "OK",
                                          "ugh ignore that, misread the numbers. I meant the one above it"),
                                list_lexicon)
    assert [(q.medicine, q.attribute) for q in d.queries][:1] == [("simvastatin", "interactions")]


def test_still_taking_it_at_the_usual_time_asks_the_dosing() -> None:
    from app.pipeline.attributes import classify_attribute
    found = classify_attribute("I have fasting bloods tomorrow. Do I still take it at half 8 like normal?").attribute
    assert found is not None and found.value == "dosage"


def test_a_word_hyphenated_over_a_line_break_is_whole() -> None:
    from app.text_input import for_matching
    assert for_matching("Rosuva-\nstatin 5 mg tablets, one to be tak-\nen at night") == \
        "Rosuvastatin 5 mg tablets, one to be taken at night"
    assert for_matching("Aspirin 75mg -\nNEW") == "Aspirin 75mg -\nNEW"  # (a dash before a capital: no hyphenation)


@pytest.mark.parametrize(("question", "sections"), [
    # a prescription's lines pasted in Chinese are not what is asked
    ("处方单拍照转文字：\n阿莫西林胶囊 0.5g×24粒\n用法：口服 一次0.5g 一日3次\n诊断：急性扁桃体炎\n"
     "我对青霉素过敏，这个能吃吗？", None),
    ("对乙酰氨基酚片，我家孩子8岁发烧38.8度，能吃一片吗？隔多久能再吃？一天最多几片？", ("dosage",)),
    # (how many days before: the labels say it in the dosing or the warnings, both read; the dosing's interruption
    # for a procedure first since session 30, as in English)
    ("下周要做胆囊手术，要禁食。恩格列净手术前需要提前几天停吗？", ("dosage", "warnings")),
    ("我现在怀孕三十一周了 腰疼得睡不着 那个布洛分能不能吃一颗", ("pregnancy",)),
    ("刚开始吃格华止一周，天天拉肚子、恶心，这正常吗？要不要停", ("adverse_reactions",)),
    ("我早上一般就喝一盒牛奶当早餐 能用牛奶送药吗 还是必须空腹", ("dosage", "interactions")),
    ("邻居说护胃药会让氯吡格雷没效果，真的吗？", ("interactions", "warnings")),
    ("我每天早上空腹喝一杯豆浆，跟这个药一起喝会有影响吗", ("interactions", "dosage")),
])
def test_chinese_asks_read_past_pasted_lines(question: str, sections: tuple[str, ...] | None) -> None:
    from app.pipeline.pasted import asked_part
    if sections is None:
        assert asked_part(question) == "处方单拍照转文字：\n我对青霉素过敏，这个能吃吗？"
    else:
        assert topic_sections(question)[:len(sections)] == sections


def test_a_chinese_name_broken_over_a_line_is_read() -> None:
    lexicon = MedicineLexicon([MedicineEntry("methotrexate", "Methotrexate", ("甲氨蝶呤",), "en", "",
                                             ("dosage",))], is_known_word=lambda word: False)
    found = lexicon.find("我妈的处方拍照识别：\n甲氨蝶\n呤片 2.5mg×16月\n每周1次")
    assert [m.medicine_id for m in found] == ["methotrexate"]
    # two lines of two names are two names, not one across the break
    assert lexicon.find("甲氨蝶呤\n每周一次") and len(lexicon.find("甲氨蝶呤\n每周一次")) == 1


def test_an_emergency_pill_taken_is_asked_beside_the_medicine_blamed(lexicon: MedicineLexicon) -> None:
    from app.pipeline.distill import _said_taken
    assert _said_taken("今天早上买了毓婷吃了，会不会因为奥卡西平没效果", "毓婷")
    assert _said_taken("吃了一片布洛芬，还疼", "布洛芬")
    assert not _said_taken("毓婷能跟奥卡西平一起吃吗", "毓婷")


@pytest.mark.parametrize(("question", "section"), [
    ("copy-pasted from the pdf. why is mine 5 when my husband got 20?? we're both Chinese", "dosage"),
    ("havent picked it up for 5 days and now im dizzy with zappy feelings?? is that from missing it", "warnings"),
    ("I have a calcium chew with my breakfast, is that going to mess with it?", "interactions"),
])
def test_cues_of_the_pasted_sitting(question: str, section: str) -> None:
    from app.pipeline.attributes import classify_attribute
    found = classify_attribute(question).attribute
    assert found is not None and found.value == section


def test_adderall_and_a_stickers_amoxicillin_clav() -> None:
    from pathlib import Path

    from app.pipeline.abbreviations import CLINICIAN_SHORTHAND
    assert CLINICIAN_SHORTHAND["amoxicillin clav"] == "amoxicillin and clavulanate potassium"
    brands = Path(__file__).resolve().parents[3] / "corpora" / "names" / "brands.tsv"
    rows = dict(line.split("\t", 1) for line in brands.read_text().splitlines() if "\t" in line)
    assert rows["Adderall"].startswith("dextroamphetamine saccharate, amphetamine aspartate")


def test_a_meddra_list_flattened_over_chunks_is_quoted_by_class() -> None:
    from app.pipeline.read_runon import meddra_groups, system_groups
    run = " ".join((
        "Adverse Reactions Reported with the tablets Infections and Infestations: nasopharyngitis",
        "Blood and the Lymphatic System Disorders : leukopenia, thrombocytopenia, anemia",
        "Immune System Disorders: hypersensitivity reactions, including angioedema and anaphylaxis",
        "Metabolism and Nutrition Disorders: decreased appetite, reduced weight gain",
        "Psychiatric Disorders: insomnia, anxiety, restlessness",
        "Investigations: weight loss (adult ADHD patients)",
        "Additional Adverse Reactions Reported with Other Products The list below shows more"))
    groups = {system: items for _, system, items in meddra_groups(run)}
    assert groups["Metabolism and Nutrition Disorders"] == ["decreased appetite", "reduced weight gain"]
    assert groups["Investigations"] == ["weight loss (adult ADHD patients)"]
    assert system_groups(run) == meddra_groups(run)
    assert meddra_groups("Psychiatric Disorders: insomnia. That is all.") == []


def test_a_smoker_said_after_the_age() -> None:
    from app.pipeline.read_cues import conditions_in
    assert "smoking" in {c.name for c in conditions_in("I'm 38 and smoke about 10 a day. My GP wants me off Yaz")}
    assert "smoking" not in {c.name for c in conditions_in("the smoke alarm went off and I took my pill late")}


def test_whats_good_for_asks_which_medicine() -> None:
    from app.pipeline.indication_search import asks_medicine_for_condition, condition_asked
    question = "whats good for period pain that wont make me drowsy, exam at 9"
    assert asks_medicine_for_condition(question)
    assert condition_asked(question) == "period pain"


def test_a_food_beside_the_second_of_a_comma_list_pairs_no_other(list_lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue(
        "my repeat slip: Amlodipine 5mg morning, Simvastatin 40mg at night, Metformin 500mg twice daily", "OK",
        "is the second one ok with grapefruit juice?"), list_lexicon)
    assert [q.medicine for q in d.queries] == ["simvastatin"]


def test_a_title_case_name_in_a_glued_list_stays_one_item() -> None:
    from app.pipeline.compose import split_run_on
    glued = ("Methylphenidate tablets are indicated for the treatment of: Attention Deficit Hyperactivity Disorders "
             "(ADHD) in pediatric patients 6 years and older and adults Narcolepsy")
    assert "attention; deficit" not in " ".join(split_run_on(glued))
    listed = " ".join(split_run_on("Reactions including: Tendinitis and tendon rupture Peripheral neuropathy Central "
                                   "nervous system effects"))
    assert "tendinitis and tendon rupture; peripheral neuropathy; central nervous system effects" in listed
