"""Read (extractive): answer only with sentences quoted from the selected evidence, each one cited.

No model is involved, so nothing can be invented: when the evidence does not bear on the question the
reader says the database has no evidence; when the drug is not in the database it says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.pipeline.types import Citation, Evidence, SearchQuery
from indexing.text import sentences, tokenize

NO_EVIDENCE = "The medicine database has no evidence that answers this question."
DISCLAIMER = (
    "This information comes from drug labels and is not medical advice; ask your doctor or pharmacist "
    "before starting, stopping or combining medicines."
)
_SECTION_REF = re.compile(r"^\(?\s*\d+(\.\d+)*\s*\)?$")


@dataclass
class ReadResult:
    text: str
    citations: list[Citation]
    status: str  # answered | no_evidence | unknown_drug
    notice: str = ""
    audit: dict[str, Any] = field(default_factory=dict)


def unknown_drug_answer(names: list[str]) -> ReadResult:
    listed = ", ".join(dict.fromkeys(names))
    text = (
        f"{listed} is not in the medicine database, so I cannot answer from its label. "
        "Please ask a pharmacist or doctor."
    )
    return ReadResult(text, [], "unknown_drug", audit={"unknown_drugs": names})


@dataclass(frozen=True, slots=True)
class _Candidate:
    evidence_index: int
    order: int
    sentence: str
    score: float


class ExtractiveReader:
    name = "extractive"

    def __init__(self, max_sentences: int = 4, max_chars: int = 900, max_per_chunk: int = 2) -> None:
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.max_per_chunk = max_per_chunk

    def to_dict(self) -> dict[str, Any]:
        return {"type": "extractive", "max_sentences": self.max_sentences, "max_chars": self.max_chars}

    def run(self, question: str, queries: list[SearchQuery], evidence: list[Evidence]) -> ReadResult:
        if not evidence:
            return ReadResult(NO_EVIDENCE, [], "no_evidence", audit={"reason": "no evidence retrieved"})
        asked = [q for q in queries if q.medicine]
        terms = self._terms(question, queries)
        candidates = self._candidates(evidence, terms, queries)
        if not candidates or (not asked and candidates[0].score < 1.0):
            return ReadResult(NO_EVIDENCE, [], "no_evidence", audit={"reason": "no sentence matches"})
        chosen = self._choose(candidates, evidence, asked)
        chosen.sort(key=lambda c: (c.evidence_index, c.order))
        parts, citations = [], []
        for c in chosen:
            ev = evidence[c.evidence_index]
            n = c.evidence_index + 1
            parts.append(f"{c.sentence} [{n}]")
            citations.append(
                Citation(ev.chunk.medicine_id, ev.chunk.attribute, ev.chunk.chunk_id, c.sentence, n)
            )
        notice = self._missing_section_notice(queries, evidence)
        return ReadResult(" ".join(parts), citations, "answered", notice=notice)

    @staticmethod
    def _terms(question: str, queries: list[SearchQuery]) -> dict[str, float]:
        terms: dict[str, float] = {}
        for tok in tokenize(question):
            terms[tok] = 1.0
        for q in queries:
            for tok in tokenize(q.keywords):
                terms.setdefault(tok, 0.5)
        return terms

    def _candidates(
        self, evidence: list[Evidence], terms: dict[str, float], queries: list[SearchQuery]
    ) -> list[_Candidate]:
        out = []
        for ei, ev in enumerate(evidence):
            query = queries[ev.query_index] if ev.query_index < len(queries) else None
            on_topic = query is not None and query.attribute == ev.chunk.attribute
            for order, sent in enumerate(sentences(ev.chunk.text)):
                if len(sent) < 25 or _SECTION_REF.match(sent):
                    continue
                toks = set(tokenize(sent, ev.chunk.lang))
                overlap = sum(w for t, w in terms.items() if t in toks)
                # Earlier evidence and earlier sentences of an on-topic section carry the answer more
                # often than a stray keyword match further down.
                prior = 1.0 / (1 + ei) + (0.5 if on_topic else 0.0) + 0.3 / (1 + order)
                out.append(_Candidate(ei, order, sent, overlap + prior))
        out.sort(key=lambda c: (-c.score, c.evidence_index, c.order))
        return out

    def _choose(
        self, candidates: list[_Candidate], evidence: list[Evidence], asked: list[SearchQuery]
    ) -> list[_Candidate]:
        chosen: list[_Candidate] = []
        per_chunk: dict[int, int] = {}
        chars = 0

        def take(c: _Candidate) -> bool:
            nonlocal chars
            if per_chunk.get(c.evidence_index, 0) >= self.max_per_chunk or c in chosen:
                return False
            if chosen and chars + len(c.sentence) > self.max_chars:
                return False
            chosen.append(c)
            per_chunk[c.evidence_index] = per_chunk.get(c.evidence_index, 0) + 1
            chars += len(c.sentence)
            return True

        # Every medicine that was asked about gets its best sentence first.
        for q in dict.fromkeys(q.medicine for q in asked):
            for c in candidates:
                if evidence[c.evidence_index].chunk.medicine_id == q and take(c):
                    break
        for c in candidates:
            if len(chosen) >= self.max_sentences:
                break
            take(c)
        return chosen

    @staticmethod
    def _missing_section_notice(queries: list[SearchQuery], evidence: list[Evidence]) -> str:
        missing = []
        for q in queries:
            if q.medicine and q.attribute:
                has = any(
                    e.chunk.medicine_id == q.medicine and e.chunk.attribute == q.attribute for e in evidence
                )
                if not has:
                    missing.append((q.medicine, q.attribute))
        if not missing:
            return ""
        listed = "; ".join(f"{m}: no {a.replace('_', ' ')} section" for m, a in missing)
        return f"The database's label text lacks the asked section ({listed}); quoting the closest sections."
