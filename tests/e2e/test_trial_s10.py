"""Session 10's new-user trial and blind tuning set, over the real server (`clinqa serve` on 127.0.0.1) on a cut
of the shipped corpus: what can I take for a headache (over-the-counter labels first, never the coated aspirin
that will not relieve one), what ondansetron is used for (its flattened indications list quoted), an allergy told
alone (noted), a table the label's text lost (a notice), and a Chinese follow-up about alcohol."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.shipped_server import chat, shipped_subset_server

pytestmark = pytest.mark.e2e

KEEP = {"aspirin", "acetaminophen", "ibuprofen-otc", "sumatriptan", "dihydroergotamine-mesylate", "almotriptan",
        "ondansetron-hydrochloride", "gabapentin", "fluoxetine", "metformin", "amoxicillin"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shipped_subset_server(tmp_path_factory.mktemp("trial_s10"), KEEP) as url:
        yield url


def test_what_can_i_take_for_a_headache(base: str) -> None:
    body = chat(base, "what can I take for a headache?")
    cited = [c["medicine_id"] for c in body["citations"]]
    assert cited[:2] == ["acetaminophen", "ibuprofen-otc"], body["answer"]
    assert "aspirin" not in cited and "will not provide fast relief" not in body["answer"]
    # a tablet before an injection; with three or more to take, none given only by injection (session 12)
    assert "almotriptan" in cited and "sumatriptan" not in cited, body["answer"]


def test_what_ondansetron_is_used_for(base: str) -> None:
    body = chat(base, "what is ondansetron used for?")
    assert body["citations"][0]["attribute"] == "indications", body["answer"]
    assert "prevention of nausea and vomiting" in body["citations"][0]["quote"]
    assert "no indications section" not in body["answer"]


def test_an_allergy_told_alone_is_noted(base: str) -> None:
    body = chat(base, "I'm allergic to penicillin.")
    assert body["status"] == "clarify" and "allergic to penicillin" in body["answer"], body


def test_a_table_the_label_lost_gets_a_notice(base: str) -> None:
    body = chat(base, "I have kidney disease, my creatinine clearance is 25. What dose of gabapentin should I be on?")
    assert body["status"] == "answered"
    assert "does not include the table" in str(body), body


def test_a_chinese_follow_up_about_alcohol(base: str) -> None:
    body = chat(base, "我在吃氟西汀。", "它可以和酒一起喝吗？")
    # before: fluoxetine's inactive ingredients ("... polyvinyl alcohol, talc ..."); now the label's silence on
    # drinking is said
    assert "polyvinyl alcohol" not in body["answer"], body["answer"]
    assert "饮酒" in str(body), body
