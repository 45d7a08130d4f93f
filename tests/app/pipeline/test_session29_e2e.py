"""People writing in a second language, through a translator app, or as search keywords (session 29), asked over the
real server (`clinqa serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl: a generic spelled as
in Spanish, a brand from Italy, keywords typed as into a search box, a question texted without its question mark,
the one "for the acid" after a mix-up, how many days before the dentist to stop, calcium with vitamin D beside
ciprofloxacin; from the trial: a pregnancy said in Spanish, a Chinese question about a father's second medicine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("levothyroxine", "metformin", "lisinopril", "ibuprofen", "ibuprofen-otc", "omeprazole", "enalapril-maleate",
        "acetaminophen", "losartan", "apixaban", "ciprofloxacin", "ergocalciferol", "clarithromycin", "simvastatin",
        "warfarin")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("second_language"), KEEP) as url:
        yield url


def _cited(body: dict[str, Any]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]


def test_a_generic_spelled_as_in_spanish(base: str) -> None:
    body = chat(base, "mi mamá take levotiroxina 50 in the morning, she can drink the coffee after?")
    assert body["status"] == "answered"
    assert _cited(body)[0] == "levothyroxine"


def test_a_brand_from_italy(base: str) -> None:
    body = chat(base, "Tonight is the wedding of my cousin, I drink wine. I can take the Tachipirina after the party?")
    assert _cited(body) and set(_cited(body)) == {"acetaminophen"}
    assert "liver" in body["answer"].casefold()


def test_keywords_typed_as_into_a_search_box(base: str) -> None:
    body = chat(base, "clarithromycin with simvastatin")
    assert body["status"] == "answered"  # not "Noted: you take ..."
    assert {"clarithromycin", "simvastatin"} & set(_cited(body))


def test_a_question_texted_without_its_mark_is_checked_against_what_is_taken(base: str) -> None:
    body = chat(base, "I take metformin and lisinopril", "can I take ibuprofen")
    assert _cited(body)[0] == "ibuprofen"
    assert "lisinopril" in _cited(body)


def test_the_one_for_the_acid_after_a_mix_up(base: str) -> None:
    body = chat(base, "I have two recipes from the doctor, omeprazol 20 and enalapril 10. I take both since 3 years.",
                "My sister say the enalapril one makes the bones weak if you take it many years. Is true?",
                "ay no, sorry, I mix them up. Not the blood-pressure one. The one I take before breakfast for the "
                "acid, that one she say is bad for the bones.")
    assert _cited(body) and set(_cited(body)) == {"omeprazole"}
    assert "fracture" in body["answer"].casefold()


def test_how_many_days_before_the_dentist_to_stop(base: str) -> None:
    body = chat(base, "I am taking Eliquis 5 two times a day for the atrial fibrillation.",
                "The dentist want to pull out two molars next Thursday. How many days before I must stop it?")
    assert _cited(body)[0] == "apixaban"
    assert "48 hours" in body["answer"]


def test_calcium_with_vitamin_d_is_one_supplement_beside_ciprofloxacin(base: str) -> None:
    body = chat(base, "I take calcium with vitamin D every morning and now the doctor gave cipro for urine infection, "
                      "can I swallow them together?")
    assert "ergocalciferol" not in _cited(body)
    assert _cited(body)[0] == "ciprofloxacin"
    assert "calcium" in body["answer"].casefold()


def test_a_pregnancy_said_in_spanish_reads_the_pregnancy_section(base: str) -> None:
    body = chat(base, "I take the losartán for the pressure. I am embarazada 6 weeks, I just know today. "
                      "Is ok continue?")
    assert _cited(body)[0] == "losartan"
    assert "fetal" in body["answer"].casefold()


def test_a_chinese_question_about_a_fathers_second_medicine(base: str) -> None:
    body = chat(base, "我在美国，我爸吃 warfarin 好几年了，最近牙疼想吃 Advil，可以吗")
    assert "warfarin" in _cited(body)
    assert {"ibuprofen", "ibuprofen-otc"} & set(_cited(body))
