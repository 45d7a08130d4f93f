"""Chinese label (说明书) headings: how a heading as written is recognised, and which ones carry names.

Headings are written with and without their 【】, with spaces inside (【不 良 反 应】), full-width or
half-width colons and slashes, and in variants (适应证 for 适应症, 用法与用量 for 用法用量); the table of
headings is `indexing.schema.CHINESE_HEADINGS`. A heading made of two known ones ("不良反应/副作用",
"孕妇及哺乳期妇女用药、儿童用药") maps to the attribute of its first part.
"""

from __future__ import annotations

import re
import unicodedata

from indexing.schema import CHINESE_HEADINGS, Attribute

# The parts of 【药品名称】, also seen as headings of their own. Not sections: they name the medicine.
GENERIC_NAME = "通用名称"
BRAND_NAME = "商品名称"
ENGLISH_NAME = "英文名称"
PINYIN_NAME = "汉语拼音"
NAME_BLOCK = "药品名称"
NAME_FIELDS: frozenset[str] = frozenset({GENERIC_NAME, BRAND_NAME, ENGLISH_NAME, PINYIN_NAME})

_DROP = re.compile(r"[\s【】\[\]:：]+")
_PARTS = re.compile(r"[/、,，;；]")

_NORMALISED: dict[str, Attribute] = {}


def normalise_heading(heading: str) -> str:
    """'【 不良反应 】：' -> '不良反应'; full-width forms folded (NFKC)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", heading))


def _table() -> dict[str, Attribute]:
    if not _NORMALISED:
        _NORMALISED.update({normalise_heading(h): a for h, a in CHINESE_HEADINGS.items()})
    return _NORMALISED


def heading_attribute(heading: str) -> Attribute | None:
    """The attribute a Chinese section heading stands for; None when it is not a known heading."""
    key = normalise_heading(heading)
    table = _table()
    if key in table:
        return table[key]
    for part in _PARTS.split(key):
        if part in table:
            return table[part]
    return None


def is_name_heading(heading: str) -> bool:
    key = normalise_heading(heading)
    return key == NAME_BLOCK or key in NAME_FIELDS
