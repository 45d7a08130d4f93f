"""The clinqa medicine database format: one JSON object a line (see docs/architecture.md, Formats)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from indexing.jsonl import iter_json_lines
from indexing.schema import ATTRIBUTES, CHINESE_HEADINGS, PHARM_CLASS_KINDS, Medicine
from indexing.sources.errors import CorpusError, bad_json_line

_LANGS = {"en", "zh"}


def _section_key(raw: str) -> str | None:
    if raw in ATTRIBUTES:
        return raw
    if raw.strip() in CHINESE_HEADINGS:
        return CHINESE_HEADINGS[raw.strip()].value
    return None


def _string_list(obj: dict[str, Any], key: str, path: str | Path, line: int) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorpusError(path, line, f"field {key!r} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _string(obj: dict[str, Any], key: str, path: str | Path, line: int) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise CorpusError(path, line, f"field {key!r} must be a string")
    return value.strip()


def _pharm_classes(obj: dict[str, Any], path: str | Path, line: int) -> dict[str, tuple[str, ...]]:
    raw = obj.get("pharm_classes", {})
    if not isinstance(raw, dict):
        raise CorpusError(path, line, "field 'pharm_classes' must be an object")
    out: dict[str, tuple[str, ...]] = {}
    for kind in raw:
        if kind not in PHARM_CLASS_KINDS:
            raise CorpusError(
                path, line, f"unknown pharm_classes kind {kind!r}; expected one of {', '.join(PHARM_CLASS_KINDS)}"
            )
        names = _string_list(raw, kind, path, line)
        if names:
            out[kind] = names
    return {k: out[k] for k in PHARM_CLASS_KINDS if k in out}


def parse_medicine(obj: Any, path: str | Path, line: int) -> Medicine:
    """Validate one decoded line; raise CorpusError naming file and line on any problem."""
    if not isinstance(obj, dict):
        raise CorpusError(path, line, f"expected a JSON object, got {type(obj).__name__}")
    for required in ("id", "name", "sections"):
        if required not in obj:
            raise CorpusError(path, line, f"missing required field {required!r}")
    mid, name = obj["id"], obj["name"]
    if not isinstance(mid, str) or not mid.strip():
        raise CorpusError(path, line, "field 'id' must be a non-empty string")
    if not isinstance(name, str) or not name.strip():
        raise CorpusError(path, line, "field 'name' must be a non-empty string")
    aliases = obj.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CorpusError(path, line, "field 'aliases' must be a list of strings")
    lang = obj.get("lang", "en")
    if lang not in _LANGS:
        raise CorpusError(path, line, f"field 'lang' must be one of {sorted(_LANGS)}, got {lang!r}")
    source = obj.get("source", "")
    if not isinstance(source, str):
        raise CorpusError(path, line, "field 'source' must be a string")
    raw_sections = obj["sections"]
    if not isinstance(raw_sections, dict) or not raw_sections:
        raise CorpusError(path, line, "field 'sections' must be a non-empty object")
    sections: dict[str, str] = {}
    for raw_key, text in raw_sections.items():
        key = _section_key(raw_key)
        if key is None:
            raise CorpusError(
                path,
                line,
                f"unknown section {raw_key!r}; use the attribute vocabulary ({', '.join(ATTRIBUTES)})",
            )
        if not isinstance(text, str):
            raise CorpusError(path, line, f"section {raw_key!r} must be a string")
        if text.strip():
            sections[key] = (sections[key] + "\n" + text) if key in sections else text
    if not sections:
        raise CorpusError(path, line, "all sections are empty")
    return Medicine(
        id=mid.strip(),
        name=name.strip(),
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        lang=lang,
        source=source,
        sections=sections,
        rxcuis=_string_list(obj, "rxcuis", path, line),
        substances=_string_list(obj, "substances", path, line),
        pharm_classes=_pharm_classes(obj, path, line),
        routes=_string_list(obj, "routes", path, line),
        product_type=_string(obj, "product_type", path, line),
        effective_date=_string(obj, "effective_date", path, line),
        sources=_string_list(obj, "sources", path, line),
        ingredient_ids=_string_list(obj, "ingredient_ids", path, line),
    )


def iter_medicines(path: str | Path) -> Iterator[Medicine]:
    """Yield medicines from a clinqa JSONL file; blank lines are allowed, anything else must parse."""
    path = Path(path)
    seen: dict[str, int] = {}
    for lineno, obj in iter_json_lines(path, partial(bad_json_line, path)):
        med = parse_medicine(obj, path, lineno)
        if med.id in seen:
            first = seen[med.id]
            raise CorpusError(path, lineno, f"duplicate medicine id {med.id!r} (first on line {first})")
        seen[med.id] = lineno
        yield med


def load_medicines(path: str | Path) -> list[Medicine]:
    medicines = list(iter_medicines(path))
    if not medicines:
        raise CorpusError(path, None, "the corpus holds no medicines")
    return medicines


def write_medicines(medicines: list[Medicine], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for med in medicines:
            fh.write(json.dumps(med.to_dict(), ensure_ascii=False) + "\n")
    tmp.replace(path)
