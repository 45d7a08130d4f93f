"""Consultations of a community pharmacy's counter and online chat (session 25), asked over the real server (`clinqa
serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl: the product in hand asked beside the
tablets one takes, a medicine told with the event it is taken since, a condition a cold remedy warns of, a lay word
for suicidal thoughts, a child with flu offered aspirin, a rash on a medicine taken for the gout it treats."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("drx-choice-daytime-cold-and-flu", "amlodipine", "clopidogrel", "omeprazole-otc", "omeprazole",
        "pseudoephedrine-hydrochloride", "sertraline", "carbamazepine", "levonorgestrel", "aspirin", "allopurinol",
        "budesonide", "budesonide-nose")  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("pharmacy"), KEEP) as url:
        yield url


def _asked(body: dict[str, Any]) -> set[str]:
    return {q["medicine"] for q in body["queries"] if q["medicine"]}


def test_the_cold_remedy_in_hand_with_blood_pressure_tablets(base: str) -> None:
    body = chat(base, "Hi, I'm at the till with a box of the DRx Choice daytime cold and flu softgels. Can I take this "
                      "cold and flu stuff with my blood pressure tablets? I'm on amlodipine 5mg.")
    assert {"drx-choice-daytime-cold-and-flu", "amlodipine"} <= _asked(body)
    assert "high blood pressure" in body["answer"]


def test_a_medicine_taken_since_a_stent_is_asked_beside_the_one_bought(base: str) -> None:
    body = chat(base, "Plavix after my stent. Can I buy Prilosec OTC for reflux?")
    assert {"clopidogrel", "omeprazole-otc"} <= _asked(body)


def test_high_blood_pressure_then_a_decongestant(base: str) -> None:
    body = chat(base, "I have high blood pressure.", "can I take sudafed?")
    assert "high blood pressure" in body["citations"][0]["quote"]
    body = chat(base, "高血压患者能吃伪麻黄碱吗？鼻塞严重")
    assert "high blood pressure" in body["citations"][0]["quote"]


def test_not_wanting_to_be_here_on_sertraline_leads_with_the_boxed_warning(base: str) -> None:
    body = chat(base, "My son is 19 and started sertraline 3 weeks ago",
                "He's been really agitated and said some worrying things last night about not wanting to be here. "
                "Is this the tablets?")
    assert body["citations"][0]["attribute"] == "boxed_warning"
    assert "suicid" in body["citations"][0]["quote"]


def test_an_enzyme_inducer_and_the_morning_after_pill_says_what_it_does(base: str) -> None:
    body = chat(base, "I'm on carbamazepine for epilepsy and need the morning after pill. Will it still work?")
    assert "reduce the effectiveness" in body["answer"]


def test_a_teenager_with_flu_offered_aspirin_reads_reyes_syndrome(base: str) -> None:
    body = chat(base, "My son's 14 and has proper flu, temperature and aches",
                "There's only his nan's aspirin in the house. Can he have a couple of those till I get to the shop?")
    assert "Reye" in body["answer"]


def test_a_rash_on_the_gout_medicine_asks_its_warnings(base: str) -> None:
    body = chat(base, "痛风吃别嘌醇两周，身上起了红疹子还痒，继续吃还是停？")
    assert body["citations"][0]["attribute"] == "warnings" and "rash" in body["citations"][0]["quote"]


def test_a_nose_spray_is_the_nasal_product(base: str) -> None:
    body = chat(base, "I'm breastfeeding my 2 month old", "The Rhinocort nose spray, is that safe with feeding?")
    assert _asked(body) == {"budesonide-nose"}
