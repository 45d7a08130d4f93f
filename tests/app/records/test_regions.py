"""Region lexicon: the region a question asks about, and the report sentences about it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.records.regions import BOTH, Side, find_region, is_about, region_sentences

REPORT = (
    "FINDINGS: PA and lateral views of the chest were obtained. There is a new opacity in the left lower lobe "
    "concerning for pneumonia. Small right pleural effusion is unchanged, and the left costophrenic angle is "
    "sharp. The cardiac silhouette is mildly enlarged. The right lung is otherwise clear. No pneumothorax. "
    "Mediastinal contours are normal. Degenerative changes of the thoracic spine. IMPRESSION: Left lower lobe "
    "pneumonia."
)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What is the condition of the left lower lung zone across the two chest CXR images?",
         "left lower lung zone"),
        ("Does the left costophrenic angle show any changes in the chest CXR images?", "left costophrenic angle"),
        ("How has the size of the cardiac silhouette changed?", "cardiac silhouette"),
        ("Have there been any changes concerning the upper mediastinum?", "upper mediastinum"),
        ("What has changed in the right lung between the two images?", "right lung"),
        ("Is the right pleural effusion larger on the current image?", "right pleura"),
        ("What change is seen in the left apical zone?", "left apical zone"),
        ("How did the hilar structures of the right lung change?", "right hilar structures"),
        ("Has the right hemidiaphragm moved between the two visits?", "right hemidiaphragm"),
        ("Any change in the right and left lower lung zones?", "bilateral lower lung zone"),
    ],
)
def test_question_regions(question: str, name: str) -> None:
    assert find_region(question).name == name


def test_both_images_is_not_a_bilateral_region() -> None:
    region = find_region("What change is observed in the left lung when comparing both images?")
    assert region.sides == frozenset({Side.LEFT})
    assert find_region("Opacities in both lungs").sides == BOTH


@pytest.mark.parametrize(
    ("question", "expected", "excluded"),
    [
        ("left lower lung zone", ["new opacity in the left lower lobe", "left costophrenic angle is sharp",
                                  "IMPRESSION: Left lower lobe pneumonia."],
         ["cardiac silhouette", "thoracic spine", "right lung is otherwise clear"]),
        ("right pleural effusion", ["Small right pleural effusion is unchanged", "No pneumothorax."],
         ["left lower lobe concerning", "cardiac silhouette"]),
        ("cardiac silhouette", ["The cardiac silhouette is mildly enlarged.", "Mediastinal contours are normal."],
         ["pleural effusion", "pneumonia"]),
        ("right lung", ["right pleural effusion", "The right lung is otherwise clear."],
         ["new opacity in the left lower lobe", "cardiac silhouette"]),
        ("thoracic spine", ["Degenerative changes of the thoracic spine."], ["lung", "effusion"]),
    ],
)
def test_region_sentences(question: str, expected: list[str], excluded: list[str]) -> None:
    found = " || ".join(region_sentences(REPORT, find_region(question)))
    for phrase in expected:
        assert phrase in found, (question, found)
    for phrase in excluded:
        assert phrase not in found, (question, found)


def test_sides_are_judged_clause_by_clause() -> None:
    sentence = "Right lower lobe atelectasis and a small left pleural effusion."
    assert is_about(sentence, find_region("left costophrenic angle"))
    assert not is_about(sentence, find_region("right pleura"))  # the right clause is about the lobe
    assert is_about(sentence, find_region("right lower lung zone"))


def test_statements_without_side_apply_to_both() -> None:
    assert region_sentences("No pleural effusion or pneumothorax.", find_region("left pleural effusion"))
    assert region_sentences("Lungs are clear.", find_region("right lower lung zone"))


def test_finding_only_question() -> None:
    text = "Moderate pulmonary edema has improved. The heart is enlarged. There is mild pneumonia at the right base."
    found = region_sentences(text, find_region("Has the pneumonia improved?"))
    assert found == ["There is mild pneumonia at the right base."]


def test_unrelated_text_has_no_region_sentences() -> None:
    assert region_sentences("Patient takes warfarin daily.", find_region("left lower lung zone")) == []
    assert region_sentences(REPORT, find_region("What is the dose of ibuprofen?")) == []


MMXU = Path(__file__).resolve().parents[4] / "shared" / "data" / "mmxu" / "MMXU-test.jsonl"


@pytest.mark.skipif(not MMXU.is_file(), reason="MMXU questions (../shared/data/mmxu) not available")
def test_the_lexicon_covers_mmxu_questions() -> None:
    questions = [json.loads(line)["question"] for line in MMXU.read_text().splitlines() if line.strip()]
    covered = sum(bool(find_region(q)) for q in questions)
    assert covered / len(questions) > 0.99
