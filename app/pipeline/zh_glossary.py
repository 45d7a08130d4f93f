"""The Chinese question-word glossary (corpora/names/zh_question_words.tsv): the words a Chinese question uses
(副作用, 一天吃几次, 孕妇, 喝酒, 失眠 ...) with the words an English label uses for them, so a Chinese question
shares terms with an English label: the extractive reader's terms (`read_cues.question_expansions`) and the
conditions of "which medicine treats X" (`indication_search`).

Format: tab-separated `zh, kind, en` after a header row, `#` comments; kind is `word` or `condition` (something
a medicine is taken for); en is `;`-separated phrases. A malformed line or a word given twice is an error
naming the file and line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.pipeline.zh_script import to_simplified
from indexing.vocabulary import has_cjk

log = logging.getLogger(__name__)

SHIPPED_GLOSSARY = Path(__file__).resolve().parents[2] / "corpora" / "names" / "zh_question_words.tsv"
_HEADER = ("zh", "kind", "en")
_HEADER_LINE = "\t".join(_HEADER)
KINDS = ("word", "condition")
# A one-character word read inside a medicine's name is not that word: 肝素 (heparin) is not 肝 (liver),
# 肾上腺素 (epinephrine) not 肾 (kidney), 胃复安 (metoclopramide) not 胃 (stomach).
_NOT_FOLLOWED_BY = {"肝": ("素",), "肾": ("上腺",), "胃": ("复安", "蛋白酶"), "酒": ("石酸", "精")}


class GlossaryError(ValueError):
    """A malformed line of the glossary, reported as `file:line: message`."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    zh: str
    kind: str
    en: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Glossary:
    entries: dict[str, GlossaryEntry]

    def found_in(self, text: str, kind: str | None = None) -> list[GlossaryEntry]:
        """The entries whose word the text holds, in text order; a word inside a longer one found at the same
        place is not counted (高血压, not 血压; 偏头痛, not 头痛)."""
        if not has_cjk(text):
            return []
        text = to_simplified(text)
        spans: list[tuple[int, int, GlossaryEntry]] = []
        for word, entry in self.entries.items():
            start = text.find(word)
            while start >= 0:
                after = text[start + len(word):]
                if not any(after.startswith(s) for s in _NOT_FOLLOWED_BY.get(word, ())):
                    spans.append((start, start + len(word), entry))
                start = text.find(word, start + 1)
        kept = [(s, e, entry) for s, e, entry in spans
                if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in spans)]
        kept.sort(key=lambda x: (x[0], -x[1]))
        out: list[GlossaryEntry] = []
        for _, _, entry in kept:
            if (kind is None or entry.kind == kind) and entry not in out:
                out.append(entry)
        return out

    def label_words(self, text: str) -> str:
        """The English words of every glossary word in the text, joined (for tokenising)."""
        return " ".join(p for entry in self.found_in(text) for p in entry.en)

    def condition_phrases(self, text: str) -> list[str]:
        """The English phrases of the conditions the text names ('胃酸多、烧心' -> heartburn, acid indigestion ...),
        then the other Chinese words for the same conditions (`same_condition`: 拉肚子 -> 腹泻), the words a
        Chinese label writes."""
        named = self.found_in(text, "condition")
        english = [p for entry in named for p in entry.en]
        chinese = [w for entry in named for w in self.same_condition(entry)]
        return list(dict.fromkeys([*english, *chinese]))

    def same_condition(self, entry: GlossaryEntry) -> list[str]:
        """The other Chinese condition words whose main English phrase (their first) is one of the entry's:
        拉肚子 (diarrhea) -> 腹泻; 头疼 (headache) -> 头痛; 发烧 (fever) -> 发热; not 肠胃炎 (gastroenteritis;
        diarrhea), whose main sense is another condition."""
        return [other.zh for other in self.entries.values()
                if other.kind == "condition" and other.zh != entry.zh and other.en[0] in entry.en]

    def condition_search_text(self, condition: str) -> str:
        """A which-medicine search's query words: the condition and its words in labels of either language
        ('痛风' -> '痛风 gout hyperuricemia 尿酸高'), so the retrieval ranks the labels that treat it."""
        return " ".join(dict.fromkeys([condition, *self.condition_phrases(condition)]))


def parse_glossary(text: str, path: str | Path = "<glossary>") -> Glossary:
    entries: dict[str, GlossaryEntry] = {}
    header_seen = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if not header_seen:
            if tuple(fields) != _HEADER:
                raise GlossaryError(path, number, f"expected the header {_HEADER_LINE!r}, got {line!r}")
            header_seen = True
            continue
        if len(fields) != 3:
            raise GlossaryError(path, number, f"expected 3 tab-separated fields (zh, kind, en), got {len(fields)}")
        zh, kind, en = fields
        if not zh or not has_cjk(zh):
            raise GlossaryError(path, number, f"the word {zh!r} has no Chinese characters")
        if kind not in KINDS:
            raise GlossaryError(path, number, f"kind {kind!r} is not one of {', '.join(KINDS)}")
        phrases = tuple(p.strip() for p in en.split(";"))
        if not en or any(not p for p in phrases):
            raise GlossaryError(path, number, "an empty English phrase")
        if any(has_cjk(p) for p in phrases):
            raise GlossaryError(path, number, f"English phrases with Chinese characters: {en!r}")
        if zh in entries:
            raise GlossaryError(path, number, f"{zh!r} is already on line {entries[zh].line}")
        entries[zh] = GlossaryEntry(zh, kind, phrases, number)
    if not header_seen:
        raise GlossaryError(path, 1, "no header row")
    return Glossary(entries)


def load_glossary(path: Path) -> Glossary:
    return parse_glossary(path.read_text(encoding="utf-8"), path)


@lru_cache(maxsize=1)
def shipped_glossary() -> Glossary:
    """The glossary shipped with clinqa; empty (with a warning) when the file is missing."""
    if not SHIPPED_GLOSSARY.is_file():
        log.warning("%s is missing: Chinese questions will share no words with English labels", SHIPPED_GLOSSARY)
        return Glossary({})
    return load_glossary(SHIPPED_GLOSSARY)


def condition_search_text(condition: str) -> str:
    """The which-medicine search's query words for a condition (unchanged for one without Chinese)."""
    return shipped_glossary().condition_search_text(condition) if has_cjk(condition) else condition


def label_words(text: str) -> str:
    """The English label words for the Chinese words of `text` (empty for a text without Chinese)."""
    return shipped_glossary().label_words(text) if has_cjk(text) else ""
