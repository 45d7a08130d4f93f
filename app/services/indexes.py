"""The serving index: loaded at start-up (built first if missing), swapped atomically after rebuilds.

A first start on a fresh machine must answer within minutes, but encoding the whole label corpus on two
CPU cores takes about 17. So when vectors are neither cached nor shipped, a BM25-only version is
published and served at once while a background thread encodes and publishes the hybrid version.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from app.config import Settings
from app.errors import UnavailableError
from app.pipeline.lexicon import MedicineLexicon
from app.pipeline.sentence_similarity import reader_sentence_texts
from app.pipeline.state import Serving
from app.services.rebuild_jobs import RebuildJob, RebuildJobStore
from app.services.sentence_store_writer import ensure_sentence_store
from indexing.build import BuildOptions, BuildResult, build_index
from indexing.dense import DenseConfig
from indexing.embed import Encoder
from indexing.embed_choice import check_index_encoder
from indexing.filelock import file_lock
from indexing.jsonl import file_sha256
from indexing.store import (
    SearchIndex,
    build_lock_path,
    clean_staging,
    current_path,
    current_version,
    load_index,
    read_manifest,
)

log = logging.getLogger(__name__)


class IndexNotReadyError(UnavailableError):
    """No index serves yet (building, or none built)."""


def build_options(settings: Settings, progress: bool = True, max_encode: int | None = None) -> BuildOptions:
    return BuildOptions(
        index_dir=settings.index_dir,
        name=settings.index_name,
        vector_caches=list(settings.vector_caches),
        cache_out=settings.vector_cache_out,
        progress=progress,
        max_encode=max_encode,
        dense=DenseConfig(),
        # Sentence vectors only for a reader that ranks by them.
        sentence_split=reader_sentence_texts if settings.read.sentence_weight > 0 else None,
        max_sentence_encode=settings.read.sentence_max_encode,
    )



def corpus_changed_manifest(manifest: dict[str, Any], corpus: Path) -> bool:
    """Whether `corpus` (the configured file) differs from the file an index version was built from."""
    built_from = manifest.get("corpus_sha256")
    return bool(built_from) and corpus.is_file() and file_sha256(corpus) != built_from


def corpus_changed(index: SearchIndex, corpus: Path) -> bool:
    return corpus_changed_manifest(index.manifest, corpus)


def build_lock(settings: Settings, blocking: bool = True) -> AbstractContextManager[bool]:
    """Builders of the serving index (server workers, `clinqa index build`) take turns on this lock."""
    return file_lock(build_lock_path(settings.index_dir, settings.index_name), blocking)


class IndexHolder:
    """The index this process serves, with the medicine lexicon built from it: each version is loaded and
    its lexicon built before the pair is swapped in as one `Serving` unit. It follows the version CURRENT
    names on disk (`watch`), so a rebuild run by another worker or by `clinqa index build` reaches every
    server process."""

    def __init__(
        self,
        settings: Settings,
        encoder: Encoder,
        lexicon_for: Callable[[SearchIndex], MedicineLexicon],
        jobs: RebuildJobStore | None = None,
    ) -> None:
        self.settings = settings
        self.encoder = encoder
        self.lexicon_for = lexicon_for
        self.jobs = jobs
        self._serving: Serving | None = None
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self.state = "missing"  # missing | building | bm25 | hybrid | failed
        self.background: threading.Thread | None = None
        self.last_error: str | None = None
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()
        self._unloadable: str | None = None  # a version CURRENT named that failed to load
        self.corpus_changed = False  # serving an index built from another version of the corpus file

    def serving(self) -> Serving:
        serving = self._serving
        if serving is None:
            raise IndexNotReadyError(f"the index is not ready (state: {self.state})")
        return serving

    def get(self) -> SearchIndex:
        return self.serving().index

    @property
    def _index(self) -> SearchIndex | None:
        return self._serving.index if self._serving is not None else None

    @property
    def ready(self) -> bool:
        return self._serving is not None

    def swap(self, serving: Serving) -> None:
        with self._lock:
            self._swap_locked(serving)
        if self.settings.sentence_store:
            ensure_sentence_store(serving.index)

    def _swap_locked(self, serving: Serving) -> None:
        self._serving = serving
        index = serving.index
        self.state = index.retrieval
        log.info("serving index %s (%s, %d chunks)", index.version, index.retrieval, len(index.chunks))

    def _load(self, path: Path) -> Serving:
        """Raises EncoderMismatchError for a version whose vectors another model made than this encoder."""
        check_index_encoder(read_manifest(path), self.encoder.model_id)
        index = load_index(path)
        return Serving(index, self.lexicon_for(index))

    def load_current(self) -> bool:
        path = current_path(self.settings.index_dir, self.settings.index_name)
        if path is None:
            return False
        self.swap(self._load(path))
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
            with self._building():
                if not self.load_current():  # another worker may have built it while this one waited
                    self._build(self.settings.corpus, progress, self.settings.sync_encode_limit)
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
        elif corpus_changed(index, Path(self.settings.corpus)):
            self.corpus_changed = True
            log.warning("index %s was built from another version of %s (SHA-256 differs)%s", index.version,
                        self.settings.corpus, "; rebuilding in the background, the old version serves meanwhile"
                        if self.settings.rebuild_when_corpus_changes else
                        "; run `clinqa index build` (CLINQA_REBUILD_WHEN_CORPUS_CHANGES is false)")
            if self.settings.rebuild_when_corpus_changes:
                if background:
                    self.background = threading.Thread(
                        target=self._rebuild_changed_corpus, name="corpus-changed-build", daemon=True
                    )
                    self.background.start()
                else:
                    self._rebuild_changed_corpus()

    def _rebuild_changed_corpus(self) -> None:
        corpus = Path(self.settings.corpus)
        if self._build_in_background(corpus, lambda manifest: not corpus_changed_manifest(manifest, corpus),
                                     "rebuild for the changed corpus failed"):
            self.corpus_changed = False

    def _complete_dense(self, corpus: Path) -> None:
        self._build_in_background(corpus, lambda manifest: not manifest.get("dense_pending"),
                                  "background dense build failed",
                                  "encoding chunk vectors in the background; BM25 serves meanwhile")

    def _build_in_background(self, corpus: Path, already_done: Callable[[dict[str, Any]], bool],
                             failure: str, starting: str = "") -> bool:
        """Build `corpus` unless another process holds the build lock, or has meanwhile published a version
        that `already_done` accepts (then load that). Returns whether a fitting version now serves; on a
        failure the previous version keeps serving and readyz reports `failure`."""
        try:
            with self._building(blocking=False) as mine:
                if not mine:
                    log.info("another process is building the index; its version is loaded when published")
                    return False
                path = current_path(self.settings.index_dir, self.settings.index_name)
                if path is not None and already_done(read_manifest(path)):
                    self.swap(self._load(path))
                else:
                    if starting:
                        log.info(starting)
                    self._build(corpus, progress=False)
                return True
        except Exception as exc:
            self.last_error = f"{failure}: {exc}"
            log.exception("%s; the previous version keeps serving", failure)
            return False

    @contextlib.contextmanager
    def _building(self, blocking: bool = True) -> Iterator[bool]:
        """This process's build lock (its threads), then the index's (other processes); yields whether the
        second was acquired (always True when blocking)."""
        with self._build_lock, build_lock(self.settings, blocking) as acquired:
            yield acquired

    def _build(self, corpus: Path, progress: bool, max_encode: int | None = None) -> BuildResult:
        """Callers hold both build locks."""
        result = build_index(corpus, build_options(self.settings, progress, max_encode), encoder=self.encoder)
        self.swap(self._load(result.path))
        self.last_error = None
        return result

    # ------------------------------------------------------------------------------ following CURRENT

    def watch(self, interval_s: float) -> None:
        """Check CURRENT every `interval_s` seconds in a background thread (0: never)."""
        if interval_s <= 0 or self._watcher is not None:
            return
        self._watcher = threading.Thread(target=self._follow, args=(interval_s,), name="index-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()

    def _follow(self, interval_s: float) -> None:
        while not self._stop.wait(interval_s):
            try:
                self.refresh()
            except Exception:
                log.exception("checking the index's CURRENT pointer failed")

    def refresh(self) -> bool:
        """Load and serve the version CURRENT names when this process serves another; True if it swapped.
        A version that fails to load is logged once and skipped (the old one keeps serving) until CURRENT
        names another."""
        if self._build_lock.locked():
            return False  # this process is building: it swaps in its own result
        root, name = self.settings.index_dir, self.settings.index_name
        version = current_version(root, name)
        serving = self._index.version if self._index is not None else None
        if version is None or version in (serving, self._unloadable):
            return False
        path = current_path(root, name)
        if path is None:
            return False
        try:
            loaded = self._load(path)
        except Exception as exc:
            self._unloadable = version
            log.error("index version %s (CURRENT) failed to load, still serving %s: %s", version, serving, exc)
            return False
        with self._lock:
            if current_version(root, name) != loaded.index.version:  # moved on while loading: next check
                return False
            self._swap_locked(loaded)
        return True

    # ------------------------------------------------------------------------------ rebuild jobs

    def start_rebuild(self, corpus: Path | None = None) -> RebuildJob:
        """Rebuild in a background thread (the serving index keeps answering; the new one is swapped in
        atomically when complete). Raises RebuildRunningError while another rebuild job runs (in any
        worker sharing the database)."""
        if self.jobs is None:
            raise RuntimeError("rebuild jobs need a database (RebuildJobStore)")
        job = self.jobs.create(str(corpus or self.settings.corpus))
        threading.Thread(target=self._run_job, args=(job,), name=f"index-rebuild-{job.id}", daemon=True).start()
        return job

    def _run_job(self, job: RebuildJob) -> None:
        assert self.jobs is not None
        try:
            with self._building():
                self.jobs.started(job.id, self._index.version if self._index is not None else None)
                result = self._build(Path(job.corpus), progress=False)
        except Exception as exc:
            self.jobs.failed(job.id, f"{type(exc).__name__}: {exc}")
            log.exception("index rebuild job %s failed; the previous version keeps serving", job.id)
        else:
            self.jobs.succeeded(job.id, str(result.manifest["version"]), str(result.manifest["retrieval"]))

    def job(self, job_id: str) -> RebuildJob | None:
        return self.jobs.get(job_id) if self.jobs is not None else None

    def describe(self) -> dict[str, Any]:
        index = self._index
        return {
            "state": self.state,
            "version": index.version if index else None,
            "retrieval": index.retrieval if index else None,
            "chunks": len(index.chunks) if index else 0,
            "medicines": len(index.medicines) if index else 0,
            "dense_building": bool(self.background and self.background.is_alive()),
            "corpus_changed": self.corpus_changed,
            "last_error": self.last_error,
        }
