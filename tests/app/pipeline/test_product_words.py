"""The words a label may use for a product the database lacks (app.pipeline.product_words)."""

from __future__ import annotations

from pathlib import Path

from app.pipeline.product_words import is_listed_product, label_words, product_classes


def test_the_product_then_its_core_then_its_class() -> None:
    assert label_words("potassium supplements")[:2] == ["potassium supplements", "potassium"]
    assert "potassium-sparing" in label_words("potassium pills")
    assert label_words("grapefruit juice")[:2] == ["grapefruit juice", "grapefruit"]
    assert label_words("fish oil") == ["fish oil"]  # "oil" is not a generic word to drop


def test_herbal_products_from_the_products_list_headings(tmp_path: Path) -> None:
    listed = tmp_path / "products.txt"
    listed.write_text("# header line naming herbal products and others\n#\n# other supplements\nfish oil\n"
                      "# herbal products\nginkgo biloba\nkava\n# over-the-counter brands\ntums\n", encoding="utf-8")
    assert product_classes(listed) == {"ginkgo biloba": "herbal", "kava": "herbal"}
    if product_classes():  # the shipped list: ginkgo is a herbal product there
        assert "botanical" in label_words("ginkgo biloba")


def test_vaccines_are_named_as_labels_name_them() -> None:
    assert is_listed_product("flu shot") and is_listed_product("shingles vaccine")
    words = label_words("flu shot")
    assert words[0] == "flu shot" and {"vaccines", "immunization"} <= set(words)
    assert "vaccines" not in label_words("fish oil")
