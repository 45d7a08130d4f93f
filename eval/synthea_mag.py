"""How often an answer surfaces a drug interaction with the patient's current medication, with and without
MedRecord-augmented generation, on the Synthea consultation set (eval/datasets/synthea_consult.py).

The cohort is imported into a scratch database; every question is asked through the serving Orchestrator
for its patient under each `mag` setting. An answer surfaces the interaction when one of its citations
quotes the asked drug's label naming the patient's medication (or a class of it), or the medication's
label naming the asked drug (or a class of it). The same test over the selected evidence chunks is
reported too (the reader sees them even when it does not quote them).

    python -m eval.synthea_mag --data eval/data/synthea_consult.jsonl --synthea ../shared/data/synthea \
        --index-dir data/index --out /tmp/synthea_mag.json
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.config import Settings
from app.enums import Mag, Mode
from app.factory import build_components
from app.pipeline.state import Answer, TurnRequest
from app.records.interactions import InteractionLinks, links_from_index
from app.records.synthea import read_export

MAGS = ("none", "global", "regional", "all")


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    mag: str
    partner_query: bool  # a query for one of the patient's interacting medications
    surfaced_answer: bool
    surfaced_evidence: bool
    record_citations: int
    ms: float  # the whole turn
    records_ms: float  # the MAG provider alone


def surfaces(texts: Iterable[tuple[str, str]], asked: str, current: list[str], links: InteractionLinks) -> bool:
    """(medicine id, text) pairs from labels: does one name the other drug of an interacting pair?"""
    for medicine_id, text in texts:
        if medicine_id == asked and any(links.mentions(text, m) for m in current):
            return True
        if medicine_id in current and links.mentions(text, asked):
            return True
    return False


def judge(item: dict[str, Any], mag: str, answer: Answer, ms: float, links: InteractionLinks) -> Outcome:
    asked, current = item["meta"]["asked"], item["meta"]["current"]
    return Outcome(
        id=item["id"],
        mag=mag,
        partner_query=any(q.medicine in current for q in answer.queries),
        surfaced_answer=surfaces(((c.medicine_id, c.quote) for c in answer.citations), asked, current, links),
        surfaced_evidence=surfaces(((e.chunk.medicine_id, e.chunk.text) for e in answer.evidence), asked,
                                   current, links),
        record_citations=len(answer.record_citations),
        ms=ms,
        records_ms=float(answer.audit.get("timings_ms", {}).get("patient_context", 0.0)),
    )


def run(data: Path, synthea: Path, index_dir: Path, dense_records: bool = False) -> list[Outcome]:
    items = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/records.db",
            index_dir=index_dir,
            vector_caches=[],
            vector_cache_out=None,
            build_on_start=False,
            records={"dense": dense_records},  # type: ignore[arg-type]
        )
        c = build_components(settings)
        c.db.migrate()
        c.indexes.start(build_if_missing=False)
        export = read_export(synthea)
        c.records.store.import_records(export.records, export.patients)
        links = links_from_index(c.indexes.get())
        out = []
        for item in items:
            question = item["dialogue"][-1]["content"]
            for mag in MAGS:
                t = time.perf_counter()
                request = TurnRequest(question, [], Mode.DRR, item["meta"]["patient_id"], Mag(mag))
                answer = c.orchestrator.answer(request)
                out.append(judge(item, mag, answer, (time.perf_counter() - t) * 1000, links))
        c.db.dispose()
    return out


def summary(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for mag in MAGS:
        rows = [o for o in outcomes if o.mag == mag]
        n = len(rows) or 1
        table[mag] = {
            "n": len(rows),
            "partner_query": sum(o.partner_query for o in rows) / n,
            "surfaced_answer": sum(o.surfaced_answer for o in rows) / n,
            "surfaced_evidence": sum(o.surfaced_evidence for o in rows) / n,
            "with_record_citations": sum(o.record_citations > 0 for o in rows) / n,
            "median_ms": sorted(o.ms for o in rows)[len(rows) // 2] if rows else 0.0,
            "median_records_ms": sorted(o.records_ms for o in rows)[len(rows) // 2] if rows else 0.0,
        }
    return table


def markdown(table: dict[str, dict[str, float]]) -> str:
    lines = [
        "| mag | n | query for the patient's medication | answer cites the interaction | "
        "evidence shows it | record citations | median ms (records stage) |",
        "|---|---|---|---|---|---|---|",
    ]
    for mag, row in table.items():
        lines.append(
            f"| {mag} | {int(row['n'])} | {row['partner_query']:.1%} | {row['surfaced_answer']:.1%} | "
            f"{row['surfaced_evidence']:.1%} | {row['with_record_citations']:.1%} | "
            f"{row['median_ms']:.0f} ({row['median_records_ms']:.0f}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--synthea", type=Path, required=True)
    ap.add_argument("--index-dir", type=Path, default=Path("data/index"))
    ap.add_argument("--dense-records", action="store_true", help="hybrid record search (loads the encoder)")
    ap.add_argument("--out", type=Path, help="write per-question outcomes and the summary as JSON")
    args = ap.parse_args(argv)
    print(write_run(args.data, args.synthea, args.index_dir, args.dense_records, args.out))


def write_run(data: Path, synthea: Path, index_dir: Path, dense_records: bool, out: Path | None) -> str:
    """Run, write the JSON when `out` is given, and return the Markdown table."""
    outcomes = run(data, synthea, index_dir, dense_records)
    table = summary(outcomes)
    if out is not None:
        out.write_text(json.dumps({"summary": table, "outcomes": [asdict(o) for o in outcomes]}, indent=1),
                       encoding="utf-8")
    return markdown(table)


if __name__ == "__main__":
    main()
