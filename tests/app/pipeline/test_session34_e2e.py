"""Life stages and reproductive health (session 34), asked over the real server (`clinqa serve` on 127.0.0.1) with a
small corpus cut from corpora/medicines.jsonl: an effect asked of a medicine about to be started beside one taken
for blood pressure, Viagra wanted beside nitroglycerin (in Chinese), vomiting on the pill and after the morning-after
pill, sertraline on finding out one is pregnant and while breastfeeding, hot flushes at 61 on raloxifene, estradiol
with a womb, how to take alendronate, a younger brother who chewed his brother's ADHD tablets, testosterone with a
raised PSA, and the colour of a Premarin strength."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("mirabegron", "amlodipine", "sildenafil", "nitroglycerin", "drospirenone-and-ethinyl-estradiol",
        "levonorgestrel", "sertraline", "raloxifene-hydrochloride", "estradiol", "progesterone", "alendronate-sodium",
        "lisdexamfetamine-dimesylate", "testosterone", "estrogens-conjugated", "naproxen")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("life_stages"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_an_effect_asked_of_the_medicine_about_to_start(base: str) -> None:
    body = chat(base, "I have high blood pressure (on amlodipine) and my urologist wants to start me on mirabegron for "
                      "overactive bladder. Can mirabegron put my blood pressure up?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "mirabegron"
    assert "blood pressure" in body["answer"].casefold()


def test_the_medicine_wanted_is_read_first_beside_the_one_kept_at_hand(base: str) -> None:
    body = chat(base, "心绞痛，平时备着硝酸甘油。那天想吃一片万艾可，我爸说不能一起吃，真的吗？")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "sildenafil"
    assert "nitrates" in body["answer"]


def test_vomiting_on_the_pill_reads_the_dosing_line(base: str) -> None:
    body = chat(base, "I've had a stomach bug, I threw up about an hour after taking my Yaz and I've had diarrhoea all "
                      "day. Is the pill still working or do we need to use condoms as well?")
    assert body["status"] == "answered"
    assert "absorption may not be complete" in body["answer"]


def test_vomiting_after_the_morning_after_pill(base: str) -> None:
    body = chat(base, "昨晚套破了，今天早上吃了毓婷", "吃完大概一个半小时就吐了，这药还有效吗？要不要再买一盒补吃")
    assert body["status"] == "answered"
    assert "vomit within 2 hours" in body["answer"]


def test_finding_out_one_is_pregnant_reads_the_pregnancy_line_too(base: str) -> None:
    body = chat(base, "I've been on sertraline 100mg for about 3 years for anxiety",
                "found out this morning im 6 weeks pregnant, wasnt planned. has it harmed the baby?? should i stop it "
                "today")
    assert body["status"] == "answered"
    assert any(c["attribute"] == "pregnancy" for c in body["citations"])
    assert "first trimester" in body["answer"]


def test_breastfeeding_one_does_not_want_to_stop_is_no_question_of_stopping_the_medicine(base: str) -> None:
    body = chat(base, "the GP wants to start me on sertraline 50mg. I'm breastfeeding and really don't want to stop. "
                      "how much gets through to her in the milk?")
    assert body["status"] == "answered"
    assert body["citations"][0]["attribute"] == "lactation"
    assert "discontinuation" not in body["answer"]


def test_at_61_hot_flushes_are_asked_as_a_side_effect(base: str) -> None:
    body = chat(base, "I'm 61, started raloxifene for my bones 2 months ago and now I'm getting hot flushes again, I "
                      "thought I was done with all that years ago! Is that the tablet?")
    assert body["status"] == "answered"
    assert body["citations"][0]["attribute"] == "adverse_reactions"
    assert "geriatric" not in {c["attribute"] for c in body["citations"]}


def test_estradiol_with_a_womb_reads_the_progestin_line(base: str) -> None:
    body = chat(base, "GP started me on estradiol tablets 1mg. my friend says she has to take progesterone as well "
                      "because she still has her womb. i still have mine too and ive only been given the estradiol?? "
                      "is that right")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "estradiol"
    assert "progestin should also be initiated" in body["answer"]


def test_how_to_take_alendronate_after_the_way_it_is_taken_was_told(base: str) -> None:
    body = chat(base, "my mum (78) has just been put on alendronate 70mg once a week. she takes it with her breakfast "
                      "and a cup of tea then goes back to bed for a bit",
                "is that ok? how should she actually be taking it")
    assert body["status"] == "answered"
    assert "30 minutes" in body["answer"]


def test_a_younger_brother_who_chewed_the_tablets(base: str) -> None:
    body = chat(base, "my 10 yr old is on lisdexamfetamine chewables 30mg",
                "his little brother (4) just chewed 2 of them off the kitchen counter!!! what do i look out for, who "
                "do i call")
    assert body["status"] == "answered"
    assert any(n["kind"] == "emergency" for n in body["notices"]), body["notices"]
    assert body["citations"][0]["attribute"] == "overdosage"


def test_a_raised_psa_reads_the_prostate_contraindication(base: str) -> None:
    body = chat(base, "I'm 66 and have had testosterone pellets for low T for 2 years. My PSA came back high and "
                      "they're sending me for a prostate biopsy. Should I still go ahead with my next pellets next "
                      "month?")
    assert body["status"] == "answered"
    assert "carcinomas of the prostate" in body["answer"]


def test_the_strength_of_a_colour(base: str) -> None:
    body = chat(base, "pharmacy changed my bottle and now my premarin tablets are a dark red, maroon oval one. what "
                      "strength is the maroon one? i'm meant to be on 0.625")
    assert body["status"] == "answered"
    assert "maroon tablet contains 0.625 mg" in body["answer"]
