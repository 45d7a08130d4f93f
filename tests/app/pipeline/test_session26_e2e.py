"""Consultations of an out-of-hours advice line and a health forum (session 26), asked over the real server (`clinqa
serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl: a second dose told, a toddler at someone's
tablets, a dose vomited after the ellaOne pill, Viagra beside four medicines, a relative's omeprazole beside his
clopidogrel, an asthma attack after aspirin, an inhaler in a hot car, a rash on lamotrigine, and a vitamin asked of
metformin in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("amlodipine", "clonidine-hydrochloride", "ulipristal-acetate", "levonorgestrel", "sildenafil", "ramipril",
        "metformin", "nitroglycerin", "clopidogrel", "omeprazole", "naproxen", "aspirin", "albuterol", "lamotrigine",
        "carvedilol")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("night_line"), KEEP) as url:
        yield url


def _asked(body: dict[str, Any]) -> set[str]:
    return {q["medicine"] for q in body["queries"] if q["medicine"]}


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_a_second_dose_told_reads_the_overdosage_after_the_emergency_notice(base: str) -> None:
    body = chat(base, "My husband is 71, he takes amlodipine 10mg for his blood pressure, one in the morning.",
                "He's just taken another one at 11pm because he forgot he'd already had it at breakfast. What should "
                "we be watching for, does he need to go to A&E?")
    assert "poison control" in (body.get("notice") or "")
    assert body["citations"][0]["attribute"] == "overdosage"
    assert "hypotension" in body["answer"]


def test_a_toddler_and_a_tablet_missing_from_the_strip(base: str) -> None:
    body = chat(base, "My daughter is 2 and she's been at her grandad's today. He's on clonidine tablets.",
                "We found one of his tablets missing from the strip. Is one tablet dangerous for a toddler?")
    assert "poison control" in (body.get("notice") or "")
    assert body["citations"][0]["attribute"] == "overdosage"


def test_a_dose_vomited_after_the_ellaone_morning_after_pill(base: str) -> None:
    body = chat(base, "I took the ellaOne morning after pill at about half 9 tonight and I've just been sick, like 2 "
                      "hours later. Does it still work or do I need another one??")
    assert set(_cited(body)) == {"ulipristal-acetate"}
    assert "repeating the dose" in body["answer"]
    assert "poison control" not in (body.get("notice") or "")


def test_viagra_named_fifth_beside_the_blood_pressure_tablets(base: str) -> None:
    body = chat(base, "M 58, T2D + high BP. On ramipril 10, amlo 5 and metformin. I don't take any GTN or nitrate "
                      "spray. Is Viagra actually a problem with BP tabs like these?")
    assert _cited(body)[0] == "sildenafil"
    assert "nitroglycerin" not in _asked(body)


def test_a_relatives_omeprazole_beside_his_clopidogrel(base: str) -> None:
    body = chat(base, "My dad had stents last year and is on clopidogrel. My mum's been on omeprazole for her "
                      "stomach for years.",
                "His stomach has been playing up. Can he just take some of mum's omeprazole?")
    assert {"omeprazole", "clopidogrel"} <= _asked(body)
    assert "clopidogrel" in body["answer"]


def test_an_asthma_attack_after_aspirin_then_naproxen(base: str) -> None:
    body = chat(base, "Years ago I had a really bad asthma attack after taking aspirin. My friend says naproxen is "
                      "fine because it's not aspirin. Is it?")
    assert _cited(body)[0] == "naproxen" and "aspirin" not in _cited(body)
    assert "after taking aspirin or other NSAIDs" in body["answer"]


def test_a_blue_inhaler_in_a_hot_car(base: str) -> None:
    body = chat(base, "Is it ok to keep my son's blue inhaler in the car? It gets really hot in summer.")
    assert _asked(body) == {"albuterol"}
    assert "bursting" in body["answer"]


def test_a_rash_on_lamotrigine_and_whether_to_keep_taking_it(base: str) -> None:
    body = chat(base, "On Lamictal since September, went up to 150mg last week. Two days ago a red blotchy rash came "
                      "up on my chest. Do I keep taking it tonight?")
    assert "SERIOUS SKIN RASHES" in body["answer"]


def test_a_vitamin_asked_of_metformin_in_chinese(base: str) -> None:
    body = chat(base, "吃二甲双胍十年了，最近手脚发麻，有人说跟维生素B12有关，是真的吗？")
    assert body["status"] == "answered" and _cited(body)[0] == "metformin"
    assert "vitamin B12" in body["answer"]


def test_a_beta_blocker_for_someone_with_asthma_and_a_blue_inhaler(base: str) -> None:
    body = chat(base, "I've had asthma since I was a kid, I use a blue inhaler.",
                "The cardiologist wants to start me on carvedilol. Is that alright?")
    assert _cited(body)[0] == "carvedilol"
    assert "Bronchial asthma" in body["citations"][0]["quote"]
