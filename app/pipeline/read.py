"""Read (extractive): answer only with sentences quoted from the selected evidence, each one cited.

No model is involved, so nothing can be invented: when the evidence does not bear on the question the
reader says the database has no evidence; when the drug is not in the database it says so.

Sentences are scored by the question's terms weighted by their rarity among the candidate sentences
(a drug's own name is everywhere in its label and counts for little; the partner drug of an interaction
question is rare and counts for much), plus a prior for the asked section and for earlier evidence.
"""

from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.config import ReadSettings
from app.enums import Status
from app.pipeline.state import (
    Citation,
    Evidence,
    Notice,
    NoticeKind,
    ReadRequest,
    ReadResult,
    SearchQuery,
    TurnState,
)
from indexing.schema import ATTRIBUTES, Attribute
from indexing.text import sentences, tokenize
from indexing.vocabulary import CJK_CHAR, DOSE_FORM_WORDS, SALT_WORDS

NO_EVIDENCE = "The medicine database has no evidence that answers this question."
_LEADING_REF = re.compile(r"^(\(\s*[\d.,\s]+\)\s*)+")
_MIN_SENTENCE = 25
# A Chinese character carries about a word: "遮光，密封保存。" is a whole sentence.
_MIN_SENTENCE_CJK = 6
_MAX_PIECE = 320
# Salt and form words in medicine names say nothing about which sentence answers a question.
_NAME_NOISE = SALT_WORDS | DOSE_FORM_WORDS


def pieces(sentence: str, limit: int = _MAX_PIECE) -> list[str]:
    """Long 'sentences' (flattened tables, run-on lists) are quoted as word-aligned windows that overlap
    by half, so whatever a question asks about sits well inside at least one of them."""
    if len(sentence) <= limit:
        return [sentence]
    words = sentence.split(" ")
    starts = [0]
    pos = 0
    for w in words:
        pos += len(w) + 1
        starts.append(pos)
    out: list[str] = []
    first = 0
    while first < len(words):
        last = first
        while last < len(words) and starts[last + 1] - starts[first] - 1 <= limit:
            last += 1
        last = max(last, first + 1)
        out.append(" ".join(words[first:last]))
        if last >= len(words):
            break
        half = starts[first] + (starts[last] - starts[first]) // 2
        first = max(first + 1, next(i for i in range(first, last + 1) if starts[i] >= half))
    return out


def unknown_drug_answer(names: list[str]) -> ReadResult:
    listed = ", ".join(dict.fromkeys(names))
    text = (
        f"{listed} is not in the medicine database, so I cannot answer from its label. "
        "Please ask a pharmacist or doctor."
    )
    return ReadResult(text, [], Status.UNKNOWN_DRUG, audit={"unknown_drugs": names})


# Popular chunks come back request after request; splitting and stemming them again was ~8% of the
# samples py-spy took of a serving process answering chats.
@lru_cache(maxsize=8192)
def quotable_sentences(text: str, lang: str) -> tuple[tuple[int, str, frozenset[str]], ...]:
    """(source sentence number, quotable piece, its tokens) for every piece of a chunk worth quoting."""
    out = []
    for source, raw in enumerate(sentences(text)):
        for piece in pieces(clean_sentence(raw)):
            minimum = _MIN_SENTENCE_CJK if CJK_CHAR.search(piece) else _MIN_SENTENCE
            if len(piece) >= minimum and any(ch.isalpha() for ch in piece):
                out.append((source, piece, frozenset(tokenize(piece, lang))))
    return tuple(out)


def clean_sentence(sentence: str) -> str:
    return _LEADING_REF.sub("", sentence).strip()


@dataclass(frozen=True, slots=True)
class _Sentence:
    evidence_index: int
    order: int
    text: str
    tokens: frozenset[str]
    source: int = 0  # the label sentence this piece came from; one quote per source sentence


@dataclass(frozen=True, slots=True)
class _Scored:
    sentence: _Sentence
    score: float
    lexical: float


