"""Conditions said in Chinese reach the reader's condition cues as the English ones do."""

from __future__ import annotations

import pytest

from app.pipeline.read_cues import conditions_in
from app.pipeline.zh_conditions import english_condition_words


def _names(text: str) -> set[str]:
    return {c.name for c in conditions_in(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我怀孕了，布洛芬能吃吗？", {"pregnancy"}),
        ("我懷孕三個月了，可以吃泰諾嗎", {"pregnancy"}),
        ("我有哮喘。医生想给我开普萘洛尔，安全吗？", {"asthma"}),
        ("我爸肾不好，二甲双胍要减量吗", {"kidney"}),
        ("孩子5岁，美林一次喂多少", {"child"}),
        ("正在喂奶，能吃阿莫西林吗", {"breastfeeding"}),
        ("吃了舍曲林还能开车吗", {"driving"}),
        ("吃头孢期间喝了点啤酒要紧吗", {"alcohol"}),
    ],
)
def test_chinese_conditions_reach_the_reader(text: str, expected: set[str]) -> None:
    assert expected <= _names(text)


def test_negated_condition_is_not_stated() -> None:
    assert "asthma" not in _names("我没有哮喘，可以吃普萘洛尔吗")
    assert english_condition_words("我没有哮喘") == ""


def test_a_child_age_becomes_the_english_age_words() -> None:
    assert "5 year old" in english_condition_words("孩子5岁了")
    assert "8 month old" in english_condition_words("宝宝8个月大")


def test_english_text_is_unchanged() -> None:
    assert _names("I have asthma, is propranolol ok?") == {"asthma"}
    assert english_condition_words("I have asthma") == ""
