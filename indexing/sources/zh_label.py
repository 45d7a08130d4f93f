"""Chinese medicine labels (说明书) -> clinqa medicines.

Two inputs:
- Text (`.txt`): the label as printed, sections under 【】 headings; a heading's text starts after the 】
  and runs to the next heading. Each 【药品名称】 (or 【通用名称】) after the first starts the next label of
  the file. Lines before the first heading (a title, "请仔细阅读说明书...") are not label text and are
  counted. Example:

      【药品名称】
      通用名称：阿莫西林胶囊
      商品名称：阿莫仙
      英文名称：Amoxicillin Capsules
      【成份】本品主要成份为阿莫西林。
      【适应症】...

- JSON (`.json` one label or a list of them, `.jsonl` one a line): the headings as keys, with or without
  【】, at the top level or under `sections`; names as `药品名称` (a string: the generic name, or an object
  of the name fields) or as top-level name fields; optional `id`, `source`, `aliases`.

Names: 通用名称 is the medicine's name; 商品名称 (one or several, split at 、，/；) and 英文名称 are
aliases, and so are 曾用名 / 别名. 汉语拼音 is not kept. Id: the given `id`, else the slug of the English
name, else the file's stem (with "-2", "-3" for later labels of one file).

Headings map through `indexing.zh_headings.heading_attribute`; several headings of one attribute are
joined in label order. A heading that is not known goes to `other` and is counted in `unknown` (the label
is kept). Malformed input raises CorpusError with file and line: an unclosed or empty 【】 heading, a label
without 通用名称, a label without any section text, a JSON value of the wrong type.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexing.schema import Attribute, Medicine
from indexing.sources.errors import CorpusError
from indexing.sources.openfda import slugify
from indexing.zh_headings import (
    BRAND_NAME,
    ENGLISH_NAME,
    GENERIC_NAME,
    NAME_BLOCK,
    NAME_FIELDS,
    PINYIN_NAME,
    heading_attribute,
    normalise_heading,
)

TEXT_SUFFIXES = (".txt",)
JSON_SUFFIXES = (".json", ".jsonl")
ALIAS_FIELDS: frozenset[str] = frozenset({"曾用名", "别名", "俗名", "其他名称"})
_HEADING = re.compile(r"^\s*【([^】]*)】(.*)$")
_NAME_LINE = re.compile(r"^\s*([\u4e00-\u9fff]{2,5})\s*[:：]\s*(.*)$")
_NAME_SPLIT = re.compile(r"\s*[、,，/；;]\s*")
# A JSON file holding Chinese labels: one of the name keys, quoted, followed by a colon.
_ZH_JSON_SNIFF = re.compile(r'"\s*【?\s*(药品名称|通用名称)\s*】?\s*"\s*:')
_META_KEYS = frozenset({"id", "source", "aliases", "lang", "sections"})


@dataclass
class ZhLoadNotes:
    """What loading counted besides the medicines: headings that went to `other`, preambles skipped."""

    unknown: Counter[str] = field(default_factory=Counter)
    preambles: int = 0


@dataclass
class _Draft:
    """One label while it is read: names and (attribute, text) parts in label order."""

    line: int
    generic: str = ""
    aliases: list[str] = field(default_factory=list)
    english: str = ""
    # (attribute, lines of text), in label order
    parts: list[tuple[str, list[str]]] = field(default_factory=list)
    # where the name block's text lines go (the 药品名称 block or a name heading of its own)
    name_field: str | None = None

    def has_content(self) -> bool:
        return bool(self.generic or self.parts)

    def add_name(self, name_field: str, value: str, path: Path, line: int) -> None:
        value = value.strip()
        if not value:
            return
        if name_field == GENERIC_NAME:
            if self.generic and self.generic != value:
                raise CorpusError(path, line, f"a second 通用名称 {value!r} (the label's is {self.generic!r})")
            self.generic = value
        elif name_field == ENGLISH_NAME:
            self.english = value
            self.aliases.append(value)
        elif name_field == BRAND_NAME or name_field in ALIAS_FIELDS:
            self.aliases.extend(n for n in _NAME_SPLIT.split(value) if n)
        # 汉语拼音: not a name anyone asks with


def _unique(values: list[str], but: str) -> tuple[str, ...]:
    seen = {but.casefold()}
    out: list[str] = []
    for v in values:
        if v and v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return tuple(out)


def _medicine(draft: _Draft, path: Path, mid: str, source: str, lang: str = "zh") -> Medicine:
    if not draft.generic:
        raise CorpusError(path, draft.line, "the label has no 通用名称 (generic name)")
    sections: dict[str, str] = {}
    for attr, lines in draft.parts:
        text = "\n".join(line.strip() for line in lines if line.strip())
        if text:
            sections[attr] = f"{sections[attr]}\n{text}" if attr in sections else text
    if not sections:
        raise CorpusError(path, draft.line, f"{draft.generic}: no section holds any text")
    return Medicine(id=mid, name=draft.generic, aliases=_unique(draft.aliases, draft.generic), lang=lang,
                    source=source, sections=sections)


def _section_attribute(heading: str, notes: ZhLoadNotes) -> str:
    attr = heading_attribute(heading)
    if attr is None:
        notes.unknown[normalise_heading(heading)] += 1
        return Attribute.OTHER.value
    return attr.value


def _file_source(path: Path) -> str:
    return f"file:{path.parent.name}/{path.name}"


class _Ids:
    """Ids for labels without one: the English name's slug, else the file stem; repeats get -2, -3."""

    def __init__(self, path: Path) -> None:
        self.stem = slugify(path.name.split(".")[0]) or "label"
        self.taken: Counter[str] = Counter()

    def next(self, given: str, english: str) -> str:
        base = given or slugify(english) or self.stem
        self.taken[base] += 1
        n = self.taken[base]
        return base if n == 1 else f"{base}-{n}"


