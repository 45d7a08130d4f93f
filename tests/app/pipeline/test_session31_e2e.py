"""Follow-ups that react to the previous answer, choosing and switching between medicines, and worried or upset
people (session 31), asked over the real server (`clinqa serve` on 127.0.0.1) with a small corpus cut from
corpora/medicines.jsonl: "the new one" after a switch while the old one is named again, a switch said as "changed me
to", a friend's recommendation weighed against a stated heart failure, a rant whose ordinary words sound like a
medicine, a dose schedule asked as "what do I take on the first day", a child's age corrected in words, a product
the database lacks quoted after 叫, heart failure said in Chinese before the medicine, a section the user says they
did not ask about, and who cannot sleep."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e
pytest.importorskip("pypinyin")

KEEP = ("rosuvastatin", "simvastatin", "metformin", "empagliflozin", "meloxicam", "codeine-sulfate", "tramadol",
        "levetiracetam", "isoniazid", "gabapentin", "loratadine", "cilostazol", "atorvastatin", "zolpidem-tartrate",
        "estazolam")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("followups"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_the_new_one_after_a_switch_while_the_old_one_is_named_again(base: str) -> None:
    body = chat(base, "changed from simvastatin to rosuvastatin 10 because my numbers weren't coming down",
                "I always took the simva at bedtime because the old leaflet said so. does the new one have to be "
                "night time too or can it go in with my breakfast tablets")
    assert _cited(body)[0] == "rosuvastatin" and "simvastatin" not in _cited(body)
    assert "any time of day" in body["answer"]


def test_a_switch_said_as_changed_me_to(base: str) -> None:
    body = chat(base, "I was on metformin for years but it gave me the runs, so in March the diabetes nurse changed "
                      "me to Jardiance.",
                "I've had thrush THREE times since March. Is it the new tablet doing this?")
    assert _cited(body)[0] == "empagliflozin" and "metformin" not in _cited(body)
    assert "genital mycotic" in body["answer"]


def test_a_friends_recommendation_is_weighed_for_the_user(base: str) -> None:
    body = chat(base, "Just so you know, I have heart failure and I'm on water tablets for it.",
                "My knee is agony and the codeine bungs me up. A friend swears by meloxicam. Would that be a better "
                "choice for someone like me?")
    assert _cited(body)[0] == "meloxicam"
    assert "heart failure" in body["answer"]


def test_ordinary_words_that_sound_like_a_medicine_in_a_rant(base: str) -> None:
    body = chat(base, "the triage nurse rolled her eyes when I said I was in pain. Anyway they sent me home with "
                      "tramadol 50s. I have epilepsy and take Keppra - is the tramadol going to set off a fit?")
    assert _cited(body)[0] == "tramadol" and "isoniazid" not in _cited(body)


def test_a_dose_schedule_asked_as_what_to_take_on_the_first_day(base: str) -> None:
    body = chat(base, "What is gabapentin for?",
                "ok mine's the shingles one. so what do I take on the first day and after that?")
    assert _cited(body)[0] == "gabapentin"
    assert "Day 1" in body["answer"]


def test_a_childs_age_corrected_in_words(base: str) -> None:
    body = chat(base, "can I give my lad one of my loratadine for his hay fever, he's 8",
                "oh no wait I've muddled my boys up. the one with the itchy eyes is Sam and he's only four and a half. "
                "does that change things?")
    assert _cited(body)[0] == "loratadine"
    assert "under 6" in body["answer"]


def test_a_product_the_database_lacks_quoted_after_its_name(base: str) -> None:
    body = chat(base, "朋友从国外带回来一盒叫“舒眠宁”的助眠药，说一吃就睡着。"
                      "我现在晚上靠安眠药才能睡，能不能换成这个？一次吃几片？")
    assert body["status"] == "unknown_drug"
    assert "舒眠宁" in body["answer"]


def test_heart_failure_said_in_chinese_before_the_medicine(base: str) -> None:
    body = chat(base, "我心衰，射血分数35%，平时吃好几种药。",
                "血管外科说是间歇性跛行，今天给我开了西洛他唑。我这种心脏情况能吃这个吗？")
    assert _cited(body)[0] == "cilostazol"
    assert "heart failure" in body["answer"]


def test_a_section_the_user_says_they_did_not_ask_about(base: str) -> None:
    body = chat(base, "new to atorvastatin 20. does it matter what time I take it?",
                "I didn't ask about side effects?? I asked WHEN to take it. my mum always took hers at bedtime")
    assert body["citations"] and body["citations"][0]["attribute"] == "dosage"


def test_who_cannot_sleep_is_no_part_of_the_condition(base: str) -> None:
    body = chat(base, "my husband can't sleep, what can he take?")
    assert "insomnia (can't sleep)" in body["answer"]
