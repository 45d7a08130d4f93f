"""Chinese names and colloquial question wording (rule distiller, lexicon, attribute cues)."""

from __future__ import annotations

import pytest

from app.pipeline.attributes import classify_attribute
from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon, base_drug_name
from app.pipeline.read import ExtractiveReader
from app.pipeline.state import Evidence, SearchQuery, Turn
from indexing.schema import Chunk
from indexing.store import MedicineEntry


def _zh(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "zh", "", ("dosage", "interactions", "storage"))


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    # No aliases: the plain names must be found from the label names alone.
    return MedicineLexicon([_zh("asp", "阿司匹林肠溶片"), _zh("ibu", "布洛芬缓释胶囊"), _zh("met", "盐酸二甲双胍片")])


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("阿司匹林肠溶片", "阿司匹林"),
        ("布洛芬缓释胶囊", "布洛芬"),
        ("盐酸二甲双胍片", "二甲双胍"),
        ("Warfarin Sodium", "Warfarin"),
    ],
)
def test_base_name_drops_salt_and_form(name: str, base: str) -> None:
    assert base_drug_name(name) == base


def test_plain_chinese_names_resolve(lexicon: MedicineLexicon) -> None:
    assert lexicon.resolve("二甲双胍") == "met"
    assert [m.medicine_id for m in lexicon.find("布洛芬和阿司匹林能一起吃吗")] == ["ibu", "asp"]


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        ("布洛芬和阿司匹林能一起吃吗", "interactions"),
        ("感冒了还能吃布洛芬吗，两个一起有没有问题", "interactions"),
        ("二甲双胍饭前吃还是饭后吃", "dosage"),
        ("布洛芬一次吃几粒？", "dosage"),
        ("青霉素过敏的人能用阿莫西林吗", "contraindications"),
        ("这个药孕妇能吃吗", "pregnancy"),
        ("阿司匹林应该怎么保存", "storage"),
    ],
)
def test_colloquial_chinese_attribute_cues(question: str, attribute: str) -> None:
    assert classify_attribute(question).attribute == attribute


def test_chinese_follow_up_interaction_takes_partner_from_history(lexicon: MedicineLexicon) -> None:
    dialogue = [Turn("user", "我一直在吃阿司匹林。"), Turn("assistant", "明白。"),
                Turn("user", "感冒了还能吃布洛芬吗，两个一起有没有问题")]
    queries = RuleDistiller().distill(dialogue, lexicon).queries
    assert {(q.medicine, q.attribute) for q in queries} == {("ibu", "interactions"), ("asp", "interactions")}


def test_extractive_reader_quotes_short_chinese_sentences() -> None:
    chunk = Chunk("asp:storage:0", "asp", "storage", 0, "密封，在干燥处保存。", "阿司匹林肠溶片 贮藏", "zh")
    result = ExtractiveReader().read_evidence("阿司匹林应该怎么保存", [SearchQuery("asp", "storage", "阿司匹林 保存")],
                                    [Evidence(chunk, 1.0, 0, 0)])
    assert result.status == "answered" and "密封" in result.text


def _en(mid: str, name: str, *aliases: str) -> MedicineEntry:
    return MedicineEntry(mid, name, tuple(aliases), "en", "", ("dosage", "indications"))


def test_ordinary_label_words_are_not_fuzzy_drug_names() -> None:
    label_words = {"bronchitis", "protocol"}
    lex = MedicineLexicon([_en("mannitol", "Mannitol", "Bronchitol"), _en("propofol", "Propofol"),
                           _en("amoxicillin", "Amoxicillin")], is_known_word=lambda w: w in label_words)
    assert lex.find("what is the dose for bronchitis per the protocol") == []
    assert [m.medicine_id for m in lex.find("how much amoxicilin for bronchitis")] == ["amoxicillin"]


def test_refer_back_past_a_drug_the_database_lacks() -> None:
    lex = MedicineLexicon([_en("amoxicillin", "Amoxicillin")], extra_drug_names=["penicillin"])
    dialogue = [Turn("user", "I was given amoxicillin."), Turn("assistant", "Okay."),
                Turn("user", "If I'm allergic to penicillin, can I take it?")]
    d = RuleDistiller().distill(dialogue, lex)
    assert [q.medicine for q in d.queries] == ["amoxicillin"]
    # penicillin is what the user is allergic to (the allergy alert names it), not a medicine asked about
    assert d.unknown_drugs == []
