"""Session 16's tuning half (fresh11tune), over the real server (`clinqa serve` on 127.0.0.1) on a cut of the
shipped corpus: medicine names typed in pinyin, a relative's own medicine as the other one ("with hers"), and a
condition said in an earlier turn ("heart failure") that a contraindication names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = {"ibuprofen", "ibuprofen-otc", "naproxen", "warfarin", "sertraline", "cilostazol", "amoxicillin", "tizanidine",
        "ciprofloxacin"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("trial_s16"), KEEP) as url:
        yield url


def _cited(body: dict[str, object]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]  # type: ignore[attr-defined, index]


def test_a_name_typed_in_pinyin_reaches_its_medicine(base: str) -> None:
    body = chat(base, "xiao hai fa shao 38.8 du, ke yi chi bu luo fen ma? ta 2 sui")
    assert body["status"] == "answered" and _cited(body)[0].startswith("ibuprofen"), body
    body = chat(base, "wo zai chi amoxilin, yi tian chi ji ci?")
    assert body["status"] == "answered" and _cited(body)[0] == "amoxicillin", body


def test_an_english_question_is_not_read_as_pinyin(base: str) -> None:
    body = chat(base, "Can I take ibuprofen for a headache?")
    assert body["status"] == "answered" and "DailyMed" in body["answer"] and "说明书" not in body["answer"], body


def test_with_hers_is_the_relatives_own_medicine(base: str) -> None:
    body = chat(base, "I take sertraline and my wife is on warfarin for her heart valve.",
                "She has a terrible back this week. Is she allowed naproxen with hers?")
    assert set(_cited(body)) >= {"naproxen"} and "sertraline" not in _cited(body), body
    assert {q["medicine"] for q in body["queries"]} == {"naproxen", "warfarin"}, body["queries"]
    assert "pregnan" not in body["answer"].casefold(), body["answer"]


def test_heart_failure_said_before_leads_with_the_contraindication(base: str) -> None:
    body = chat(base, "My father is 76 and has heart failure, EF 30%",
                "His vascular surgeon wants to start Pletal. Is that safe for someone with his heart?")
    first = body["answer"].split("[1]")[0]
    assert "heart failure" in first.casefold() and "contraindicated" in first, body["answer"]


def test_the_contraindication_naming_the_other_medicine_leads_the_evidence(base: str) -> None:
    body = chat(base, "on tizanidine 4mg tds for back spasm. urgent care just gave me cipro for a UTI. safe together?")
    ranked = body["audit"]["ranked_chunk_ids"]
    assert ranked[0].split(":")[1] == "contraindications", ranked[:4]
    assert "contraindicated" in body["answer"].split("[1]")[0], body["answer"]
