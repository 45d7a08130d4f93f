"""`clinqa eval answers` results rendered: summary.json, report.md and answers.png (per question type)."""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from eval.metrics import mean, percentile
from eval.report import pct, pyplot, table
from eval.results import EvalError, write_json

log = logging.getLogger(__name__)


def summarize_group(records: list[dict[str, Any]]) -> dict[str, Any]:
    lengths = [float(r["length"]) for r in records if r["status"] == "answered"]
    return {
        "n": len(records),
        "n_facts": sum(int(r["facts"]) for r in records),
        "fact_recall": mean(float(r["recall"]) for r in records),
        "all_facts": mean(float(r["all_facts"]) for r in records),
        "wrong_medicine": mean(float(r["wrong_medicine"]) for r in records),
        "wrong_medicine_unnamed": mean(float(r["wrong_medicine_unnamed"]) for r in records
                                       if r.get("wrong_medicine_unnamed") is not None),
        "length_median": percentile(lengths, 50),
        "length_p90": percentile(lengths, 90),
        "status": dict(Counter(r["status"] for r in records).most_common()),
        "n_errors": sum(1 for r in records if r.get("error")),
    }


def summarize_answers(records: list[dict[str, Any]]) -> dict[str, Any]:
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_type[r["type"]].append(r)
    latency = [float(r["timings_ms"]["total"]) for r in records if (r.get("timings_ms") or {}).get("total")]
    return {
        "overall": summarize_group(records),
        "by_type": {t: summarize_group(rs) for t, rs in sorted(by_type.items())},
        "latency_ms": {"p50": percentile(latency, 50), "p95": percentile(latency, 95)},
    }


