"""Clinicians' quick questions and voice-dictated messages (session 27), asked over the real server (`clinqa serve`
on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl: a name speech split into words, the same in
Chinese, the pill after "19F on Yasmin", a weekly methotrexate taken every day, "allergic to pen", "first line for
uncomplicated UTI", the sun on doxycycline, a flattened list before the answer, "?safe in preg"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("losartan", "amlodipine", "drospirenone-and-ethinyl-estradiol", "carbamazepine", "methotrexate", "cephalexin",
        "nitrofurantoin", "doxycycline", "furosemide", "oseltamivir-phosphate", "omeprazole", "clopidogrel",
        "lansoprazole")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("ward_and_voice"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_a_name_split_by_speech(base: str) -> None:
    body = chat(base, "um so the doctor started me on am lo deep in five milligrams like three weeks ago and my ankles "
                      "are really puffy by the evening is that the tablet")
    assert _cited(body)[0] == "amlodipine"
    assert "edema" in body["answer"]


def test_a_chinese_name_typed_by_voice(base: str) -> None:
    pytest.importorskip("pypinyin")
    body = chat(base, "今天又加了个新的 奥斯他为 就是新的那个 一天吃几次 吃几天")
    assert _cited(body)[0] == "oseltamivir-phosphate"


def test_the_pill_after_yasmin(base: str) -> None:
    body = chat(base, "19F on Yasmin for contraception", "neuro have started her on carbamazepine for new focal "
                                                          "seizures. does the pill still work?")
    assert _cited(body)[0] == "drospirenone-and-ethinyl-estradiol"
    assert "carbamazepine" in body["answer"]


def test_a_weekly_methotrexate_taken_every_day(base: str) -> None:
    body = chat(base, "我爸那个甲氨蝶呤 本来是一个礼拜吃一次的 他这四天每天都吃了 怎么办啊")
    assert "中毒急救" in (body.get("notice") or "")
    assert body["citations"][0]["attribute"] == "overdosage"
    assert "[see" not in body["answer"]  # "(5. 9)" split no sentence


def test_allergic_to_pen(base: str) -> None:
    body = chat(base, "pt allergic to pen, can she have cefalexin?")
    assert _cited(body)[0] == "cephalexin"
    assert "pen" not in (body.get("notice") or "")  # no device notice: a pen is penicillin here


def test_first_line_for_uncomplicated_uti(base: str) -> None:
    body = chat(base, "what's first line for uncomplicated UTI?")
    assert body["status"] == "answered"
    assert "nitrofurantoin" in _cited(body)


def test_the_sun_on_doxycycline(base: str) -> None:
    body = chat(base, "we're going to Spain and the GP gave me docks ee cycline for my skin",
                "is there anything about the sun I should know like um burning")
    assert _cited(body)[0] == "doxycycline"
    assert body["answer"].split(": ", 1)[1].startswith("Photosensitivity")


def test_a_flattened_list_before_the_answer(base: str) -> None:
    body = chat(base, "he's on the fur oh semide forty in the morning and when he gets up out of his chair he goes "
                      "all dizzy and grabs the wall is that the water tablet")
    assert _cited(body)[0] == "furosemide"
    assert "Orthostatic hypotension" in body["answer"]
    assert "purpura" not in body["answer"]


def test_safe_in_preg(base: str) -> None:
    body = chat(base, "?safe in preg - nitrofurantoin")
    assert _cited(body)[0] == "nitrofurantoin"
    assert "Pregnant patients at term" in body["answer"]


def test_the_new_one_after_a_switch(base: str) -> None:
    body = chat(base, "post-stent pt on clopidogrel 75 and aspirin. stomach's been sore",
                "the old PPI was lansoprazole, hospital switched him to omeprazole 20 on discharge - is the new one a "
                "problem with the clopi?")
    assert "lansoprazole" not in _cited(body)
    assert set(_cited(body)) >= {"omeprazole"}
