"""The serving index: loaded at start-up (built first if missing), swapped atomically after rebuilds.

A first start on a fresh machine must answer within minutes, but encoding the whole label corpus on two
CPU cores takes about 17. So when vectors are neither cached nor shipped, a BM25-only version is
published and served at once while a background thread encodes and publishes the hybrid version.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.config import Settings
from indexing.build import BuildOptions, BuildResult, build_index
from indexing.dense import DenseConfig
from indexing.embed import Encoder
from indexing.store import SearchIndex, clean_staging, current_path, load_index

log = logging.getLogger(__name__)

class IndexNotReadyError(RuntimeError):
    pass


class RebuildRunningError(RuntimeError):
    def __init__(self, job: RebuildJob) -> None:
        super().__init__(f"an index rebuild is already running (job {job.id})")
        self.job = job


@dataclass
class RebuildJob:
    """A background rebuild (POST /v1/admin/index/rebuild): queued -> running -> succeeded | failed."""

    id: str
    corpus: str
    state: str = "queued"
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    previous_version: str | None = None
    version: str | None = None
    retrieval: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def build_options(settings: Settings, progress: bool = True, max_encode: int | None = None) -> BuildOptions:
    return BuildOptions(
        index_dir=settings.index_dir,
        name=settings.index_name,
        vector_caches=list(settings.vector_caches),
        cache_out=settings.vector_cache_out,
        progress=progress,
        max_encode=max_encode,
        dense=DenseConfig(),
    )


class IndexHolder:
    def __init__(self, settings: Settings, encoder: Encoder) -> None:
        self.settings = settings
        self.encoder = encoder
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self.state = "missing"  # missing | building | bm25 | hybrid | failed
        self.background: threading.Thread | None = None
        self.last_error: str | None = None
        self.jobs: dict[str, RebuildJob] = {}
        self._jobs_lock = threading.Lock()

    def get(self) -> SearchIndex:
        index = self._index
        if index is None:
            raise IndexNotReadyError(f"the index is not ready (state: {self.state})")
        return index

    @property
    def ready(self) -> bool:
        return self._index is not None

    def swap(self, index: SearchIndex) -> None:
        with self._lock:
            self._index = index
            self.state = index.retrieval
        log.info("serving index %s (%s, %d chunks)", index.version, index.retrieval, len(index.chunks))

    def load_current(self) -> bool:
        path = current_path(self.settings.index_dir, self.settings.index_name)
        if path is None:
            return False
        self.swap(load_index(path))
        return True

    def start(self, build_if_missing: bool = True, progress: bool = True, background: bool = True) -> None:
        """Load the current version, building one when there is none. Returns once something serves."""
        removed = clean_staging(self.settings.index_dir, self.settings.index_name)
        if removed:
            log.warning("removed %d staging dir(s) left by an interrupted index build: %s", len(removed), removed)
        if not self.load_current():
            if not build_if_missing:
                self.state = "missing"
                return
            self.state = "building"
            self.rebuild(self.settings.corpus, progress=progress, max_encode=self.settings.sync_encode_limit)
        index = self.get()
        if index.dense is None and index.manifest.get("dense_pending"):
            corpus = Path(index.manifest["corpus"])
            if background:
                self.background = threading.Thread(
                    target=self._complete_dense, args=(corpus,), name="dense-build", daemon=True
                )
                self.background.start()
            else:
                self._complete_dense(corpus)

    def _complete_dense(self, corpus: Path) -> None:
        try:
            log.info("encoding chunk vectors in the background; BM25 serves meanwhile")
            self.rebuild(corpus, progress=False)
        except Exception as exc:  # keep serving BM25; report in readyz
            self.last_error = f"background dense build failed: {exc}"
            log.exception("background dense build failed")

    def rebuild(self, corpus: Path, progress: bool = True, max_encode: int | None = None) -> BuildResult:
        """Build a new version aside and swap to it; the old version serves until then."""
        with self._build_lock:
            result = build_index(
                corpus, build_options(self.settings, progress, max_encode), encoder=self.encoder
            )
            self.swap(load_index(result.path))
            self.last_error = None
            return result

    def start_rebuild(self, corpus: Path | None = None) -> RebuildJob:
        """Rebuild in a background thread (the serving index keeps answering; the new one is swapped in
        atomically when complete). Raises RebuildRunningError while another rebuild job runs."""
        with self._jobs_lock:
            running = next((j for j in self.jobs.values() if j.state in ("queued", "running")), None)
            if running is not None:
                raise RebuildRunningError(running)
            job = RebuildJob(id=uuid.uuid4().hex[:16], corpus=str(corpus or self.settings.corpus))
            self.jobs[job.id] = job
        threading.Thread(target=self._run_job, args=(job,), name=f"index-rebuild-{job.id}", daemon=True).start()
        return job

    def _run_job(self, job: RebuildJob) -> None:
        job.state, job.started_at = "running", time.time()
        job.previous_version = self._index.version if self._index is not None else None
        try:
            result = self.rebuild(Path(job.corpus), progress=False)
        except Exception as exc:
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
            log.exception("index rebuild job %s failed; the previous version keeps serving", job.id)
        else:
            job.state = "succeeded"
            job.version, job.retrieval = str(result.manifest["version"]), str(result.manifest["retrieval"])
        finally:
            job.finished_at = time.time()

    def job(self, job_id: str) -> RebuildJob | None:
        return self.jobs.get(job_id)

    def describe(self) -> dict[str, Any]:
        index = self._index
        return {
            "state": self.state,
            "version": index.version if index else None,
            "retrieval": index.retrieval if index else None,
            "chunks": len(index.chunks) if index else 0,
            "medicines": len(index.medicines) if index else 0,
            "dense_building": bool(self.background and self.background.is_alive()),
            "last_error": self.last_error,
        }
