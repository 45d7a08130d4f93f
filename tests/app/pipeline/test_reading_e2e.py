"""The reading failures of issue 18 (and those a new user found since), asked over the real server (`clinqa
serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl (its chunks are in
corpora/medicines.vectors.npz, so nothing is encoded). What is checked is what the reader quotes: the
decisive sentence of the label is in the answer, first when it is a safety item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = ("propranolol-hydrochloride", "amoxicillin", "gabapentin", "lisinopril", "ibuprofen", "metoprolol",
        "prednisone", "warfarin", "metformin", "amlodipine", "sildenafil", "nitroglycerin", "atorvastatin",
        "acetaminophen", "insulin-glargine", "ciprofloxacin")  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("reading"), KEEP) as url:
        yield url


def _first_quote(body: dict[str, Any]) -> str:
    return str(body["citations"][0]["quote"]) if body["citations"] else ""


def test_asthma_then_propranolol_leads_with_the_contraindication(base: str) -> None:
    body = chat(base, "I have asthma.", "My doctor wants to prescribe propranolol for migraines, is that safe?")
    assert body["status"] == "answered"
    assert "bronchial asthma" in _first_quote(body) and "Important:" in body["answer"]


def test_amoxicillin_for_a_four_year_old_gives_the_paediatric_dose(base: str) -> None:
    body = chat(base, "What is the dose of amoxicillin for a 4 year old?")
    assert "mg/kg" in _first_quote(body) and "Pediatric" in body["answer"]


def test_gabapentin_drowsy_and_driving(base: str) -> None:
    body = chat(base, "Does gabapentin make you drowsy? Can I drive?")
    assert "not to drive" in body["answer"] or "neither to drive" in body["answer"]


def test_lisinopril_and_ibuprofen_quotes_the_nsaid_paragraph(base: str) -> None:
    body = chat(base, "I take lisinopril, can I take ibuprofen?")
    lisinopril = [c["quote"] for c in body["citations"] if c["medicine_id"] == "lisinopril"]
    assert lisinopril and "NSAID" in lisinopril[0]
    assert "renal function" in body["answer"] or "antihypertensive effect" in body["answer"]
    assert "slurred speech" not in body["answer"]


def test_warfarin_and_ibuprofen_states_the_bleeding_risk(base: str) -> None:
    body = chat(base, "I take warfarin. Can I take ibuprofen for my back pain?")
    warfarin = [c["quote"] for c in body["citations"] if c["medicine_id"] == "warfarin"]
    assert warfarin and "bleeding" in warfarin[0]


def test_metoprolol_in_pregnancy_is_not_an_angina_line(base: str) -> None:
    body = chat(base, "I'm pregnant. Is metoprolol safe during pregnancy?")
    assert body["status"] == "answered" and "pregnan" in body["answer"].lower()
    assert "angina" not in _first_quote(body).lower()


def test_stopping_metoprolol_warns_about_abrupt_cessation(base: str) -> None:
    body = chat(base, "I've been on metoprolol for years. Can I just stop taking it?")
    assert "abrupt" in _first_quote(body).lower()


def test_prednisone_while_breastfeeding_is_answered_from_the_label(base: str) -> None:
    body = chat(base, "Can I take prednisone while breastfeeding?")
    assert body["status"] == "answered" and "nursing mothers" in body["answer"]


def test_adult_metformin_dose_leads_with_the_adult_dose(base: str) -> None:
    body = chat(base, "What is the usual adult dose of metformin?")
    first = _first_quote(body)
    assert "500 mg" in first and "pediatric" not in first.lower()


def test_what_amlodipine_looks_like_is_not_a_dosing_line(base: str) -> None:
    body = chat(base, "What does amlodipine look like?")
    first = _first_quote(body).lower()
    assert "white" in first and "debossed" in first


# -- the second reading pass: whose medicine, contraindications, too much taken, populations, tables ---------


def _medicines(body: dict[str, Any]) -> list[str]:
    return [str(c["medicine_id"]) for c in body["citations"]]


@pytest.mark.parametrize("question", [
    "I take lisinopril, can I take ibuprofen?",
    "is it ok to have some ibuprofen with my lisinopril",
    "I've been on lisinopril for years. Would ibuprofen be a problem for me?",
])
def test_the_new_medicine_is_answered_first(base: str, question: str) -> None:
    body = chat(base, question)
    assert _medicines(body)[0] == "ibuprofen"
    assert "ACE" in _first_quote(body)  # ibuprofen's label on lisinopril's class


@pytest.mark.parametrize("question", [
    "Can I take Viagra with my nitroglycerin?",
    "I use nitroglycerin tablets for chest pain. Is sildenafil safe for me?",
])
def test_sildenafil_with_nitrates_quotes_the_contraindication(base: str, question: str) -> None:
    body = chat(base, question)
    assert _medicines(body)[0] == "sildenafil"
    assert "contraindicated" in _first_quote(body) and "nitrates" in _first_quote(body)
    assert body["answer"].split(": ", 1)[1].startswith("Important:")


@pytest.mark.parametrize("question", [
    "I accidentally took two amlodipine this morning",
    "oops I think I took a double dose of my amlodipine, what happens?",
])
def test_a_double_dose_is_answered_about_people(base: str, question: str) -> None:
    body = chat(base, question)
    assert body["citations"][0]["attribute"] == "overdosage"
    assert "hypotension" in body["answer"]
    assert not any(w in body["answer"] for w in ("mice", "rats", "mg/kg"))


def test_atorvastatin_while_breastfeeding_gives_the_advice(base: str) -> None:
    body = chat(base, "Can I take atorvastatin while breastfeeding?")
    assert "breastfeeding is not recommended" in body["answer"]
    assert "radioactive" not in body["answer"]


def test_acetaminophen_for_a_four_year_old_gives_that_ages_line(base: str) -> None:
    body = chat(base, "How much acetaminophen can I give my 4-year-old?")
    assert "under 6 years" in _first_quote(body)
    assert "not child resistant" not in body["answer"]


def test_lantus_storage_is_readable_not_a_table(base: str) -> None:
    body = chat(base, "How should I store Lantus?")
    assert "refrigerator" in body["answer"]
    assert "Not In-Use" not in body["answer"] and "28 days 28 days" not in body["answer"]


# -- the third reading pass: what to eat, an adult's dose, a terse boxed warning, filler, merged labels -------


@pytest.mark.parametrize("question", [
    "What foods should I avoid with warfarin?",
    "I'm on Coumadin. Is there anything I shouldn't eat?",
])
def test_a_diet_question_on_warfarin_quotes_the_diet_sentences(base: str, question: str) -> None:
    body = chat(base, question)
    assert "dietary" in body["answer"] or "vitamin K" in body["answer"]


@pytest.mark.parametrize("question", ["How much amoxicillin should I take?", "What's the normal amoxicillin dosage?"])
def test_an_unspecified_askers_amoxicillin_dose_leads_with_the_adult_line(base: str, question: str) -> None:
    body = chat(base, question)
    assert "40 kg" in _first_quote(body)
    answer = body["answer"]
    assert "up to the adult dose" not in answer or answer.index("40 kg") < answer.index("up to the adult dose")


def test_terse_cipro_boxed_warning_names_tendon_rupture_first(base: str) -> None:
    body = chat(base, "cipro black box?")
    assert "tendon rupture" in _first_quote(body).lower()


def test_acetaminophen_overdose_answer_has_no_packaging_note(base: str) -> None:
    body = chat(base, "I think I took too much Tylenol, what happens?")
    assert body["status"] == "answered" and "Poison Control" in body["answer"]
    assert "child resistant" not in body["answer"] and "Institutional" not in body["answer"]


def test_lantus_in_pregnancy_is_not_quoted_from_another_brand(base: str) -> None:
    body = chat(base, "Can I use Lantus while pregnant?")
    assert "pregnan" in body["answer"].lower()
    assert "REZVOGLAR" not in body["answer"] and "BASAGLAR" not in body["answer"]
