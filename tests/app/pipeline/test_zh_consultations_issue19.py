"""Chinese consultations written by hand for issue 19's fifth session (tests/fixtures/zh_consultations_issue19.jsonl,
not from any evaluation set): a medicine referred to by its class in a later turn (降糖的那个, 降压药, 那个抗凝的,
安眠药, 消炎药), two asks in one question answered in the order asked, colloquial wording of a section (头晕正常吗,
饭前还是饭后, 能和酒一起吗, 肝不好能吃吗, 小孩能吃吗) and medicines whose Chinese names the table gained. The rule
distiller runs over a lexicon of the English names the fixture asks about, whose Chinese names come from the shipped
name table only (as `app.factory` gives them to the shipped database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.pipeline.class_reference import kinds_said
from app.pipeline.distill import RuleDistiller
from app.pipeline.generic_names import shipped_name_table
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.zh_sections import clause_asks, topic_sections
from indexing.store import MedicineEntry

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "zh_consultations_issue19.jsonl"
_SECTIONS = ("indications", "dosage", "contraindications", "warnings", "boxed_warning", "adverse_reactions",
             "interactions", "pregnancy", "lactation", "pediatric", "geriatric", "overdosage")
# The database medicines the fixture names, as the shipped database names them (no Chinese alias of their own).
_MEDICINES = {
    "metformin": "Metformin", "amlodipine": "Amlodipine", "warfarin": "Warfarin", "atorvastatin": "Atorvastatin",
    "zolpidem-tartrate": "Zolpidem Tartrate", "amoxicillin": "Amoxicillin", "valsartan": "Valsartan",
    "glimepiride": "Glimepiride", "sertraline": "Sertraline", "omeprazole": "Omeprazole", "ibuprofen": "Ibuprofen",
    "rosuvastatin": "Rosuvastatin", "clopidogrel": "Clopidogrel", "levothyroxine": "Levothyroxine",
    "furosemide": "Furosemide", "loratadine": "Loratadine", "alprazolam": "Alprazolam",
    "oseltamivir-phosphate": "Oseltamivir Phosphate", "azithromycin": "Azithromycin",
    "metronidazole": "Metronidazole", "nifedipine": "Nifedipine", "levofloxacin": "Levofloxacin",
    "pirfenidone": "Pirfenidone", "tafamidis-meglumine": "Tafamidis Meglumine", "nintedanib": "Nintedanib",
    "sodium-zirconium-cyclosilicate": "Sodium Zirconium Cyclosilicate", "tiopronin": "Tiopronin",
}


def _items() -> list[dict[str, Any]]:
    with FIXTURE.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


ITEMS = _items()


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    entries = [MedicineEntry(mid, name, (), "en", "", _SECTIONS) for mid, name in _MEDICINES.items()]
    return MedicineLexicon(entries, name_table=shipped_name_table())


def test_the_fixture_is_thirty_or_more_varied_consultations() -> None:
    assert len(ITEMS) >= 30
    kinds = {item["meta"]["kind"] for item in ITEMS}
    assert kinds == {"class_reference", "two_asks", "colloquial", "new_name"}
    assert len({item["dialogue"][-1]["content"] for item in ITEMS}) == len(ITEMS)
    assert all(g["medicine"] in _MEDICINES for item in ITEMS for g in item["gold"])


@pytest.mark.parametrize("item", ITEMS, ids=[item["id"] for item in ITEMS])
def test_consultation_asks_the_medicine_and_section(lexicon: MedicineLexicon, item: dict[str, Any]) -> None:
    dialogue = [Turn(t["role"], t["content"]) for t in item["dialogue"]]
    queries = RuleDistiller().distill(dialogue, lexicon).queries
    gold = {(g["medicine"], g["attribute"]) for g in item["gold"]}
    assert queries, item["id"]
    first = queries[0]
    assert (first.medicine, first.attribute) in gold, queries
    asks = item["meta"].get("asks")
    if asks:  # two asks: both sections, in the order asked
        asked = [q.attribute for q in queries if q.medicine == first.medicine]
        assert asked[:2] == asks, queries


@pytest.mark.parametrize(("question", "kinds"), [
    ("降糖的那个饭前吃还是饭后吃", ["antidiabetic"]),
    ("那个降压药能停吗", ["blood_pressure"]),
    ("那个抗凝的要注意什么", ["anticoagulant"]),
    ("安眠药能和酒一起吃吗", ["hypnotic"]),
    ("消炎药吃几天", ["antibiotic"]),
    ("他汀类的那个晚上吃吗", ["statin"]),
    ("降壓藥漏吃了", ["blood_pressure"]),  # traditional script
    ("my sleeping pill", ["hypnotic"]),
    ("我有高血压，布洛芬能吃吗", []),  # a condition, not a kind of medicine
    ("血糖高能吃吗", []),
    ("和酒石酸美托洛尔一起吃", []),
])
def test_chinese_class_words(question: str, kinds: list[str]) -> None:
    assert kinds_said(question) == kinds


def test_a_class_word_without_a_medicine_of_that_class_leaves_the_focus(lexicon: MedicineLexicon) -> None:
    """降糖的 after two medicines neither of which lowers blood sugar: the reference says nothing; the latest
    medicines stand (here both, asked back or both asked, never an invented one)."""
    dialogue = [Turn("user", "我在吃氨氯地平和华法林"), Turn("assistant", "好的。"), Turn("user", "降糖的那个怎么吃")]
    queries = RuleDistiller().distill(dialogue, lexicon).queries
    assert {q.medicine for q in queries} <= {"amlodipine", "warfarin"}


@pytest.mark.parametrize(("question", "asks"), [
    ("二甲双胍可以吃吗？怎么吃？", ["contraindications", "dosage"]),
    ("阿莫西林有什么副作用，孕妇能用吗", ["adverse_reactions", "pregnancy"]),
    ("孩子3岁，过敏打喷嚏，能吃氯雷他定吗？吃多少？", ["pediatric", "dosage"]),  # the child said before
    ("哺乳期能吃阿莫西林吗？会影响宝宝吗", ["lactation"]),  # the baby is the one fed: one ask
    ("兰索拉唑饭前吃还是饭后吃？能长期吃吗？", ["dosage", "warnings"]),
    ("帕罗西汀能突然停吗？停了会怎样", ["warnings"]),
    ("普瑞巴林吃了头晕，还能开车吗？", ["warnings"]),  # a statement, then one ask
])
def test_clause_asks(question: str, asks: list[str]) -> None:
    assert clause_asks(question) == asks


@pytest.mark.parametrize(("question", "first"), [
    ("华法林能和酒一起吗", "warnings"),
    ("布洛芬喝酒后能吃吗", "warnings"),
    ("肝不好能吃吗", "warnings"),
    ("吃了氨氯地平头晕正常吗", "adverse_reactions"),
    ("硝苯地平吃了以后脸发红发烫，是药的问题吗", "adverse_reactions"),
    ("小孩能吃吗", "pediatric"),
    ("饭前还是饭后", "dosage"),
])
def test_colloquial_topics(question: str, first: str) -> None:
    assert topic_sections(question)[0] == first


def test_a_liver_problem_asks_the_warnings_then_the_contraindications() -> None:
    assert topic_sections("我肝不好，阿托伐他汀能吃吗") == ("warnings", "contraindications")
    assert topic_sections("肾不好，二甲双胍要减量吗")[0] == "dosage"
