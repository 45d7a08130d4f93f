"""Messages dictated to a phone, and older people with many medicines and those who look after them (session 30),
asked over the real server (`clinqa serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl: a
name dictated in syllables, a Chinese name typed by its sound, a name the database lacks introduced with 叫, a list
and a sentence asking of one of it, a correction of which blood thinner is still taken before an operation, "the
antibiotic" with "the blood thinner", and "the new diabetes/heart one"; from the trial: a list, then "is that alright
with the blood thinner?" of the one just given; a sleeping tablet for an old man who falls; a Chinese list and its ask
in one sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e
pytest.importorskip("pypinyin")

KEEP = ("ropinirole", "amlodipine", "clopidogrel", "aspirin", "sulfamethoxazole-and-trimethoprim", "warfarin",
        "dapagliflozin", "bisoprolol-fumarate", "furosemide", "metformin", "atorvastatin", "metoprolol",
        "lansoprazole", "clarithromycin", "zolpidem-tartrate", "zaleplon")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("dictated"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_a_name_dictated_in_syllables(base: str) -> None:
    body = chat(base, "row pin a roll I think it's called for his Parkinson's one milligram three times a day and he "
                      "keeps nodding off in the middle of a sentence is that the row pin a roll doing that")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "ropinirole"


def test_a_chinese_name_typed_by_its_sound(base: str) -> None:
    body = chat(base, "我妈吃的安录地平五毫克吃了快一个月了这两天脚脖子肿得跟馒头一样是不是这个管血压的药弄的")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "amlodipine"


def test_a_name_the_database_lacks_introduced_by_its_name(base: str) -> None:
    body = chat(base, "医生说给我爸换一个护心的药叫舒脉灵还是叔麦林我没听清楚明天开始吃一天两次这个舒脉灵是治什么的")
    assert body["status"] == "unknown_drug"
    assert "舒脉灵" in body["answer"]


def test_a_list_and_a_sentence_asking_of_one_of_it(base: str) -> None:
    body = chat(base, "我爸七十九岁，每天吃二甲双胍、阿司匹林、阿托伐他汀、氨氯地平。"
                      "医生说二甲双胍吃久了可能缺什么维生素，真的有这个说法吗？")
    assert set(_cited(body)) == {"metformin"}
    assert "B12" in body["answer"]
    english = chat(base, "I take warfarin and metoprolol. Does metoprolol make you tired?")
    assert set(_cited(english)) == {"metoprolol"}


def test_the_blood_thinner_still_taken_before_an_operation(base: str) -> None:
    body = chat(base, "dad's knee replacement is in three weeks",
                "he's on the clopidogrel seventy five and an aspirin as well for his stent",
                "actually scratch what I said about the aspirin they stopped that a year after the stent went in it's "
                "only the clopidogrel now",
                "the pre op nurse said something about stopping the blood one before surgery how many days before the "
                "operation is it supposed to stop")
    assert set(_cited(body)) == {"clopidogrel"}
    assert re.search(r"\b(?:5|five) days prior to\b", body["answer"])


def test_the_antibiotic_and_the_blood_thinner(base: str) -> None:
    body = chat(base, "Warfarin, lansoprazole and amlodipine are my mum's tablets.",
                "The nurse gave her co-trimoxazole yesterday for a UTI. Does the antibiotic affect the blood thinner?")
    assert _cited(body)[:2] == ["sulfamethoxazole-and-trimethoprim", "warfarin"]


def test_the_new_diabetes_heart_one(base: str) -> None:
    body = chat(base, "discharged last week after heart failure admission. new ones are Forxiga, bisoprolol and a "
                      "water tablet",
                "I've got itching and soreness down below, like thrush. is it the new diabetes/heart one??")
    assert _cited(body)[0] == "dapagliflozin"
    chinese = chat(base, "我有心衰，现在吃的药：比索洛尔 5mg、达格列净 10mg。",
                   "下个月要做胆囊手术，术前要禁食。那个降糖也护心的药要提前几天停？")
    assert _cited(chinese)[0] == "dapagliflozin"
    assert "Withhold FARXIGA for at least 3 days" in chinese["answer"]


def test_the_one_just_given_with_the_blood_thinner(base: str) -> None:
    body = chat(base, "mum takes warfarin, bisoprolol, atorvastatin and lansoprazole. the GP gave her clarithromycin "
                      "for a chest infection, is that alright with the blood thinner?")
    assert _cited(body)[:2] == ["clarithromycin", "warfarin"]
    assert "anticoagulants" in body["answer"]


def test_a_sleeping_tablet_for_an_old_man_who_falls(base: str) -> None:
    body = chat(base, "what helps an old man sleep that won't make him fall")
    assert body["status"] == "answered"
    assert "higher risk of falls" in body["answer"]


def test_a_chinese_list_and_its_ask_in_one_sentence(base: str) -> None:
    body = chat(base, "我妈七十八了，每天吃阿司匹林、氨氯地平、二甲双胍，最近老是头晕，是不是氨氯地平引起的？")
    assert set(_cited(body)) == {"amlodipine"}
