"""The reading failures of issue 18 (and those a new user found since), asked over the real server (`clinqa
serve` on 127.0.0.1) with a small corpus cut from corpora/medicines.jsonl (its chunks are in
corpora/medicines.vectors.npz, so nothing is encoded). What is checked is what the reader quotes: the
decisive sentence of the label is in the answer, first when it is a safety item."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.server import free_port, running_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "corpora" / "medicines.jsonl"
VECTORS = ROOT / "corpora" / "medicines.vectors.npz"
KEEP = ("propranolol-hydrochloride", "amoxicillin", "gabapentin", "lisinopril", "ibuprofen", "metoprolol",
        "prednisone", "warfarin", "metformin", "amlodipine")  # fmt: skip


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not SHIPPED.is_file() or not VECTORS.is_file():
        pytest.skip("the shipped corpus or its vectors are absent")
    tmp = tmp_path_factory.mktemp("reading")
    corpus = tmp / "medicines.jsonl"
    with SHIPPED.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
        for line in src:
            if json.loads(line)["id"] in KEEP:
                dst.write(line)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({
        "CLINQA_DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "CLINQA_INDEX_DIR": str(tmp / "index"),
        "CLINQA_CORPUS": str(corpus),
        "CLINQA_VECTOR_CACHES": json.dumps([str(VECTORS)]),
        "CLINQA_VECTOR_CACHE_OUT": "null",
        "HF_HUB_OFFLINE": "1",
    })
    with running_server(env, free_port(), timeout=300) as url:
        yield url


def _chat(base: str, *messages: str) -> dict[str, Any]:
    """User turns, one after another in one conversation; the last answer."""
    conversation = None
    body: dict[str, Any] = {}
    for message in messages:
        r = httpx.post(f"{base}/v1/chat", json={"message": message, "conversation_id": conversation}, timeout=120)
        assert r.status_code == 200, r.text
        body = r.json()
        conversation = body["conversation_id"]
    return body


def _first_quote(body: dict[str, Any]) -> str:
    return str(body["citations"][0]["quote"]) if body["citations"] else ""


def test_asthma_then_propranolol_leads_with_the_contraindication(base: str) -> None:
    body = _chat(base, "I have asthma.", "My doctor wants to prescribe propranolol for migraines, is that safe?")
    assert body["status"] == "answered"
    assert "bronchial asthma" in _first_quote(body) and "Important:" in body["answer"]


def test_amoxicillin_for_a_four_year_old_gives_the_paediatric_dose(base: str) -> None:
    body = _chat(base, "What is the dose of amoxicillin for a 4 year old?")
    assert "mg/kg" in _first_quote(body) and "Pediatric" in body["answer"]


def test_gabapentin_drowsy_and_driving(base: str) -> None:
    body = _chat(base, "Does gabapentin make you drowsy? Can I drive?")
    assert "not to drive" in body["answer"] or "neither to drive" in body["answer"]


def test_lisinopril_and_ibuprofen_quotes_the_nsaid_paragraph(base: str) -> None:
    body = _chat(base, "I take lisinopril, can I take ibuprofen?")
    lisinopril = [c["quote"] for c in body["citations"] if c["medicine_id"] == "lisinopril"]
    assert lisinopril and "NSAID" in lisinopril[0]
    assert "renal function" in body["answer"] or "antihypertensive effect" in body["answer"]
    assert "slurred speech" not in body["answer"]


def test_warfarin_and_ibuprofen_states_the_bleeding_risk(base: str) -> None:
    body = _chat(base, "I take warfarin. Can I take ibuprofen for my back pain?")
    warfarin = [c["quote"] for c in body["citations"] if c["medicine_id"] == "warfarin"]
    assert warfarin and "bleeding" in warfarin[0]


def test_metoprolol_in_pregnancy_is_not_an_angina_line(base: str) -> None:
    body = _chat(base, "I'm pregnant. Is metoprolol safe during pregnancy?")
    assert body["status"] == "answered" and "pregnan" in body["answer"].lower()
    assert "angina" not in _first_quote(body).lower()


def test_stopping_metoprolol_warns_about_abrupt_cessation(base: str) -> None:
    body = _chat(base, "I've been on metoprolol for years. Can I just stop taking it?")
    assert "abrupt" in _first_quote(body).lower()


def test_prednisone_while_breastfeeding_is_answered_from_the_label(base: str) -> None:
    body = _chat(base, "Can I take prednisone while breastfeeding?")
    assert body["status"] == "answered" and "nursing mothers" in body["answer"]


def test_adult_metformin_dose_leads_with_the_adult_dose(base: str) -> None:
    body = _chat(base, "What is the usual adult dose of metformin?")
    first = _first_quote(body)
    assert "500 mg" in first and "pediatric" not in first.lower()


def test_what_amlodipine_looks_like_is_not_a_dosing_line(base: str) -> None:
    body = _chat(base, "What does amlodipine look like?")
    first = _first_quote(body).lower()
    assert "white" in first and "debossed" in first
