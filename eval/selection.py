"""`clinqa eval consult --select fixed:5,calibrated,gap`: compare context-count selectors on held-out items.

Each held-out item is retrieved once; the reader answers from the first k contexts for every k of the
risk curve and from each selector's choice, and the calibration's judge scores every answer. Reported per
selector: risk (mean 0/1 loss) with a one-sided 95% Clopper-Pearson upper bound, attribute- and
document-level hit within the selected contexts, and the contexts used; plus risk vs k on the calibration
and held-out items, with alpha and the chosen k marked (risk_vs_k.png).

Held-out items: when the calibration was made from the same data file (same sha256), its split is reused
and only the other part is evaluated, so no calibration item is scored again; for another file, all items.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from app.config import Settings
from app.enums import Mode
from app.pipeline.calibration import Calibration, CalibrationError, check_index, load_calibration
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.select import CalibratedSelector, FixedKSelector, GapSelector, Selector
from app.pipeline.state import Evidence
from eval.consult import resolve_gold
from eval.datasets.consult import load_items
from eval.judges import Case, Judge, build_judge, gold_targets
from eval.losses import ItemLosses, PrefixReader, judge_item, make_case, raw_fields, split_items, split_key
from eval.ltt import group_means, learn_then_test, order_by_risk
from eval.metrics import mean
from eval.report import pct, plot_risk, table
from eval.results import EvalError, file_sha256, write_json

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SelectSpec:
    label: str
    kind: str  # fixed | calibrated | gap
    value: float | None = None  # k for fixed, gamma for gap


def parse_selects(value: str) -> list[SelectSpec]:
    """'fixed:5,calibrated,gap' (also 'fixed' = CLINQA_SELECT__K, 'gap:0.5' = gamma 0.5)."""
    specs: list[SelectSpec] = []
    for token in (t.strip() for t in value.split(",")):
        if not token:
            continue
        kind, _, arg = token.partition(":")
        kind = kind.strip().lower()
        if kind not in ("fixed", "calibrated", "gap"):
            raise ValueError(f"--select takes fixed[:K], calibrated, gap[:GAMMA] (comma-separated), got {token!r}")
        num: float | None = None
        if arg:
            try:
                num = int(arg) if kind == "fixed" else float(arg)
            except ValueError:
                raise ValueError(f"--select {token!r}: {arg!r} is not a number") from None
            if kind == "calibrated" or num <= 0:
                raise ValueError(f"--select {token!r}: calibrated takes no value; k and gamma must be positive")
        specs.append(SelectSpec(token, kind, num))
    if not specs:
        raise ValueError("--select needs at least one selector")
    if len({s.label for s in specs}) != len(specs):
        raise ValueError("--select lists a selector twice")
    return specs


def build_selectors(specs: Sequence[SelectSpec], settings: Settings, calibration: Calibration | None
                    ) -> dict[str, Selector]:
    sel = settings.select
    out: dict[str, Selector] = {}
    for s in specs:
        if s.kind == "fixed":
            out[s.label] = FixedKSelector(int(s.value) if s.value is not None else sel.k)
        elif s.kind == "gap":
            out[s.label] = GapSelector(s.value if s.value is not None else sel.gamma, sel.k_min, sel.k_max)
        else:
            if calibration is None:
                raise EvalError("--select calibrated needs a calibration file: --calibration FILE or "
                                "CLINQA_SELECT__CALIBRATION")
            out[s.label] = CalibratedSelector(calibration, sel.k)
    return out


def hits(case: Case, evidence: list[Evidence]) -> tuple[bool, bool]:
    """(attribute-level, document-level) hit within the given contexts."""
    mids, pairs = gold_targets(case)
    got = [(e.chunk.medicine_id, e.chunk.attribute) for e in evidence]
    attr = any((m, a) in pairs or (m, None) in pairs for m, a in got)
    return attr, any(m in mids for m, _ in got)


def risk_upper_bound(losses: int, n: int, level: float = 0.95) -> float | None:
    """One-sided Clopper-Pearson upper confidence bound of a binomial proportion."""
    if n == 0:
        return None
    if losses >= n:
        return 1.0
    from scipy.stats import beta

    return float(beta.ppf(level, losses + 1, n - losses))


@dataclass
class CompareConfig:
    data: Path
    out: Path
    selects: str = "fixed:5,calibrated,gap"
    modes: tuple[Mode, ...] = (Mode.DRR,)
    calibration: Path | None = None
    k_max: int | None = None  # of the risk curve; default: the calibration's candidate ks, else 20
    fraction: float = 0.5  # used only without a calibration of the same file
    seed: int = 0
    judge: str = "auto"  # used only without a calibration (else the calibration's judge)
    limit: int | None = None
    progress: bool = True
    plots: bool = True


@dataclass
class CompareRun:
    out: Path
    summary: dict[str, Any]
    records: list[dict[str, Any]]
    files: list[Path] = field(default_factory=list)


def _judge_for(calibration: Calibration | None, config: CompareConfig, settings: Settings) -> Judge:
    kind = config.judge
    if calibration is not None:
        name = str((calibration.raw.get("judge") or {}).get("name", "citation"))
        kind = "auto" if "|" in name else name
    model = None
    if kind in ("llm", "auto") and settings.llm.backend != "extractive":
        from app.factory import build_chat_model

        model = build_chat_model(settings)
    return build_judge(kind, model)


def unit_risk(scored: list[ItemLosses], keys: dict[str, str], loss: Any) -> float | None:
    """Risk over units (split keys), a unit lost when any of its items is: what calibration tests."""
    units: dict[str, int] = {}
    for r in scored:
        key = keys.get(r.id, r.id)
        units[key] = max(units.get(key, 0), int(loss(r)))
    return sum(units.values()) / len(units) if units else None


def summarize(records: list[ItemLosses], labels: Sequence[str], ks: Sequence[int],
              keys: dict[str, str] | None = None) -> dict[str, Any]:
    scored = [r for r in records if r.excluded is None]
    n = len(scored)
    keys = keys or {}
    out: dict[str, Any] = {"n": n, "n_items": len(records), "excluded": {}, "risk_by_k": {}, "selectors": {},
                           "n_units": len({keys.get(r.id, r.id) for r in scored}), "unit_risk_by_k": {}}
    for r in records:
        if r.excluded is not None:
            out["excluded"][r.excluded] = out["excluded"].get(r.excluded, 0) + 1
    for j, k in enumerate(ks):
        out["risk_by_k"][str(k)] = mean(float(r.losses[j]) for r in scored)
        out["unit_risk_by_k"][str(k)] = unit_risk(scored, keys, lambda r, j=j: r.losses[j])
    for label in labels:
        rows = [r.extra["select"][label] for r in scored]
        losses = sum(int(x["loss"]) for x in rows)
        out["selectors"][label] = {
            "n": n,
            "losses": losses,
            "risk": losses / n if n else None,
            "risk_upper95": risk_upper_bound(losses, n),
            "unit_risk": unit_risk(scored, keys, lambda r, label=label: r.extra["select"][label]["loss"]),
            "attr_hit": mean(float(x["attr_hit"]) for x in rows),
            "doc_hit": mean(float(x["doc_hit"]) for x in rows),
            "contexts_mean": mean(float(x["k"]) for x in rows),
            "contexts_max": max((int(x["k"]) for x in rows), default=None),
        }
    return out


def resplit_check(losses: np.ndarray, groups: Sequence[str], ks: Sequence[int], cal: Calibration,
                  reps: int = 300, seed: int = 0) -> dict[str, Any]:
    """Repeat the whole procedure on fresh random calibration/held-out splits of every judged item (the
    calibration part and the held-out part together), by group as the calibration did: how often is a k
    chosen, and how often does the chosen k's held-out risk exceed alpha? The guarantee bounds the share
    of splits whose chosen k has a *true* risk above alpha by delta; a held-out estimate above alpha also
    happens by the held-out sample's own noise, so this share is an upper-side check, not an exact one."""
    raw = cal.raw
    fraction = float(((raw.get("data") or {}).get("split") or {}).get("fraction", 0.5))
    method, order_raw = str(raw.get("fwer", "fixed_sequence")), raw.get("test_order")
    learned = raw.get("ordering") is not None
    order: str | list[int] = "descending" if learned or not order_raw else [int(k) for k in order_raw]
    names = list(dict.fromkeys(str(g) for g in groups))
    rows = {g: [i for i, x in enumerate(groups) if str(x) == g] for g in names}
    rng = np.random.default_rng(seed)
    chosen = above = 0
    held: list[float] = []
    ks_chosen: dict[int, int] = {}
    for _ in range(reps):
        perm = [names[i] for i in rng.permutation(len(names))]
        cut = round(fraction * len(perm))
        cal_groups, test_groups = perm[:cut], perm[cut:]
        if learned:  # split fixed sequence: learn the order on half of the calibration groups
            half = len(cal_groups) // 2
            first = group_means(losses[[i for g in cal_groups[:half] for i in rows[g]]],
                                [g for g in cal_groups[:half] for _ in rows[g]], "max")
            order, cal_groups = order_by_risk(first, ks), cal_groups[half:]
        idx = [i for g in cal_groups for i in rows[g]]
        res = learn_then_test(losses[idx], ks, cal.alpha, cal.delta, method, order,
                              groups=[str(groups[i]) for i in idx])
        if res.chosen_k is None or not test_groups:
            continue
        chosen += 1
        ks_chosen[res.chosen_k] = ks_chosen.get(res.chosen_k, 0) + 1
        j = list(ks).index(res.chosen_k)
        risk = float(np.mean([losses[rows[g], j].max() for g in test_groups]))  # the unit loss calibrated
        held.append(risk)
        above += risk > cal.alpha
    return {"reps": reps, "units": len(names), "items": len(groups), "chosen_share": chosen / reps,
            "heldout_above_alpha_share": above / reps, "heldout_risk_mean": mean(held),
            "chosen_ks": dict(sorted(ks_chosen.items())), "alpha": cal.alpha, "delta": cal.delta}