def _chars(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def render_answers(summary: dict[str, Any], records: list[dict[str, Any]], context: dict[str, Any],
                   plots: list[str]) -> str:
    o = summary["overall"]
    out = [
        "# Answer-level evaluation",
        "",
        f"- data: `{context.get('data')}` ({context.get('n_items')} items, {context.get('n_facts')} key facts)",
        f"- index: `{context.get('index_version')}`; mode {context.get('mode')}",
        "",
        table(["metric", "value"], [
            ["fact recall (mean over items of facts stated / facts), %", pct(o["fact_recall"])],
            ["items stating every key fact, %", pct(o["all_facts"])],
            ["wrong medicine (first citation not a medicine of the item), %", pct(o["wrong_medicine"])],
            ["wrong medicine, and of a medicine the user never named, %", pct(o.get("wrong_medicine_unnamed"))],
            ["answer length, median / p90 (characters, answered items)",
             f"{_chars(o['length_median'])} / {_chars(o['length_p90'])}"],
            ["latency p50 / p95 (ms)",
             f"{_chars(summary['latency_ms']['p50'])} / {_chars(summary['latency_ms']['p95'])}"],
            ["status", ", ".join(f"{k} {v}" for k, v in o["status"].items())],
            ["errors", str(o["n_errors"])],
        ]),
        "",
        "## By question type",
        "",
        table(["type", "n", "facts", "fact recall %", "all facts %", "wrong medicine %", "median chars", "status"], [
            [t, str(g["n"]), str(g["n_facts"]), pct(g["fact_recall"]), pct(g["all_facts"]), pct(g["wrong_medicine"]),
             _chars(g["length_median"]), ", ".join(f"{k} {v}" for k, v in g["status"].items())]
            for t, g in summary["by_type"].items()
        ]),
        "",
    ]
    missed = [r for r in records if not r["all_facts"]]
    if missed:
        out += ["## Items missing a key fact", "",
                table(["id", "type", "status", "first cited", "missed"], [
                    [r["id"], r["type"], r["status"], (r["cited_medicines"] or ["–"])[0],
                     "; ".join(m.replace("|", "/") for m in r["missed"])]
                    for r in sorted(missed, key=lambda r: r["id"])
                ]), ""]
    if plots:
        out += ["## Plots", ""] + [f"![{Path(p).stem}]({Path(p).name})" for p in plots] + [""]
    out += [
        "Definitions: a key fact is stated when any of its patterns matches the answer text or its notices "
        "(case-insensitive, whitespace-tolerant); fact recall is the mean over items of the share of their facts "
        "stated; wrong medicine: the answer's first citation is a medicine the item is not about (an answer "
        "citing nothing is not wrong here); length counts the characters of the answer text of answered items.",
        "",
    ]
    return "\n".join(out)


def plot_answers(summary: dict[str, Any], path: Path) -> Path:
    plt = pyplot()
    types = list(summary["by_type"])
    groups = summary["by_type"]
    fig, ax = plt.subplots(figsize=(max(6.4, 0.8 * len(types) + 2), 4.4))
    width = 0.38
    for j, (key, label) in enumerate((("fact_recall", "fact recall"), ("all_facts", "all facts stated"))):
        xs = [i + (j - 0.5) * width for i in range(len(types))]
        ax.bar(xs, [100 * (groups[t][key] or 0.0) for t in types], width, label=label)
    ax.set_xticks(range(len(types)))
    ax.set_xticklabels([f"{t} ({groups[t]['n']})" for t in types], rotation=35, ha="right")
    ax.set_ylabel("%")
    ax.set_ylim(0, 100)
    ax.axhline(100 * (summary["overall"]["fact_recall"] or 0.0), color="C0", linestyle=":", linewidth=1)
    ax.axhline(100 * (summary["overall"]["all_facts"] or 0.0), color="C1", linestyle=":", linewidth=1)
    ax.legend(fontsize=8)
    ax.set_title("Key facts stated, by question type (dotted: overall)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_answers_report(records: list[dict[str, Any]], out: Path, context: dict[str, Any],
                         plots: bool = True) -> tuple[dict[str, Any], list[Path]]:
    summary = summarize_answers(records)
    files: list[Path] = []
    if plots and records:
        try:
            files.append(plot_answers(summary, out / "answers.png"))
        except ImportError:
            log.warning("matplotlib is not installed: no plots")
    (out / "report.md").write_text(render_answers(summary, records, context, [str(f) for f in files]),
                                   encoding="utf-8")
    write_json(out / "summary.json", {"context": context, **summary})
    return summary, [out / "report.md", out / "summary.json", *files]


# -- before / after ---------------------------------------------------------------------------------


def _clip(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split()).replace("|", "/")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_comparison(before: list[dict[str, Any]], after: list[dict[str, Any]], before_name: str,
                      examples: int = 5) -> str:
    """compare.md: the figures of an earlier run of the same items beside this one, the items whose facts
    changed, and a few answers side by side (those that changed most first)."""
    old_by = {r["id"]: r for r in before}
    both = [r for r in after if r["id"] in old_by]
    old = [old_by[r["id"]] for r in both]
    s_old, s_new = summarize_answers(old), summarize_answers(both)

    def row(label: str, key: str, as_pct: bool = True) -> list[str]:
        a, b = s_old["overall"][key], s_new["overall"][key]
        shown = pct if as_pct else _chars
        return [label, shown(a), shown(b)]

    out = [
        "# Answer-level evaluation: before and after",
        "",
        f"- before: `{before_name}`; {len(both)} items in both runs"
        + (f" ({len(after) - len(both)} only in this run)" if len(after) > len(both) else ""),
        "",
        table(["metric", "before", "after"], [
            row("fact recall, %", "fact_recall"),
            row("items stating every key fact, %", "all_facts"),
            row("wrong medicine, %", "wrong_medicine"),
            row("median answer length (characters)", "length_median", as_pct=False),
            row("p90 answer length (characters)", "length_p90", as_pct=False),
            ["latency p50 (ms)", _chars(s_old["latency_ms"]["p50"]), _chars(s_new["latency_ms"]["p50"])],
        ]),
        "",
        "## Fact recall by question type, %",
        "",
        table(["type", "n", "before", "after"], [
            [t, str(g["n"]), pct((s_old["by_type"].get(t) or {}).get("fact_recall")), pct(g["fact_recall"])]
            for t, g in s_new["by_type"].items()
        ]),
        "",
    ]
    changed = sorted((r for r in both if r["recall"] != old_by[r["id"]]["recall"]),
                     key=lambda r: (-abs(r["recall"] - old_by[r["id"]]["recall"]), r["id"]))
    if changed:
        out += ["## Items whose key facts changed", "",
                table(["id", "type", "before", "after"], [
                    [r["id"], r["type"], f"{sum(old_by[r['id']]['stated'])}/{r['facts']}",
                     f"{sum(r['stated'])}/{r['facts']}"] for r in changed
                ]), ""]
        out += ["## Answers side by side", ""]
        for r in changed[:examples]:
            o = old_by[r["id"]]
            out += [f"**{r['id']}** ({r['type']}): {_clip(r['question'], 200)}", "",
                    table(["", "before", "after"], [
                        ["status, facts", f"{o['status']}, {sum(o['stated'])}/{o['facts']}",
                         f"{r['status']}, {sum(r['stated'])}/{r['facts']}"],
                        ["answer", _clip(o["answer"]), _clip(r["answer"])],
                    ]), ""]
    return "\n".join(out)


def write_comparison(records: list[dict[str, Any]], before_dir: Path, out: Path) -> Path:
    """compare.md from this run's records and the results.jsonl of an earlier run (same mode)."""
    before_file = before_dir / "results.jsonl"
    if not before_file.is_file():
        raise EvalError(f"--compare: no results.jsonl in {before_dir}")
    mode = records[0]["mode"] if records else None
    before = [r for r in (json.loads(line) for line in before_file.read_text(encoding="utf-8").splitlines()
                          if line.strip()) if r.get("mode") == mode]
    path = out / "compare.md"
    path.write_text(render_comparison(before, records, str(before_dir)), encoding="utf-8")
    return path
