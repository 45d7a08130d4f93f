"""A Chinese medicine name typed with one character of the same sound (app.pipeline.zh_homophones), and the
Chinese cues and readings of session 10's blind tuning set."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.ingestion import ingestion_event
from app.pipeline.zh_homophones import HomophoneIndex, sound

pytest.importorskip("pypinyin")


def test_the_sound_of_a_name_is_its_toneless_pinyin() -> None:
    assert sound("华法林") == sound("华发林") == "hua fa lin"


@pytest.fixture(scope="module")
def index() -> HomophoneIndex:
    found = HomophoneIndex.of(["华法林", "甲硝唑", "布洛芬", "二甲双胍", "头孢克洛", "头孢克肟", "氯吡格雷"])
    assert found is not None
    return found


@pytest.mark.parametrize(("text", "name"), [
    ("我在吃华发林，能吃布洛芬吗", "华法林"),  # zf5t-10 of the fresh5 tuning set
    ("甲消唑", "甲硝唑"),
    ("绿吡格雷", "氯吡格雷"),
])
def test_one_character_of_the_same_sound(index: HomophoneIndex, text: str, name: str) -> None:
    at = next(j for j in range(len(text)) if index.at(text, j) is not None)
    assert index.at(text, at) == name


@pytest.mark.parametrize("text", ["我今天很开心", "华法", "头孢克", "华发令"])
def test_no_name_of_that_sound(index: HomophoneIndex, text: str) -> None:
    # two characters are too short; 华发令 differs by a sound, not a character
    assert all(index.at(text, j) is None for j in range(len(text)))


def test_the_lexicon_reads_a_homophone_typo() -> None:
    from app.pipeline.generic_names import shipped_name_table
    from app.pipeline.lexicon import MedicineLexicon
    from indexing.store import MedicineEntry

    lexicon = MedicineLexicon([MedicineEntry("warfarin", "Warfarin", (), "en", "", ("interactions",)),
                               MedicineEntry("ibuprofen", "Ibuprofen", (), "en", "", ("interactions",))],
                              name_table=shipped_name_table())
    found = [(m.surface, m.medicine_id) for m in lexicon.find("我在吃华发林，能不能吃点布洛芬止痛？")]
    assert found == [("华发林", "warfarin"), ("布洛芬", "ibuprofen")]


@pytest.mark.parametrize(("question", "section"), [
    ("赛乐特吃了一年了，感觉好了，能直接停吗？", "warnings"),
    ("吃了二甲双胍老是拉肚子，正常吗？会不会一直这样？", "adverse_reactions"),
])
def test_chinese_cues(question: str, section: str) -> None:
    found = classify_attribute(question).attribute
    assert found is not None and found.value == section


def test_took_metformin_is_no_double_dose() -> None:
    # "吃了二" read "took two" in "吃了二甲双胍" and sent an effects question to the overdosage section
    assert not ingestion_event("吃了二甲双胍老是拉肚子，正常吗？", ("二甲双胍",))
    assert ingestion_event("孩子吃了两片我的降压药怎么办", ())


@pytest.mark.parametrize(("turns", "section"), [
    # zf5t-21: the baby's age was said of the one she feeds; the mother asks for herself
    (("我在哺乳期，宝宝两个月。", "牙疼得厉害，能吃布洛芬吗？"), "lactation"),
    (("I'm breastfeeding my 3 month old", "is ibuprofen ok for me?"), "lactation"),
    (("I'm breastfeeding, my baby is 2 months old", "can my baby have ibuprofen?"), "pediatric"),
])
def test_a_nursing_mother_asks_for_herself(turns: tuple[str, str], section: str) -> None:
    from app.pipeline.distill import RuleDistiller
    from app.pipeline.generic_names import shipped_name_table
    from app.pipeline.lexicon import MedicineLexicon
    from app.pipeline.state import Turn
    from indexing.store import MedicineEntry

    lexicon = MedicineLexicon([MedicineEntry("ibuprofen", "Ibuprofen", (), "en", "",
                                             ("lactation", "pediatric", "dosage"))], name_table=shipped_name_table())
    dialogue = [Turn("user", turns[0]), Turn("assistant", "Noted."), Turn("user", turns[1])]
    queries = RuleDistiller().distill(dialogue, lexicon).queries
    assert queries and queries[0].attribute == section, queries