def _verdict(cal: Calibration | None, summ: dict[str, Any], label: str | None) -> str:
    if cal is None or label is None:
        return ""
    s = summ["selectors"][label]
    if cal.chosen_k is None:
        return (f"No k passed at calibration (alpha {cal.alpha}, delta {cal.delta}): `calibrated` served the "
                f"fallback k with no guarantee; its held-out risk is {pct(s['risk'])}% on {s['n']} items.")
    ok = s["unit_risk"] is not None and s["unit_risk"] <= cal.alpha
    return (f"Calibrated k = {cal.chosen_k}: held-out risk {pct(s['unit_risk'])}% over {summ['n_units']} units as "
            f"calibrated ({pct(s['risk'])}% over items, {s['losses']}/{s['n']}; "
            f"95% upper bound {pct(s['risk_upper95'])}%) "
            + (f"<= alpha = {cal.alpha}." if ok else f"> alpha = {cal.alpha}. The guarantee is about the true risk "
               f"(it may fail with probability delta = {cal.delta}); a held-out estimate on few units varies, and the "
               "two parts of one fixed pool move in opposite directions (an easy calibration part leaves a hard "
               "held-out part). Compare the risk by k of both parts and the fresh-split check below."))


def render(summary: dict[str, Any], context: dict[str, Any], cal: Calibration | None, plots: Sequence[Path]) -> str:
    out = ["# Context-count selection", "",
           f"- data: `{context['data']}`; held-out part: {context['heldout']}",
           f"- index: `{context['index_version']}`; judge: `{context['judge']}`",
           ]
    if cal is not None:
        out.append(f"- calibration: `{cal.calibration_id}` (alpha {cal.alpha}, delta {cal.delta}, chosen k "
                   f"{cal.chosen_k}, accepted {list(cal.accepted)}, n {cal.raw.get('n')})")
    out.append("")
    labels = context["selects"]
    for mode, summ in summary.items():
        out += [f"## {mode.upper()}: {summ['n']} judged items (excluded: {summ['excluded'] or 'none'})", ""]
        rows = []
        for label in labels:
            s = summ["selectors"][label]
            rows.append([f"`{label}`", str(s["n"]), pct(s["risk"]), pct(s["risk_upper95"]), pct(s["unit_risk"]),
                         pct(s["attr_hit"]),
                         pct(s["doc_hit"]),
                         "–" if s["contexts_mean"] is None else f"{s['contexts_mean']:.2f}"])
        out += [table(["selector", "n", "risk %", "risk 95% upper %", f"unit risk % ({summ['n_units']} units)",
                        "attribute hit %", "document hit %", "contexts (mean)"], rows), ""]
        calibrated = next((lab for lab in labels if lab.startswith("calibrated")), None)
        verdict = _verdict(cal, summ, calibrated)
        if verdict:
            out += [verdict, ""]
        ks = list(summ["risk_by_k"])
        cal_risk = (cal.raw.get("risk") or {}) if cal is not None else {}
        rows = [[k, pct(cal_risk.get(k)) if cal_risk else "–", pct(summ["unit_risk_by_k"][k]),
                 pct(summ["risk_by_k"][k]), "yes" if cal is not None and int(k) in cal.accepted else ""] for k in ks]
        out += ["Risk by k (%; units as calibration counts them, and items):", "",
                table(["k", "calibration (units)", "held-out (units)", "held-out (items)", "accepted"], rows), ""]
    rs = context.get("resplit")
    if rs:
        out += ["## The procedure on fresh splits", "",
                f"Calibration re-run on {rs['reps']} random splits of all {rs['items']} judged items "
                f"({rs['units']} units) into calibration and held-out parts, as the calibration split them: a k was "
                f"chosen in {pct(rs['chosen_share'])}% of splits; the chosen k's held-out risk exceeded alpha = "
                f"{rs['alpha']} in {pct(rs['heldout_above_alpha_share'])}% (delta = {rs['delta']}); mean held-out "
                f"risk of the chosen k {pct(rs['heldout_risk_mean'])}%; chosen ks {rs['chosen_ks']}.", ""]
    if plots:
        out += ["## Plots", ""] + [f"![{p.stem}]({p.name})" for p in plots] + [""]
    out += ["Risk: mean 0/1 loss of the judge (see eval/judges.py); attribute hit: a chunk of a gold (medicine, "
            "attribute) pair among the selected contexts; document hit: a chunk of a gold medicine; contexts: "
            "how many the selector kept.", ""]
    return "\n".join(out)


