"""Judges: the 0/1 loss of an answer."""

from __future__ import annotations

import pytest

from app.pipeline.state import Citation, ReadResult
from eval.judges import Case, ChoiceJudge, CitationJudge, FallbackJudge, LLMJudge, build_judge
from tests.fakes.chat_model import ScriptedChatModel


def gold(mid: str | None, attr: str | None, in_db: bool = True) -> dict[str, object]:
    return {"medicine": mid or "x", "medicine_id": mid, "attribute": attr, "section_in_db": in_db and attr is not None}


def answer(*cited: tuple[str, str]) -> ReadResult:
    cites = [Citation(m, a, f"{m}:{a}:0", "quote", i + 1) for i, (m, a) in enumerate(cited)]
    return ReadResult("text", cites, "answered" if cites else "no_evidence")


CASE = Case("q1", "side effects of ibuprofen?", [gold("ibuprofen", "adverse_reactions")])


def test_citation_judge_losses() -> None:
    j = CitationJudge()
    assert j.exclusion(CASE) is None
    assert j.loss(CASE, answer(("ibuprofen", "adverse_reactions"))) == 0
    assert j.loss(CASE, answer(("ibuprofen", "warnings"), ("ibuprofen", "adverse_reactions"))) == 0
    assert j.loss(CASE, answer(("ibuprofen", "warnings"))) == 1  # gold section never cited
    assert j.loss(CASE, answer()) == 1  # nothing cited
    # the first citation is another medicine's: a loss even though the gold pair is cited later
    assert j.loss(CASE, answer(("warfarin-sodium", "interactions"), ("ibuprofen", "adverse_reactions"))) == 1
    any_section = Case("q2", "what is morphine", [gold("morphine", None)])
    assert j.loss(any_section, answer(("morphine", "indications"))) == 0


def test_citation_judge_exclusions() -> None:
    j = CitationJudge()
    assert j.exclusion(Case("a", "q", [])) == "no gold"
    assert j.exclusion(Case("b", "q", [gold(None, "dosage")])) == "gold medicine not in the database"
    assert j.exclusion(Case("c", "q", [gold("acetaminophen", "pregnancy", in_db=False)])) == (
        "gold section not in the database")


def test_choice_judge() -> None:
    case = Case("m1", "which?", options={"A": "better", "B": "worse"}, correct="B")
    j = ChoiceJudge()
    assert j.loss(case, ReadResult("The answer is (B).", [], "answered")) == 0
    assert j.loss(case, ReadResult("A", [], "answered")) == 1
    assert j.loss(case, ReadResult("I cannot tell", [], "answered")) == 1
    assert j.exclusion(Case("m2", "q")) == "no answer letter"


def test_llm_judge_uses_the_reference_and_caches_verdicts() -> None:
    model = ScriptedChatModel("CORRECT", "Incorrect.", "hmm")
    j = LLMJudge(model)
    case = Case("r1", "dose?", [], reference="200 mg every 4 hours")
    assert j.exclusion(case) is None and j.exclusion(Case("r2", "q")) == "no reference answer"
    assert j.loss(case, ReadResult("Take 200 mg every 4 to 6 hours [1].", [], "answered")) == 0
    assert j.loss(case, ReadResult("Take 200 mg every 4 to 6 hours [1].", [], "answered")) == 0  # cached
    assert len(model.calls) == 1 and "Reference answer: 200 mg" in model.prompt()
    assert j.loss(case, ReadResult("Take 2 g.", [], "answered")) == 1
    assert j.loss(case, ReadResult("Other.", [], "answered")) == 1 and j.unreadable == 1  # unreadable: a loss


def test_fallback_and_builder() -> None:
    model = ScriptedChatModel("INCORRECT")
    j = FallbackJudge(LLMJudge(model), CitationJudge())
    with_ref = Case("x", "q", [gold("ibuprofen", "dosage")], reference="ref")
    assert j.loss(with_ref, answer(("ibuprofen", "dosage"))) == 1  # the model judged
    assert j.loss(CASE, answer(("ibuprofen", "adverse_reactions"))) == 0  # no reference: citations
    assert j.name == "llm|citation"
    assert isinstance(build_judge("auto", None), CitationJudge)
    assert isinstance(build_judge("auto", model), FallbackJudge)
    with pytest.raises(ValueError, match="needs a model"):
        build_judge("llm", None)
    with pytest.raises(ValueError, match="unknown judge"):
        build_judge("vibes", None)
