from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.datasets.consult import DatasetError
from eval.datasets.mmxu import load_items, parse_image_path, prompt_text, report_body
from eval.mmxu import MmxuConfig, parse_mags, run_mmxu
from eval.results import EvalError
from tests.eval.mmxu_fixture import ITEMS, fake_vlm, image_parts, user_text, write_fixture

SHARED_MMXU = Path(__file__).resolve().parents[3] / "shared" / "data" / "mmxu" / "MMXU-test.jsonl"
ANSWERS = {question: answer for _, _, _, question, _, answer, _, _ in ITEMS}
NO_HISTORY_REPLIES = ["**A**", "A", "I am not sure from these images."]


def _rule(body: dict[str, Any]) -> str:
    """Right when the prompt carries the prior report; otherwise A, A, and one unparseable reply."""
    text = user_text(body)
    question = next(q for q in ANSWERS if q in text)
    if "Patient history" in text:
        return f"The answer is ({ANSWERS[question]})."
    return NO_HISTORY_REPLIES[list(ANSWERS).index(question)]


def test_image_path_gives_patient_and_study() -> None:
    s = parse_image_path("files/p12/p12658542/s54062690/4e7da567-1ca3b2d9.jpg")
    assert (s.patient_id, s.study_id, s.report_path) == ("p12658542", "s54062690", "files/p12/p12658542/s54062690.txt")
    with pytest.raises(ValueError):
        parse_image_path("images/cxr.jpg")


def test_prompt_never_carries_the_change_type(tmp_path: Path) -> None:
    questions, _, _ = write_fixture(tmp_path)
    for item in load_items(questions):
        text = prompt_text(item)
        assert item.change_type not in text.casefold()
        assert all(f"{k}. {v}" in text for k, v in item.options.items())


def test_loader_rejects_bad_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": 1, "question": "q", "options": {"A": "x"}, "answer": "A",
                               "cur_image_path": "files/p10/p10000001/s1/a.jpg",
                               "prior_image_path": "files/p10/p10000001/s2/b.jpg"}) + "\n")
    with pytest.raises(DatasetError, match=r"bad.jsonl:1: .*options"):
        load_items(bad)


def test_report_body_keeps_findings_and_impression() -> None:
    body = report_body(ITEMS[0][7])
    assert body.startswith("Findings: There is a small left pleural effusion")
    assert "Impression: Small left pleural effusion." in body
    assert "INDICATION" not in body and "Shortness" not in body


@pytest.mark.skipif(not SHARED_MMXU.is_file(), reason="shared/data/mmxu/MMXU-test.jsonl is not present")
def test_public_mmxu_file_loads() -> None:
    items = load_items(SHARED_MMXU)
    assert len(items) == 3000
    assert {i.change_type for i in items} == {"no change", "worsen", "improved"}
    assert all(i.current.patient_id == i.prior.patient_id and i.current.study_id != i.prior.study_id for i in items)


def test_parse_mags() -> None:
    assert parse_mags("none,global, all") == ("none", "global", "all")
    with pytest.raises(ValueError):
        parse_mags("everything")


def test_mmxu_end_to_end_against_a_loopback_model(tmp_path: Path, settings_factory: Any) -> None:
    questions, images, reports = write_fixture(tmp_path)
    out = tmp_path / "out"
    with fake_vlm(_rule) as (base_url, requests):
        settings = settings_factory(llm={"backend": "openai_compat", "base_url": base_url, "model": "fake-vlm",
                                         "max_retries": 0, "timeout_s": 10})
        config = MmxuConfig(questions=questions, images=images, reports=reports, mags=("none",), out=out,
                            progress=False)
        first = run_mmxu(settings, config)
        assert first.new == 3
        config.mags = ("none", "global", "regional", "all")
        run = run_mmxu(settings, config)
    assert (run.skipped, run.new) == (3, 9)
    s = run.summary
    assert s["none"]["accuracy"] == pytest.approx(1 / 3)
    assert s["none"]["unparseable"] == 1
    for mag in ("global", "regional", "all"):
        assert s[mag]["accuracy"] == 1.0, mag
    assert s["none"]["by_change_type"]["no change"]["accuracy"] == 1.0
    assert s["none"]["by_change_type"]["worsen"]["accuracy"] == 0.0

    assert len(requests) == 12
    for body in requests:
        raw = json.dumps(body)
        assert "content_type" not in raw
        assert not any(t in raw for t in ("no change", "worsen", "improved"))
        parts = image_parts(body)
        assert len(parts) == 2 and all(p.startswith("data:image/jpeg;base64,") for p in parts)
        assert "first image is the current study" in user_text(body)
    by_kind: dict[str, list[str]] = {"none": [], "global": [], "regional": [], "all": []}
    for body, record in zip(requests[3:], [r for r in run.records if r["mag"] != "none"], strict=False):
        by_kind[record["mag"]].append(user_text(body))
    regional_first = next(t for t in by_kind["regional"] if "left lower lung zone" in t)
    assert "small left pleural effusion at the left base" in regional_first
    assert "The right lung is clear" not in regional_first  # regional: only sentences about the asked region
    global_first = next(t for t in by_kind["global"] if "left lower lung zone" in t)
    assert "The right lung is clear" in global_first

    report = (out / "report.md").read_text()
    assert "| none | 3 | 33.3 |" in report
    assert (out / "mag.png").stat().st_size > 1000
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(lines) == 12 and all("content_type" not in x for x in lines)


def test_mmxu_reports_missing_images_and_needs_reports_for_mag(tmp_path: Path, settings_factory: Any) -> None:
    questions, images, reports = write_fixture(tmp_path)
    settings = settings_factory()
    with pytest.raises(EvalError, match="needs --reports"):
        run_mmxu(settings, MmxuConfig(questions=questions, images=images, mags=("global",), out=tmp_path / "o"))
    with pytest.raises(EvalError, match="vision-language model"):
        run_mmxu(settings, MmxuConfig(questions=questions, images=images, out=tmp_path / "o"))
    (images / "files/p10/p10000001/s50000003/00000002-cur.jpg").unlink()  # item 2, whose answer is A
    with fake_vlm(lambda body: "B") as (base_url, _):
        settings = settings_factory(llm={"backend": "openai_compat", "base_url": base_url, "model": "m"})
        run = run_mmxu(settings, MmxuConfig(questions=questions, images=images, reports=reports,
                                            out=tmp_path / "o2", progress=False))
    assert run.summary["none"]["errors"] == 1
    assert run.summary["none"]["accuracy"] == pytest.approx(1 / 3)
