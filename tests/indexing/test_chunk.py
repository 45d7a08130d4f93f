from __future__ import annotations

from itertools import pairwise

import pytest

from indexing.chunk import ChunkingConfig, chunk_medicine, split_section
from indexing.schema import Medicine


def _sentences(n: int, length: int = 90) -> str:
    return " ".join(f"Sentence number {i} " + "x" * (length - 20) + "." for i in range(n))


def test_short_section_is_one_chunk() -> None:
    assert split_section("Take one tablet daily. Do not exceed the dose.", ChunkingConfig()) == [
        "Take one tablet daily. Do not exceed the dose."
    ]


def test_long_section_respects_max_and_overlaps() -> None:
    cfg = ChunkingConfig(max_chars=400, overlap_chars=120)
    pieces = split_section(_sentences(20), cfg)
    assert len(pieces) > 3
    assert all(len(p) <= cfg.max_chars for p in pieces)
    for prev, nxt in pairwise(pieces):
        last_sentence = prev.split(". ")[-1].rstrip(".")
        assert last_sentence in nxt, "the next chunk should start with the previous one's tail"


def test_every_sentence_survives_chunking() -> None:
    text = _sentences(30)
    pieces = split_section(text, ChunkingConfig(max_chars=300, overlap_chars=0))
    for i in range(30):
        assert any(f"Sentence number {i} " in p for p in pieces)


def test_overlong_sentence_is_hard_split() -> None:
    text = "word " * 500
    pieces = split_section(text, ChunkingConfig(max_chars=200, overlap_chars=50))
    assert all(len(p) <= 200 for p in pieces)
    assert sum(p.count("word") for p in pieces) >= 500


def test_chunks_keep_medicine_attribute_and_position() -> None:
    med = Medicine(
        id="warfarin",
        name="Warfarin",
        sections={"interactions": _sentences(25), "dosage": "Individualize the dose."},
    )
    chunks = list(chunk_medicine(med, ChunkingConfig(max_chars=500, overlap_chars=100)))
    # Sections come out in vocabulary order: dosage before interactions.
    assert chunks[0].attribute == "dosage"
    inter = [c for c in chunks if c.attribute == "interactions"]
    assert [c.position for c in inter] == list(range(len(inter)))
    assert all(c.chunk_id == f"warfarin:{c.attribute}:{c.position}" for c in chunks)
    assert chunks[0].title == "Warfarin - dosage and administration"
    assert chunks[0].index_text.startswith("Warfarin - dosage")


def test_chinese_titles() -> None:
    med = Medicine(id="asp-zh", name="阿司匹林肠溶片", lang="zh", sections={"adverse_reactions": "偶见胃肠道反应。"})
    (chunk,) = chunk_medicine(med)
    assert chunk.title == "阿司匹林肠溶片 不良反应"
    assert chunk.lang == "zh"


def test_bad_config_rejected() -> None:
    with pytest.raises(ValueError):
        ChunkingConfig(max_chars=100, overlap_chars=80)


def test_overlong_list_is_cut_where_an_item_ends() -> None:
    items = " ".join(f"Reaction number {i} [see Warnings and Precautions (5.{i}) ]" for i in range(1, 16))
    text = (f"The following serious adverse reactions are described elsewhere in the labeling: {items} "
            "Most common adverse reactions in adults are dizziness, somnolence and dry mouth.")
    pieces = split_section(text, ChunkingConfig(max_chars=400, overlap_chars=50))
    assert len(pieces) > 1
    assert all(len(p) <= 400 for p in pieces)
    assert any("Most common adverse reactions in adults are dizziness, somnolence and dry mouth." in p for p in pieces)
    assert all(p.endswith("]") or p.endswith(".") for p in pieces)  # no piece ends inside an item


def test_overlong_bullets_and_semicolons_are_cut_between_items() -> None:
    bullets = " ".join(f"• Take {i} mg when the level is below {i * 10} units" for i in range(1, 30))
    pieces = split_section(bullets, ChunkingConfig(max_chars=300, overlap_chars=0))
    assert all(p.startswith("•") for p in pieces)
    clauses = "; ".join(f"patients with condition number {i} of the kidney" for i in range(1, 30))
    pieces = split_section(clauses, ChunkingConfig(max_chars=300, overlap_chars=0))
    assert all(p.startswith("patients with condition") for p in pieces)
