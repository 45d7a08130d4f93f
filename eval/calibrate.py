"""`clinqa calibrate`: choose the number of contexts k with a risk guarantee (Learn-then-Test).

For every calibration item the serving Orchestrator retrieves once (`Orchestrator.retrieve`); the reader
then answers from the first k ranked contexts for each candidate k in 1..k_max (`read_selected` on
`evidence[:k]`, nothing retrieved again), and a judge (eval/judges.py) gives each answer a 0/1 loss. The
statistics (eval/ltt.py) accept the ks whose risk is <= alpha with probability >= 1 - delta and choose the
accepted k of lowest empirical risk. The result, with everything it was measured against, goes to
calibration.json, which `CLINQA_SELECT__MODE=calibrated` serves (app/pipeline/calibration.py).

Calibration and held-out items come from one file, split deterministically by a seeded hash of the item's
split key: the id, or for items derived from the same source rows (`meta.rows`, as in the MedicationQA
sets, where one question has single-turn, multi-turn and distractor variants) those rows, so the variants
of one question never straddle the split.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from app.config import Settings
from app.enums import Mode
from app.pipeline.calibration import FORMAT, calibration_id
from app.pipeline.orchestrator import Orchestrator
from eval.consult import resolve_gold
from eval.datasets.consult import load_items
from eval.judges import Judge
from eval.losses import ItemLosses, hash_unit, judge_item, make_case, raw_fields, split_items, split_key
from eval.ltt import FWER_METHODS, ORDERS, LTTResult, group_means, learn_then_test, order_by_risk
from eval.results import EvalError, file_sha256, write_json

log = logging.getLogger(__name__)

# -- the calibration run --------------------------------------------------------------------------------


@dataclass
class CalibrateConfig:
    data: Path
    out: Path = Path("calibration.json")
    alpha: float = 0.1
    delta: float = 0.1
    k_max: int = 20
    fwer: str = "fixed_sequence"
    order: str = "descending"  # or ascending, or split: learn the order on order_fraction of the items
    order_fraction: float = 0.5
    mode: Mode = Mode.DRR
    fraction: float = 0.5  # share of split keys in the calibration part (1.0: the whole file)
    seed: int = 0
    limit: int | None = None
    progress: bool = True

    def validate(self) -> None:
        for name in ("alpha", "delta"):
            v = getattr(self, name)
            if not 0 < v < 1:
                raise ValueError(f"--{name} must lie strictly between 0 and 1, got {v}")
        if not 1 <= self.k_max <= 50:
            raise ValueError("--k-max must be between 1 and 50")
        if self.fwer not in FWER_METHODS:
            raise ValueError(f"--fwer must be one of {', '.join(FWER_METHODS)}")
        if not 0 < self.fraction <= 1:
            raise ValueError("--fraction must lie in (0, 1]")
        if self.order not in (*ORDERS, "split"):
            raise ValueError(f"--order must be one of {', '.join((*ORDERS, 'split'))}")
        if self.order == "split" and (self.fwer != "fixed_sequence" or not 0 < self.order_fraction < 1):
            raise ValueError("--order split needs --fwer fixed_sequence and an order fraction in (0, 1)")


@dataclass
class CalibrationRun:
    payload: dict[str, Any]
    result: LTTResult
    records: list[ItemLosses]
    files: list[Path]


def model_names(settings: Settings, orchestrator: Orchestrator, index_manifest: dict[str, Any]) -> dict[str, Any]:
    reader = orchestrator.stage("read").to_dict()
    distiller = orchestrator.stage("distill").to_dict()
    return {
        "embedding": index_manifest.get("embedding_model") or settings.embed.model,
        "reader": reader.get("type"),
        "reader_model": reader.get("model"),
        "distiller": distiller.get("backend"),
        "distiller_model": distiller.get("model"),
        "llm_backend": settings.llm.backend,
        "llm_model": settings.llm.model or None,
    }


def summary_lines(payload: dict[str, Any]) -> list[str]:
    """What a person reads after `clinqa calibrate`: the outcome first, in plain words."""
    lines = []
    n, alpha, delta = payload["n"], payload["alpha"], payload["delta"]
    on = f"{n} units ({payload.get('n_judged_items', n)} judged items)"
    if payload["chosen_k"] is not None:
        lines.append(
            f"chosen k = {payload['chosen_k']} (empirical risk {payload['risk'][str(payload['chosen_k'])]:.3f} on "
            f"{on}); accepted ks {payload['accepted']}: risk <= {alpha} with probability >= {1 - delta:.2f}"
        )
    else:
        best = min(payload["per_k"], key=lambda r: (r["risk"], r["k"])) if n else None
        lines.append(
            f"NO k passed: no candidate k has risk <= {alpha} at confidence {1 - delta:.2f} on {on}"
            + (f" (lowest empirical risk {best['risk']:.3f} at k={best['k']}, p-value {best['p_value']:.3g})"
               if best else "")
            + ". Serving with CLINQA_SELECT__MODE=calibrated keeps the configured fallback k (CLINQA_SELECT__K) "
            "and marks answers guarantee=false."
        )
    lines.append(f"calibration id {payload['calibration_id']}; index {payload['index_version']}; "
                 f"judge {payload['judge']['name']}; excluded {payload['excluded']}")
    return lines


def run_calibration(
    orchestrator: Orchestrator, settings: Settings, config: CalibrateConfig, judge: Judge
) -> CalibrationRun:
    config.validate()
    if not config.data.is_file():
        raise EvalError(f"no such dataset file: {config.data}")
    all_items = load_items(config.data)
    items = split_items(all_items, "calibration", config.fraction, config.seed) if config.fraction < 1 else all_items
    if config.limit is not None:
        items = items[: config.limit]
    if not items:
        raise EvalError(f"{config.data} has no items in the calibration part")
    serving = orchestrator.serving()
    index, lexicon = serving.index, serving.lexicon
    extras = raw_fields(config.data)
    ks = list(range(1, config.k_max + 1))
    started = time.perf_counter()
    records: list[ItemLosses] = []
    for item in tqdm(items, desc="calibrate", unit="item", disable=not config.progress):
        gold = resolve_gold(item.gold, lexicon, index.medicines)
        case = make_case(item, gold, extras.get(item.id))
        records.append(judge_item(orchestrator, item, case, judge, ks, config.mode, "calibration"))
    scored = [r for r in records if r.excluded is None]
    keys = {it.id: split_key(it) for it in items}
    ordering: dict[str, Any] | None = None
    order: str | list[int] = config.order
    if config.order == "split":
        in_order = {r.id for r in scored if hash_unit(f"order:{config.seed}:{keys[r.id]}") < config.order_fraction}
        first_ids = [r.id for r in scored if r.id in in_order]
        first = group_means(np.array([r.losses for r in scored if r.id in in_order], dtype=float).reshape(-1, len(ks)),
                            [keys[i] for i in first_ids], "max").tolist()
        order = order_by_risk(first, ks)
        for r in records:
            r.extra["ordering"] = r.id in in_order
        scored = [r for r in scored if r.id not in in_order]
        ordering = {"fraction": config.order_fraction, "n": len(first), "order": order,
                    "risk": {str(k): (sum(x[j] for x in first) / len(first) if first else None)
                             for j, k in enumerate(ks)}}
    result = learn_then_test([r.losses for r in scored], ks, config.alpha, config.delta, config.fwer, order,
                             groups=[keys[r.id] for r in scored])
    payload: dict[str, Any] = {
        "format": FORMAT,
        "calibration_id": "",
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "alpha": config.alpha,
        "delta": config.delta,
        "fwer": config.fwer,
        "test_order": result.order,
        "ordering": ordering,
        "p_value": "hoeffding_bentkus (MAPIE 1.6 compute_hoeffding_bentkus_p_value; binary when every unit's "
                   "loss is 0/1)",
        "n": result.n,
        "unit": "split key: items from the same source rows are one unit, lost when any of its items is",
        "binary": result.binary,
        "n_judged_items": result.n_items,
        "n_items": len(records),
        "excluded": dict(Counter(r.excluded for r in records if r.excluded is not None)),
        "candidate_ks": ks,
        "risk": {str(k): r for k, r in zip(ks, result.risks, strict=True)},
        "p_values": {str(k): p for k, p in zip(ks, result.p_values, strict=True)},
        "per_k": result.per_k(),
        "accepted": result.accepted,
        "chosen_k": result.chosen_k,
        "guarantee": result.guarantee,
        "choice_rule": "lowest empirical risk among accepted ks; ties to the smaller k",
        "judge": judge.to_dict(),
        "mode": config.mode.value,
        "data": {
            "path": str(config.data),
            "sha256": file_sha256(config.data),
            "split": {"part": "calibration", "fraction": config.fraction, "seed": config.seed,
                      "key": "sha256(seed:split_key) -> calibration if < fraction; split_key = meta.rows or id"},
            "limit": config.limit,
        },
        "index_version": index.version,
        "retrieval": index.retrieval,
        "retriever": orchestrator.stage("retrieve").to_dict(),
        "models": model_names(settings, orchestrator, index.manifest),
        "seconds": round(time.perf_counter() - started, 1),
    }
    payload["calibration_id"] = calibration_id(payload)
    payload["summary"] = summary_lines(payload)
    config.out.parent.mkdir(parents=True, exist_ok=True)
    write_json(config.out, payload)
    items_path = config.out.with_suffix(".items.jsonl")
    with items_path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    files = [config.out, items_path]
    try:
        from eval.report import plot_risk

        files.append(plot_risk(config.out.with_suffix(".png"), payload))
    except ImportError:
        log.warning("matplotlib is not installed: no plot")
    return CalibrationRun(payload, result, records, files)
