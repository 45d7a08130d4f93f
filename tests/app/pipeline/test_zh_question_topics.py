"""Chinese questions written by hand for issue 19 (fourth session; not from any evaluation set): what a patient
asks when they split a tablet, ask how long to take it, ask about foods beside it, took several at once or
feel an ache after taking it; brands and older names of the name table; the Chinese words a Chinese label uses
for a condition asked in lay words."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.zh_glossary import condition_search_text, shipped_glossary
from app.pipeline.zh_sections import topic_of, topic_sections
from indexing.store import MedicineEntry

_SECTIONS = ("dosage", "interactions", "warnings", "adverse_reactions", "overdosage", "indications",
             "contraindications", "pediatric", "pregnancy")


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    def en(mid: str, name: str, *aliases: str) -> MedicineEntry:
        return MedicineEntry(mid, name, aliases, "en", "", _SECTIONS)

    return MedicineLexicon([
        en("nifedipine", "Nifedipine", "硝苯地平", "拜新同", "心痛定"),
        en("zolpidem", "Zolpidem Tartrate", "唑吡坦", "思诺思"),
        en("clopidogrel", "Clopidogrel", "氯吡格雷", "波立维"),
        en("warfarin", "Warfarin Sodium", "华法林"),
        en("atorvastatin", "Atorvastatin Calcium", "阿托伐他汀", "立普妥"),
        en("acetaminophen", "Acetaminophen", "对乙酰氨基酚", "泰诺林"),
        en("ibuprofen", "Ibuprofen", "布洛芬", "芬必得"),
        en("amlodipine", "Amlodipine Besylate", "氨氯地平"),
    ])


@pytest.mark.parametrize(("question", "topic"), [
    ("拜新同能不能掰开一半吃", "splitting"),
    ("这个药可以嚼碎了吃吗", "splitting"),
    ("胶囊能打开倒出来吃吗", "splitting"),
    ("这个药要吃多长时间？", "duration"),
    ("降压药是不是要吃一辈子", "duration"),
    ("需要一直吃吗", "duration"),
    ("它跟菠菜这些绿叶菜有冲突吗", "diet"),
    ("吃这个药有什么忌口", "diet"),
    ("一下吃了五片唑吡坦，会有危险吗", "many_at_once"),
    ("孩子不小心吞了3粒", "many_at_once"),
    ("吃了立普妥以后腿酸没劲，这正常吗", "symptom_after"),
    ("吃完药浑身酸痛怎么回事", "symptom_after"),
    ("非布司他有没有黑框警告？", "boxed"),
    ("这个药的警示语说的什么", "boxed"),
    ("法莫替丁需要减量吗？", "dose_change"),
    ("剂量要不要调整一下", "dose_change"),
    ("吃甲硝唑片嘴里发苦有金属味，正常吗", "symptom_after"),
    ("万托林用完嗓子哑", "symptom_after"),
    ("头孢克肟颗粒开封后能放多久", "storage"),
    ("宝宝的美林要放冰箱吗", "storage"),  # how to keep it, not a child's use
    ("格华止会不会引起乳酸酸中毒", "serious_risk"),
    ("阿托伐他汀伤肝吗", "serious_risk"),
    ("拜新同为什么大便里有药片", "shell_in_stool"),
    ("怎么整片药拉出来了", "shell_in_stool"),
])
def test_topic_of_new_situations(question: str, topic: str) -> None:
    found = topic_of(question)
    assert found is not None and found.name == topic, found


@pytest.mark.parametrize("question", [
    "一次吃几片",          # how much to take, not how much was taken
    "一次吃两片可以吗",
    "吃多久能见效",        # how soon it works, not how long to take it
    "吃多久才能起效",
    "医生又给我加药了",    # another medicine added, not a dose changed
])
def test_not_the_new_topics(question: str) -> None:
    found = topic_of(question)
    assert found is None or found.name not in ("many_at_once", "duration", "dose_change"), found


def test_a_population_asked_what_to_watch_out_for_gets_its_section_then_the_warnings() -> None:
    assert topic_sections("老人吃倍他乐克要注意什么") == ("geriatric", "warnings")
    assert topic_sections("老人吃多少") == ("dosage", "geriatric")  # a dose asked: the dosage first


def test_a_serious_harm_asks_the_warnings_but_one_felt_after_taking_it_the_adverse_reactions() -> None:
    assert topic_sections("舍曲林会不会让人想自杀")[:1] == ("warnings",)
    assert topic_sections("吃了阿司匹林以后胃出血了")[:1] == ("adverse_reactions",)


def test_alcohol_wins_over_duration() -> None:
    assert topic_sections("吃完多久能喝酒")[:1] == ("warnings",)


def _dialogue(turns: tuple[str, ...]) -> list[Turn]:
    out: list[Turn] = []
    for t in turns:
        out += [Turn("user", t), Turn("assistant", "好的，请说。")]
    return out[:-1]


@pytest.mark.parametrize(("turns", "medicine", "section"), [
    (("拜新同能不能掰开一半吃",), "nifedipine", "dosage"),
    (("一下吃了五片唑吡坦，会有危险吗",), "zolpidem", "overdosage"),
    (("医生给我开了氯吡格雷", "今天外面好大的雨", "这个药要吃多长时间？"), "clopidogrel", "dosage"),
    (("我在吃华法林", "它跟菠菜这些绿叶菜有冲突吗"), "warfarin", "interactions"),
    (("吃了立普妥以后腿酸没劲，这正常吗",), "atorvastatin", "adverse_reactions"),
    (("心痛定整片吞还是嚼碎吃",), "nifedipine", "dosage"),
])
def test_dialogue_first_section(lexicon: MedicineLexicon, turns: tuple[str, ...], medicine: str,
                                section: str) -> None:
    queries = RuleDistiller().distill(_dialogue(turns), lexicon).queries
    mine = [q for q in queries if q.medicine == medicine]
    assert mine, queries
    assert mine[0].attribute == section, queries


@pytest.mark.parametrize(("name", "english"), [
    ("泰诺", "acetaminophen"), ("百服宁", "acetaminophen"), ("必理通", "acetaminophen"),
    ("压氏达", "amlodipine"), ("利君沙", "erythromycin ethylsuccinate"),
    ("痢特灵", "furazolidone"), ("黄连素", "berberine"), ("病毒灵", "moroxydine"),
])
def test_name_table_brands_and_old_names(name: str, english: str) -> None:
    owners = [row.en for row in shipped_name_table() if name in row.zh_names]
    assert owners == [english]


@pytest.mark.parametrize(("condition", "label_word"), [
    ("拉肚子", "腹泻"), ("发烧", "发热"), ("头疼", "头痛"), ("睡不着", "失眠"),
])
def test_a_lay_condition_carries_the_chinese_label_word(condition: str, label_word: str) -> None:
    assert label_word in shipped_glossary().condition_phrases(condition)
    assert label_word in condition_search_text(condition).split()


def test_a_condition_whose_main_sense_differs_is_not_the_same_condition() -> None:
    diarrhea = shipped_glossary().entries["拉肚子"]
    assert "肠胃炎" not in shipped_glossary().same_condition(diarrhea)  # gastroenteritis first, diarrhea second


def test_search_text_keeps_english_conditions_as_they_are() -> None:
    assert condition_search_text("heartburn") == "heartburn"
    assert condition_search_text("痛风").split()[:3] == ["痛风", "gout", "hyperuricemia"]


@pytest.mark.parametrize(("question", "topic"), [
    ("門冬胰島素放冰箱還是常溫", "storage"),
    ("這個藥可以嚼爛吃嗎", "splitting"),
    ("萬托林用完嗓子啞", "symptom_after"),
    ("非布司他有沒有黑框警示語", "boxed"),
    ("吃華法林能喝濃茶嗎", "diet"),
])
def test_traditional_script_reaches_the_new_topics(question: str, topic: str) -> None:
    found = topic_of(question)
    assert found is not None and found.name == topic, found


@pytest.fixture(scope="module")
def two_taken_lexicon() -> MedicineLexicon:
    def en(mid: str, name: str, *aliases: str) -> MedicineEntry:
        return MedicineEntry(mid, name, aliases, "en", "", _SECTIONS)

    return MedicineLexicon([
        en("warfarin", "Warfarin Sodium", "华法林"),
        en("metoprolol", "Metoprolol Tartrate", "美托洛尔"),
        en("metformin", "Metformin Hydrochloride", "二甲双胍"),
        en("atorvastatin", "Atorvastatin Calcium", "阿托伐他汀"),
        en("omeprazole", "Omeprazole", "奥美拉唑"),
    ])


@pytest.mark.parametrize("turns", [
    ("我在吃华法林和美托洛尔", "它会让我容易出血吗？"),
    ("我在吃二甲双胍和阿托伐他汀", "这个药饭前吃还是饭后吃？"),
    ("我在吃二甲双胍和阿托伐他汀", "它一天吃几次？"),
])
def test_chinese_it_between_two_taken_medicines_is_asked_back(two_taken_lexicon: MedicineLexicon,
                                                                turns: tuple[str, ...]) -> None:
    """As in English ("I take warfarin and metoprolol." -> "Can it make me bruise easily?")."""
    result = RuleDistiller().distill(_dialogue(turns), two_taken_lexicon)
    assert result.clarify, result.queries


@pytest.mark.parametrize(("turns", "medicines"), [
    (("我在吃华法林和美托洛尔", "它们能一起吃吗"), {"warfarin", "metoprolol"}),        # them: both
    (("我在吃二甲双胍和阿托伐他汀", "这两个药都是饭后吃吗"), {"metformin", "atorvastatin"}),
    (("我在吃华法林", "它能和奥美拉唑一起吃吗"), {"warfarin", "omeprazole"}),          # one taken, one named
    (("我在吃二甲双胍", "它一天吃几次？"), {"metformin"}),
])
def test_chinese_references_that_are_not_asked_back(two_taken_lexicon: MedicineLexicon, turns: tuple[str, ...],
                                                    medicines: set[str]) -> None:
    result = RuleDistiller().distill(_dialogue(turns), two_taken_lexicon)
    assert not result.clarify
    assert {q.medicine for q in result.queries if q.medicine} == medicines


@pytest.mark.parametrize("turns", [
    ("我爸在吃华法林", "他能吃芬必得吗"),
    ("我妈在吃氨氯地平", "她最近牙疼", "她可以吃布洛芬吗"),
])
def test_a_relatives_medicine_then_can_he_take_another_asks_the_interaction(lexicon: MedicineLexicon,
                                                                            turns: tuple[str, ...]) -> None:
    """As "My dad takes warfarin." -> "Can he take ibuprofen?" does in English."""
    queries = RuleDistiller().distill(_dialogue(turns), lexicon).queries
    assert [q.attribute for q in queries if q.medicine == "ibuprofen"][:1] == ["interactions"], queries
