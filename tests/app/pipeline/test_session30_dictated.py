"""Session 30: messages dictated to a phone, and older people with many medicines and those who look after them.

Speech-to-text writes a medicine's name as it hears it ("row pin a roll", 安录地平 for 氨氯地平, 朵奈陪齐 for 多奈哌齐),
leaves out the punctuation the rules leaned on, and carers describe a medicine by what it is for ("the new
diabetes/heart one", 那个降糖也护心的药) inside a list of five or more."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.class_reference import _kind_fit, kinds_said
from app.pipeline.context import MedStatus, _only_now, build_context
from app.pipeline.distill import _RIGHT_AMOUNT, _zh_asking_sentence
from app.pipeline.indication_search import condition_asked
from app.pipeline.lexicon import _ZH_NAMED_AS, MedicineLexicon
from app.pipeline.list_conditions import population_sentence, populations_said
from app.pipeline.read_cues import QUESTION_NOISE, conditions_in
from app.pipeline.read_missed import SURGERY
from app.pipeline.spoken_names import SpokenNames
from app.pipeline.state import Turn
from app.pipeline.zh_glossary import label_words
from app.pipeline.zh_homophones import HomophoneIndex, _heard_slip, _one_letter_apart
from app.pipeline.zh_sections import topic_sections
from indexing.schema import Attribute, Chunk
from indexing.store import MedicineEntry
from indexing.text import tokenize

pytest.importorskip("pypinyin")


@pytest.fixture(scope="module")
def homophones() -> HomophoneIndex:
    index = HomophoneIndex.of(["氨氯地平", "多奈哌齐", "来得时", "美金刚", "华法林", "阿托伐他汀"])
    assert index is not None
    return index


@pytest.mark.parametrize(("text", "name"), [
    ("我妈吃的安录地平五毫克", "氨氯地平"),  # 安 an for 氨 an (a chemistry character), 录 lu heard for 氯 lü
    ("上个月开始吃多奈陪齐五毫克", "多奈哌齐"),  # 陪 pei a letter from 哌 pai
])
def test_a_name_as_a_voice_keyboard_hears_it(homophones: HomophoneIndex, text: str, name: str) -> None:
    start = next(j for j in range(len(text)) if homophones.at(text, j) is not None)
    assert homophones.at(text, start) == name


def test_an_everyday_first_character_is_still_not_read_through(homophones: HomophoneIndex) -> None:
    # 朵 for 多: names that differ in their first character are other names too often
    text = "上个月开始吃朵奈陪齐五毫克"
    assert all(homophones.at(text, j) is None for j in range(len(text)))


def test_a_grammar_character_is_no_slip_of_a_name(homophones: HomophoneIndex) -> None:
    text = "是不是这个药让他起来的时候头晕的"  # 来的时 sounds as 来得时 (Lantus)
    assert all(homophones.at(text, j) is None for j in range(len(text)))


def test_a_heard_slip_needs_the_first_syllable_and_one_syllable_apart_at_most() -> None:
    assert _heard_slip("duo nai pai qi", "duo nai pei qi")
    assert not _heard_slip("duo nai pai qi", "luo nai pei qi")  # the first syllable is what a listener is surest of
    assert not _heard_slip("duo nai pai qi", "duo mai pei qi")  # two syllables off
    assert not _heard_slip("mei jin gang", "mei jin gan")  # three syllables: too short to read this way
    assert _one_letter_apart("pai", "pei") and _one_letter_apart("lian", "lan") and not _one_letter_apart("pai", "pou")


@pytest.mark.parametrize(("text", "name"), [
    ("医生说给我爸换一个护心的药叫舒脉灵还是叔麦林我没听清楚", "舒脉灵"),
    ("医生开的药叫做康立宁，一天吃一次", "康立宁"),
])
def test_a_medicine_introduced_by_its_name(text: str, name: str) -> None:
    found = _ZH_NAMED_AS.search(text)
    assert found is not None and found.group(1) == name


@pytest.mark.parametrize("text", ["这个药叫什么", "这药叫啥名字", "医生叫他停药", "那个药名字叫什么来着"])
def test_a_name_asked_for_or_someone_told_is_no_product(text: str) -> None:
    assert _ZH_NAMED_AS.search(text) is None


@pytest.mark.parametrize(("said", "name"), [
    ("row pin a roll I think it's called", "ropinirole"),  # a silent final e: it sounds as ropinirole
    ("since they added the enta cap one with his levodopa", "entacapone"),  # written out, whatever it ends with
])
def test_a_name_dictated_in_syllables(said: str, name: str) -> None:
    spoken = SpokenNames(["ropinirole", "entacapone", "levodopa", "amlodipine"])
    tokens = said.casefold().split()
    found = spoken.find(tokens, lambda i: True, lambda w: True)
    assert [s.name for s in found] == [name]


def test_two_purposes_said_of_one_medicine() -> None:
    assert set(kinds_said("is it the new diabetes/heart one??")) == {"antidiabetic", "cardiac"}
    assert set(kinds_said("下个月要做手术，那个降糖也护心的药要提前几天停？")) == {"antidiabetic", "cardiac"}
    kinds = ["antidiabetic", "cardiac"]
    # a gliflozin is given for heart failure too: it fits both purposes better than a beta blocker fits one
    assert _kind_fit(kinds, "dapagliflozin", ()) > _kind_fit(kinds, "bisoprolol fumarate", ())
    # ... while "the heart one" alone is still the beta blocker
    assert _kind_fit(["cardiac"], "bisoprolol fumarate", ()) > _kind_fit(["cardiac"], "dapagliflozin", ())


@pytest.mark.parametrize(("clause", "surface", "only"), [
    ("scratch what I said about the aspirin they stopped that it's only the clopidogrel now", "clopidogrel", True),
    ("scratch what I said about the aspirin they stopped that it's only the clopidogrel now", "aspirin", False),
    ("now it's just the metformin", "metformin", True),
])
def test_the_only_one_taken_now(clause: str, surface: str, only: bool) -> None:
    assert _only_now(clause, surface) is only


def test_a_correction_keeps_the_one_still_taken() -> None:
    lexicon = MedicineLexicon([MedicineEntry(m, m.title(), (), "en", "", ("dosage",)) for m in ("clopidogrel",
                                                                                              "aspirin")],
                              is_known_word=lambda word: False)
    turns = ["he's on clopidogrel and an aspirin for his stent", "Noted.",
             "actually scratch what I said about the aspirin they stopped that it's only the clopidogrel now"]
    context = build_context([Turn("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(turns)], lexicon)
    status = {m.medicine_id: m.status for m in context.latest()}
    assert status["clopidogrel"] is MedStatus.CURRENT


def test_the_asking_sentence_of_a_chinese_message() -> None:
    text = "我爸每天吃二甲双胍、阿司匹林。医生说二甲双胍吃久了可能缺维生素，真的有这个说法吗？"
    assert _zh_asking_sentence(text) == "医生说二甲双胍吃久了可能缺维生素，真的有这个说法吗？"


@pytest.mark.parametrize("asking", [
    "does the dose have to change because of her kidneys", "should she stop at a lower dose",
    "do they need to adjust his dose", "肾不好了要不要调整剂量",
])
def test_a_dose_changed_for_a_reason_told_asks_the_dose(asking: str) -> None:
    assert _RIGHT_AMOUNT.search(asking) is not None


@pytest.mark.parametrize(("question", "attribute"), [
    ("fallen twice since the increase and very dozy. is it the capsules do you think", Attribute.ADVERSE_REACTIONS),
    ("Is the night-time tablet known for that?", Attribute.ADVERSE_REACTIONS),
    ("could the new inhaler be doing it", Attribute.ADVERSE_REACTIONS),
    ("Does the antibiotic affect the blood thinner?", Attribute.INTERACTIONS),
    ("Can her dabigatran capsules go into the organiser with everything else?", Attribute.STORAGE),
    ("where should they be kept and how long is an open one good for", Attribute.STORAGE),
    ("Which stage of Alzheimer's is it for?", Attribute.INDICATIONS),
    ("Do I put a new one on now or wait until tomorrow's usual time?", Attribute.DOSAGE),
])
def test_cues_of_carers_and_dictation(question: str, attribute: Attribute) -> None:
    assert classify_attribute(question).attribute is attribute


def test_two_tablets_at_once_is_no_interaction() -> None:
    assert classify_attribute("要不要现在补吃一颗？还是等今晚一起吃两颗？").attribute is not Attribute.INTERACTIONS


@pytest.mark.parametrize(("question", "first"), [
    ("我爸癌症疼吃羟考酮十毫克十二个小时一次吃了以后五天没大便了肚子胀这个药是不是会这样", "adverse_reactions"),
    ("我爸帕金森吃森福罗一天三次最近晚上老说屋里有小孩跑来跑去还说看到虫子在墙上爬是老年痴呆了还是那个药弄的",
     "adverse_reactions"),
    ("我爸有心臟衰竭。骨科開了西樂葆兩百毫克一天一次。心衰的人可以吃這個嗎？", "boxed_warning"),
    ("奶奶有食管狭窄。骨科给她开了福善美。这个药像她这样食管有问题的能吃吗？", "warnings"),
    ("我爷爷中风后吞东西不利索，降压的硝苯地平控释片三十毫克太大了，保姆想给他掰成两半或者碾碎拌在粥里，可以吗？",
     "dosage"),
    ("我阿公吃華法林，每天晚上一顆。要不要現在補吃一顆？還是等今晚一起吃兩顆？", "dosage"),
    ("我弟弟在網路上看到說這種藥對失智老人有很嚴重的警告，會增加死亡，是真的嗎？", "boxed_warning"),
    ("含完头晕差点倒了这个药应该怎么含要坐着吗", "dosage"),
    ("我妈八十一岁，说先吃十毫克。她这个年纪能加到二十毫克吗？", "dosage"),
    ("我怀孕四个月了，帮我公公分药。我徒手拿这个胶囊有没有问题？", "warnings"),
    ("换这个盐对他吃的降压药有没有影响？", "interactions"),
])
def test_chinese_sections_of_dictated_and_carers_questions(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first


def test_chinese_words_of_older_peoples_care_reach_an_english_label() -> None:
    words = set(tokenize(label_words("医生说二甲双胍吃久了可能缺什么维生素")))
    assert {"vitamin", "b12"} <= words
    assert "hallucinations" in label_words("说看到虫子在墙上爬")
    assert {"crush", "split"} <= set(tokenize(label_words("掰成两半或者碾碎")))


def test_an_operation_said_in_chinese() -> None:
    assert "procedure" in {c.name for c in conditions_in("下个月要做胆囊手术，术前要禁食")}
    assert SURGERY.asked("下个月要做胆囊手术，术前要禁食。那个药要提前几天停？")


def test_how_the_teller_frames_it_is_no_word_to_match() -> None:
    assert set(tokenize("she thinks it's")) & QUESTION_NOISE


@pytest.mark.parametrize("said", [
    "what helps an old man sleep that won't make him fall", "My mum is 88 and she's had two falls this year",
    "my grandad can't sleep", "我奶奶八十多岁了，睡不着",
])
def test_an_older_person_said_before_a_which_medicine_list(said: str) -> None:
    assert "older" in populations_said(said)


def test_a_list_for_an_older_person_quotes_the_falls_line_not_a_trial_count() -> None:
    chunks = [
        Chunk("z:warnings:0", "z", "warnings", 0, "Because zolpidem can cause drowsiness and a decreased level of "
              "consciousness, patients, particularly the elderly, are at higher risk of falls.", "Zolpidem"),
        Chunk("r:geriatric:0", "r", "geriatric", 0, "A total of 654 subjects in double-blind, placebo-controlled, "
              "efficacy trials who received ramelteon were at least 65 years of age.", "Ramelteon"),
    ]
    found = population_sentence("older", chunks[:1])
    assert found is not None and "higher risk of falls" in found[1]
    assert population_sentence("older", chunks[1:]) is None


@pytest.mark.parametrize(("question", "condition"), [
    ("what helps an old man sleep that won't make him fall", "sleep"), ("what helps a child sleep", "sleep"),
])
def test_who_is_helped_is_no_part_of_the_condition(question: str, condition: str) -> None:
    assert condition_asked(question) == condition
