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
        "prednisone", "warfarin", "metformin", "amlodipine")  # fmt: skip


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