class Reader(ABC):
    """The read stage: an answer from the selected evidence (and the patient's records, for a reader that
    uses them). Subclasses implement `read`; the stage's bookkeeping is shared."""

    name = "read"
    kind: str  # "extractive" | "llm" | ...: recorded as the answer's reader

    @abstractmethod
    def read(self, request: ReadRequest) -> ReadResult: ...

    @abstractmethod
    def to_dict(self) -> dict[str, Any]: ...

    def run(self, state: TurnState) -> None:
        distilled = state.distilled
        if distilled.unknown_drugs and not distilled.queries and not state.request.images:
            result = unknown_drug_answer(distilled.unknown_drugs)
        else:
            on_token = None
            if state.observer is not None:
                def on_token(text: str) -> None:
                    state.emit("token", {"text": text})
            result = self.read(ReadRequest(state.question, state.dialogue, distilled.queries, state.selected,
                                           state.patient, list(state.request.images), on_token=on_token))
        result.reader = self.kind
        state.reading = result
        if result.notice:
            state.notices.append(Notice(NoticeKind.READER, result.notice))
        if distilled.unknown_drugs and distilled.queries:
            state.notices.append(Notice(NoticeKind.UNKNOWN_DRUG,
                                        f"Not in the database: {', '.join(distilled.unknown_drugs)}."))


