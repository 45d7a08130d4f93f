"""'Cited a label with no medicine named' (eval/consult.py + eval/report.py): the which-medicine search's framed
list ("Medicines in the database indicated for heartburn: ...") is the answer such a question should get,
not a label nobody asked about; any other citation still counts, framed or not."""

from __future__ import annotations

from typing import Any

from app.enums import Mode, Status
from app.pipeline.state import Answer, Citation, Turn
from eval.consult import framed_which_medicine_list, score_answer
from eval.datasets.consult import ConsultItem
from eval.report import summarize_consult

FRAMED = "Medicines in the database indicated for heartburn: Omeprazole [1], Famotidine [2].\n[1] ..."


def _answer(text: str, attributes: list[str], reader: str = "indication_search",
            status: Status = Status.ANSWERED) -> Answer:
    citations = [Citation(f"m{i}", a, f"m{i}:{a}:0", "quote", i + 1) for i, a in enumerate(attributes)]
    return Answer(text, citations, [], [], len(citations), Mode.DRR, status, audit={"reader": reader})


def _score(answer: Answer, gold: tuple[Any, ...] = ()) -> dict[str, Any]:
    item = ConsultItem("x", "en", (Turn("user", "what can I take for heartburn?"),), gold)
    return score_answer(item, Mode.DRR, answer, [])


def test_a_framed_list_is_what_a_question_naming_no_medicine_should_get() -> None:
    answer = _answer(FRAMED, ["indications", "indications"])
    assert framed_which_medicine_list(answer)
    scored = _score(answer)
    assert scored["framed_list"] and not scored["cited_unframed"] and scored["cited_medicines"] == ["m0", "m1"]
    zh = _answer("数据库中适应症提到“胃酸过多”的药品：Omeprazole [1]。", ["indications"])
    assert framed_which_medicine_list(zh)


def test_anything_else_that_quotes_a_label_still_counts() -> None:
    unframed = [
        _answer("Omeprazole is taken once a day [1].", ["indications"]),  # not framed as a list
        _answer(FRAMED, ["indications", "dosage"]),  # a citation from another section
        _answer(FRAMED, ["indications"], reader="extractive"),  # not the which-medicine search's answer
        _answer(FRAMED, ["indications"], status=Status.NO_EVIDENCE),
    ]
    for answer in unframed:
        assert not framed_which_medicine_list(answer)
        assert _score(answer)["cited_unframed"]
    nothing = _score(_answer("The medicine database has no evidence.", [], status=Status.NO_EVIDENCE))
    assert not nothing["cited_unframed"] and not nothing["framed_list"]


def test_the_report_counts_only_unframed_citations_and_reads_older_results() -> None:
    records = [_score(_answer(FRAMED, ["indications"])), _score(_answer("Take it daily [1].", ["dosage"])),
               _score(_answer("No evidence.", [], status=Status.NO_EVIDENCE))]
    summary = summarize_consult(records, (1,), ["drr"])["modes"]["drr"]
    assert summary["n_without_medicine"] == 3 and abs(summary["cited_without_medicine"] - 1 / 3) < 1e-9
    older = [{k: v for k, v in r.items() if k not in ("cited_unframed", "framed_list")} for r in records]
    assert abs(summarize_consult(older, (1,), ["drr"])["modes"]["drr"]["cited_without_medicine"] - 2 / 3) < 1e-9
