"""Pain, sleep, nerves and dependence (session 35), asked over the real server (`clinqa serve` on 127.0.0.1) with a
small corpus cut from corpora/medicines.jsonl: Xanax beside a new antifungal, fluconazole and methadone, gabapentin
and morphine in an older mother, a diclofenac patch named by its brand in brackets, a gel on "a sprain", an older
mother's repeated paracetamol, acamprosate for someone staying off the drink with failing kidneys, lamotrigine for
bipolar disorder, a missed Cymbalta dose with metformin as an aside, driving on gabapentin with CBD oil beside it,
and grapefruit with "the gout tablet"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("alprazolam", "itraconazole", "methadone-hydrochloride", "fluconazole", "gabapentin", "morphine-sulfate",
        "diclofenac-epolamine", "diclofenac-sodium", "aspirin", "acetaminophen", "acamprosate-calcium", "lamotrigine",
        "duloxetine-hydrochloride", "metformin", "colchicine", "atorvastatin")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("pain_sleep"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_the_label_that_contraindicates_the_other_leads(base: str) -> None:
    body = chat(base,
                "Got toenail fungus and the doctor wants me on itraconazole for 3 months. I take Xanax 0.5mg most "
                "days for anxiety, she didn't ask. Any issue?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "alprazolam"
    assert "CYP3A" in body["answer"]


def test_what_a_new_medicine_does_to_the_one_taken_reads_the_one_taken(base: str) -> None:
    body = chat(base, "I'm on methadone 80ml a day from the clinic, been stable for a year.",
                "Got oral thrush and the GP gave me fluconazole. Does that do anything to my methadone?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "methadone-hydrochloride"


def test_the_label_naming_the_other_by_name_leads_in_a_worried_question(base: str) -> None:
    body = chat(base,
                "Mum (84) has been on gabapentin 300mg three times a day for shingles nerve pain for months. This "
                "week the hospice nurse added liquid morphine. Since then she's been really hard to rouse and "
                "her breathing seems slow and shallow. Could it be the two together?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "gabapentin"
    assert "respiratory depression" in body["answer"].casefold()


def test_a_brand_in_brackets_says_which_product(base: str) -> None:
    body = chat(base,
                "The diclofenac patch I got for my sore knee (Flector type thing) - can I just leave it on in the "
                "shower or do I need to take it off?")
    assert body["status"] == "answered"
    assert set(_cited(body)) == {"diclofenac-epolamine"}


def test_a_sprain_is_no_aspirin(base: str) -> None:
    body = chat(base, "Rolled my ankle at five-a-side last night, it's swollen. Got a tube of Voltaren arthritis gel "
                      "(diclofenac) in the cupboard from my dad. Will it work on a sprain or should I take tablets "
                      "instead?")
    assert "aspirin" not in _cited(body)
    assert _cited(body) and _cited(body)[0] == "diclofenac-sodium"


def test_a_dose_taken_again_is_read_as_too_much(base: str) -> None:
    body = chat(base, "My mum is 78 and a bit forgetful. She took her 2 acetaminophen at 6 this evening and then at "
                      "about 7 she took another 2 because she couldn't remember if she'd had them. She says she feels "
                      "totally fine. Do we need to do anything or just skip her next dose?")
    assert body["status"] == "answered"
    assert body["citations"][0]["attribute"] == "overdosage"


def test_staying_off_the_drink_with_failing_kidneys_reads_the_renal_contraindication(base: str) -> None:
    body = chat(base,
                "My partner is starting acamprosate to help him stay off the drink, he's been dry 3 weeks. He has "
                "chronic kidney disease, stage 4 I think, his GFR was about 25 last time. Is acamprosate ok for "
                "someone with kidneys like that?")
    assert body["status"] == "answered"
    assert "severe renal impairment" in body["answer"]
    assert not any(c["medicine_id"] == "alcohol" for c in body["citations"])


def test_why_a_psychiatrist_gave_an_epilepsy_drug_reads_what_it_is_for(base: str) -> None:
    body = chat(base, "I have bipolar, not epilepsy.",
                "So why has my psychiatrist given me lamotrigine, which says it's an epilepsy drug on every website? "
                "Is she experimenting on me?")
    assert body["status"] == "answered"
    assert body["citations"][0]["attribute"] == "indications"
    assert "bipolar" in body["answer"].casefold()


def test_a_missed_capsule_of_the_medicine_the_conversation_opened_with(base: str) -> None:
    body = chat(base, "Cymbalta question",
                "I take 60 mg every morning (plus my metformin, been on that for years). It's 9pm now and I've just "
                "realised I never took today's capsule. Take it now or leave it?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "duloxetine-hydrochloride"
    assert "missed" in body["answer"]


def test_a_product_said_beside_the_medicine_asked_about_is_no_question_of_its_own(base: str) -> None:
    body = chat(base,
                "Just started gabapentin 300mg three times a day for sciatica. I drive a delivery van for work. I "
                "also use a bit of CBD oil at night. Am I ok to drive on the gabapentin?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "gabapentin"
    assert "drive" in body["answer"]


def test_the_gout_tablet_is_the_one_for_gout(base: str) -> None:
    body = chat(base, "My dad is 68 and takes colchicine every day to stop his gout coming back. He also takes "
                      "atorvastatin.",
                "He has a big glass of grapefruit juice every single breakfast, has done forever. Is that ok with the "
                "gout tablet?")
    assert body["status"] == "answered"
    assert set(_cited(body)) == {"colchicine"}
    assert "grapefruit" in body["answer"].casefold()