class ExtractiveReader(Reader):
    kind = "extractive"

    def __init__(self, config: ReadSettings | None = None, max_per_chunk: int = 2) -> None:
        config = config or ReadSettings()
        self.max_sentences = config.max_sentences
        self.max_chars = config.max_chars
        self.max_per_chunk = max_per_chunk

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "max_sentences": self.max_sentences, "max_chars": self.max_chars}

    def read(self, request: ReadRequest) -> ReadResult:
        return self.read_evidence(request.question, request.queries, request.evidence)

    def read_evidence(self, question: str, queries: list[SearchQuery], evidence: list[Evidence]) -> ReadResult:
        if not evidence:
            return ReadResult(NO_EVIDENCE, [], Status.NO_EVIDENCE, audit={"reason": "no evidence retrieved"})
        pool = self._sentences(evidence)
        if not pool:
            return ReadResult(NO_EVIDENCE, [], Status.NO_EVIDENCE, audit={"reason": "evidence has no sentences"})
        idf = self._idf(pool)
        question_terms = set(tokenize(question))
        rankings: list[list[_Scored]] = []
        missing: list[tuple[str, str]] = []
        if any(q.medicine for q in queries):
            for q in queries:
                if not q.medicine:
                    continue
                rankings.append(self._rank_for_query(q, queries, evidence, pool, idf, question_terms))
                if q.attribute and not any(
                    e.chunk.medicine_id == q.medicine and e.chunk.attribute == q.attribute for e in evidence
                ):
                    missing.append((q.medicine, q.attribute))
        else:
            rankings.append(self._rank_open(queries, evidence, pool, idf, question_terms))
        # Every asked medicine gets its best sentence first, then the best of the rest.
        heads = [r[0] for r in rankings if r]
        tails = sorted((s for r in rankings for s in r[1:]), key=lambda x: -x.score)
        chosen = self._trim(heads + tails, len(heads))
        notice = self._notice(missing)
        if not chosen:
            return ReadResult(NO_EVIDENCE, [], Status.NO_EVIDENCE, notice=notice,
                              audit={"reason": "no sentence matches"})
        chosen.sort(key=lambda s: (s.sentence.evidence_index, s.sentence.order))
        parts, citations = [], []
        for s in chosen:
            ev = evidence[s.sentence.evidence_index]
            n = s.sentence.evidence_index + 1
            parts.append(f"{s.sentence.text} [{n}]")
            citations.append(Citation(ev.chunk.medicine_id, ev.chunk.attribute, ev.chunk.chunk_id, s.sentence.text, n))
        return ReadResult(" ".join(parts), citations, Status.ANSWERED, notice=notice)

    # -- scoring ---------------------------------------------------------------------------------------

    @staticmethod
    def _sentences(evidence: list[Evidence]) -> list[_Sentence]:
        pool = []
        for ei, ev in enumerate(evidence):
            for order, (source, text, tokens) in enumerate(quotable_sentences(ev.chunk.text, ev.chunk.lang)):
                pool.append(_Sentence(ei, order, text, tokens, source))
        return pool

    @staticmethod
    def _idf(pool: list[_Sentence]) -> dict[str, float]:
        df: Counter[str] = Counter()
        for s in pool:
            df.update(s.tokens)
        n = len(pool)
        return {t: math.log(1 + n / c) for t, c in df.items()}

    @staticmethod
    def _lexical(tokens: frozenset[str], terms: dict[str, float], idf: dict[str, float]) -> float:
        return sum(w * idf.get(t, 0.0) for t, w in terms.items() if t in tokens)

    def _rank_for_query(
        self,
        query: SearchQuery,
        queries: list[SearchQuery],
        evidence: list[Evidence],
        pool: list[_Sentence],
        idf: dict[str, float],
        question_terms: set[str],
    ) -> list[_Scored]:
        own_name = set(tokenize(query.keywords.split(" ")[0])) if query.keywords else set()
        # The section's own heading words ("drug interactions") are in every sentence's context, not
        # in the answer.
        heading = set(tokenize(Attribute(query.attribute).label)) if query.attribute in ATTRIBUTES else set()
        terms: dict[str, float] = {t: 0.5 for t in tokenize(query.keywords) if t not in heading}
        terms.update({t: 1.0 for t in question_terms})
        for other in queries:
            if other is not query and other.medicine and query.attribute == "interactions":
                words = [w for w in other.medicine.split("-") if w not in _NAME_NOISE]
                for t in tokenize(" ".join(words)):
                    terms[t] = 2.0
        for t in own_name:
            terms[t] = 0.1
        specific = {t: w for t, w in terms.items() if t in question_terms and t not in own_name}
        out = []
        for s in pool:
            chunk = evidence[s.evidence_index].chunk
            if chunk.medicine_id != query.medicine:
                continue
            on_topic = query.attribute is None or chunk.attribute == query.attribute
            lexical = self._lexical(s.tokens, terms, idf)
            # Off-section sentences must share a question word, or they are quoting the label at random.
            if not on_topic and self._lexical(s.tokens, specific, idf) <= 0:
                continue
            prior = (0.8 if on_topic else 0.0) + 0.5 / (1 + s.evidence_index) + 0.3 / (1 + s.order)
            out.append(_Scored(s, lexical + prior, lexical))
        out.sort(key=lambda x: (-x.score, x.sentence.evidence_index, x.sentence.order))
        return out

    def _rank_open(
        self,
        queries: list[SearchQuery],
        evidence: list[Evidence],
        pool: list[_Sentence],
        idf: dict[str, float],
        question_terms: set[str],
    ) -> list[_Scored]:
        """No medicine was asked about: only sentences that share rare question words qualify."""
        terms = {t: 1.0 for t in question_terms}
        for q in queries:
            for t in tokenize(q.keywords):
                terms.setdefault(t, 0.5)
        # At least one question term as rare as appearing in a third of the sentences.
        threshold = math.log(1 + 3.0)
        out = []
        for s in pool:
            lexical = self._lexical(s.tokens, terms, idf)
            if lexical < threshold:
                continue
            prior = 0.5 / (1 + s.evidence_index) + 0.2 / (1 + s.order)
            out.append(_Scored(s, lexical + prior, lexical))
        out.sort(key=lambda x: (-x.score, x.sentence.evidence_index, x.sentence.order))
        return out

    # -- choosing --------------------------------------------------------------------------------------

    def _trim(self, ordered: list[_Scored], heads: int = 0) -> list[_Scored]:
        """Take sentences in order within the sentence, per-chunk and character budgets; the first `heads`
        (each asked medicine's best sentence) are not dropped for the character budget."""
        kept: list[_Scored] = []
        per_chunk: Counter[int] = Counter()
        chars = 0
        for i, s in enumerate(ordered):
            if len(kept) >= self.max_sentences:
                break
            if any(
                (k.sentence.evidence_index == s.sentence.evidence_index and k.sentence.source == s.sentence.source)
                or s.sentence.text in k.sentence.text
                or k.sentence.text in s.sentence.text
                for k in kept
            ):
                continue  # overlapping chunks repeat sentences; quote each once
            if per_chunk[s.sentence.evidence_index] >= self.max_per_chunk:
                continue
            if kept and i >= heads and chars + len(s.sentence.text) > self.max_chars:
                continue
            kept.append(s)
            per_chunk[s.sentence.evidence_index] += 1
            chars += len(s.sentence.text)
        return kept

    @staticmethod
    def _notice(missing: list[tuple[str, str]]) -> str:
        if not missing:
            return ""
        listed = "; ".join(f"{m} has no {a.replace('_', ' ')} section" for m, a in missing)
        return f"In the medicine database, {listed}."
