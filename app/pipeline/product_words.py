"""How a medicine's label speaks of a product the database does not hold: "Is ginkgo safe with my warfarin?"
is answered from warfarin's label where it names ginkgo, or a class of products ginkgo is in ("botanical
(herbal) products"); "potassium supplements" beside lisinopril by the words labels use for a substance's
products ("potassium-sparing diuretics, potassium supplements, and/or potassium-containing salt substitutes").
The words, most specific first: the product as said, the product without a generic trailing word
(supplements, pills, juice, ...), those substance words, then its class's words (herbal products, from the
headings of corpora/names/products_without_labels.txt)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PRODUCTS_FILE = Path(__file__).resolve().parents[2] / "corpora" / "names" / "products_without_labels.txt"
# Words labels use for a class of products, by the products list's heading the product sits under.
CLASS_WORDS: dict[str, tuple[str, ...]] = {
    "herbal": ("botanical", "botanicals", "herbal", "herbals"),
}
_GENERIC_TAIL = frozenset(
    "supplement supplements pill pills tablet tablets capsule capsules gummy gummies extract extracts powder "
    "juice tea teas drink drinks".split())


@lru_cache(maxsize=1)
def product_classes(path: Path = PRODUCTS_FILE) -> dict[str, str]:
    """Product name -> the CLASS_WORDS key of the heading it is listed under ("ginkgo" -> "herbal")."""
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    heading = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("#"):
            heading = next((key for key in CLASS_WORDS if key in text.casefold()), "" if text[1:].strip() else heading)
            continue
        if text and heading:
            out[text.casefold()] = heading
    return out


def label_words(product: str) -> list[str]:
    """The words a label may use for the product, most specific first."""
    said = " ".join(product.casefold().split())
    words = [said]
    parts = said.split()
    while len(parts) > 1 and parts[-1] in _GENERIC_TAIL:
        parts = parts[:-1]
    core = " ".join(parts)
    if core != said:
        words.append(core)
    if len(parts) == 1:
        # how labels name a single substance's products: "potassium-sparing diuretics, potassium supplements,
        # and/or potassium-containing salt substitutes"
        words += [f"{core} supplements", f"{core}-containing", f"{core}-sparing"]
    kind = product_classes().get(said) or product_classes().get(" ".join(parts))
    words += CLASS_WORDS.get(kind or "", ())
    return list(dict.fromkeys(w for w in words if len(w) >= 3))
