"""A Chinese message that only states what someone takes is noted in Chinese (app.pipeline.statement_zh);
a name alone, a question or a dose event is not a statement."""

from __future__ import annotations

import pytest

from app.pipeline.statement_zh import bare_statement_zh, noted_reply_zh


@pytest.mark.parametrize(("message", "names"), [
    ("我爸爸有糖尿病，一直在吃二甲双胍。", ["二甲双胍"]),
    ("我在吃华法林", ["华法林"]),
    ("我妈在吃氨氯地平，我在吃阿托伐他汀。", ["氨氯地平", "阿托伐他汀"]),
    ("医生上周给我开了阿莫西林", ["阿莫西林"]),
    ("我老公每天早上吃一片阿司匹林", ["阿司匹林"]),
])
def test_a_chinese_statement_of_what_is_taken(message: str, names: list[str]) -> None:
    assert bare_statement_zh(message, names)


@pytest.mark.parametrize(("message", "names"), [
    ("二甲双胍", ["二甲双胍"]),  # a name alone asks about it
    ("我在吃华法林，可以吃布洛芬吗", ["华法林", "布洛芬"]),
    ("我在吃华法林，今天多吃了一片", ["华法林"]),  # a dose event asks what to do
    ("我在吃华法林，有什么副作用", ["华法林"]),
    ("我在吃华法林，最近牙龈出血", ["华法林"]),  # a symptom is more than a statement
    ("我在吃华法林", []),
])
def test_a_chinese_question_or_a_name_alone_is_no_statement(message: str, names: list[str]) -> None:
    assert not bare_statement_zh(message, names)


def test_the_chinese_acknowledgement_says_whose_each_is() -> None:
    assert noted_reply_zh([("mother", ["氨氯地平"]), (None, ["阿托伐他汀"])]).startswith(
        "已记下：您妈妈在用氨氯地平，您在用阿托伐他汀。您想了解什么？")
