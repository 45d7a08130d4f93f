"""Conditions and populations said in Chinese enter the conversation context as the English ones do
(app.pipeline.zh_conditions through app.pipeline.context)."""

from __future__ import annotations

import pytest

from app.pipeline.context import Owner, build_context
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.state import Turn
from app.pipeline.zh_conditions import zh_conditions_in
from indexing.store import MedicineEntry


@pytest.fixture(scope="module")
def lexicon() -> MedicineLexicon:
    return MedicineLexicon([
        MedicineEntry("ibuprofen", "Ibuprofen", ("布洛芬",), "en", "", ("dosage",)),
        MedicineEntry("amlodipine", "Amlodipine", ("氨氯地平",), "en", "", ("dosage",)),
    ])


def _said(*turns: str) -> list[Turn]:
    out: list[Turn] = []
    for t in turns:
        out += [Turn("user", t), Turn("assistant", "好的。")]
    return out[:-1]


@pytest.mark.parametrize(("turn", "kind"), [
    ("我怀孕了，能吃布洛芬吗", "pregnant"),
    ("孕妇可以吃布洛芬吗", "pregnant"),
    ("现在还在喂奶，布洛芬能吃吗", "breastfeeding"),
    ("我有哮喘，可以吃吗？", "asthma"),
    ("我肾不好，布洛芬能吃吗", "kidney_disease"),
    ("我有乙肝，吃布洛芬伤肝吗", "liver_disease"),
    ("我有糖尿病", "diabetes"),
    ("得过胃溃疡的人能吃布洛芬吗", "ulcer"),
    ("我有青光眼", "glaucoma"),
    ("我有痛风", "gout"),
])
def test_chinese_conditions_are_stated(lexicon: MedicineLexicon, turn: str, kind: str) -> None:
    ctx = build_context(_said(turn), lexicon)
    assert kind in [c.kind for c in ctx.stated_conditions()]


@pytest.mark.parametrize("turn", ["我没有哮喘，能吃布洛芬吗", "我不是孕妇", "我没怀孕", "布洛芬一天吃几次"])
def test_a_condition_said_absent_or_not_said_is_not_stated(lexicon: MedicineLexicon, turn: str) -> None:
    kinds = [c.kind for c in build_context(_said(turn), lexicon).stated_conditions()]
    assert "asthma" not in kinds and "pregnant" not in kinds


def test_whose_condition_follows_the_clause(lexicon: MedicineLexicon) -> None:
    ctx = build_context(_said("我爸有心衰，一直在吃氨氯地平", "他能吃布洛芬吗"), lexicon)
    heart = [c for c in ctx.stated_conditions() if c.kind == "heart_disease"]
    assert heart and heart[0].owner is Owner.RELATIVE
    mine = build_context(_said("我有哮喘"), lexicon).stated_conditions()
    assert mine[0].owner is Owner.USER
    # 其他 ("other") is not 他 ("he")
    assert build_context(_said("我有哮喘，还能吃其他药吗"), lexicon).stated_conditions()[0].owner is Owner.USER


@pytest.mark.parametrize(("clause", "age"), [("孩子5岁，发烧了", "5"), ("三岁的孩子", "3"), ("宝宝8个月", "8 months"),
                                             ("女儿十一岁", "11")])
def test_a_childs_age(clause: str, age: str) -> None:
    assert ("child_age", age) in zh_conditions_in(clause)


def test_an_adults_age_is_not_a_child() -> None:
    assert not [k for k, _ in zh_conditions_in("我妈妈今年72岁") if k == "child_age"]


def test_the_distiller_fills_an_open_section_from_a_chinese_condition(lexicon: MedicineLexicon) -> None:
    from app.pipeline.distill import RuleDistiller

    out = RuleDistiller().distill(_said("我怀孕三个月了", "布洛芬呢？"), lexicon)
    assert any(q.attribute == "pregnancy" for q in out.queries if q.medicine == "ibuprofen")
