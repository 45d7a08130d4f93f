"""The reader's sentence store (app.pipeline.sentence_store): what is read from it is what the split computes,
a store written by other code is never read, a store that vanishes falls back to the split, writing is atomic
and keeps few old stores, and a serving process writes one for a version without it."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from app.pipeline import label_prefetch, sentence_store
from app.pipeline.label_prefetch import _chunk_sentences, chunk_sentences, compute_chunk_sentences
from app.pipeline.sentence_store import (
    PREFIX,
    chunks_of,
    drop_store,
    forget_stores,
    store_for,
    store_path,
    write_store,
)
from indexing.build import BuildOptions, build_index
from indexing.store import SearchIndex, load_current
from tests.conftest import MINI_CORPUS


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    build_index(MINI_CORPUS, BuildOptions(index_dir=tmp_path, progress=False, with_dense=False))
    forget_stores()
    return load_current(tmp_path, "medicines")


def _split_calls() -> int:
    info = _chunk_sentences.cache_info()
    return info.hits + info.misses


def test_stored_sentences_are_the_split_and_are_read_instead_of_computed(index: SearchIndex) -> None:
    assert store_for(index.path) is None
    path = write_store(index.path, chunks_of(index.path), compute_chunk_sentences)
    assert path == store_path(index.path) and path.is_file()
    assert not list(index.path.glob(".*.tmp"))
    forget_stores()
    before = _split_calls()
    stored = [chunk_sentences(c, index) for c in index.chunks]
    assert _split_calls() == before  # every chunk came from the store
    assert stored == [compute_chunk_sentences(c) for c in index.chunks]
    assert sum(len(s) for s in stored) > 20


def test_a_store_of_other_code_is_not_read(index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentence_store, "reader_fingerprint", lambda: "0123456789abcdef")
    other = write_store(index.path, index.chunks, compute_chunk_sentences)
    assert other is not None and other.name == f"{PREFIX}0123456789abcdef.sqlite"
    monkeypatch.undo()
    forget_stores()
    assert store_for(index.path) is None
    before = _split_calls()
    chunk_sentences(index.chunks[0], index)
    assert _split_calls() == before + 1


def test_a_vanished_store_falls_back_to_the_split(index: SearchIndex, caplog: pytest.LogCaptureFixture) -> None:
    path = write_store(index.path, index.chunks, compute_chunk_sentences)
    assert path is not None
    forget_stores()
    assert store_for(index.path) is not None
    path.unlink()
    medicine = index.chunks[0].medicine_id
    chunk = index.chunks[0]
    assert chunk_sentences(chunk, index) == compute_chunk_sentences(chunk), medicine
    assert "could not be read" in caplog.text
    drop_store(index.path)
    assert store_for(index.path) is None


def test_a_corrupt_store_falls_back_to_the_split(index: SearchIndex) -> None:
    store_path(index.path).write_bytes(b"not a database")
    forget_stores()
    chunk = index.chunks[0]
    assert chunk_sentences(chunk, index) == compute_chunk_sentences(chunk)


def test_writing_keeps_two_stores_of_other_code(index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(4):
        monkeypatch.setattr(sentence_store, "reader_fingerprint", lambda n=n: f"{n:016x}")
        write_store(index.path, index.chunks[:3], compute_chunk_sentences)
        time.sleep(0.01)
    names = sorted(p.name for p in index.path.glob(f"{PREFIX}*.sqlite"))
    assert names == [f"{PREFIX}{n:016x}.sqlite" for n in (1, 2, 3)]


def test_rows_are_one_per_chunk_with_their_medicine(index: SearchIndex) -> None:
    path = write_store(index.path, index.chunks, compute_chunk_sentences)
    assert path is not None
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT medicine_id, payload FROM sentences").fetchall()
    assert {m for m, _ in rows} == {c.medicine_id for c in index.chunks}
    source, text, tokens = json.loads(rows[0][1])[0]
    assert isinstance(source, int) and isinstance(text, str) and tokens == sorted(tokens)


def test_the_prefetcher_reads_the_store(index: SearchIndex) -> None:
    write_store(index.path, index.chunks, compute_chunk_sentences)
    forget_stores()
    before = _split_calls()
    prefetcher = label_prefetch.LabelPrefetcher()
    prefetcher.prefetch(index, [index.chunks[0].medicine_id])
    assert prefetcher.drain()
    assert _split_calls() == before


def test_a_serving_process_writes_the_store_of_its_version(tmp_path: Path) -> None:
    from app.config import Settings
    from app.services import sentence_store_writer
    from app.services.indexes import IndexHolder
    from indexing.embed import Encoder

    settings = Settings(index_dir=tmp_path, corpus=MINI_CORPUS, vector_caches=[], vector_cache_out=None)
    build_index(MINI_CORPUS, BuildOptions(index_dir=tmp_path, progress=False, with_dense=False))
    version_dir = load_current(tmp_path, "medicines").path
    assert not store_path(version_dir).exists()

    off = IndexHolder(settings.model_copy(update={"sentence_store": False}), Encoder(), lambda i: None)  # type: ignore[arg-type, return-value]
    off.load_current()
    assert not store_path(version_dir).exists()

    holder = IndexHolder(settings, Encoder(), lambda i: None)  # type: ignore[arg-type, return-value]
    holder.load_current()
    deadline = time.monotonic() + 60
    while not store_path(version_dir).is_file():
        assert time.monotonic() < deadline, "no store written"
        time.sleep(0.05)
    assert sentence_store_writer.ensure_sentence_store(holder.get()) is None  # written: nothing more to do


def test_a_gone_writers_unfinished_file_and_the_lock_are_removed(index: SearchIndex) -> None:
    import os

    gone = index.path / f".{PREFIX}0123456789abcdef.sqlite.999999999.tmp"
    alive = index.path / f".{PREFIX}0123456789abcdef.sqlite.{os.getppid()}.tmp"
    gone.write_bytes(b"half")
    alive.write_bytes(b"half")
    path = write_store(index.path, index.chunks[:3], compute_chunk_sentences)
    assert path is not None and path.is_file()
    assert not gone.exists() and alive.exists()
    assert not (index.path / f".{path.name}.lock").exists()


def test_the_command_writes_a_store_and_refuses_a_directory_without_chunks(
        index: SearchIndex, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sentence_store.main([str(tmp_path / "nothing")]) == 2
    assert "no index version directory" in capsys.readouterr().err
    assert sentence_store.main([str(index.path)]) == 0
    assert store_path(index.path).is_file() and "sentence store" in capsys.readouterr().err
