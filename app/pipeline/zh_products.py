"""Chinese products without a label in a US drug-label database: Chinese patent and herbal medicines
(连花清瘟, 板蓝根) and Chinese OTC brands (新康泰克, 白加黑), each form people say listed in
corpora/names/zh_products_without_labels.txt. A question naming one is told it is not in the database
(`app.pipeline.lexicon` reads them as names it lacks), not answered about the other medicine it names alone.
The English list is corpora/names/products_without_labels.txt."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from app.pipeline.zh_names import name_variants
from indexing.vocabulary import has_cjk

log = logging.getLogger(__name__)

SHIPPED_ZH_PRODUCTS = Path(__file__).resolve().parents[2] / "corpora" / "names" / "zh_products_without_labels.txt"


class ProductListError(ValueError):
    """A malformed line of the product list, reported as `file:line: message`."""


def parse_zh_products(text: str, path: str | Path = "<list>") -> tuple[str, ...]:
    """The list's names, one a line (`#` comments); a name without Chinese characters or given twice is an
    error naming the file and line."""
    names: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        name = raw.strip()
        if not name or name.startswith("#"):
            continue
        if not has_cjk(name):
            raise ProductListError(f"{path}:{number}: {name!r} has no Chinese characters")
        if name in names:
            raise ProductListError(f"{path}:{number}: {name!r} is already on line {names[name]}")
        names[name] = number
    return tuple(names)


def product_keys(names: tuple[str, ...]) -> frozenset[str]:
    """The names in compact form, as listed: no shortened forms (抗病毒口服液 is a product, 抗病毒 a word)."""
    return frozenset(v for name in names for v in name_variants(name)[:1])


@lru_cache(maxsize=1)
def shipped_zh_products() -> frozenset[str]:
    """The shipped list in compact form; empty (with a warning) when the file is missing."""
    if not SHIPPED_ZH_PRODUCTS.is_file():
        log.warning("%s is missing: Chinese products without labels will not be named as such", SHIPPED_ZH_PRODUCTS)
        return frozenset()
    return product_keys(parse_zh_products(SHIPPED_ZH_PRODUCTS.read_text(encoding="utf-8"), SHIPPED_ZH_PRODUCTS))
