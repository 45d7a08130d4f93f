"""Judges: the 0/1 loss of one answer, for calibration (eval/calibrate.py) and the selector comparison.

A judge says first whether it can score an item at all (`exclusion`: a reason, or None), then the loss of
an answer read from that item's evidence (`loss`: 1 = wrong). Items a judge cannot score are left out of
the risk and counted by reason, so the guarantee is about the items that can be judged (say so when
reporting it).

- `CitationJudge` (consultation, no model): loss when the answer cites no evidence chunk of a gold
  (medicine, attribute) pair, or when its first citation is a chunk of a medicine that is not gold. A gold
  pair with attribute null is hit by any chunk of that medicine. Left out: items without gold, items whose
  gold medicines are all missing from the database (abstention cases: nothing can be cited), and items
  whose gold sections are all missing from the labels.
- `ChoiceJudge` (multiple choice, MMXU-style): loss when the letter read from the reply is not the answer.
- `LLMJudge`: a chat model (app.llm ChatModel) compares the answer with the item's reference answer;
  used only for items that carry one. `FallbackJudge(LLMJudge(...), CitationJudge())` judges with the model
  where there is a reference answer and by citations elsewhere.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.pipeline.state import ReadResult
from eval.metrics import extract_letter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Case:
    """What a judge knows about an item: resolved gold (eval.consult.resolve_gold rows: medicine,
    medicine_id, attribute, section_in_db), and optionally a reference answer or a multiple-choice key."""

    id: str
    question: str
    gold: list[dict[str, Any]] = field(default_factory=list)
    reference: str | None = None
    options: dict[str, str] | None = None
    correct: str | None = None


class Judge(Protocol):
    name: str

    def to_dict(self) -> dict[str, Any]: ...

    def exclusion(self, case: Case) -> str | None:
        """Why this item cannot be judged, or None when it can."""
        ...

    def loss(self, case: Case, result: ReadResult) -> int:
        """1 when the answer is wrong, 0 when it is right (only for cases without an exclusion)."""
        ...


def gold_targets(case: Case) -> tuple[set[str], set[tuple[str, str | None]]]:
    """(gold medicine ids in the database, citable gold pairs): a pair whose attribute is null or whose
    section exists in the database."""
    mids = {g["medicine_id"] for g in case.gold if g.get("medicine_id")}
    pairs = {
        (g["medicine_id"], g.get("attribute"))
        for g in case.gold
        if g.get("medicine_id") and (g.get("attribute") is None or g.get("section_in_db"))
    }
    return mids, pairs


class CitationJudge:
    name = "citation"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "loss": "1 when the answer cites no chunk of a gold (medicine, attribute) pair (attribute null: any "
            "chunk of the medicine), or its first citation is a chunk of a non-gold medicine",
            "excluded": "no gold; gold medicines not in the database; gold sections not in the labels",
        }

    def exclusion(self, case: Case) -> str | None:
        if not case.gold:
            return "no gold"
        mids, pairs = gold_targets(case)
        if not mids:
            return "gold medicine not in the database"
        if not pairs:
            return "gold section not in the database"
        return None

    def loss(self, case: Case, result: ReadResult) -> int:
        mids, pairs = gold_targets(case)
        cited = [(c.medicine_id, c.attribute) for c in result.citations]
        hit = any((m, a) in pairs or (m, None) in pairs for m, a in cited)
        first_wrong = bool(cited) and cited[0][0] not in mids
        return int(not hit or first_wrong)


class ChoiceJudge:
    name = "choice"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "loss": "1 when the letter read from the reply is not the answer key"}

    def exclusion(self, case: Case) -> str | None:
        return None if case.correct else "no answer letter"

    def loss(self, case: Case, result: ReadResult) -> int:
        return int(extract_letter(result.text, case.options) != (case.correct or "").upper())


JUDGE_SYSTEM = (
    "You grade answers to medication questions. Compare the candidate answer with the reference answer. "
    "Reply CORRECT if the candidate answers the question consistently with the reference and states nothing "
    "that contradicts it; reply INCORRECT otherwise (including when it does not answer). Reply with one word."
)
_VERDICT = re.compile(r"\b(INCORRECT|CORRECT)\b", re.IGNORECASE)


class LLMJudge:
    """The model's verdict against the item's reference answer. An unreadable verdict counts as a loss
    (conservative) and is counted in `unreadable`. Verdicts are cached per (item, answer text): answers
    read at neighbouring k are often identical."""

    name = "llm"

    def __init__(self, model: Any, max_tokens: int = 8) -> None:
        self.model = model  # app.llm.protocol.ChatModel
        self.max_tokens = max_tokens
        self.unreadable = 0
        self._cache: dict[tuple[str, str], int] = {}

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "backend": getattr(self.model, "backend", None),
                "model": getattr(self.model, "model", None), "system": JUDGE_SYSTEM}

    def exclusion(self, case: Case) -> str | None:
        return None if case.reference and case.reference.strip() else "no reference answer"

    def loss(self, case: Case, result: ReadResult) -> int:
        key = (case.id, result.text)
        if key in self._cache:
            return self._cache[key]
        prompt = f"Question: {case.question}\n\nReference answer: {case.reference}\n\nCandidate answer: {result.text}"
        reply = self.model.chat(
            [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": prompt}],
            max_tokens=self.max_tokens,
            temperature=0.0,
        )
        found = _VERDICT.search(reply.content or "")
        if found is None:
            self.unreadable += 1
            log.warning("judge verdict unreadable for %s: %r", case.id, (reply.content or "")[:80])
        verdict = int(found is None or found.group(1).upper() == "INCORRECT")
        self._cache[key] = verdict
        return verdict


class FallbackJudge:
    """The primary judge where it applies, else the fallback (e.g. LLM where a reference answer exists)."""

    def __init__(self, primary: Judge, fallback: Judge) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = f"{primary.name}|{fallback.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "primary": self.primary.to_dict(), "fallback": self.fallback.to_dict()}

    def pick(self, case: Case) -> Judge:
        return self.primary if self.primary.exclusion(case) is None else self.fallback

    def exclusion(self, case: Case) -> str | None:
        return self.pick(case).exclusion(case)

    def loss(self, case: Case, result: ReadResult) -> int:
        return self.pick(case).loss(case, result)


JUDGES = ("auto", "citation", "llm", "choice")


def build_judge(kind: str, model: Any | None) -> Judge:
    """`auto`: the model against reference answers when a model is configured (CLINQA_LLM__BACKEND), with
    citations where an item has no reference; without a model, citations. `llm` needs a model."""
    if kind == "citation":
        return CitationJudge()
    if kind == "choice":
        return ChoiceJudge()
    if kind == "llm":
        if model is None:
            raise ValueError("--judge llm needs a model: set CLINQA_LLM__BACKEND to local or openai_compat")
        return LLMJudge(model)
    if kind == "auto":
        return FallbackJudge(LLMJudge(model), CitationJudge()) if model is not None else CitationJudge()
    raise ValueError(f"unknown judge {kind!r}; expected one of {', '.join(JUDGES)}")
