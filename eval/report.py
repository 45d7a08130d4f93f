"""Summaries of results.jsonl, rendered as report.md tables and PNG plots (matplotlib, Agg backend)."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import hit_at, mean, percentile, precision_recall, reciprocal_rank
from eval.results import write_json

log = logging.getLogger(__name__)

# Stages shown in the latency table, in pipeline order (others found in the audit are appended).
_STAGES = ["patient_context", "distill", "medication_partners", "retrieve", "retrieve.bm25", "retrieve.embed",
           "retrieve.ann", "retrieve.fusion", "select", "read", "patient_outcome", "total"]


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    rule = "|".join("---" if i == 0 else "---:" for i in range(len(header)))
    lines = ["| " + " | ".join(header) + " |", f"|{rule}|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


# -- consultation -----------------------------------------------------------------------------------


def summarize_mode(records: list[dict[str, Any]], ks: Sequence[int]) -> dict[str, Any]:
    answerable = [r for r in records if r["answerable"]]
    attr = [r for r in records if r["attr_scored"]]
    abst = precision_recall((r["abstain_case"], r["abstained"]) for r in records if r["gold"])
    tool = [r["tool_call_ok"] for r in records if r.get("tool_call_ok") is not None]
    stages: dict[str, list[float]] = defaultdict(list)
    for r in records:
        for stage, ms in (r.get("timings_ms") or {}).items():
            stages[stage].append(float(ms))
    return {
        "n": len(records),
        "n_answerable": len(answerable),
        "n_attr_scored": len(attr),
        "n_attr_absent": sum(1 for r in records if r["attr_absent"]),
        "n_abstain_cases": abst.actual,
        "n_errors": sum(1 for r in records if r.get("error")),
        "doc_hit": {k: mean(float(hit_at(r["doc_rank"], k)) for r in answerable) for k in ks},
        "doc_mrr": mean(reciprocal_rank(r["doc_rank"]) for r in answerable),
        "attr_hit": {k: mean(float(hit_at(r["attr_rank"], k)) for r in attr) for k in ks},
        "attr_mrr": mean(reciprocal_rank(r["attr_rank"]) for r in attr),
        "cited_section_hit": mean(float(r["cited_section_hit"]) for r in attr
                                  if r.get("cited_section_hit") is not None),
        "abstain_precision": abst.precision,
        "abstain_recall": abst.recall,
        "abstain_predicted": abst.predicted,
        "false_abstention": mean(float(r["abstained"]) for r in answerable),
        "wrong_medicine": mean(float(r["wrong_medicine"]) for r in records if r.get("wrong_medicine") is not None),
        # of which the first citation is of a medicine the user never named (eval/named_by_user.py; newer runs)
        "wrong_medicine_unnamed": mean(float(r["wrong_medicine_unnamed"]) for r in records
                                       if r.get("wrong_medicine_unnamed") is not None),
        "clarify_rate": mean(float(bool(r.get("clarified"))) for r in records),
        # quoting a label outside a framed which-medicine list (eval/consult.py; older results: any citation)
        "cited_without_medicine": mean(float(r.get("cited_unframed", bool(r.get("cited_medicines"))))
                                       for r in records if not r["gold"]),
        "n_without_medicine": sum(1 for r in records if not r["gold"]),
        "tool_calls": len(tool),
        "tool_call_well_formed": mean(float(t) for t in tool),
        "calls_total": sum((r.get("tool_calls") or [0, 0])[0] for r in records),
        "calls_well_formed": sum((r.get("tool_calls") or [0, 0])[1] for r in records),
        "latency_ms": {
            s: {"p50": percentile(v, 50), "p95": percentile(v, 95), "n": len(v)} for s, v in stages.items()
        },
    }


def summarize_groups(records: list[dict[str, Any]], key: str, ks: Sequence[int]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        value = r.get(key) if key != "variant" else (r.get("meta") or {}).get("variant")
        groups[str(value) if value is not None else "(none)"].append(r)
    return {g: summarize_mode(rs, ks) for g, rs in sorted(groups.items())}


def summarize_consult(records: list[dict[str, Any]], ks: Sequence[int], modes: Sequence[str]) -> dict[str, Any]:
    by_mode = {m: [r for r in records if r["mode"] == m] for m in modes}
    return {
        "ks": list(ks),
        "modes": {m: summarize_mode(rs, ks) for m, rs in by_mode.items()},
        "by_attribute": {m: summarize_groups(rs, "gold_attribute", ks) for m, rs in by_mode.items()},
        "by_variant": {m: summarize_groups(rs, "variant", ks) for m, rs in by_mode.items()},
        "by_lang": {m: summarize_groups(rs, "lang", ks) for m, rs in by_mode.items()},
    }


def render_consult(summary: dict[str, Any], context: dict[str, Any], plots: Sequence[str]) -> str:
    modes = list(summary["modes"])
    ks = summary["ks"]
    s = summary["modes"]
    first = s[modes[0]] if modes else {}
    out = [
        "# Consultation benchmark",
        "",
        f"- data: `{context.get('data')}` ({context.get('n_items')} items)",
        f"- index: `{context.get('index_version')}` ({context.get('retrieval')}, "
        f"{context.get('n_medicines')} medicines)",
        f"- items with a gold medicine in the database: {first.get('n_answerable')}; "
        f"with its gold section in the database (attribute-level scoring): {first.get('n_attr_scored')}; "
        f"gold section absent from the label (not attribute-scored): {first.get('n_attr_absent')}; "
        f"abstention cases (gold medicine not in the database): {first.get('n_abstain_cases')}",
        "",
        "## Retrieval and abstention, " + " vs ".join(m.upper() for m in modes),
        "",
        "Hit@k and MRR in percent over the first 50 ranked chunks.",
        "",
    ]
    rows: list[list[str]] = []
    for k in ks:
        rows.append([f"document hit@{k}", *(pct(s[m]["doc_hit"][k]) for m in modes)])
    rows.append(["document MRR", *(pct(s[m]["doc_mrr"]) for m in modes)])
    for k in ks:
        rows.append([f"attribute hit@{k}", *(pct(s[m]["attr_hit"][k]) for m in modes)])
    rows.append(["attribute MRR", *(pct(s[m]["attr_mrr"]) for m in modes)])
    rows.append(["gold section of the answer's first citation (what the user reads first)",
                 *(pct(s[m].get("cited_section_hit")) for m in modes)])
    rows.append(["abstention precision", *(pct(s[m]["abstain_precision"]) for m in modes)])
    rows.append(["abstention recall (products not in the database)", *(pct(s[m]["abstain_recall"]) for m in modes)])
    rows.append(["abstained on answerable items", *(pct(s[m]["false_abstention"]) for m in modes)])
    rows.append(["wrong medicine (first citation not a gold medicine)",
                 *(pct(s[m].get("wrong_medicine")) for m in modes)])
    rows.append(["wrong medicine, and of a medicine the user never named",
                 *(pct(s[m].get("wrong_medicine_unnamed")) for m in modes)])
    rows.append(["clarify rate", *(pct(s[m].get("clarify_rate")) for m in modes)])
    rows.append([f"cited a label with no medicine named, outside a framed which-medicine list "
                 f"({first.get('n_without_medicine', 0)} items)",
                 *(pct(s[m].get("cited_without_medicine")) for m in modes)])
    rows.append(
        ["tool calls well-formed", *(
            f"{pct(s[m]['tool_call_well_formed'])} of {s[m]['tool_calls']} turns; "
            f"{s[m]['calls_well_formed']}/{s[m]['calls_total']} calls"
            if s[m]["tool_calls"] else "n/a (rules)"
            for m in modes
        )]
    )
    rows.append(["errors", *(str(s[m]["n_errors"]) for m in modes)])
    out += [table(["metric", *(m.upper() for m in modes)], rows), ""]

    stages = [st for st in _STAGES if any(st in s[m]["latency_ms"] for m in modes)]
    stages += sorted({st for m in modes for st in s[m]["latency_ms"]} - set(stages))
    lat_rows = []
    for st in stages:
        row = [st]
        for m in modes:
            v = s[m]["latency_ms"].get(st)
            row += [_fmt(v["p50"], 1), _fmt(v["p95"], 1)] if v else ["–", "–"]
        lat_rows.append(row)
    lat_head = ["stage", *(f"{m.upper()} {p}" for m in modes for p in ("p50", "p95"))]
    out += ["## Latency per stage (ms)", "", table(lat_head, lat_rows), ""]

    kk = [k for k in ks if k in (1, 5)] or ks[:1]
    attr_rows = []
    attrs = sorted({a for m in modes for a in summary["by_attribute"][m]}, key=lambda a: (a == "(none)", a))
    for a in attrs:
        groups = [summary["by_attribute"][m].get(a) for m in modes]
        n = next((g["n"] for g in groups if g), 0)
        row = [a, str(n)]
        for k in kk:
            row += [pct(g["doc_hit"][k]) if g else "–" for g in groups]
        for k in kk:
            row += [pct(g["attr_hit"][k]) if g else "–" for g in groups]
        attr_rows.append(row)
    head = ["gold attribute", "n"]
    head += [f"doc@{k} {m.upper()}" for k in kk for m in modes]
    head += [f"attr@{k} {m.upper()}" for k in kk for m in modes]
    out += ["## By gold attribute", "", "(attribute-level columns count only items whose gold section is in the "
            "database; – where none is)", "", table(head, attr_rows), ""]

    for key, title in (("by_variant", "By dialogue variant"), ("by_lang", "By language")):
        groups_all = summary[key]
        names = sorted({g for m in modes for g in groups_all[m]})
        if len(names) <= 1:
            continue
        rows = []
        for g in names:
            gs = [groups_all[m].get(g) for m in modes]
            n = next((x["n"] for x in gs if x), 0)
            row = [g, str(n)]
            row += [pct(x["doc_hit"][kk[0]]) if x else "–" for x in gs]
            row += [pct(x["attr_hit"][kk[0]]) if x else "–" for x in gs]
            rows.append(row)
        hd = [title.split()[-1], "n", *(f"doc@{kk[0]} {m.upper()}" for m in modes),
              *(f"attr@{kk[0]} {m.upper()}" for m in modes)]
        out += [f"## {title}", "", table(hd, rows), ""]
    if plots:
        out += ["## Plots", ""] + [f"![{Path(p).stem}]({Path(p).name})" for p in plots] + [""]
    out += [
        "Definitions: document hit@k — a chunk of a gold medicine among the first k retrieved; attribute hit@k — "
        "a chunk of a gold (medicine, attribute) pair among the first k; abstention — the answer's status is "
        "`no_evidence` or `unknown_drug`; an abstention case is an item whose gold medicines are not in the "
        "database. Latency from each answer's audit (`timings_ms`).",
        "",
    ]
    return "\n".join(out)


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_hitk(summary: dict[str, Any], path: Path) -> Path:
    plt = pyplot()
    ks = summary["ks"]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    styles = {"doc_hit": "-", "attr_hit": "--"}
    for i, (mode, s) in enumerate(summary["modes"].items()):
        for key, style in styles.items():
            ys = [100 * (s[key][k] or 0.0) for k in ks]
            label = f"{mode.upper()} {'document' if key == 'doc_hit' else 'attribute'}"
            ax.plot(ks, ys, style, marker="o" if key == "doc_hit" else "s", color=f"C{i}", label=label)
    ax.set_xlabel("k")
    ax.set_ylabel("hit@k (%)")
    ax.set_xticks(ks)
    ax.set_ylim(0, 103)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("Hit@k by mode")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_attributes(summary: dict[str, Any], path: Path, k: int) -> Path:
    plt = pyplot()
    modes = list(summary["modes"])
    attrs = sorted({a for m in modes for a in summary["by_attribute"][m]}, key=lambda a: (a == "(none)", a))
    fig, ax = plt.subplots(figsize=(max(6.4, 0.9 * len(attrs) + 2), 4.4))
    width = 0.8 / max(1, 2 * len(modes))
    for i, mode in enumerate(modes):
        groups = summary["by_attribute"][mode]
        for j, key in enumerate(("doc_hit", "attr_hit")):
            xs = [a + (2 * i + j - len(modes) + 0.5) * width for a in range(len(attrs))]
            ys = [100 * ((groups.get(a) or {}).get(key, {}).get(k) or 0.0) for a in attrs]
            ax.bar(xs, ys, width, label=f"{mode.upper()} {'document' if key == 'doc_hit' else 'attribute'}@{k}")
    counts = [next((g[a]["n"] for g in summary["by_attribute"].values() if a in g), 0) for a in attrs]
    ax.set_xticks(range(len(attrs)))
    ax.set_xticklabels([f"{a} ({n})" for a, n in zip(attrs, counts, strict=True)], rotation=35, ha="right")
    ax.set_ylabel(f"hit@{k} (%)")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2 * len(modes), frameon=False)
    ax.set_title(f"Hit@{k} by gold attribute (items)", pad=30)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_consult_report(
    records: list[dict[str, Any]],
    out: Path,
    ks: Sequence[int],
    modes: Sequence[str],
    context: dict[str, Any],
    plots: bool = True,
) -> tuple[dict[str, Any], list[Path]]:
    summary = summarize_consult(records, ks, modes)
    files: list[Path] = []
    if plots:
        try:
            files.append(plot_hitk(summary, out / "hitk.png"))
            files.append(plot_attributes(summary, out / "attributes.png", 5 if 5 in ks else ks[-1]))
        except ImportError:
            log.warning("matplotlib is not installed: no plots")
    (out / "report.md").write_text(render_consult(summary, context, [str(f) for f in files]), encoding="utf-8")
    write_json(out / "summary.json", {"context": context, **summary})
    return summary, [out / "report.md", out / "summary.json", *files]


# -- MMXU -------------------------------------------------------------------------------------------


def summarize_mmxu(records: list[dict[str, Any]]) -> dict[str, Any]:
    by_mag: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_mag[r["mag"]].append(r)
    out: dict[str, Any] = {}
    for mag, rs in by_mag.items():
        types = sorted({r["change_type"] for r in rs})
        out[mag] = {
            "n": len(rs),
            "accuracy": mean(float(r["correct"]) for r in rs),
            "unparseable": sum(1 for r in rs if r["predicted"] is None and not r.get("error")),
            "errors": sum(1 for r in rs if r.get("error")),
            "by_change_type": {
                t: {"n": len(g), "accuracy": mean(float(r["correct"]) for r in g)}
                for t in types
                for g in [[r for r in rs if r["change_type"] == t]]
            },
            "predicted": dict(Counter(str(r["predicted"]) for r in rs)),
            "latency_ms": {
                "p50": percentile([r["latency_ms"] for r in rs if r.get("latency_ms") is not None], 50),
                "p95": percentile([r["latency_ms"] for r in rs if r.get("latency_ms") is not None], 95),
            },
        }
    return out


def render_mmxu(summary: dict[str, Any], context: dict[str, Any], plots: Sequence[str]) -> str:
    mags = [m for m in ("none", "global", "regional", "all") if m in summary] + sorted(
        set(summary) - {"none", "global", "regional", "all"}
    )
    types = sorted({t for m in mags for t in summary[m]["by_change_type"]})
    rows = []
    for m in mags:
        s = summary[m]
        row = [m, str(s["n"]), pct(s["accuracy"])]
        row += [pct((s["by_change_type"].get(t) or {}).get("accuracy")) for t in types]
        row += [str(s["unparseable"]), str(s["errors"]), _fmt(s["latency_ms"]["p50"], 0)]
        rows.append(row)
    head = ["MAG", "n", "accuracy", *(f"{t}" for t in types), "unparseable", "errors", "p50 ms"]
    out = [
        "# MMXU",
        "",
        f"- questions: `{context.get('questions')}`; images: `{context.get('images')}`; "
        f"reports: `{context.get('reports')}`",
        f"- model: `{context.get('model')}` via `{context.get('backend')}`",
        "",
        "Accuracy in percent; per change type columns use `content_type` for scoring only (it is never shown "
        "to the model). An unparseable reply counts as wrong.",
        "",
        table(head, rows),
        "",
        "Predicted letters: " + "; ".join(f"{m}: {summary[m]['predicted']}" for m in mags),
        "",
    ]
    if plots:
        out += ["## Plots", ""] + [f"![{Path(p).stem}]({Path(p).name})" for p in plots] + [""]
    return "\n".join(out)


def plot_mag(summary: dict[str, Any], path: Path) -> Path:
    plt = pyplot()
    mags = [m for m in ("none", "global", "regional", "all") if m in summary]
    types = sorted({t for m in mags for t in summary[m]["by_change_type"]})
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    series = ["overall", *types]
    width = 0.8 / max(1, len(series))
    for j, name in enumerate(series):
        ys = [
            100 * ((summary[m]["accuracy"] if name == "overall"
                    else summary[m]["by_change_type"].get(name, {}).get("accuracy")) or 0.0)
            for m in mags
        ]
        ax.bar([i + (j - (len(series) - 1) / 2) * width for i in range(len(mags))], ys, width, label=name)
    ax.set_xticks(range(len(mags)))
    ax.set_xticklabels(mags)
    ax.set_xlabel("MAG setting")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 100)
    ax.axhline(25, color="grey", linestyle=":", linewidth=1)
    ax.legend(fontsize=8)
    ax.set_title("MMXU accuracy by MAG setting")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_mmxu_report(
    records: list[dict[str, Any]], out: Path, context: dict[str, Any], plots: bool = True
) -> tuple[dict[str, Any], list[Path]]:
    summary = summarize_mmxu(records)
    files: list[Path] = []
    if plots and summary:
        try:
            files.append(plot_mag(summary, out / "mag.png"))
        except ImportError:
            log.warning("matplotlib is not installed: no plots")
    (out / "report.md").write_text(render_mmxu(summary, context, [str(f) for f in files]), encoding="utf-8")
    write_json(out / "summary.json", {"context": context, "by_mag": summary})
    return summary, [out / "report.md", out / "summary.json", *files]


def plot_risk(path: Path, calibration: dict[str, Any] | None,
              heldout: dict[str, dict[str, float | None]] | None = None,
              points: dict[str, tuple[float, float]] | None = None) -> Path:
    """Empirical risk vs k: calibration curve (accepted ks filled), held-out curves, alpha, chosen k. All
    curves in calibration units (a unit lost when any of its items is)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.0, 4.4))
    alpha = None
    if calibration is not None:
        alpha = calibration["alpha"]
        ks = [int(k) for k in calibration["candidate_ks"]]
        risk = [calibration["risk"][str(k)] for k in ks]
        ax.plot(ks, risk, "-", color="C0", label=f"calibration (n={calibration['n']})")
        acc = set(calibration["accepted"])
        ax.scatter([k for k in ks if k in acc], [r for k, r in zip(ks, risk, strict=True) if k in acc],
                   color="C0", zorder=3, label="accepted (H0: risk > alpha rejected)")
        ax.scatter([k for k in ks if k not in acc], [r for k, r in zip(ks, risk, strict=True) if k not in acc],
                   facecolors="none", edgecolors="C0", zorder=3, label="not accepted")
        chosen = calibration.get("chosen_k")
        if chosen is not None:
            ax.axvline(chosen, color="C3", linestyle="--", linewidth=1.2, label=f"chosen k = {chosen}")
        else:
            ax.text(0.02, 0.96, "no k passed: fallback k, no guarantee", transform=ax.transAxes, va="top",
                    color="C3")
    for i, (name, curve) in enumerate((heldout or {}).items()):
        ks_h = [int(k) for k, v in curve.items() if v is not None]
        ax.plot(ks_h, [curve[str(k)] for k in ks_h], "-", marker=".", color=f"C{i + 1}",
                label=f"held-out {name} (units)")
    for j, (label, (x, y)) in enumerate((points or {}).items()):
        ax.scatter([x], [y], marker="^", s=60, color=f"C{j + 4}", zorder=4, label=f"{label} (mean k {x:.1f})")
    if alpha is not None:
        ax.axhline(alpha, color="grey", linestyle=":", linewidth=1.2, label=f"alpha = {alpha}")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("k (contexts read)")
    ax.set_ylabel("empirical risk (mean 0/1 loss)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title("Risk vs number of contexts")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
