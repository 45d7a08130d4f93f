"""Session 15's new-user trials (helpers 120 and 123) and tuning half (fresh10tune), over the real server (`clinqa
serve` on 127.0.0.1) on a cut of the shipped corpus: an OTC NSAID's stomach-bleeding risk list for someone on
warfarin, labels that do not name each other, a missed dose said without "dose", "I'm expecting" before "do I need to
stop it?", what is given to a child whoever owns it, "the other one" after naming a spray, "my diabetes pill" beside
a husband's, a typo of "paracetamol", clinician shorthand with a dose, a medicine and a condition told by nobody,
a statement of how long, dairy beside a tetracycline and an Indian brand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = {"aspirin", "ibuprofen-otc", "warfarin", "amoxicillin", "metformin", "mycophenolate-mofetil",
        "candesartan-cilexetil", "acetaminophen", "acetaminophen-and-codeine-phosphate", "montelukast",
        "fluticasone-propionate-nasal", "glimepiride", "digoxin", "amiodarone-hydrochloride", "divalproex-sodium",
        "sertraline", "tetracycline-hydrochloride", "pantoprazole"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("trial_s15"), KEEP) as url:
        yield url


def _cited(body: dict[str, object]) -> list[str]:
    return [c["medicine_id"] for c in body["citations"]]  # type: ignore[attr-defined, index]


def _notices(body: dict[str, object]) -> str:
    return " ".join(n["text"] for n in body["notices"])  # type: ignore[attr-defined, index]


def test_aspirin_for_someone_on_warfarin_quotes_the_bleeding_risk_list(base: str) -> None:
    body = chat(base, "I take warfarin. Can I take aspirin for my headache?")
    assert "The chance is higher if you take a blood thinning (anticoagulant)" in body["answer"], body["answer"]
    assert _cited(body)[0] == "aspirin", body["answer"]


def test_labels_that_do_not_name_each_other_say_so(base: str) -> None:
    body = chat(base, "Can I take amoxicillin with metformin?")
    assert "label in the medicine database does not mention Metformin" in _notices(body), body


def test_a_missed_dose_said_without_dose_reads_the_missed_dose_line(base: str) -> None:
    body = chat(base, "I'm on mycophenolate twice a day after my liver transplant, 8am and 8pm.",
                "It's 7pm and I just realised I never took the morning one. What do I do?")
    assert "as soon as they remember" in body["answer"].split("[1]")[0], body["answer"]


def test_expecting_then_stopping_reads_the_pregnancy_lines(base: str) -> None:
    body = chat(base, "Just found out I'm expecting, maybe 7 weeks along.",
                "I've been on candesartan for my blood pressure for two years. Do I need to stop it now?")
    assert body["status"] == "answered" and "When pregnancy is detected" in body["answer"], body


def test_what_is_given_to_a_child_is_asked_whoever_owns_it(base: str) -> None:
    body = chat(base, "My 10 year old had his tonsils out yesterday and the hospital sent us home with liquid "
                      "paracetamol. My mum has some Tylenol with codeine, can I give him half of one of those tonight?")
    assert set(_cited(body)) == {"acetaminophen-and-codeine-phosphate"}, body["answer"]
    assert "tonsillectomy" in body["answer"], body["answer"]


def test_the_other_one_after_naming_the_spray(base: str) -> None:
    body = chat(base, "The allergist gave me two things: a fluticasone nose spray and montelukast tablets.",
                "I've used the spray before, no problem. The other one - my sister says it gave her boy nightmares. "
                "Is that actually a thing?")
    assert set(_cited(body)) == {"montelukast"}, body["answer"]


def test_my_diabetes_pill_is_mine_not_my_husbands(base: str) -> None:
    body = chat(base, "My husband takes metformin and I take glimepiride.",
                "Should I take my diabetes pill before breakfast or with it?")
    assert set(_cited(body)) == {"glimepiride"}, body["answer"]
    body = chat(base, "我老公吃二甲双胍，我吃的是格列美脲。", "我的这个降糖药到底是饭前吃还是随早饭吃？")
    assert set(_cited(body)) == {"glimepiride"}, body["answer"]


def test_a_typo_of_paracetamol_is_answered(base: str) -> None:
    body = chat(base, "whats the most paracetomol i can take in one day?")
    assert body["status"] == "answered" and _cited(body)[0] == "acetaminophen", body


def test_dig_with_a_dose_is_digoxin(base: str) -> None:
    body = chat(base, "pt on amio 200 qd, dig 0.125 qd started for AF rate control - does dig need adjusting?")
    assert "digoxin" in _cited(body), body["answer"]


def test_a_medicine_and_a_condition_told_by_nobody_is_a_search(base: str) -> None:
    body = chat(base, "sodium valproate in pregnancy")
    assert body["status"] == "answered" and _cited(body)[0] == "divalproex-sodium", body


def test_how_long_one_has_taken_it_is_a_statement(base: str) -> None:
    body = chat(base, "I've been on sertraline 100mg for about a year for anxiety.")
    assert body["status"] == "clarify" and body["answer"].startswith("Noted"), body


def test_dairy_beside_a_tetracycline_reads_the_food_line(base: str) -> None:
    body = chat(base, "Doctor prescribed tetracycline for my acne. Can I take it with my morning yogurt and milky "
                      "coffee?")
    assert body["status"] == "answered" and "dairy" in body["answer"], body


def test_an_indian_brand_of_pantoprazole(base: str) -> None:
    body = chat(base, "Is Pan 40 ok to take every day for a year?")
    assert _cited(body) and _cited(body)[0] == "pantoprazole", body
