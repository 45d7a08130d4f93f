from __future__ import annotations

import pytest

from eval.metrics import extract_letter, first_rank, parse_chunk_id, percentile, precision_recall

OPTIONS = {"A": "Showed no significant change", "B": "Worsened significantly", "C": "Improved significantly",
           "D": "Developed a new abnormality"}


@pytest.mark.parametrize(
    ("reply", "letter"),
    [
        ("The answer is (C).", "C"),
        ("C", "C"),
        ("c.", "C"),
        ("(B)", "B"),
        ("**D**", "D"),
        ("Answer: **D**", "D"),
        ("Option C: Improved significantly", "C"),
        ("C) Improved significantly", "C"),
        ("B. Worsened significantly", "B"),
        ("Based on both images, the correct answer is **B. Worsened significantly**", "B"),
        ("I would choose D.", "D"),
        ("Final answer: A", "A"),
        ("A and B are wrong; the answer is C", "C"),
        ("Worsened significantly.", "B"),  # quotes exactly one option
        ("A new abnormality appeared in the left base, so D", "D"),  # 'A' the article is not option A
    ],
)
def test_extract_letter(reply: str, letter: str) -> None:
    assert extract_letter(reply, OPTIONS) == letter


@pytest.mark.parametrize("reply", ["", "   ", "I cannot tell from these images.", "The answer is A or B", "C/D"])
def test_unparseable_replies(reply: str) -> None:
    assert extract_letter(reply, OPTIONS) is None


def test_ranks() -> None:
    ranked = ["warfarin-sodium:dosage:0", "ibuprofen:interactions:0", "warfarin-sodium:interactions:1"]
    assert parse_chunk_id(ranked[2]) == ("warfarin-sodium", "interactions")
    assert first_rank(ranked, lambda m, a: m == "ibuprofen") == 2
    assert first_rank(ranked, lambda m, a: (m, a) == ("warfarin-sodium", "interactions")) == 3
    assert first_rank(ranked, lambda m, a: m == "metformin") is None
    with pytest.raises(ValueError):
        parse_chunk_id("no-colons")


def test_percentile_and_precision_recall() -> None:
    assert percentile([], 50) is None
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    pr = precision_recall([(True, True), (True, False), (False, True), (False, False)])
    assert (pr.precision, pr.recall) == (0.5, 0.5)
    assert precision_recall([(False, False)]).precision is None
