"""Readings a carers' advice line showed (session 24): "Is that OK with the others?" asks the new medicine beside the
ones listed before; "Does the one the dentist gave him affect his warfarin?" asks the two together; a husband named
without "my" is a relative, and so is "him" whom a clinician gave a medicine to; a combination written as its
ingredients run together ("atovaquone/proguanil") names the combination where an ingredient has no label of its
own. Chinese: a scan or an operation ahead, or the kidney, said beside an age is what is asked; "打多少" asks
the dose beside a risk told."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.context import Owner, build_context
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.zh_sections import topic_sections
from indexing.store import MedicineEntry


def _entry(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "interactions", "warnings"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        _entry("warfarin", "Warfarin Sodium", "Coumadin"),
        _entry("metronidazole", "Metronidazole", "Flagyl"),
        _entry("sertraline", "Sertraline"),
        _entry("tramadol", "Tramadol"),
        _entry("amlodipine", "Amlodipine"),
        _entry("omeprazole", "Omeprazole"),
        _entry("atovaquone", "Atovaquone"),
        _entry("atovaquone-and-proguanil", "Atovaquone and Proguanil Hydrochloride", "Malarone"),
        _entry("ezetimibe", "Ezetimibe"),
        _entry("simvastatin", "Simvastatin"),
        _entry("ezetimibe-and-simvastatin", "Ezetimibe and Simvastatin"),
    ])


def _dialogue(*turns: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)]


@pytest.mark.parametrize("question", ["Is that OK with the others?", "Is that fine with the rest?",
                                      "Is it safe with everything else she takes?",
                                      "will it clash with all her other meds?"])
def test_ok_with_the_others_asks_the_interactions(question: str) -> None:
    assert (found := classify_attribute(question).attribute) is not None and found.value == "interactions"


@pytest.mark.parametrize("question", [
    "Can she have the dementia one in the morning instead, and does it matter if it's with breakfast?",
    "could we move her statin to the morning?"])
def test_a_time_of_day_wanted_instead_asks_the_dosage(question: str) -> None:
    assert (found := classify_attribute(question).attribute) is not None and found.value == "dosage"


def test_the_others_are_the_medicines_listed_before(lexicon: MedicineLexicon) -> None:
    d = RuleDistiller().distill(_dialogue(
        "Mum's regular meds: sertraline 100mg, amlodipine 5mg, omeprazole 20mg.", "Noted. What's your question?",
        "She had a fall and A&E sent her home with tramadol 50mg. Is that OK with the others?"), lexicon)
    asked = [(q.medicine, q.attribute) for q in d.queries]
    assert asked[0] == ("tramadol", "interactions")
    assert ("sertraline", "interactions") in asked


def test_a_husband_without_my_and_the_patient_a_clinician_gave_it_to_are_the_relative(
        lexicon: MedicineLexicon) -> None:
    context = build_context(_dialogue(
        "Husband is on warfarin, 4mg.", "OK", "He had a tooth out and the dentist gave him metronidazole for 5 days.",
        "Go ahead.", "Does it affect his warfarin?"), lexicon)
    owners = {(m.medicine_id, m.turn): (m.owner, m.person) for m in context.medicines}
    assert owners[("warfarin", 0)] == (Owner.RELATIVE, "husband")
    assert owners[("metronidazole", 2)][0] is Owner.RELATIVE
    # a clinician who is the subject still is no relative: "my doctor ... she said"
    context = build_context(_dialogue("My doctor put me on warfarin and she said to avoid aspirin."), lexicon)
    assert context.medicines[0].owner is Owner.USER


@pytest.mark.parametrize("question", ["Does it affect his warfarin?",
                                      "Does the one the dentist gave him affect his warfarin?"])
def test_what_was_said_before_acting_on_the_named_medicine_is_the_pair(lexicon: MedicineLexicon,
                                                                      question: str) -> None:
    d = RuleDistiller().distill(_dialogue(
        "Husband is on warfarin, 4mg.", "OK", "He had a tooth out and the dentist gave him metronidazole for 5 days.",
        "Go ahead.", question), lexicon)
    assert {(q.medicine, q.attribute) for q in d.queries} == {("warfarin", "interactions"),
                                                              ("metronidazole", "interactions")}


def test_a_combination_written_as_its_ingredients_run_together(lexicon: MedicineLexicon) -> None:
    for said in ("It's the atovaquone/proguanil ones", "atovaquone-proguanil tablets", "atovaquone + proguanil"):
        assert [m.medicine_id for m in lexicon.find(said)] == ["atovaquone-and-proguanil"], said
    assert [m.medicine_id for m in lexicon.find("I take atovaquone")] == ["atovaquone"]
    # both ingredients have labels of their own: a list of the two is the two
    assert [m.medicine_id for m in lexicon.find("I take ezetimibe, simvastatin and aspirin")][:2] == [
        "ezetimibe", "simvastatin"]


@pytest.mark.parametrize(("question", "first"), [
    # a scan or an operation ahead beside an age: what to do for it, not the older people's section
    ("我妈81岁,吃格华止(二甲双胍)一天两次,下礼拜要做增强CT打造影剂,医生说她肾功能一般。要停药吗?", "warnings"),
    ("我爸82岁,吃哈乐好几年了,下个月做白内障手术,需要跟眼科医生说吗?", "warnings"),
    ("下周要做核磁共振,这个贴片要不要先撕掉?", "warnings"),
    # the kidney said beside the age is why the age matters
    ("养老院的老人91岁,肾小球滤过率35,医生开了呋喃妥因治尿路感染,肾功能这样能吃吗?", "warnings"),
    # how much, asked beside a risk told
    ("有个学生是1型糖尿病,大概18公斤,如果低血糖昏迷了,胰高血糖素打多少?", "dosage"),
])
def test_chinese_topics_a_carer_asks(question: str, first: str) -> None:
    assert topic_sections(question)[:1] == (first,), topic_sections(question)


@pytest.mark.parametrize("said", [
    ("Mum's been on warfarin for years, the GP has now given her metronidazole for a water infection. "
     "Anything we should watch for?"),
    "我媽媽長期吃華法林,這次醫生又開了甲硝唑,要注意什麼嗎?",
])
def test_a_long_term_medicine_and_one_just_added_ask_the_pair(lexicon: MedicineLexicon, said: str) -> None:
    zh = MedicineLexicon([MedicineEntry("warfarin", "Warfarin Sodium", ("华法林",), "en", "", ("interactions",)),
                          MedicineEntry("metronidazole", "Metronidazole", ("甲硝唑",), "en", "", ("interactions",))])
    d = RuleDistiller().distill(_dialogue(said), zh if "華" in said else lexicon)
    assert {(q.medicine, q.attribute) for q in d.queries} >= {("warfarin", "interactions"),
                                                               ("metronidazole", "interactions")}


def test_stopping_one_refused_for_days_is_the_warnings_in_chinese() -> None:
    assert topic_sections("我婆婆吃美托洛尔,这三天都吐出来不肯吃,干脆停掉可以吗?")[:1] == ("warnings",)


def test_residents_named_by_title_own_their_medicines_after_a_correction() -> None:
    lexicon = MedicineLexicon([_entry("warfarin", "Warfarin Sodium"), _entry("apixaban", "Apixaban", "Eliquis")])
    dialogue = _dialogue(
        "I look after two ladies in the same house. Mrs A is on warfarin and Mrs B is on apixaban.", "Noted.",
        "No sorry, I've got that backwards. Mrs A is on the apixaban, Mrs B has the warfarin.", "Thanks.",
        "Mrs A missed her morning dose, it's 2pm now. What do I do?")
    context = build_context(dialogue, lexicon)
    assert {(m.medicine_id, m.turn): m.person for m in context.medicines}[("apixaban", 2)] == "mrs a"
    d = RuleDistiller().distill(dialogue, lexicon)
    assert [q.medicine for q in d.queries] == ["apixaban"]
    # "miss a dose" names nobody
    assert build_context(_dialogue("I miss a dose of warfarin now and then, is that bad?"),
                         lexicon).medicines[0].owner is Owner.USER


def test_run_together_keys_name_no_single_ingredient_and_no_common_words() -> None:
    lexicon = MedicineLexicon([
        _entry("tiotropium-and-olodaterol", "Tiotropium Bromide and Olodaterol"),
        _entry("bowel-prep", "Sodium Sulfate, Potassium Sulfate, and Magnesium Sulfate"),
    ])
    assert [m.medicine_id for m in lexicon.find("tiotropium/olodaterol")] == ["tiotropium-and-olodaterol"]
    # a user's "sodium, potassium and magnesium" levels are no bowel preparation
    assert not [m for m in lexicon.find("my sodium, potassium and calcium were low") if m.medicine_id == "bowel-prep"]


@pytest.mark.parametrize("question", [
    "Our pupil is going on a residential trip - can the tablets be kept in a hot minibus?",
    "I left my inhaler in the car overnight, is it ok?"])
def test_where_it_is_kept_asks_the_storage(question: str) -> None:
    assert (found := classify_attribute(question).attribute) is not None and found.value == "storage"


@pytest.mark.parametrize("question", ["keep taking it in the heat?", "can she stay on it in hot weather?"])
def test_staying_on_it_in_the_heat_is_no_storage(question: str) -> None:
    found = classify_attribute(question).attribute
    assert found is None or found.value != "storage"


def test_the_two_asked_together_in_chinese_are_both_read() -> None:
    zh = MedicineLexicon([MedicineEntry("warfarin", "Warfarin Sodium", ("华法林",), "en", "", ("interactions",)),
                          MedicineEntry("metronidazole", "Metronidazole", ("甲硝唑",), "en", "", ("interactions",))])
    d = RuleDistiller().distill(_dialogue("我妈在吃华法林，牙医给她开了甲硝唑，这两个一起吃有问题吗？"), zh)
    assert {q.medicine for q in d.queries} == {"warfarin", "metronidazole"}
