"""A Chinese switch or stop ("以前吃氨氯地平，现在换成了缬沙坦", "把阿司匹林停了，改吃氯吡格雷") leaves a medicine: a
question about the new one is not about the old (app/pipeline/zh_switch.py, read by the rule distiller). Both
were cited before, the old one first (wrong medicine)."""

from __future__ import annotations

import pytest

from app.pipeline.distill import RuleDistiller
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.zh_switch import zh_switched_from
from indexing.store import MedicineEntry

_SECTIONS = ("dosage", "interactions", "adverse_reactions", "warnings", "indications")


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    entries = [MedicineEntry(mid, name, (), "zh", "", _SECTIONS) for mid, name in (
        ("aml", "苯磺酸氨氯地平片"), ("val", "缬沙坦胶囊"), ("asp", "阿司匹林肠溶片"), ("clo", "硫酸氢氯吡格雷片"),
        ("war", "华法林钠片"))]
    return MedicineLexicon(entries)


@pytest.mark.parametrize(("question", "left", "kept"), [
    ("我以前吃氨氯地平，现在医生给换成了缬沙坦，缬沙坦有什么副作用", "氨氯地平", "缬沙坦"),
    ("医生让我把阿司匹林停了，改吃氯吡格雷，氯吡格雷要饭后吃吗", "阿司匹林", "氯吡格雷"),
    ("氨氯地平换成了缬沙坦，缬沙坦一天吃几次", "氨氯地平", "缬沙坦"),
    ("我以前吃氨氯地平，現在換成了纈沙坦，纈沙坦有什麼副作用", "氨氯地平", "纈沙坦"),  # traditional script
])
def test_the_medicine_left_is_named(question: str, left: str, kept: str) -> None:
    said = zh_switched_from(question)
    assert left in said and kept not in said


@pytest.mark.parametrize("question", [
    "我以前吃氨氯地平，现在换成了缬沙坦，两个有什么区别",  # compared: both asked
    "我在吃华法林，能吃阿司匹林吗",  # taken, not left
    "倍他乐克能不能停",  # asks whether to stop
    "停了华法林以后能吃布洛芬吗",  # the stop is in the asking clause
])
def test_nothing_left(question: str) -> None:
    assert zh_switched_from(question) == ""


@pytest.mark.parametrize(("question", "asked"), [
    ("我以前吃氨氯地平，现在医生给换成了缬沙坦，缬沙坦有什么副作用", "val"),
    ("医生让我把阿司匹林停了，改吃氯吡格雷，氯吡格雷要饭后吃吗", "clo"),
])
def test_the_distiller_asks_about_the_new_medicine_only(lexicon: MedicineLexicon, question: str, asked: str) -> None:
    queries = RuleDistiller().distill([Turn("user", question)], lexicon).queries
    assert {q.medicine for q in queries} == {asked}


def test_a_comparison_keeps_both(lexicon: MedicineLexicon) -> None:
    queries = RuleDistiller().distill([Turn("user", "以前吃氨氯地平，现在换成了缬沙坦，哪个效果好")], lexicon).queries
    assert {q.medicine for q in queries} == {"aml", "val"}