# ---------------------------------------------------------------- text


def _text_drafts(path: Path, text: str, notes: ZhLoadNotes) -> list[_Draft]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    section: list[str] | None = None  # the text lines of the section being read
    preamble = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        match = _HEADING.match(raw)
        if match is None and "【" in line and "】" not in line[line.index("【"):]:
            raise CorpusError(path, lineno, f"unclosed 【 heading: {line[:40]!r}")
        if match is None:
            if current is None:
                preamble = preamble or bool(line)
            elif current.name_field is not None:
                _name_line(current, line, path, lineno)
            elif section is not None and line:
                section.append(line)
            continue
        heading, rest = normalise_heading(match.group(1)), match.group(2).strip()
        if not heading:
            raise CorpusError(path, lineno, "empty 【】 heading")
        starts_label = heading in (NAME_BLOCK, GENERIC_NAME)
        if current is None or (starts_label and current.has_content()
                               and (heading == NAME_BLOCK or current.generic)):
            current = _Draft(lineno)
            drafts.append(current)
        if heading == NAME_BLOCK:
            current.name_field = NAME_BLOCK
            section = None
            if rest:
                _name_line(current, rest, path, lineno)
        elif heading in NAME_FIELDS or heading in ALIAS_FIELDS:
            current.name_field = heading  # 【通用名称】阿莫西林胶囊, or the name on the next line
            section = None
            current.add_name(heading, rest, path, lineno)
        else:
            current.name_field = None
            section = [rest] if rest else []
            current.parts.append((_section_attribute(heading, notes), section))
    if preamble:
        notes.preambles += 1
    if not drafts:
        raise CorpusError(path, None, "no 【】 headings: not a label text")
    return drafts


def _name_line(draft: _Draft, line: str, path: Path, lineno: int) -> None:
    if not line:
        return
    if draft.name_field in NAME_FIELDS or draft.name_field in ALIAS_FIELDS:
        draft.add_name(draft.name_field, line, path, lineno)
        return
    match = _NAME_LINE.match(line)
    if match is not None and (match.group(1) in NAME_FIELDS or match.group(1) in ALIAS_FIELDS):
        draft.add_name(match.group(1), match.group(2), path, lineno)
    elif not draft.generic and draft.name_field == NAME_BLOCK and match is None:
        draft.add_name(GENERIC_NAME, line, path, lineno)  # 【药品名称】阿莫西林胶囊
    else:
        raise CorpusError(path, lineno, f"not a name line of 【药品名称】: {line[:40]!r} "
                                        f"(expected {GENERIC_NAME}：..., {BRAND_NAME}：..., {ENGLISH_NAME}：...)")


def iter_label_text(path: Path, notes: ZhLoadNotes | None = None) -> Iterator[tuple[int, Medicine]]:
    """(line where the label starts, medicine) for each label of a 【】 text file."""
    notes = notes if notes is not None else ZhLoadNotes()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    ids = _Ids(path)
    for draft in _text_drafts(path, text, notes):
        yield draft.line, _medicine(draft, path, ids.next("", draft.english), _file_source(path))


# ---------------------------------------------------------------- JSON


def looks_like_zh_json(path: Path) -> bool:
    """Whether a JSON file holds Chinese labels (a 药品名称 / 通用名称 key near its start)."""
    if path.suffix.lower() not in JSON_SUFFIXES:
        return False
    with path.open("rb") as fh:
        head = fh.read(1 << 16).decode("utf-8", errors="ignore")
    return _ZH_JSON_SNIFF.search(head) is not None