def run_select_comparison(orchestrator: Orchestrator, settings: Settings, config: CompareConfig) -> CompareRun:
    if not config.data.is_file():
        raise EvalError(f"no such dataset file: {config.data}")
    specs = parse_selects(config.selects)
    index = orchestrator.serving().index
    cal_path = config.calibration or settings.select.calibration
    cal: Calibration | None = None
    if cal_path is not None:
        try:
            cal = load_calibration(cal_path)
            check_index(cal, index.version)
        except CalibrationError as exc:
            raise EvalError(str(exc)) from exc
    selectors = build_selectors(specs, settings, cal)
    items = load_items(config.data)
    data_sha = file_sha256(config.data)
    split = (cal.raw.get("data") or {}) if cal is not None else {}
    if cal is not None and split.get("sha256") == data_sha:
        fraction, seed = float(split["split"]["fraction"]), int(split["split"]["seed"])
        if fraction >= 1:
            raise EvalError(f"{cal_path} was calibrated on all of {config.data}: no held-out items are left; "
                            "calibrate with --fraction < 1 or evaluate another file")
        heldout = f"test part of the calibration's split (fraction {fraction}, seed {seed})"
        items = split_items(items, "test", fraction, seed)
    elif cal is not None:
        heldout = "all items (the calibration was made from another file)"
    else:
        heldout = f"test part (fraction {config.fraction}, seed {config.seed})"
        items = split_items(items, "test", config.fraction, config.seed)
    if config.limit is not None:
        items = items[: config.limit]
    if not items:
        raise EvalError("no held-out items to evaluate")
    ks = [int(k) for k in cal.candidate_ks] if cal is not None else list(range(1, (config.k_max or 20) + 1))
    if config.k_max is not None:
        ks = [k for k in ks if k <= config.k_max] or ks
    judge = _judge_for(cal, config, settings)
    lexicon = orchestrator.serving().lexicon
    extras = raw_fields(config.data)
    keys = {it.id: split_key(it) for it in items}
    config.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    summary: dict[str, Any] = {}
    all_records: list[dict[str, Any]] = []
    for mode in config.modes:
        records: list[ItemLosses] = []
        for item in tqdm(items, desc=f"select {mode.value}", unit="item", disable=not config.progress):
            case = make_case(item, resolve_gold(item.gold, lexicon, index.medicines), extras.get(item.id))

            def also(reader: PrefixReader, rec: ItemLosses, case: Case = case) -> None:
                chosen: dict[str, Any] = {}
                for label, selector in selectors.items():
                    selection = selector.select(reader.got.evidence)
                    attr, doc = hits(case, selection.evidence)
                    chosen[label] = {"k": selection.k, "loss": judge.loss(case, reader.of(selection.evidence)),
                                     "attr_hit": attr, "doc_hit": doc}
                rec.extra["select"] = chosen

            records.append(judge_item(orchestrator, item, case, judge, ks, mode, "test", also))
        summary[mode.value] = summarize(records, list(selectors), ks, keys)
        all_records += [{"mode": mode.value, **r.to_dict()} for r in records]

    resplit = None
    cal_items = cal.path.with_suffix(".items.jsonl") if cal is not None and cal.path is not None else None
    if cal is not None and cal_items is not None and cal_items.is_file() and split.get("sha256") == data_sha \
            and cal.raw.get("mode", "drr") in summary:
        keys = {it.id: split_key(it) for it in load_items(config.data)}  # calibration items too
        mode_rows = [r for r in all_records if r["mode"] == cal.raw.get("mode", "drr")]
        pooled = [json.loads(line) for line in cal_items.read_text(encoding="utf-8").splitlines() if line.strip()]
        pooled += mode_rows
        pooled = [r for r in pooled if r.get("excluded") is None and len(r.get("losses") or []) == len(ks)]
        if pooled and len(ks) == len(cal.candidate_ks):
            resplit = resplit_check(np.array([r["losses"] for r in pooled], dtype=int),
                                    [keys[r["id"]] for r in pooled], ks, cal)
    context: dict[str, Any] = {
               "data": str(config.data), "data_sha256": data_sha, "heldout": heldout, "index_version": index.version,
               "judge": judge.name, "selects": list(selectors), "ks": ks,
               "selectors": {lab: getattr(s, "to_dict", dict)() for lab, s in selectors.items()},
               "calibration": cal.calibration_id if cal is not None else None,
               "resplit": resplit,
               "seconds": round(time.perf_counter() - started, 1)}
    files: list[Path] = []
    if config.plots:
        try:
            points = {}
            first = summary[config.modes[0].value]
            for lab in selectors:
                s = first["selectors"][lab]
                if s["contexts_mean"] is not None and s["unit_risk"] is not None:
                    points[f"{lab} ({config.modes[0].value})"] = (s["contexts_mean"], s["unit_risk"])
            files.append(plot_risk(config.out / "risk_vs_k.png", cal.raw if cal is not None else None,
                                   {m: summ["unit_risk_by_k"] for m, summ in summary.items()}, points))
        except ImportError:
            log.warning("matplotlib is not installed: no plot")
    (config.out / "selection.md").write_text(render(summary, context, cal, files), encoding="utf-8")
    write_json(config.out / "selection.json", {"context": context, "modes": summary})
    with (config.out / "selection.items.jsonl").open("w", encoding="utf-8") as fh:
        for rec in all_records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    files = [config.out / "selection.md", config.out / "selection.json", config.out / "selection.items.jsonl", *files]
    return CompareRun(config.out, summary, all_records, files)
