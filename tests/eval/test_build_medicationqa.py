from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from eval.datasets.build_medicationqa import Question, build, find_mention, load_questions, refer_back, write
from eval.datasets.consult import load_items

REPO = Path(__file__).resolve().parents[2]
SHARED_DEV = REPO.parent / "shared" / "data" / "medicationqa" / "dev.jsonl"

ROWS = [
    {"row": 2, "question": "how does valium affect the brain", "focus_raw": "Valium", "focus_generics": ["diazepam"],
     "question_type": "Action", "attribute": "pharmacology", "answer": "SECRET ANSWER 1"},
    {"row": 8, "question": "breo inhaler how it works", "focus_raw": "Breo inhaler", "focus_generics": [],
     "question_type": "Action", "attribute": "pharmacology", "answer": "SECRET ANSWER 2"},
    {"row": 9, "question": "breo inhaler how it works", "focus_raw": "Breo inhaler", "focus_generics": [],
     "question_type": "Usage", "attribute": "dosage", "answer": "SECRET ANSWER 3"},
    {"row": 13, "question": "what is the color of the fluvaastatin pill", "focus_raw": "fluvastatin",
     "focus_generics": ["fluvastatin"], "question_type": "Appearance", "attribute": "dosage_forms", "answer": "x"},
    {"row": 29, "question": "what medication not to take with lithium", "focus_raw": "lithium",
     "focus_generics": ["lithium"], "question_type": "Interaction", "attribute": "interactions", "answer": "x"},
    {"row": 59, "question": "how reduce cholesterol", "focus_raw": "drugs that reduce cholesterol",
     "focus_generics": [], "question_type": "Indication", "attribute": "indications", "answer": "x"},
    {"row": 213, "question": "what is this", "focus_raw": None, "focus_generics": [], "question_type": "x",
     "attribute": None, "answer": "x"},
]


@pytest.fixture()
def dev(tmp_path: Path) -> Path:
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def test_sets_are_deterministic_and_never_ship_answers(dev: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(build(load_questions(dev), seed=13), a)
    write(build(load_questions(dev), seed=13), b)
    for f in a.iterdir():
        assert f.read_bytes() == (b / f.name).read_bytes()
        assert "SECRET ANSWER" not in f.read_text()
        assert '"answer"' not in f.read_text()
        load_items(f)  # valid benchmark format
    single = load_items(a / "medicationqa_single.jsonl")
    assert [i.id for i in single] == ["mqa-2", "mqa-8", "mqa-13", "mqa-29", "mqa-59"]  # no focus: skipped
    breo = single[1]
    assert [(g.medicine, g.attribute) for g in breo.gold] == [("Breo inhaler", "pharmacology"),
                                                              ("Breo inhaler", "dosage")]
    assert single[0].gold[0].medicine == "diazepam" and single[0].gold[0].names == ("Valium",)


def test_multiturn_refers_back_and_distractor_comes_first(dev: Path) -> None:
    sets = build(load_questions(dev), seed=13)
    multi = {i["id"]: i for i in sets["medicationqa_multiturn.jsonl"]}
    valium = multi["mqa-2-mt"]["dialogue"]
    assert "valium" in valium[0]["content"] and valium[1]["role"] == "assistant"
    assert "valium" not in valium[1]["content"].casefold()
    assert valium[2]["content"] == "how does it affect the brain" or "this" in valium[2]["content"]
    assert multi["mqa-13-mt"]["dialogue"][-1]["content"] == "what is the color of this pill"
    assert "mqa-59-mt" not in multi  # the drug mention cannot be found in the question
    distract = {i["id"]: i for i in sets["medicationqa_distractor.jsonl"]}
    assert "mqa-29-dx" not in distract  # interaction questions: the drug already taken is a real partner
    d = distract["mqa-2-dx"]
    other = d["meta"]["distractor"]
    assert other in d["dialogue"][0]["content"] and "valium" in d["dialogue"][2]["content"]
    assert d["dialogue"][-1]["content"] == valium[2]["content"]


@pytest.mark.parametrize(
    ("question", "focus", "expected"),
    [
        ("what is the maximum dose of pregabalin", "pregabalin", "what is the maximum dose of {it}"),
        ("Levaquin treat uti?", "Levaquin", "This medicine treat uti?"),
        ("what is the color of the fluvastatin pill", "fluvastatin", "what is the color of this pill"),
        ("what are warfarin's side effects", "warfarin", "what are its side effects"),
        ("can i take my lisinopril at night", "lisinopril", "can i take this medicine at night"),
    ],
)
def test_refer_back(question: str, focus: str, expected: str) -> None:
    q = Question([1], question, focus, [], [None], [])
    span = find_mention(q)
    assert span is not None
    out = refer_back(question, span, random.Random(0))
    assert out in {expected.format(it=r) for r in ("it", "this medicine", "this drug")}


def test_misspelt_mention_is_found() -> None:
    q = Question([1], "what is the color of the fluvaastatin pill", "fluvastatin", ["fluvastatin"], [None], [])
    span = find_mention(q)
    assert span is not None and q.question[span[0]:span[1]] == "fluvaastatin"


@pytest.mark.skipif(not SHARED_DEV.is_file(), reason="shared/data/medicationqa/dev.jsonl is not present")
def test_committed_sets_match_the_generator(tmp_path: Path) -> None:
    write(build(load_questions(SHARED_DEV)), tmp_path)
    for f in tmp_path.iterdir():
        assert f.read_bytes() == (REPO / "eval" / "data" / f.name).read_bytes(), f.name