def _json_records(path: Path) -> Iterator[tuple[int, int, Any, str]]:
    """(line, character offset, value, text) per record: a line of a .jsonl file; the elements of a .json
    list, or the .json document itself."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    if path.suffix.lower() == ".jsonl":
        offset = 0
        for lineno, raw in enumerate(text.splitlines(keepends=True), start=1):
            if raw.strip():
                try:
                    value = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise CorpusError(path, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
                yield lineno, offset, value, text
            offset += len(raw)
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(doc, list):
        start = len(text) - len(text.lstrip())
        yield text.count("\n", 0, start) + 1, start, doc, text
        return
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    for value in doc:
        while text[pos] in " \t\r\n,":
            pos += 1
        _, end = decoder.raw_decode(text, pos)
        yield text.count("\n", 0, pos) + 1, pos, value, text
        pos = end


def _key_line(text: str, offset: int, line: int, key: str) -> int:
    """The line of `key` inside the record starting at `offset` (the record's line when not found)."""
    at = text.find(json.dumps(key, ensure_ascii=False), offset)
    return text.count("\n", 0, at) + 1 if at >= 0 else line


def _json_draft(obj: Any, path: Path, line: int, offset: int, text: str, notes: ZhLoadNotes) -> _Draft:
    if not isinstance(obj, dict):
        raise CorpusError(path, line, f"expected a JSON object (a label), got {type(obj).__name__}")
    draft = _Draft(line)

    def where(key: str) -> int:
        return _key_line(text, offset, line, key)

    def as_text(key: str, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return "\n".join(value)
        raise CorpusError(path, where(key), f"{key!r} must be text or a list of texts, got {type(value).__name__}")

    sections = obj.get("sections", {})
    if not isinstance(sections, dict):
        raise CorpusError(path, where("sections"), "'sections' must be an object of heading: text")
    aliases = obj.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CorpusError(path, where("aliases"), "'aliases' must be a list of strings")
    draft.aliases.extend(a.strip() for a in aliases)
    for key, value in [*((k, v) for k, v in obj.items() if k not in _META_KEYS), *sections.items()]:
        heading = normalise_heading(key)
        if heading == NAME_BLOCK:
            if isinstance(value, dict):
                for name_key, name in value.items():
                    name_field = normalise_heading(name_key)
                    if name_field not in NAME_FIELDS and name_field not in ALIAS_FIELDS:
                        raise CorpusError(path, where(name_key), f"unknown name field {name_key!r} in 药品名称 "
                                          f"(expected {GENERIC_NAME}, {BRAND_NAME}, {ENGLISH_NAME}, {PINYIN_NAME})")
                    draft.add_name(name_field, as_text(name_key, name).replace("\n", "、"), path, where(name_key))
            else:
                draft.add_name(GENERIC_NAME, as_text(key, value), path, where(key))
        elif heading in NAME_FIELDS or heading in ALIAS_FIELDS:
            draft.add_name(heading, as_text(key, value).replace("\n", "、"), path, where(key))
        elif not heading:
            raise CorpusError(path, where(key), "empty heading")
        else:
            draft.parts.append((_section_attribute(heading, notes), as_text(key, value).splitlines()))
    return draft


def _meta(obj: Any, key: str, path: Path, line: int) -> str:
    value = obj.get(key, "") if isinstance(obj, dict) else ""
    if not isinstance(value, str):
        raise CorpusError(path, line, f"{key!r} must be a string")
    return value.strip()


def iter_label_json(path: Path, notes: ZhLoadNotes | None = None) -> Iterator[tuple[int, Medicine]]:
    """(line of the record, medicine) for each label of a JSON / JSON-lines file."""
    notes = notes if notes is not None else ZhLoadNotes()
    ids = _Ids(path)
    for line, offset, obj, text in _json_records(path):
        draft = _json_draft(obj, path, line, offset, text, notes)
        mid = ids.next(slugify(_meta(obj, "id", path, line)), draft.english)
        source = _meta(obj, "source", path, line) or _file_source(path)
        yield line, _medicine(draft, path, mid, source)


def iter_zh_labels(path: Path, notes: ZhLoadNotes | None = None) -> Iterator[tuple[int, Medicine]]:
    """Labels of one file, text or JSON by its suffix."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        return iter_label_text(path, notes)
    return iter_label_json(path, notes)


def load_zh_labels(paths: list[Path], notes: ZhLoadNotes | None = None) -> list[Medicine]:
    """Every label of the files (folders: their .txt / .json / .jsonl files, sorted); the first malformed
    one raises. Ids are unique across files (a later clash raises, naming both places)."""
    seen: dict[str, str] = {}
    out: list[Medicine] = []
    files = [f for p in paths for f in (sorted(q for q in p.rglob("*") if q.suffix.lower() in (
        *TEXT_SUFFIXES, *JSON_SUFFIXES)) if p.is_dir() else [p])]
    for path in files:
        for line, med in iter_zh_labels(path, notes):
            where = f"{path}:{line}"
            if med.id in seen:
                raise CorpusError(path, line, f"duplicate medicine id {med.id!r} (first at {seen[med.id]})")
            seen[med.id] = where
            out.append(med)
    return out
