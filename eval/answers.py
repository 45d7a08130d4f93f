"""Answer-level evaluation (`clinqa eval answers`): does the answer state what a pharmacist would expect?

Each item is a consultation plus key facts. A fact is a list of regular expressions (any one matching the
answer = the fact is stated; case-insensitive, a space in a pattern matches any run of whitespace), backed
by a quote from the database: the medicine id and the label section the quote comes from. Items are checked
against the shipped corpus before anything runs (`validate_items`): every pattern matches its own quote, the
quote is in the named section of the named medicine, ids are unique.

The consultation goes through the serving Orchestrator (the one the API uses, eval/runtime.py). What the user
sees is searched for the facts: the answer text and its notices (a missing-section notice states something
too). Answer length is the answer text alone.

Item format, one JSON object a line:

    {"id": "ans-001", "type": "interaction",
     "dialogue": [{"role": "user", "content": "I take lisinopril, can I take ibuprofen?"}],
     "medicines": ["lisinopril", "ibuprofen"],
     "facts": [{"patterns": ["NSAID", "anti-?inflammatory"], "medicine": "lisinopril",
                "section": "interactions", "quote": "... non-steroidal anti-inflammatory drugs (NSAIDs) ...",
                "note": "optional: what the fact says"}],
     "meta": {...optional}}

`medicines` are the ids the item is about: the first citation of a good answer is one of them.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from tqdm import tqdm

from app.enums import Mode
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Answer, Turn, TurnRequest
from eval.datasets.consult import DatasetError, bad_json_line
from eval.metrics import wrong_medicine
from eval.named_by_user import NamedByUser, user_text
from eval.results import EvalError, EvalRun, ResultsFile, file_sha256
from indexing.jsonl import iter_json_lines
from indexing.schema import ATTRIBUTES, Medicine

log = logging.getLogger(__name__)

# Question types an item may have (the report groups by them). Extend here when a new kind is written.
QUESTION_TYPES: tuple[str, ...] = (
    "dose",
    "interaction",
    "contraindication",
    "boxed_warning",
    "population",
    "missing_section",
    "adverse",
    "warning",
    "overdose",
    "missed_dose",
    "appearance",
    "storage",
    "indication",
)

_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Whitespace runs to one space, ends trimmed: how quotes are compared with the label."""
    return _SPACES.sub(" ", text).strip()


