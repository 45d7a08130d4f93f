"""The section of the answer's first citation (eval/consult.py + eval/report.py): the reader may put a boxed warning
before what retrieval ranked first, so what the user reads first is scored beside the retrieval rank."""

from __future__ import annotations

from typing import Any

from app.enums import Mode, Status
from app.pipeline.state import Answer, Citation, Turn
from eval.consult import score_answer
from eval.datasets.consult import ConsultItem
from eval.report import summarize_consult

GOLD = [{"medicine_id": "quetiapine", "attribute": "boxed_warning", "section_in_db": True}]


def _scored(cited: list[tuple[str, str, int]], ranked: list[str]) -> dict[str, Any]:
    citations = [Citation(m, a, f"{m}:{a}:0", "quote", n) for m, a, n in cited]
    answer = Answer("text", citations, [], [], len(citations), Mode.DRR, Status.ANSWERED,
                    audit={"ranked_chunk_ids": ranked})
    item = ConsultItem("x", "en", (Turn("user", "is quetiapine safe for my dad with dementia?"),), ())
    return score_answer(item, Mode.DRR, answer, GOLD)


def test_the_first_citation_is_scored_apart_from_the_retrieval_rank() -> None:
    ranked = ["quetiapine:warnings:0", "quetiapine:boxed_warning:0"]
    boxed_first = _scored([("quetiapine", "warnings", 2), ("quetiapine", "boxed_warning", 1)], ranked)
    assert boxed_first["attr_rank"] == 2 and boxed_first["cited_section_hit"] is True
    assert boxed_first["first_cited_section"] == ["quetiapine", "boxed_warning"]
    warnings_first = _scored([("quetiapine", "warnings", 1), ("quetiapine", "boxed_warning", 2)], ranked)
    assert warnings_first["cited_section_hit"] is False
    nothing = _scored([], ranked)
    assert nothing["cited_section_hit"] is False and nothing["first_cited_section"] is None


def test_the_report_gives_the_first_citations_section_and_reads_older_results() -> None:
    ranked = ["quetiapine:warnings:0", "quetiapine:boxed_warning:0"]
    records = [_scored([("quetiapine", "boxed_warning", 1)], ranked), _scored([("quetiapine", "warnings", 1)], ranked)]
    summary = summarize_consult(records, (1,), ["drr"])["modes"]["drr"]
    assert summary["cited_section_hit"] == 0.5 and summary["attr_hit"][1] == 0.0
    older = [{k: v for k, v in r.items() if k != "cited_section_hit"} for r in records]
    assert summarize_consult(older, (1,), ["drr"])["modes"]["drr"]["cited_section_hit"] is None
