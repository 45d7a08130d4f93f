"""Session 17's tuning half (fresh12tune) and its new-user trial, over the real server (`clinqa serve` on 127.0.0.1)
on a cut of the shipped corpus: "is X safe with Y?" asks the interaction; a product the database lacks asked
together with a medicine is read in that label's words; a correction takes back the medicine named before; "the
other one" taken beside a new medicine; the pill as people say it; an operation ahead; a which-medicine question
that is no medicine's name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = {"warfarin", "aspirin", "ibuprofen", "ibuprofen-otc", "sertraline", "citalopram-hydrobromide",
        "propranolol-hydrochloride", "rizatriptan", "tirzepatide", "clopidogrel", "omeprazole-otc", "esomeprazole",
        "lisinopril"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("trial_s17"), KEEP) as url:
        yield url


def _cited(body: dict[str, object]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]  # type: ignore[attr-defined, index]


def _notices(body: dict[str, object]) -> str:
    return str(body.get("notice") or "")


def test_safe_with_another_medicine_is_the_interaction(base: str) -> None:
    body = chat(base, "Is aspirin safe with warfarin?")
    assert {(q["medicine"], q["attribute"]) for q in body["queries"]} == {
        ("aspirin", "interactions"), ("warfarin", "interactions")}, body["queries"]


def test_a_herb_asked_with_warfarin_is_read_in_the_warfarin_labels_words(base: str) -> None:
    body = chat(base, "Is ginkgo safe with warfarin?")
    assert body["status"] == "answered" and _cited(body)[:1] == ["warfarin"], body
    assert "botanical" in body["answer"].casefold(), body["answer"]


def test_a_correction_takes_back_the_medicine_named_before(base: str) -> None:
    body = chat(base, "I'm on sertraline.", "Sorry, I meant citalopram. What are the common side effects?")
    assert {q["medicine"] for q in body["queries"]} == {"citalopram-hydrobromide"}, body["queries"]
    assert "sertraline" not in _cited(body) and "Sertraline" not in _notices(body), body


def test_the_other_one_taken_beside_a_new_medicine(base: str) -> None:
    body = chat(base, "I've been on propranolol 40 mg twice a day for years for palpitations.",
                "Neurologist has just added Maxalt 10 mg for my migraines. Is the 10 right for me given I'm on the "
                "other one?")
    assert _cited(body)[:1] == ["rizatriptan"], body
    assert "taking propranolol, only the 5-mg dose" in body["answer"], body["answer"]


def test_the_pill_as_people_say_it_and_the_first_jab(base: str) -> None:
    body = chat(base, "Just started Mounjaro 2.5 for weight loss, first jab on Sunday",
                "I'm on the combined pill. Does that still work properly with it?")
    assert "Not in the database" not in _notices(body), body
    assert _cited(body)[:1] == ["tirzepatide"] and "contraceptive" in body["answer"].split("[1]")[0], body["answer"]


def test_an_operation_as_people_say_it(base: str) -> None:
    body = chat(base, "I'm on Plavix.", "Hernia repair booked. How long before should I stop it?")
    assert "five days prior" in body["answer"], body["answer"]


def test_whats_good_for_heartburn_lists_medicines(base: str) -> None:
    body = chat(base, "What's good for heartburn?")
    assert body["status"] == "answered" and "not in the medicine database" not in body["answer"], body
    assert {"omeprazole-otc", "esomeprazole"} & set(_cited(body)), body


def test_a_chinese_together_question_about_a_product_the_database_lacks(base: str) -> None:
    body = chat(base, "蒙脱石散可以和布洛芬一起吃吗？")
    assert body["status"] == "unknown_drug" and not body["citations"], body
