"""The consultation benchmark format (docs/architecture.md, Formats): one JSON object a line.

    {"id": "...", "lang": "en", "dialogue": [{"role": "user"|"assistant", "content": "..."}, ...],
     "gold": [{"medicine": "<id, name or alias>", "attribute": "<attribute>"|null,
               "names": ["optional other names of the same medicine"]}],
     "answer": "optional", "meta": {...optional, free-form}}

The last turn must be the user's question. `names` is an extension: other spellings of the gold
medicine (a brand and its generic), tried in order when `medicine` does not resolve.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from app.pipeline.state import Turn
from indexing.jsonl import iter_json_lines
from indexing.schema import ATTRIBUTES


def bad_json_line(path: Path, line: int, exc: json.JSONDecodeError) -> DatasetError:
    return DatasetError(path, line, f"invalid JSON: {exc.msg}")


class DatasetError(ValueError):
    """A malformed line, reported as `file:line: message`."""

    def __init__(self, path: str | Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True, slots=True)
class Gold:
    medicine: str
    attribute: str | None
    names: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"medicine": self.medicine, "attribute": self.attribute}
        if self.names:
            out["names"] = list(self.names)
        return out


@dataclass(frozen=True, slots=True)
class ConsultItem:
    id: str
    lang: str
    dialogue: tuple[Turn, ...]
    gold: tuple[Gold, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def history(self) -> list[Turn]:
        return list(self.dialogue[:-1])

    @property
    def question(self) -> str:
        return self.dialogue[-1].content


def parse_item(obj: Any, path: str | Path, line: int) -> ConsultItem:
    if not isinstance(obj, dict):
        raise DatasetError(path, line, "expected a JSON object")
    item_id = obj.get("id")
    if not isinstance(item_id, str | int) or str(item_id).strip() == "":
        raise DatasetError(path, line, "field 'id' must be a non-empty string")
    dialogue_raw = obj.get("dialogue")
    if not isinstance(dialogue_raw, list) or not dialogue_raw:
        raise DatasetError(path, line, "field 'dialogue' must be a non-empty list of turns")
    turns = []
    for i, t in enumerate(dialogue_raw):
        if not isinstance(t, dict) or t.get("role") not in ("user", "assistant") or not isinstance(
            t.get("content"), str
        ):
            raise DatasetError(path, line, f"dialogue turn {i} needs role user|assistant and a string content")
        turns.append(Turn(t["role"], t["content"]))
    if turns[-1].role != "user" or not turns[-1].content.strip():
        raise DatasetError(path, line, "the last dialogue turn must be a non-empty user question")
    gold_raw = obj.get("gold", [])
    if not isinstance(gold_raw, list):
        raise DatasetError(path, line, "field 'gold' must be a list")
    gold = []
    for g in gold_raw:
        if not isinstance(g, dict) or not isinstance(g.get("medicine"), str) or not g["medicine"].strip():
            raise DatasetError(path, line, "each gold entry needs a non-empty 'medicine'")
        attr = g.get("attribute")
        if attr is not None and attr not in ATTRIBUTES:
            raise DatasetError(path, line, f"unknown gold attribute {attr!r}")
        names = g.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise DatasetError(path, line, "gold 'names' must be a list of strings")
        gold.append(Gold(g["medicine"].strip(), attr, tuple(n for n in names if n.strip())))
    lang = obj.get("lang", "en")
    if lang not in ("en", "zh"):
        raise DatasetError(path, line, f"field 'lang' must be 'en' or 'zh', got {lang!r}")
    meta = obj.get("meta", {})
    return ConsultItem(str(item_id), lang, tuple(turns), tuple(gold), meta if isinstance(meta, dict) else {})


def iter_items(path: str | Path) -> Iterator[ConsultItem]:
    path = Path(path)
    seen: dict[str, int] = {}
    for lineno, obj in iter_json_lines(path, partial(bad_json_line, path)):
        item = parse_item(obj, path, lineno)
        if item.id in seen:
            raise DatasetError(path, lineno, f"duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = lineno
        yield item


def load_items(path: str | Path) -> list[ConsultItem]:
    return list(iter_items(path))


def item_to_dict(item: ConsultItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "lang": item.lang,
        "dialogue": [{"role": t.role, "content": t.content} for t in item.dialogue],
        "gold": [g.to_dict() for g in item.gold],
    }
    if item.meta:
        out["meta"] = item.meta
    return out
