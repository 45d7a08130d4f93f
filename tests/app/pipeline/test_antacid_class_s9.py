"""Antacid brands the database lacks (Tums, Gaviscon, Maalox ...) are read for in a medicine's label by the word
labels use for them, "antacids" ("Is Gaviscon ok with my levothyroxine?"); the other OTC brands of the list are no
antacids (session 9)."""

from __future__ import annotations

from app.pipeline.product_words import label_words, listed_products


def test_antacid_brands_are_read_for_as_antacids() -> None:
    for brand in ("Tums", "gaviscon", "Maalox", "milk of magnesia"):
        assert "antacids" in label_words(brand), brand
    assert listed_products()["tums"] == "antacid"


def test_other_otc_brands_are_not_antacids() -> None:
    for brand in ("DayQuil", "Pepto-Bismol", "Mucinex", "ginkgo"):
        assert "antacids" not in label_words(brand), brand