def compile_fact_pattern(pattern: str) -> re.Pattern[str]:
    """Case-insensitive; a space in the pattern matches any run of whitespace (line breaks in an answer), and an
    optional space ("70 ?%", "40 ?°C") any run or none."""
    return re.compile(re.sub(r"(?<!\\) +([?*+])?", lambda m: r"\s*" if m.group(1) in ("?", "*") else r"\s+", pattern),
                      re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Fact:
    patterns: tuple[str, ...]
    medicine: str
    section: str
    quote: str
    note: str = ""

    def stated_in(self, text: str) -> bool:
        return any(compile_fact_pattern(p).search(text) for p in self.patterns)


@dataclass(frozen=True, slots=True)
class AnswerItem:
    id: str
    type: str
    dialogue: tuple[Turn, ...]
    medicines: tuple[str, ...]
    facts: tuple[Fact, ...]
    path: str = ""
    line: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def history(self) -> list[Turn]:
        return list(self.dialogue[:-1])

    @property
    def question(self) -> str:
        return self.dialogue[-1].content


# -- reading items ----------------------------------------------------------------------------------


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    return None


def _parse_fact(raw: Any, index: int, path: str, line: int) -> Fact:
    if not isinstance(raw, dict):
        raise DatasetError(path, line, f"fact {index} must be a JSON object")
    patterns = _strings(raw.get("patterns"))
    if patterns is None:
        raise DatasetError(path, line, f"fact {index}: 'patterns' must be a non-empty list of non-empty strings")
    for p in patterns:
        try:
            compile_fact_pattern(p)
        except re.error as exc:
            raise DatasetError(path, line, f"fact {index}: pattern {p!r} is not a regular expression: {exc}") from None
    for key in ("medicine", "section", "quote"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise DatasetError(path, line, f"fact {index}: '{key}' must be a non-empty string")
    if raw["section"] not in ATTRIBUTES:
        raise DatasetError(path, line, f"fact {index}: unknown section {raw['section']!r}")
    note = raw.get("note", "")
    return Fact(tuple(patterns), raw["medicine"].strip(), raw["section"], raw["quote"],
                note if isinstance(note, str) else "")


def parse_answer_item(obj: Any, path: str | Path, line: int) -> AnswerItem:
    where = str(path)
    if not isinstance(obj, dict):
        raise DatasetError(where, line, "expected a JSON object")
    item_id = obj.get("id")
    if not isinstance(item_id, str) or not item_id.strip():
        raise DatasetError(where, line, "field 'id' must be a non-empty string")
    qtype = obj.get("type")
    if qtype not in QUESTION_TYPES:
        raise DatasetError(where, line, f"field 'type' must be one of {', '.join(QUESTION_TYPES)}; got {qtype!r}")
    dialogue = obj.get("dialogue")
    if not isinstance(dialogue, list) or not dialogue:
        raise DatasetError(where, line, "field 'dialogue' must be a non-empty list of turns")
    turns = []
    for i, t in enumerate(dialogue):
        if not isinstance(t, dict) or t.get("role") not in ("user", "assistant") or not isinstance(
            t.get("content"), str
        ):
            raise DatasetError(where, line, f"dialogue turn {i} needs role user|assistant and a string content")
        turns.append(Turn(t["role"], t["content"]))
    if turns[-1].role != "user" or not turns[-1].content.strip():
        raise DatasetError(where, line, "the last dialogue turn must be a non-empty user question")
    medicines = _strings(obj.get("medicines"))
    if medicines is None:
        raise DatasetError(where, line, "field 'medicines' must be a non-empty list of medicine ids")
    facts_raw = obj.get("facts")
    if not isinstance(facts_raw, list) or not facts_raw:
        raise DatasetError(where, line, "field 'facts' must be a non-empty list")
    facts = tuple(_parse_fact(f, i, where, line) for i, f in enumerate(facts_raw))
    meta = obj.get("meta", {})
    return AnswerItem(item_id.strip(), qtype, tuple(turns), tuple(medicines), facts, where, line,
                      meta if isinstance(meta, dict) else {})


def iter_answer_items(path: str | Path) -> Iterator[AnswerItem]:
    path = Path(path)
    for lineno, obj in iter_json_lines(path, partial(bad_json_line, path)):
        yield parse_answer_item(obj, path, lineno)


def load_answer_items(path: str | Path) -> list[AnswerItem]:
    return list(iter_answer_items(path))


# -- validation against the database ----------------------------------------------------------------


def validate_items(items: Iterable[AnswerItem], medicines: dict[str, Medicine]) -> list[str]:
    """Every problem as `file:line: item id: message`; an empty list when the items hold.

    Checks: ids unique (over all items given, so both halves at once), every medicine exists, every
    pattern matches its own quote, the quote (whitespace squashed) is in the named section of the named
    medicine."""
    errors: list[str] = []
    first_seen: dict[str, str] = {}
    for item in items:
        def bad(message: str, item: AnswerItem = item) -> None:
            errors.append(f"{item.where}: {item.id}: {message}")

        if item.id in first_seen:
            bad(f"duplicate id (first at {first_seen[item.id]})")
        else:
            first_seen[item.id] = item.where
        for mid in item.medicines:
            if mid not in medicines:
                bad(f"medicine {mid!r} is not in the database")
        for i, fact in enumerate(item.facts):
            for p in fact.patterns:
                if not compile_fact_pattern(p).search(squash(fact.quote)):
                    bad(f"fact {i}: pattern {p!r} does not match its own quote")
            medicine = medicines.get(fact.medicine)
            if medicine is None:
                bad(f"fact {i}: medicine {fact.medicine!r} is not in the database")
                continue
            section = medicine.sections.get(fact.section)
            if section is None:
                bad(f"fact {i}: {fact.medicine} has no {fact.section!r} section")
            elif squash(fact.quote) not in squash(section):
                bad(f"fact {i}: the quote is not in the {fact.section} section of {fact.medicine}")
    return errors


def validate_files(paths: Sequence[Path], medicines: dict[str, Medicine]) -> list[AnswerItem]:
    """Load and validate the files together (ids unique across them); EvalError listing every problem."""
    items: list[AnswerItem] = []
    for path in paths:
        if not path.is_file():
            raise EvalError(f"no such item file: {path}")
        try:
            items += load_answer_items(path)
        except DatasetError as exc:
            raise EvalError(str(exc)) from None
    errors = validate_items(items, medicines)
    if errors:
        shown = "\n".join(errors[:50]) + (f"\n... and {len(errors) - 50} more" if len(errors) > 50 else "")
        raise EvalError(f"{len(errors)} problem(s) in the answer items:\n{shown}")
    return items


def load_corpus(path: Path) -> dict[str, Medicine]:
    from indexing.sources.clinqa_jsonl import load_medicines

    if not path.is_file():
        raise EvalError(f"no medicine database at {path} (the items are validated against it)")
    return {m.id: m for m in load_medicines(path)}


# -- scoring ----------------------------------------------------------------------------------------


def seen_text(answer: Answer) -> str:
    """What the user reads: the answer and its notices."""
    return squash(" ".join([answer.text, *(n.text for n in answer.notices)]))


def score_item(item: AnswerItem, answer: Answer | None, mode: Mode, error: str | None = None) -> dict[str, Any]:
    text = seen_text(answer) if answer is not None else ""
    stated = [fact.stated_in(text) for fact in item.facts]
    cited = list(dict.fromkeys(c.medicine_id for c in answer.citations)) if answer is not None else []
    return {
        "id": item.id,
        "mode": mode.value,
        "type": item.type,
        "question": item.question,
        "turns": len(item.dialogue),
        "medicines": list(item.medicines),
        "status": str(answer.status) if answer is not None else "error",
        "facts": len(item.facts),
        "stated": stated,
        "missed": [f.note or f.patterns[0] for f, ok in zip(item.facts, stated, strict=True) if not ok],
        "recall": sum(stated) / len(stated),
        "all_facts": all(stated),
        "cited_medicines": cited,
        "wrong_medicine": wrong_medicine(cited, item.medicines),
        "length": len(answer.text) if answer is not None else 0,
        "answer": answer.text if answer is not None else "",
        "timings_ms": answer.audit.get("timings_ms", {}) if answer is not None else {},
        "error": error,
    }


def evaluate_item(orchestrator: Orchestrator, item: AnswerItem, mode: Mode) -> dict[str, Any]:
    try:
        answer = orchestrator.answer(TurnRequest(item.question, item.history, mode))
    except Exception as exc:  # one failing item must not stop a run; it is reported and scored as stating nothing
        log.warning("item %s failed: %s", item.id, exc)
        return score_item(item, None, mode, error=f"{type(exc).__name__}: {exc}")
    return score_item(item, answer, mode)


# -- the run ----------------------------------------------------------------------------------------


@dataclass
class AnswersConfig:
    data: Path
    out: Path
    corpus: Path
    mode: Mode = Mode.DRR
    limit: int | None = None
    fresh: bool = False
    progress: bool = True
    plots: bool = True
    compare: Path | None = None  # an earlier output folder of the same items: also write compare.md


def run_answers(orchestrator: Orchestrator, config: AnswersConfig) -> EvalRun:
    """Validate the items against the corpus, evaluate (resuming from config.out/results.jsonl), then write
    report.md, summary.json and answers.png."""
    from eval.answers_report import write_answers_report, write_comparison

    items = validate_files([config.data], load_corpus(config.corpus))
    if config.limit is not None:
        items = items[: config.limit]
    if not items:
        raise EvalError(f"{config.data} holds no items")
    index = orchestrator.serving().index
    results = ResultsFile(config.out, key_fields=("id", "mode"))
    results.prepare({"data": str(config.data), "data_sha256": file_sha256(config.data),
                     "index_version": index.version, "mode": config.mode.value}, fresh=config.fresh)
    done = results.done()
    todo = [item for item in items if (item.id, config.mode.value) not in done]
    named = NamedByUser({m.id: (m.name, *m.aliases) for m in index.medicines.values()})
    started = time.perf_counter()
    with results, tqdm(todo, desc="answers", unit="item", disable=not config.progress) as bar:
        for item in bar:
            record = evaluate_item(orchestrator, item, config.mode)
            record["wrong_medicine_unnamed"] = named.wrong_and_unnamed(
                record["wrong_medicine"], record["cited_medicines"], user_text(item.dialogue))
            results.append(record)
    wanted = {item.id for item in items}
    records = [r for r in results.load() if r["id"] in wanted and r["mode"] == config.mode.value]
    context = {
        "data": str(config.data),
        "index_version": index.version,
        "mode": config.mode.value,
        "n_items": len(items),
        "n_facts": sum(len(i.facts) for i in items),
        "seconds_this_run": round(time.perf_counter() - started, 1),
    }
    summary, files = write_answers_report(records, config.out, context, plots=config.plots)
    if config.compare is not None:
        files.append(write_comparison(records, config.compare, config.out))
    return EvalRun(config.out, records, summary, new=len(todo), skipped=len(items) - len(todo), files=files)

