"""The clinqa medicine database format: one JSON object a line (see docs/architecture.md, Formats)."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from indexing.jsonl import iter_json_lines
from indexing.schema import ATTRIBUTES, PHARM_CLASS_KINDS, Attribute, Medicine
from indexing.sources.errors import CorpusError, bad_json_line
from indexing.vocabulary import has_cjk
from indexing.zh_headings import heading_attribute, normalise_heading

log = logging.getLogger(__name__)

_LANGS = {"en", "zh"}


def _section_key(raw: str, unknown: Counter[str] | None) -> str | None:
    """The attribute of a section key: the vocabulary, or a Chinese label heading. A Chinese heading that
    is not known goes to `other` (counted in `unknown`): label headings are an open set, and one of them
    must not cost the medicine. Other keys are the format's own closed vocabulary: None (an error)."""
    if raw in ATTRIBUTES:
        return raw
    attr = heading_attribute(raw)
    if attr is not None:
        return attr.value
    if has_cjk(raw):
        if unknown is not None:
            unknown[normalise_heading(raw)] += 1
        return Attribute.OTHER.value
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


def parse_medicine(obj: Any, path: str | Path, line: int, unknown: Counter[str] | None = None) -> Medicine:
    """Validate one decoded line; raise CorpusError naming file and line on any problem. Chinese headings
    that are not known are counted in `unknown` (their text goes to `other`)."""
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
        key = _section_key(raw_key, unknown)
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


def iter_medicines(path: str | Path, unknown: Counter[str] | None = None) -> Iterator[Medicine]:
    """Yield medicines from a clinqa JSONL file; blank lines are allowed, anything else must parse."""
    path = Path(path)
    seen: dict[str, int] = {}
    for lineno, obj in iter_json_lines(path, partial(bad_json_line, path)):
        med = parse_medicine(obj, path, lineno, unknown)
        if med.id in seen:
            first = seen[med.id]
            raise CorpusError(path, lineno, f"duplicate medicine id {med.id!r} (first on line {first})")
        seen[med.id] = lineno
        yield med


def load_medicines(path: str | Path, unknown: Counter[str] | None = None) -> list[Medicine]:
    """Every medicine of the file; sections under unknown Chinese headings are counted in `unknown` and
    logged as one warning."""
    unknown = unknown if unknown is not None else Counter()
    medicines = list(iter_medicines(path, unknown))
    if not medicines:
        raise CorpusError(path, None, "the corpus holds no medicines")
    if unknown:
        listed = ", ".join(f"{h} ({n})" for h, n in unknown.most_common(10))
        log.warning("%s: %d section(s) under headings that are not known went to 'other': %s",
                    path, sum(unknown.values()), listed)
    return medicines


def write_medicines(medicines: list[Medicine], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for med in medicines:
            fh.write(json.dumps(med.to_dict(), ensure_ascii=False) + "\n")
    tmp.replace(path)
