"""Medicine names written in pinyin read as the Chinese names they spell ("ke yi chi bu luo fen ma" -> 布洛芬,
"wo zai chi amoxilin" -> 阿莫西林), so a question typed without a Chinese input method reaches the same
medicine, or the same "not in the database" answer, as one written in characters.

The table (corpora/names/zh_pinyin.tsv) is generated from the Chinese names of the generic-name table and of the
list of Chinese products without labels by `python -m app.pipeline.zh_pinyin build` (needs the pypinyin package,
a development tool only; the service reads the generated file). Only names of three syllables or more are
matched, only in text whose Latin words all read as pinyin, and never a spelling that is also an English name
("ta mo xi fen" is tamoxifen's English name too: the English question stays English).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

from app.pipeline.generic_names import SHIPPED_TABLE, parse_name_table

PINYIN_TABLE = SHIPPED_TABLE.with_name("zh_pinyin.tsv")
_PRODUCTS = SHIPPED_TABLE.with_name("zh_products_without_labels.txt")
_QUESTION_WORDS = SHIPPED_TABLE.with_name("zh_question_words.tsv")
_MIN_SYLLABLES = 3
_MAX_SPAN = 8  # words a name may be spread over ("a mo xi lin jiao nang")

# The syllables of Mandarin in toneless pinyin (ü written u or v), for telling pinyin text from English.
_INITIALS = "b p m f d t n l g k h j q x zh ch sh r z c s y w".split()
_FINALS = ("a o e i u v ai ei ao ou an en ang eng ong er ia ie iao iu ian in iang ing iong ua uo uai ui uan un "
           "uang ueng ve van vn ue uan").split()
_SYLLABLES = frozenset(
    [f for f in ("a o e ai ei ao ou an en ang eng er".split())]
    + [i + f for i in _INITIALS for f in _FINALS]
)
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ɏ]+")
_BETWEEN = re.compile(r"^[\s'’-]*$")


def toneless(text: str) -> str:
    """Lower case, tone marks dropped, ü written u ("lǜ" -> "lu")."""
    plain = unicodedata.normalize("NFD", text.casefold()).replace("\u0308", "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return plain.replace("v", "u")


@lru_cache(maxsize=4096)
def reads_as_pinyin(word: str) -> bool:
    """Whether a word splits wholly into pinyin syllables ("buluofen", "ke", not "take" ... which does: the
    caller asks it of every Latin word of a text)."""
    w = toneless(word)
    ok = [True] + [False] * len(w)
    for end in range(1, len(w) + 1):
        ok[end] = any(ok[start] and w[start:end] in _SYLLABLES for start in range(max(0, end - 6), end))
    return ok[len(w)]


def parse_pinyin_table(text: str) -> dict[str, str]:
    """`pinyin<TAB>Chinese name` lines -> {pinyin without spaces: Chinese name}."""
    out: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pinyin, _, name = line.partition("\t")
        if name:
            out[pinyin.replace(" ", "")] = name.strip()
    return out


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    return parse_pinyin_table(PINYIN_TABLE.read_text(encoding="utf-8")) if PINYIN_TABLE.exists() else {}


def with_hanzi_names(text: str, table: dict[str, str] | None = None) -> str:
    """The text with the medicine names it spells in pinyin written in characters; unchanged when its Latin
    words do not all read as pinyin (an English sentence) or it spells none."""
    table = _table() if table is None else table
    words = list(_LATIN_WORD.finditer(text))
    if not table or not words or not all(reads_as_pinyin(w.group(0)) for w in words if len(w.group(0)) > 1):
        return text
    out: list[str] = []
    last = 0
    i = 0
    while i < len(words):
        found = None
        for j in range(min(len(words), i + _MAX_SPAN) - 1, i - 1, -1):
            if j > i and not all(_BETWEEN.match(text[words[k].end():words[k + 1].start()])
                                 for k in range(i, j)):
                continue
            key = "".join(toneless(w.group(0)) for w in words[i:j + 1])
            if key in table:
                found = (j, table[key])
                break
        if found is None:
            i += 1
            continue
        j, name = found
        out.append(text[last:words[i].start()])
        out.append(name)
        last = words[j].end()
        i = j + 1
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def build(out: Path = PINYIN_TABLE) -> int:
    """Write the table from the Chinese names; returns the number of lines."""
    from pypinyin import Style, lazy_pinyin  # type: ignore[import-not-found,unused-ignore]

    entries = parse_name_table(SHIPPED_TABLE.read_text(encoding="utf-8"), SHIPPED_TABLE)
    english = {toneless(n).replace(" ", "").replace("-", "") for e in entries for n in e.en_names}
    names = [n for e in entries for n in e.zh_names]
    names += [line.strip() for line in _PRODUCTS.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    words = [line.split("\t")[0] for line in _QUESTION_WORDS.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")][1:]
    by_key: dict[str, set[str]] = {}
    spelled: dict[str, str] = {}
    for name in [*names, *words]:
        if not re.fullmatch(r"[\u4e00-\u9fff]+", name):
            continue  # names with Latin letters, digits or Greek are typed as they are
        syllables = [toneless(s) for s in lazy_pinyin(name, style=Style.NORMAL)]
        key = "".join(syllables)
        if len(syllables) < (_MIN_SYLLABLES if name in names else 2) or key in english:
            continue
        by_key.setdefault(key, set()).add(name)
        spelled[key] = " ".join(syllables)
    lines = [f"{spelled[k]}\t{min(v, key=len)}" for k, v in sorted(by_key.items()) if len(v) == 1 or _same_medicine(v)]
    header = ("# Pinyin spellings of the Chinese medicine names of zh_en_generic.tsv and zh_products_without_labels.txt"
              "\n# and the question words of zh_question_words.tsv (two syllables or more)"
              "\n# (toneless, u for ü), generated by `python -m app.pipeline.zh_pinyin build` with pypinyin; do not"
              "\n# edit by hand. Names of fewer than three syllables, spellings that are also an English name and"
              "\n# spellings shared by names of different medicines are left out (app/pipeline/zh_pinyin.py).\n")
    out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _same_medicine(names: set[str]) -> bool:
    entries = parse_name_table(SHIPPED_TABLE.read_text(encoding="utf-8"), SHIPPED_TABLE)
    owners = {e.en for e in entries for n in e.zh_names if n in names}
    return len(owners) == 1 and all(any(n in e.zh_names for e in entries) for n in names)



if __name__ == "__main__":
    if sys.argv[1:] != ["build"]:
        sys.exit("usage: python -m app.pipeline.zh_pinyin build")
    print(f"{build()} lines written to {PINYIN_TABLE}")
