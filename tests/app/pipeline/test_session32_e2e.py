"""Medicines around daily life and events, carers and practical handling (session 32), asked over the real server
(`clinqa serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl: a loose capsule described by its
imprint with no medicine named, a marking no label describes, a grandchild who got into levothyroxine and "seems
fine", a pen left out overnight by an older mother, leftover opioid tablets in a house with a toddler, a dose found
still in the pill box, a lathe at work, and a Chinese question about an inhaler left in a hot car."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("dabigatran-etexilate-mesylate", "lorazepam", "morphine-sulfate", "levothyroxine", "apixaban", "methocarbamol",
        "teriparatide", "oxycodone-hydrochloride", "albuterol", "warfarin")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("daily_life"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["medicine_id"], c["attribute"]) for c in body["citations"]]


def test_a_loose_capsule_is_found_by_its_imprint(base: str) -> None:
    body = chat(base, "Sorting my dad's pill organiser and a capsule fell out, light blue and white with R150 on it. "
                      "Which one is that?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == ("dabigatran-etexilate-mesylate", "dosage_forms")
    assert "R150" in body["answer"] and "ask a pharmacist to confirm" in body["answer"]


def test_a_marking_no_label_describes_is_no_guess(base: str) -> None:
    body = chat(base, "found a white pill with XQ 9931 on it in the car, what is it?")
    assert body["status"] == "no_evidence" and body["citations"] == []
    assert "No label in the database describes a tablet or capsule marked" in body["answer"]


def test_a_grandchild_who_got_into_levothyroxine_and_seems_fine(base: str) -> None:
    body = chat(base, "My 3 year old grandson got into my levothyroxine and I think he's eaten about eight of the "
                      "100s. He seems completely fine, running about. Do I need to do anything if he's fine??")
    assert _cited(body)[0] == ("levothyroxine", "overdosage")
    assert "3-year" in body["answer"] and "several days after" in body["answer"]


def test_a_pen_left_out_overnight_is_a_storage_question_whoever_uses_it(base: str) -> None:
    body = chat(base, "My mum is 70 and does a Forteo pen every day. She left it out on the kitchen counter overnight "
                      "by accident. Is it still OK to use?")
    assert _cited(body)[0] == ("teriparatide", "storage")


def test_leftover_opioid_tablets_are_answered_by_disposal(base: str) -> None:
    body = chat(base, "Had my ACL repaired and I've got 12 oxycodone left that I didn't need. There's a toddler in the "
                      "house. What do I do with them?")
    assert _cited(body)[0][0] == "oxycodone-hydrochloride"
    assert "dispos" in body["answer"]


def test_a_dose_found_in_the_pill_box_is_a_missed_dose(base: str) -> None:
    body = chat(base, "Mum is 81 and on apixaban twice a day. I've just found her morning one still in the pill box at "
                      "2pm. Panicking - does she take it now, double up tonight, or skip?")
    assert _cited(body)[0] == ("apixaban", "dosage")
    assert "as soon as possible on the same day" in body["answer"]
    assert "overdose" not in body["answer"].casefold()


def test_a_lathe_at_work_asks_about_machinery(base: str) -> None:
    body = chat(base, "I've been given methocarbamol for my back.",
                "I run a lathe at work. Can I take it during my day shift?")
    assert _cited(body)[0] == ("methocarbamol", "warnings")
    assert "operating machinery" in body["answer"]


def test_an_inhaler_left_in_a_hot_car_in_chinese(base: str) -> None:
    body = chat(base, "孩子的万托林气雾剂落在车里一下午，夏天车里估计五六十度，还能用吗？会不会爆？")
    assert _cited(body)[0] == ("albuterol", "storage")
    assert "bursting" in body["answer"]
