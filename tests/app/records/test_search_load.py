"""Per-patient record search under concurrency (issue 15, finding 13): one build per patient revision, the
previous revision served while a rebuild runs, incremental rebuilds, a memory budget, and vectors encoded at
import. Deterministic: an encoder that blocks until the test lets it go, counts instead of clocks. (The
load figures themselves are a benchmark: bench/records_load.py, bench/RESULTS.md.)"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.db import Database
from app.records.schema import PatientIn
from app.records.search import RecordSearch, encode_record_chunks, record_chunks
from app.records.store import RecordStore
from indexing.embed import Encoder
from tests.app.records.conftest import REPORT_A, SYNTHEA_MINI, report


class GatedEncoder:
    """Wraps the real encoder: counts chunk encodings and, while `gate` is clear, holds every encode()
    (after saying so on `entered`)."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dims = inner.dims
        self.calls: list[int] = []
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.gate.set()

    def encode(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        self.calls.append(len(texts))
        self.entered.set()
        assert self.gate.wait(60), "the test never opened the gate"
        return self.inner.encode(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self.inner.encode_query(text)


class CountingStore(RecordStore):
    """Counts revision reads: every caller of RecordSearch.index() has passed its cache check once the
    count reaches the number of callers."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self.revisions = 0
        self._count = threading.Lock()

    def revision(self, patient_id: str) -> int | None:
        with self._count:
            self.revisions += 1
        return super().revision(patient_id)


def add_patient(store: RecordStore, pid: str, n: int) -> None:
    store.create_patient(PatientIn(patient_id=pid))
    store.add_records(pid, [report(pid, f"{pid}-{i}", f"2020-01-{i + 1:02d}", f"{REPORT_A} Visit {i} of {pid}.")
                            for i in range(n)])


def wait_for(predicate: Any) -> None:
    event = threading.Event()
    for _ in range(6000):
        if predicate():
            return
        event.wait(0.01)
    raise AssertionError("condition not reached")


def test_concurrent_first_searches_build_once(db: Database, encoder: Encoder) -> None:
    store = CountingStore(db)
    add_patient(store, "p", 12)
    gated = GatedEncoder(encoder)
    search = RecordSearch(store, gated)  # type: ignore[arg-type]
    gated.gate.clear()
    gated.entered.clear()
    callers = 16
    results: list[int] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            results.append(len(search.search("p", "left lower lobe pneumonia", top_k=3)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(callers)]
    for t in threads:
        t.start()
    assert gated.entered.wait(60)
    wait_for(lambda: store.revisions >= callers)  # every caller is past its cache check, none has an index
    gated.gate.set()
    for t in threads:
        t.join(60)
    assert not errors and results == [3] * callers
    assert gated.calls == [12]  # one build encoded the patient's chunks once
    assert search.stats()["builds"] == 1


def test_a_rebuild_serves_the_previous_revision_meanwhile_and_is_incremental(db: Database, encoder: Encoder) -> None:
    store = RecordStore(db)
    add_patient(store, "p", 5)
    gated = GatedEncoder(encoder)
    search = RecordSearch(store, gated)  # type: ignore[arg-type]
    first = search.index("p")
    assert first.encoded == 5 and len(first.chunks) == 5
    store.add_records("p", [report("p", "p-new", "2021-05-01", "Zebrafish granuloma in the right upper lobe.")])

    gated.gate.clear()
    gated.entered.clear()
    rebuilt: list[Any] = []
    builder = threading.Thread(target=lambda: rebuilt.append(search.index("p")))
    builder.start()
    assert gated.entered.wait(60)  # the builder holds the patient's lock, inside encode()
    meanwhile = search.index("p")  # does not wait for the running build
    assert meanwhile is first
    gated.gate.set()
    builder.join(60)
    (second,) = rebuilt
    assert second.revision > first.revision and len(second.chunks) == 6
    assert second.encoded == 1 and gated.calls == [5, 1]  # only the new record's chunk was encoded
    assert search.index("p") is second
    hits = search.search("p", "zebrafish granuloma", top_k=1)
    assert hits[0].record.record_id == "p-new"


def test_memory_budget_drops_least_recently_used_patients(db: Database) -> None:
    store = RecordStore(db)
    for pid in ("a", "b", "c", "d"):
        add_patient(store, pid, 6)
    probe = RecordSearch(store)
    one = probe.index("a").nbytes
    search = RecordSearch(store, cache_mb=2.5 * one / 2**20)  # room for two patients' indexes
    for pid in ("a", "b", "c"):
        search.index(pid)
    stats = search.stats()
    assert stats["patients"] == 2 and stats["evictions"] == 1
    assert stats["bytes"] <= search.cache_bytes
    search.index("b")  # b is now the most recent: adding d drops c
    search.index("d")
    assert set(search._indexes) == {"b", "d"}
    assert search.search("a", "pneumonia", top_k=1)  # a dropped patient is rebuilt on demand


def test_vectors_encoded_at_import_are_used_by_the_first_search(
    db: Database, encoder: Encoder, tmp_path: Path
) -> None:
    store = RecordStore(db)
    add_patient(store, "p", 7)
    records = store.list_records("p")
    path = tmp_path / "record_vectors.npz"
    assert encode_record_chunks(encoder, records, path) == len(record_chunks(records))
    assert encode_record_chunks(encoder, records, path) == 0  # nothing new the second time
    gated = GatedEncoder(encoder)
    search = RecordSearch(store, gated, vectors_file=path)  # type: ignore[arg-type]
    idx = search.index("p")
    assert idx.encoded == 0 and gated.calls == []
    assert idx.dense is not None
    expected = np.asarray(encoder.encode([idx.chunks[0].index_text]))[0]
    assert float(np.dot(idx.dense.vectors[0], expected)) > 0.99  # float16 on disk


def test_cli_import_encodes_into_the_vectors_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "vectors" / "records.npz"
    monkeypatch.setenv("CLINQA_RECORDS__VECTORS_FILE", str(path))
    get_settings.cache_clear()
    try:
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        result = CliRunner().invoke(cli, ["records", "import", str(SYNTHEA_MINI), "--database-url", url])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "new record chunks into" in result.output and path.is_file()
