"""The question's intent embedding begun when the turn starts (issue 18): computed once per turn, on the worker
when it is free, by the turn itself when the worker has not started it, and the ranking unchanged."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from app.enums import Mode
from app.pipeline.intent import CUE_FEATURES, EmbeddingCache, IntentClassifier, IntentModel, embed_question_ahead
from app.pipeline.orchestrator import Orchestrator
from app.pipeline.state import Serving, TurnRequest, TurnState

DIM = 8


class CountingEmbed:
    """A deterministic stand-in for the encoder: each text's vector from its characters; records who asked."""

    def __init__(self, gate: threading.Event | None = None, fail: int = 0) -> None:
        self.calls: list[tuple[tuple[str, ...], str]] = []
        self.gate = gate  # when given, embedding waits for it (a worker kept busy)
        self.fail = fail  # the first `fail` calls raise
        self._lock = threading.Lock()

    def __call__(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            self.calls.append((tuple(texts), threading.current_thread().name))
            failing = len(self.calls) <= self.fail
        if self.gate is not None:
            assert self.gate.wait(5)
        if failing:
            raise RuntimeError("encoder down")
        rows = [np.frombuffer(t.encode().ljust(DIM, b"\0")[:DIM], dtype=np.uint8).astype(np.float32) for t in texts]
        out = np.vstack(rows)
        normed: np.ndarray = out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)
        return normed

    def texts(self) -> list[tuple[str, ...]]:
        return [t for t, _ in self.calls]


@pytest.fixture
def worker() -> Any:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-ahead")
    yield pool
    pool.shutdown(wait=True)


def test_begun_batch_is_embedded_once_on_the_worker(worker: ThreadPoolExecutor) -> None:
    embed, cache = CountingEmbed(), EmbeddingCache()
    cache.begin(("how much ibuprofen",), embed, worker)
    got = cache.get(("how much ibuprofen",), embed)
    assert embed.texts() == [("how much ibuprofen",)]
    assert embed.calls[0][1].startswith("test-ahead")
    np.testing.assert_array_equal(got, CountingEmbed()(["how much ibuprofen"]))
    assert cache.get(("how much ibuprofen",), embed) is got  # a hit: not embedded again
    cache.begin(("how much ibuprofen",), embed, worker)  # already there: nothing begun
    worker.submit(lambda: None).result()
    assert len(embed.calls) == 1


def test_batch_not_started_by_a_busy_worker_is_embedded_by_the_turn(worker: ThreadPoolExecutor) -> None:
    gate = threading.Event()
    busy = CountingEmbed(gate)
    cache = EmbeddingCache()
    cache.begin(("another turn's question",), busy, worker)  # the worker waits on the gate
    embed = CountingEmbed()
    cache.begin(("my question",), embed, worker)  # queued behind it
    got = cache.get(("my question",), embed)
    assert embed.calls == [(("my question",), threading.current_thread().name)]  # the turn's own thread
    gate.set()
    worker.submit(lambda: None).result()
    assert embed.texts() == [("my question",)], "the queued batch was cancelled, never embedded twice"
    assert cache.get(("my question",), embed) is got
    assert ("another turn's question",) in cache


def test_a_failure_on_the_worker_is_embedded_again_by_the_turn(worker: ThreadPoolExecutor) -> None:
    embed, cache = CountingEmbed(fail=1), EmbeddingCache()
    cache.begin(("q",), embed, worker)
    got = cache.get(("q",), embed)
    assert len(embed.calls) == 2 and embed.calls[1][1] == threading.current_thread().name
    np.testing.assert_array_equal(got, CountingEmbed()(["q"]))
    failing = CountingEmbed(fail=2)
    cache.begin(("r",), failing, worker)
    with pytest.raises(RuntimeError, match="encoder down"):  # the turn sees the error
        cache.get(("r",), failing)
    assert ("r",) not in cache


def test_least_recently_used_batch_goes_first() -> None:
    embed, cache = CountingEmbed(), EmbeddingCache(size=2)
    cache.get(("a",), embed)
    cache.get(("b",), embed)
    cache.get(("a",), embed)  # a used again: b is the least recent
    cache.get(("c",), embed)
    assert ("a",) in cache and ("c",) in cache and ("b",) not in cache
    cache.get(("b",), embed)
    assert embed.texts() == [("a",), ("b",), ("c",), ("b",)]


def _classifier(embed: CountingEmbed) -> IntentClassifier:
    classes = ("dosage", "adverse_reactions", "storage", "interactions")
    rng = np.random.default_rng(0)
    model = IntentModel(classes, rng.normal(size=(len(classes), DIM + len(CUE_FEATURES))).astype(np.float32),
                        rng.normal(size=len(classes)).astype(np.float32), "test-encoder", {"languages": ["en"]})
    return IntentClassifier(model, embed)


@pytest.mark.parametrize("question", [
    "  how much ibuprofen can I take?  ",
    "what is metformin used for and what are the side effects?",  # the question and its clauses, one batch
])
def test_rank_after_embed_ahead_is_the_same_ranking_with_one_embedding(question: str) -> None:
    embed = CountingEmbed()
    ahead = _classifier(embed)
    ahead.embed_ahead(question)
    ranked = ahead.rank(question)
    assert len(embed.calls) == 1
    assert ranked == _classifier(CountingEmbed()).rank(question)
    ahead.rank(question)  # the follow-up re-ranking the question before: a hit
    assert len(embed.calls) == 1


def test_nothing_is_begun_when_the_cues_rank_the_question() -> None:
    embed = CountingEmbed()
    _classifier(embed).embed_ahead("布洛芬一次吃多少？")  # Chinese, and the model is English-only
    IntentClassifier().embed_ahead("how much ibuprofen can I take?")  # no model at all
    _classifier(embed).embed_ahead("   ")
    assert embed.calls == []


class _Stage:
    name = "distill"

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def to_dict(self) -> dict[str, Any]:
        return {}

    def run(self, state: TurnState) -> None:
        self.seen.append("stage")


def test_orchestrator_begins_the_turns_question_before_its_first_stage() -> None:
    seen: list[str] = []
    begun: list[str] = []

    def starter(state: TurnState) -> None:
        seen.append("starter")
        begun.append(state.question)

    serving = Serving(None, None)  # type: ignore[arg-type]
    orchestrator = Orchestrator(lambda: serving, {Mode.DRR: [_Stage(seen)], Mode.RTR: [_Stage(seen)]},
                                ahead={Mode.DRR: [starter]})
    for request in (TurnRequest("war\u200dfarin and ibuprofen?", [], Mode.DRR), TurnRequest("hello", [], Mode.RTR)):
        orchestrator.run(orchestrator.start(request), orchestrator.stages(request.mode))  # as `answer` does
    assert seen == ["starter", "stage", "stage"]  # no starter for the other mode
    assert begun == ["war\u200dfarin and ibuprofen?"]


def test_turn_starter_embeds_the_question_as_the_distiller_will_rank_it() -> None:
    embed = CountingEmbed()
    classifier = _classifier(embed)

    class Turn:
        question = "war\u200dfarin with ibuprofen?"

    embed_question_ahead(classifier)(Turn())
    classifier.rank("warfarin with ibuprofen?")  # the distiller ranks the words without invisible characters
    assert embed.texts() == [("warfarin with ibuprofen?",)]
