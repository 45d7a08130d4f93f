"""A label's quotable sentences and their tokens, per chunk, and reading them ahead of the read stage.

The extractive reader ranks every sentence of the asked medicine's whole label; splitting and tokenising a
label it has not read before was about a third of a turn's CPU (issue 18: 120 MedicationQA questions, most
naming a medicine no earlier question named, so the per-chunk caches rarely hit). The medicines a turn asks
about are known when the distill stage has built the conversation context, before the question's intent
embedding and the retrieval embedding run, and those hold no GIL while ONNX Runtime encodes. So the distill
stage hands the medicines to a background thread that fills the caches the reader then reads (these sentences,
and each one's per-sentence checks, read_cues.population_marks, noise_penalty, fragment, animal_penalty,
key_sentence: pure functions of the sentence, cached by it): the answers are the ones computed inline. The
cache is keyed by everything the result depends on, the chunk's text, title, section and language, never by an
index version or chunk id, so a rebuilt index with new text gets new entries and two indexes can never read
each other's sentences.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterable
from functools import lru_cache

from app.pipeline.compose import NOTHING_LISTED, label_sentences, nothing_listed
from app.pipeline.read_cues import animal_penalty, fragment, key_sentence, noise_penalty, population_marks
from app.pipeline.read_enumeration import enumerated_items
from app.pipeline.read_lists import whole_list
from app.pipeline.sentence_store import ChunkSentences, chunk_key, drop_store, store_for
from indexing.schema import Chunk
from indexing.store import SearchIndex
from indexing.text import tokenize

log = logging.getLogger(__name__)

# Medicines read ahead per turn: the asked one, a partner or two (a patient's whole medication list is not).
PREFETCH_MEDICINES = 3
# Turns whose labels wait to be read ahead; under load the oldest go (their turns have read them already).
PENDING_TURNS = 8


def chunk_sentences(chunk: Chunk, index: SearchIndex | None = None) -> ChunkSentences:
    """(source sentence number, quotable sentence, its tokens) for every sentence of `chunk` the reader may
    quote: `label_sentences`, or a contraindications list with no full stop as one line (read_lists), and the
    items of a numbered list too long to quote whole (read_enumeration). Read from the index version's
    sentence store when it has one written by this code (app.pipeline.sentence_store), computed otherwise."""
    title = chunk.title or chunk.medicine_id.replace("-", " ")
    # (an index without a path is a stand-in holding chunks only: nothing is stored for it)
    version_dir = getattr(index, "path", None)
    if version_dir is not None and index is not None and (store := store_for(version_dir)) is not None:
        try:
            stored = store.label(chunk.medicine_id).get(chunk_key(chunk.text, title, chunk.attribute, chunk.lang))
        except sqlite3.Error:
            log.warning("the sentence store %s could not be read; labels are split per request", store.path,
                        exc_info=True)
            drop_store(version_dir)
            stored = None
        if stored is not None:
            return stored
    return _chunk_sentences(chunk.text, title, chunk.attribute, chunk.lang)


def compute_chunk_sentences(chunk: Chunk) -> ChunkSentences:
    """`chunk_sentences` computed, never read from a store (what a store is written from)."""
    return _chunk_sentences(chunk.text, chunk.title or chunk.medicine_id.replace("-", " "), chunk.attribute,
                            chunk.lang)


@lru_cache(maxsize=8192)
def _chunk_sentences(text: str, title: str, attribute: str, lang: str) -> ChunkSentences:
    found = tuple((n, nothing_listed(attribute) if sentence == NOTHING_LISTED else sentence)
                  for n, sentence in label_sentences(text, frozenset(tokenize(title))))
    if (whole := whole_list(attribute, text, len(found))) is not None:
        found = ((0, whole),)
    # a numbered list too long to quote whole, item by item (read_enumeration)
    found += tuple((100 + n, item) for n, item in enumerate(enumerated_items(attribute, text)))
    return tuple((source, sentence, frozenset(tokenize(sentence, lang))) for source, sentence in found)


def sentence_checks(attribute: str, sentence: str) -> None:
    """Fill the read_cues caches the reader consults for every sentence whatever the question (population
    marks, noise, fragment, animal data, the section's key-sentence shape), with the arguments it passes (the
    caches are keyed by them: `noise_penalty(text, key)` positionally)."""
    population_marks(sentence)
    noise_penalty(sentence, False)
    if key_sentence(attribute, sentence):  # asked of its own section it is a key sentence
        noise_penalty(sentence, True)
    fragment(sentence)
    animal_penalty(sentence)


def label_chunks(index: SearchIndex, medicine_id: str) -> list[Chunk]:
    return [index.chunks[int(row)] for row in index.rows_by_medicine.get(medicine_id, ())]


class LabelPrefetcher:
    """One daemon thread reading whole labels into the `chunk_sentences` cache. A chunk the reader reaches
    first is computed there and is a cache hit here; at most the chunk in progress is read twice."""

    def __init__(self, pending_turns: int = PENDING_TURNS) -> None:
        self._pending: deque[tuple[SearchIndex, list[Chunk]]] = deque(maxlen=pending_turns)
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False

    def prefetch(self, index: SearchIndex | None, medicine_ids: Iterable[str | None]) -> None:
        if index is None:
            return
        wanted = list(dict.fromkeys(m for m in medicine_ids if m and m in index.rows_by_medicine))
        chunks = [c for mid in wanted[:PREFETCH_MEDICINES] for c in label_chunks(index, mid)]
        if not chunks:
            return
        with self._wake:
            self._pending.append((index, chunks))
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="label-prefetch", daemon=True)
                self._thread.start()
            self._wake.notify()

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is pending or in progress (tests); False on timeout."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._pending and not self._busy, timeout)

    def _work(self) -> None:
        while True:
            with self._wake:
                self._busy = False
                self._wake.notify_all()
                self._wake.wait_for(lambda: bool(self._pending))
                index, chunks = self._pending.popleft()
                self._busy = True
            for chunk in chunks:
                try:
                    for _, sentence, _ in chunk_sentences(chunk, index):
                        sentence_checks(chunk.attribute, sentence)
                except Exception:  # the reader computes it again and raises where it is seen
                    log.exception("reading chunk %s ahead failed", chunk.chunk_id)
                # Hand the GIL over between chunks: a turn's thread coming back from ONNX Runtime would otherwise
                # wait up to the interpreter's switch interval (5 ms) for it, at every encoding.
                time.sleep(0)


_PREFETCHER = LabelPrefetcher()


def prefetch_labels(index: SearchIndex | None, medicine_ids: Iterable[str | None]) -> None:
    """Read the medicines' labels ahead into the `chunk_sentences` cache (the first PREFETCH_MEDICINES)."""
    _PREFETCHER.prefetch(index, medicine_ids)
