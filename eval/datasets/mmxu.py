"""MMXU (multi-visit chest X-ray questions) in its public test format, and MIMIC-CXR report lookup.

One JSON object a line: `id`, `question`, `options` {A..D}, `answer`, `cur_image_path`,
`prior_image_path` (MIMIC-CXR-JPG paths `files/pXX/p<patient>/s<study>/<dicom>.jpg`) and
`content_type` (no change | worsen | improved). `content_type` gives the answer away: it is kept on the
item as `change_type` for scoring breakdowns only and never reaches a prompt.

The prior study's report is MIMIC-CXR's `files/pXX/p<patient>/s<study>.txt` under the reports root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from eval.datasets.consult import DatasetError, bad_json_line
from indexing.jsonl import iter_json_lines

LETTERS = ("A", "B", "C", "D")
_IMAGE_PATH = re.compile(r"(?:^|/)files/p(\d{2})/p(\d+)/s(\d+)/[^/]+$")
_SECTION = re.compile(r"^\s*([A-Z][A-Z /&]+):", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Study:
    patient_id: str  # "p12658542"
    study_id: str  # "s57650384"
    image: str  # the path as given, relative to the images root

    @property
    def group(self) -> str:
        return self.patient_id[:3]  # "p12"

    @property
    def report_path(self) -> str:
        return f"files/{self.group}/{self.patient_id}/{self.study_id}.txt"


@dataclass(frozen=True, slots=True)
class MmxuItem:
    id: str
    question: str
    options: dict[str, str]
    answer: str
    change_type: str  # content_type: scoring breakdown only, never shown to a model
    current: Study
    prior: Study

    @property
    def patient_id(self) -> str:
        return self.current.patient_id


def parse_image_path(path: str) -> Study:
    """'files/p12/p12658542/s54062690/x.jpg' -> Study('p12658542', 's54062690', path)."""
    m = _IMAGE_PATH.search(path.replace("\\", "/"))
    if m is None:
        raise ValueError(f"not a MIMIC-CXR-JPG image path (files/pXX/p<patient>/s<study>/<image>.jpg): {path!r}")
    if not m.group(2).startswith(m.group(1)):
        raise ValueError(f"patient folder p{m.group(2)} is not under p{m.group(1)}: {path!r}")
    return Study(f"p{m.group(2)}", f"s{m.group(3)}", path)


def parse_item(obj: Any, path: str | Path, line: int) -> MmxuItem:
    if not isinstance(obj, dict):
        raise DatasetError(path, line, "expected a JSON object")
    for key in ("id", "question", "options", "answer", "cur_image_path", "prior_image_path"):
        if key not in obj:
            raise DatasetError(path, line, f"missing field {key!r}")
    options = obj["options"]
    if not isinstance(options, dict) or sorted(options) != list(LETTERS):
        raise DatasetError(path, line, "field 'options' must map exactly A, B, C and D to texts")
    answer = str(obj["answer"]).strip().upper()
    if answer not in LETTERS:
        raise DatasetError(path, line, f"field 'answer' must be one of A-D, got {obj['answer']!r}")
    try:
        current = parse_image_path(str(obj["cur_image_path"]))
        prior = parse_image_path(str(obj["prior_image_path"]))
    except ValueError as exc:
        raise DatasetError(path, line, str(exc)) from None
    if current.patient_id != prior.patient_id:
        raise DatasetError(path, line, "current and prior images belong to different patients")
    return MmxuItem(
        id=str(obj["id"]),
        question=str(obj["question"]).strip(),
        options={k: str(v).strip() for k, v in sorted(options.items())},
        answer=answer,
        change_type=str(obj.get("content_type") or "unknown"),
        current=current,
        prior=prior,
    )


def load_items(path: str | Path, limit: int | None = None) -> list[MmxuItem]:
    path = Path(path)
    items: list[MmxuItem] = []
    seen: set[str] = set()
    for lineno, obj in iter_json_lines(path, partial(bad_json_line, path)):
        item = parse_item(obj, path, lineno)
        if item.id in seen:
            raise DatasetError(path, lineno, f"duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
        if limit is not None and len(items) >= limit:
            break
    return items


def prompt_text(item: MmxuItem) -> str:
    """What the model is asked: the question and its options. Never the change type."""
    options = "\n".join(f"{k}. {item.options[k]}" for k in LETTERS)
    return f"{item.question}\nOptions:\n{options}"


def read_report(reports_root: Path, study: Study) -> str | None:
    path = reports_root / study.report_path
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8", errors="replace")


def report_body(text: str) -> str:
    """FINDINGS and IMPRESSION of a MIMIC-CXR report when it has them (else the text less its banner):
    the parts that describe the image, without the indication or technique boilerplate."""
    sections: dict[str, str] = {}
    marks = list(_SECTION.finditer(text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        sections[m.group(1).strip()] = " ".join(text[m.end() : end].split())
    wanted = [f"{k.title()}: {sections[k]}" for k in ("FINDINGS", "IMPRESSION") if sections.get(k)]
    if wanted:
        return "\n".join(wanted)
    lines = [ln for ln in text.splitlines() if ln.strip() and ln.strip().upper() != "FINAL REPORT"]
    return " ".join(" ".join(lines).split())
