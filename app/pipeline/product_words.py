"""How a medicine's label speaks of a product the database does not hold: "Is ginkgo safe with my warfarin?"
is answered from warfarin's label where it names ginkgo, or a class of products ginkgo is in ("botanical
(herbal) products"); "potassium supplements" beside lisinopril by the words labels use for a substance's
products ("potassium-sparing diuretics, potassium supplements, and/or potassium-containing salt substitutes").
The words, most specific first: the product as said, the product without a generic trailing word
(supplements, pills, juice, ...), those substance words, then its class's words (herbal products, from the
headings of corpora/names/products_without_labels.txt)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PRODUCTS_FILE = Path(__file__).resolve().parents[2] / "corpora" / "names" / "products_without_labels.txt"
# Words labels use for a class of products, by the products list's heading the product sits under.
CLASS_WORDS: dict[str, tuple[str, ...]] = {
    "herbal": ("botanical", "botanicals", "herbal", "herbals"),
    "vaccine": ("vaccines", "vaccine", "vaccination", "immunization", "toxoids"),
    "antacid": ("antacids", "antacid"),
    # calcium supplements ("Caltrate with my alendronate": "calcium ... will interfere with absorption")
    "calcium": ("calcium supplements", "calcium-containing", "calcium"),
    # LoSalt, NoSalt: potassium chloride ("potassium supplements, and/or potassium-containing salt substitutes")
    "salt substitute": ("salt substitutes", "salt substitute", "potassium-containing", "potassium supplements",
                        "potassium"),
}
# A class of products named as such ("herbal supplements", "herbs"): its own class's words.
_CLASS_NAMES = {"herbal": "herbal", "herbs": "herbal", "herb": "herbal", "botanical": "herbal",
                "botanicals": "herbal", "herbal remedies": "herbal", "herbal products": "herbal"}
# What a supplement is made of, read as its class (钙尔奇 is calcium carbonate: "calcium supplements" in labels); not
# listed products themselves (a question about calcium carbonate with no medicine keeps its own reading).
_SUBSTANCE_CLASSES = {"calcium carbonate": "calcium", "calcium citrate": "calcium"}
_GENERIC_TAIL = frozenset(
    "supplement supplements pill pills tablet tablets capsule capsules gummy gummies extract extracts powder "
    "juice tea teas drink drinks".split())


@lru_cache(maxsize=4)
def listed_products(path: Path = PRODUCTS_FILE) -> dict[str, str]:
    """Every product of the list (by product_key) -> the CLASS_WORDS key of the heading it is listed under
    ("ginkgo" -> "herbal"), or "" when its heading has none."""
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    heading = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("#"):
            heading = next((key for key in CLASS_WORDS if key in text.casefold()), "" if text[1:].strip() else heading)
            continue
        if text:
            out[product_key(text)] = heading
    return out


def product_classes(path: Path = PRODUCTS_FILE) -> dict[str, str]:
    """Listed product -> its class words' key, for the products whose heading has one."""
    return {name: kind for name, kind in listed_products(path).items() if kind}


def is_listed_product(said: str) -> bool:
    """A product of the list (a supplement, a herbal product, an OTC brand), as said or without a generic
    trailing word ("potassium supplements"): not a misspelt or unknown drug name."""
    keys = {product_key(w) for w in _said_and_core(said)}
    return bool(keys & listed_products().keys() or keys & _CLASS_NAMES.keys())


def is_supplement_substance(said: str) -> bool:
    """A supplement named by what it is made of ("calcium carbonate", "calcium citrate")."""
    return bool({product_key(w) for w in _said_and_core(said)} & _SUBSTANCE_CLASSES.keys())


# Kinds of product named as a kind, not one product: "herbal supplements", "vitamins", "any supplements".
_KIND_NAMES = frozenset({"supplement", "supplements", "dietary supplements", "natural supplements", "vitamin",
                         "vitamins", "multivitamin", "multivitamins", "minerals", "probiotics", "natural remedies"})


def names_a_kind(said: str) -> bool:
    """Whether the product said is a kind of products ("herbal supplements", "vitamins"), not one product
    ("ginkgo", "vitamin D"): a label silent about one product says nothing of it, but what a label says of
    interactions is what there is to say about taking the medicine with "herbal supplements"."""
    return any(product_key(form) in _CLASS_NAMES or product_key(form) in _KIND_NAMES for form in _said_and_core(said))


def _said_and_core(product: str) -> list[str]:
    said = " ".join(product.casefold().split())
    parts = said.split()
    while len(parts) > 1 and parts[-1] in _GENERIC_TAIL:
        parts = parts[:-1]
    return list(dict.fromkeys([said, " ".join(parts)]))


def product_key(name: str) -> str:
    """A product's name without case and punctuation: "St. John's Wort" and "st john s wort" are one."""
    return " ".join(re.findall(r"[0-9a-z]+", name.casefold()))


# A vitamin named by its chemical name (a Chinese name's English is the generic: 维生素B12 -> cyanocobalamin), which
# labels call by the vitamin ("may lower vitamin B12 levels", metformin).
_VITAMIN_WORDS = {"cyanocobalamin": ("vitamin b12", "b12"), "hydroxocobalamin": ("vitamin b12", "b12"),
                  "ascorbic acid": ("vitamin c",), "phytonadione": ("vitamin k",), "phytomenadione": ("vitamin k",),
                  "ergocalciferol": ("vitamin d",), "cholecalciferol": ("vitamin d",), "thiamine": ("vitamin b1",),
                  "pyridoxine": ("vitamin b6",), "folic acid": ("folate",), "retinol": ("vitamin a",)}


def label_words(product: str) -> list[str]:
    """The words a label may use for the product, most specific first."""
    forms = _said_and_core(product)
    said, core = forms[0], forms[-1]
    words = [*forms, *_VITAMIN_WORDS.get(core, ())]
    if " " not in core:
        # how labels name a single substance's products: "potassium-sparing diuretics, potassium supplements,
        # and/or potassium-containing salt substitutes"
        words += [f"{core} supplements", f"{core}-containing", f"{core}-sparing"]
    classes = product_classes() | _CLASS_NAMES | _SUBSTANCE_CLASSES
    kind = classes.get(product_key(said)) or classes.get(product_key(core))
    words += CLASS_WORDS.get(kind or "", ())
    # a product of two ("calcium with vitamin D"): the words for each, as labels name them one by one
    parts = _COMBINED.split(core)
    if len(parts) > 1:
        words += [w for part in parts if part.strip() for w in label_words(part.strip())]
    return list(dict.fromkeys(w for w in words if len(w) >= 3))


_COMBINED = re.compile(r"\s+(?:with|and|plus|\+|&)\s+")
