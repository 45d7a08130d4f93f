"""Consultation benchmark: run every item through the serving Orchestrator (the one the API uses) in
each mode, score the ranked evidence against the gold (medicine, attribute) pairs, and report.

Scoring (see eval/README.md for the definitions):
- document-level hit@k: a chunk of a gold medicine among the first k ranked chunks;
- attribute-level hit@k: a chunk of a gold (medicine, attribute) pair among the first k, counted over
  items whose gold section exists in the database (a label without a pregnancy section cannot be hit);
- MRR over the first 50 ranked chunks (what the audit records);
- abstention: an item whose gold medicines are all absent from the database should be answered "no
  evidence" / "not in the database" (Answer.status no_evidence | unknown_drug).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from app.enums import Mode
from app.pipeline.lexicon import MedicineLexicon, normalize_name
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Answer, TurnRequest
from eval.datasets.consult import ConsultItem, Gold, load_items
from eval.metrics import ABSTAIN_STATUSES, CLARIFY_STATUS, first_rank, same_medicine, wrong_medicine
from eval.named_by_user import NamedByUser, user_text
from eval.results import EvalError, EvalRun, ResultsFile, file_sha256
from indexing.store import MedicineEntry

log = logging.getLogger(__name__)

DEFAULT_KS: tuple[int, ...] = (1, 3, 5, 10)
_RULE_BACKENDS = frozenset({"rules", "raw", None})


@dataclass
class ConsultConfig:
    data: Path
    out: Path
    modes: tuple[Mode, ...] = (Mode.DRR, Mode.RTR)
    ks: tuple[int, ...] = DEFAULT_KS
    limit: int | None = None
    fresh: bool = False
    progress: bool = True
    plots: bool = True


def parse_modes(value: str) -> tuple[Mode, ...]:
    if value.strip().lower() == "both":
        return (Mode.DRR, Mode.RTR)
    return tuple(dict.fromkeys(Mode.from_str(v) for v in value.split(",") if v.strip()))


def parse_ks(value: str) -> tuple[int, ...]:
    try:
        ks = sorted({int(v) for v in value.split(",") if v.strip()})
    except ValueError:
        raise ValueError(f"--k takes comma-separated positive integers, got {value!r}") from None
    if not ks or ks[0] < 1 or ks[-1] > 50:
        raise ValueError("--k values must be between 1 and 50 (the audit keeps the top 50 chunk ids)")
    return tuple(ks)


# -- gold ------------------------------------------------------------------------------------------


def resolve_name(name: str, lexicon: MedicineLexicon, medicines: dict[str, MedicineEntry]) -> str | None:
    """A gold medicine (id, name or alias) to a medicine id, strictly: the whole name must be a name
    the database knows, or start with one ('metoprolol succinate' -> the metoprolol label), possibly
    misspelt ('Enoxparin Sodium'). A drug named somewhere inside a longer phrase ('saline solution') is
    not taken for it."""
    if name in medicines:
        return name
    key = normalize_name(name)
    matches = [m for m in lexicon.find(name) if m.medicine_id]
    for m in matches:
        if m.surface == key:
            return m.medicine_id
    for how in ("exact", "fuzzy"):
        for m in matches:
            if m.start == 0 and m.how == how:
                return m.medicine_id
    return None


def resolve_gold(
    gold: Sequence[Gold], lexicon: MedicineLexicon, medicines: dict[str, MedicineEntry]
) -> list[dict[str, Any]]:
    out = []
    for g in gold:
        mid = None
        for name in (g.medicine, *g.names):
            mid = resolve_name(name, lexicon, medicines)
            if mid is not None:
                break
        entry = medicines.get(mid) if mid else None
        out.append(
            {
                "medicine": g.medicine,
                "medicine_id": mid,
                "attribute": g.attribute,
                "section_in_db": bool(entry and g.attribute and g.attribute in entry.attributes),
            }
        )
    return out


# -- one item ---------------------------------------------------------------------------------------


def tool_call_status(distill_audit: dict[str, Any] | None) -> bool | None:
    """Whether a model's distillation tool call was well-formed; None when no model distilled.

    Read tolerantly from the audit the distiller leaves: an explicit `well_formed`/`tool_call_valid`/
    `valid` flag wins; otherwise a fallback to the rules or a recorded error means malformed."""
    if not distill_audit or distill_audit.get("backend") in _RULE_BACKENDS:
        return None
    for key in ("well_formed", "tool_call_valid", "valid"):
        if isinstance(distill_audit.get(key), bool):
            return bool(distill_audit[key])
    return not (distill_audit.get("fallback") or distill_audit.get("error") or distill_audit.get("errors"))


# How the which-medicine search frames its list (app.pipeline.indication_search.IndicationSearch.answer).
_FRAMINGS = ("Medicines in the database indicated for ", "数据库中适应症提到")


def framed_which_medicine_list(answer: Answer) -> bool:
    """Whether the answer is the which-medicine search's framed list: answered by that stage, every citation
    from an indications section, the text opening with the framing ("Medicines in the database indicated
    for heartburn: ..."). Such an answer to a question naming no medicine quotes labels as it should; any
    other citation there is a label nobody asked about."""
    return (answer.audit.get("reader") == "indication_search" and answer.status == "answered"
            and bool(answer.citations) and all(c.attribute == "indications" for c in answer.citations)
            and answer.text.startswith(_FRAMINGS))


def score_answer(
    item: ConsultItem, mode: Mode, answer: Answer | None, gold: list[dict[str, Any]], error: str | None = None
) -> dict[str, Any]:
    audit = answer.audit if answer is not None else {}
    ranked: list[str] = list(audit.get("ranked_chunk_ids", []))
    gold_ids = {g["medicine_id"] for g in gold if g["medicine_id"]}
    pairs = {(g["medicine_id"], g["attribute"]) for g in gold if g["medicine_id"] and g["attribute"]}
    pairs_in_db = {
        (g["medicine_id"], g["attribute"]) for g in gold if g["medicine_id"] and g["attribute"] and g["section_in_db"]
    }
    gold_medicines = {same_medicine(m) for m in gold_ids}
    gold_sections = {(same_medicine(m), a) for m, a in pairs_in_db}
    status = answer.status if answer is not None else "error"
    distill = audit.get("distill") or {}
    cited = [c.medicine_id for c in answer.citations] if answer is not None else []
    first_cited = min(answer.citations, key=lambda c: c.n) if answer is not None and answer.citations else None
    return {
        "id": item.id,
        "mode": mode.value,
        "lang": item.lang,
        "turns": len(item.dialogue),
        "question": item.question,
        "gold": gold,
        "gold_attribute": next((g["attribute"] for g in gold if g["attribute"]), None),
        "answerable": bool(gold_ids),
        "abstain_case": bool(gold) and not gold_ids,
        "attr_scored": bool(pairs_in_db),
        "attr_absent": bool(pairs) and not pairs_in_db,
        "status": status,
        "abstained": status in ABSTAIN_STATUSES,
        "clarified": status == CLARIFY_STATUS,
        "cited_medicines": list(dict.fromkeys(cited)),
        # A question naming no medicine: whether the answer quotes a label outside a framed which-medicine list.
        "framed_list": answer is not None and framed_which_medicine_list(answer),
        "cited_unframed": bool(cited) and not (answer is not None and framed_which_medicine_list(answer)),
        # Scored where the question is about some medicine (gold given); a no-medicine question is not.
        "wrong_medicine": wrong_medicine(cited, gold_ids) if gold else None,
        "doc_rank": first_rank(ranked, lambda m, a: same_medicine(m) in gold_medicines) if gold_ids else None,
        "attr_rank": first_rank(ranked, lambda m, a: (same_medicine(m), a) in gold_sections) if pairs_in_db else None,
        # what the user reads first: the answer's first citation, after the reader put a safety sentence first
        "first_cited_section": [first_cited.medicine_id, first_cited.attribute] if first_cited else None,
        "cited_section_hit": (first_cited is not None and (same_medicine(first_cited.medicine_id),
                                                           first_cited.attribute) in gold_sections)
        if pairs_in_db else None,
        "k": answer.k if answer is not None else 0,
        "queries": [q.to_dict() for q in answer.queries] if answer is not None else [],
        "distill_backend": distill.get("backend"),
        "tool_call_ok": tool_call_status(distill),
        "tool_calls": [int(distill.get("calls_total") or 0), int(distill.get("calls_well_formed") or 0)],
        "timings_ms": audit.get("timings_ms", {}),
        "index_version": audit.get("index_version"),
        "ranked_chunk_ids": ranked,
        "meta": item.meta,
        "error": error,
    }


def evaluate_item(
    orchestrator: Orchestrator, item: ConsultItem, mode: Mode, gold: list[dict[str, Any]]
) -> dict[str, Any]:
    try:
        answer = orchestrator.answer(TurnRequest(item.question, item.history, mode))
    except Exception as exc:  # one failing item must not stop a long run; it is reported and scored as a miss
        log.warning("item %s (%s) failed: %s", item.id, mode.value, exc)
        return score_answer(item, mode, None, gold, error=f"{type(exc).__name__}: {exc}")
    return score_answer(item, mode, answer, gold)


# -- the run ----------------------------------------------------------------------------------------


def run_consult(orchestrator: Orchestrator, config: ConsultConfig) -> EvalRun:
    """Evaluate (resuming from config.out/results.jsonl), then write report.md, summary.json and plots."""
    from eval.report import write_consult_report

    if not config.data.is_file():
        raise EvalError(f"no such dataset file: {config.data}")
    items = load_items(config.data)
    if config.limit is not None:
        items = items[: config.limit]
    if not items:
        raise EvalError(f"{config.data} holds no items")
    serving = orchestrator.serving()
    index, lexicon = serving.index, serving.lexicon
    results = ResultsFile(config.out, key_fields=("id", "mode"))
    results.prepare(
        {"data": str(config.data), "data_sha256": file_sha256(config.data), "index_version": index.version},
        fresh=config.fresh,
    )
    done = results.done()
    todo = [(item, mode) for item in items for mode in config.modes if (item.id, mode.value) not in done]
    skipped = len(items) * len(config.modes) - len(todo)
    if skipped:
        log.info("resuming: %d results already in %s", skipped, results.path)
    gold_cache: dict[str, list[dict[str, Any]]] = {}
    named = NamedByUser({m.id: (m.name, *m.aliases) for m in index.medicines.values()})
    started = time.perf_counter()
    with results, tqdm(todo, desc="consult", unit="item", disable=not config.progress) as bar:
        for item, mode in bar:
            gold = gold_cache.get(item.id)
            if gold is None:
                gold = resolve_gold(item.gold, lexicon, index.medicines)
                if item.meta.get("absent"):  # a product the database lacks, however close a name ("Zorvalex")
                    gold = [{**g, "medicine_id": None, "section_in_db": False} for g in gold]
                gold_cache[item.id] = gold
            record = evaluate_item(orchestrator, item, mode, gold)
            record["wrong_medicine_unnamed"] = named.wrong_and_unnamed(
                record["wrong_medicine"], record["cited_medicines"], user_text(item.dialogue))
            results.append(record)
    wanted = {(item.id, mode.value) for item in items for mode in config.modes}
    records = [r for r in results.load() if (r["id"], r["mode"]) in wanted]
    context = {
        "data": str(config.data),
        "index_version": index.version,
        "retrieval": index.retrieval,
        "n_medicines": len(index.medicines),
        "n_items": len(items),
        "seconds_this_run": round(time.perf_counter() - started, 1),
    }
    summary, files = write_consult_report(records, config.out, config.ks, [m.value for m in config.modes], context,
                                          plots=config.plots)
    return EvalRun(config.out, records, summary, new=len(todo), skipped=skipped, files=files)
