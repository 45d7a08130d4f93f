"""Versioned index directories: `<root>/<name>/<version>/` plus a `CURRENT` file naming the serving one.

A version is written under a temporary name and renamed into place when complete; CURRENT is replaced
atomically afterwards. A crash at any point leaves CURRENT naming the previous, complete version.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from indexing.bm25 import BM25Index
from indexing.dense import DenseConfig, DenseIndex
from indexing.schema import Chunk

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
FORMAT_VERSION = 1


class IndexNotFoundError(FileNotFoundError):
    pass


@dataclass(frozen=True, slots=True)
class MedicineEntry:
    """What the service needs to know about a medicine without its text: names for matching, the sections
    it has, and the linking metadata of its labels (RxCUIs for a patient's RxNorm-coded medicines,
    pharmacologic classes for interaction text that speaks in classes, "NSAIDs"). Indexes built before the
    metadata existed load with it empty."""

    id: str
    name: str
    aliases: tuple[str, ...]
    lang: str
    source: str
    attributes: tuple[str, ...]
    rxcuis: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # pharmacologic class names (EPC, MoA, chemical structure, effect)
    routes: tuple[str, ...] = ()
    product_type: str = ""
    ingredient_ids: tuple[str, ...] = ()  # a combination product's single-ingredient medicines

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "lang": self.lang,
            "source": self.source,
            "attributes": list(self.attributes),
            "rxcuis": list(self.rxcuis),
            "classes": list(self.classes),
            "routes": list(self.routes),
            "product_type": self.product_type,
            "ingredient_ids": list(self.ingredient_ids),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MedicineEntry:
        return cls(
            id=d["id"],
            name=d["name"],
            aliases=tuple(d.get("aliases", ())),
            lang=d.get("lang", "en"),
            source=d.get("source", ""),
            attributes=tuple(d.get("attributes", ())),
            rxcuis=tuple(d.get("rxcuis", ())),
            classes=tuple(d.get("classes", ())),
            routes=tuple(d.get("routes", ())),
            product_type=d.get("product_type", ""),
            ingredient_ids=tuple(d.get("ingredient_ids", ())),
        )


@dataclass
class SearchIndex:
    """One loaded, immutable index version."""

    path: Path
    manifest: dict[str, Any]
    chunks: list[Chunk]
    medicines: dict[str, MedicineEntry]
    bm25: BM25Index
    dense: DenseIndex | None
    rows_by_medicine: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rows: dict[str, list[int]] = {}
        for i, c in enumerate(self.chunks):
            rows.setdefault(c.medicine_id, []).append(i)
        self.rows_by_medicine = {k: np.asarray(v, dtype=np.int64) for k, v in rows.items()}

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def retrieval(self) -> str:
        return "hybrid" if self.dense is not None else "bm25"


def index_home(root: Path, name: str) -> Path:
    return Path(root) / name


def current_version(root: Path, name: str) -> str | None:
    pointer = index_home(root, name) / CURRENT
    if not pointer.is_file():
        return None
    version = pointer.read_text(encoding="utf-8").strip()
    return version or None


def build_lock_path(root: Path, name: str) -> Path:
    """The file builders of `name` lock (indexing.filelock): one build at a time across processes."""
    return index_home(root, name) / ".build.lock"


def current_path(root: Path, name: str) -> Path | None:
    version = current_version(root, name)
    if version is None:
        return None
    path = index_home(root, name) / version
    return path if (path / MANIFEST).is_file() else None


def new_version_id(corpus_sha256: str) -> str:
    """Sortable by build time (microseconds), then the corpus it was built from."""
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000_000))
    return f"{stamp}.{(now // 1000) % 1_000_000:06d}Z-{corpus_sha256[:8]}"


def staging_dir(root: Path, name: str, version: str) -> Path:
    path = index_home(root, name) / f".building-{os.getpid()}-{version}"
    path.mkdir(parents=True, exist_ok=False)
    return path


def write_version(
    staging: Path,
    manifest: dict[str, Any],
    chunks: list[Chunk],
    medicines: list[MedicineEntry],
    bm25: BM25Index,
    dense: DenseIndex | None,
) -> None:
    with (staging / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
    (staging / "medicines.json").write_text(
        json.dumps([m.to_dict() for m in medicines], ensure_ascii=False), encoding="utf-8"
    )
    bm25.save(staging / "bm25")
    if dense is not None:
        dense.save(staging)
    # The manifest is written last: a directory without one is by definition incomplete.
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(root: Path, name: str, staging: Path, version: str) -> Path:
    """Rename the staging directory into place, then point CURRENT at it (both atomic renames)."""
    home = index_home(root, name)
    final = home / version
    os.replace(staging, final)
    pointer_tmp = home / f".{CURRENT}.{os.getpid()}.tmp"
    with pointer_tmp.open("w", encoding="utf-8") as fh:
        fh.write(version + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, home / CURRENT)
    _fsync_dir(home)
    return final


def _builder_alive(staging_name: str) -> bool:
    return pid_alive(staging_name.split("-")[1] if "-" in staging_name else "")


def pid_alive(pid_text: str) -> bool:
    try:
        os.kill(int(pid_text), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def clean_staging(root: Path, name: str) -> list[str]:
    """At start-up: remove staging dirs and CURRENT temp files left by builds that died (SIGKILL, power loss).

    A dir whose builder pid is alive belongs to a running build (another process) and is kept, unless that
    pid is our own: nothing builds in this process before start-up, so the pid was reused (e.g. pid 1 in a
    restarted container)."""
    home = index_home(root, name)
    if not home.is_dir():
        return []
    removed: list[str] = []
    for stale in list(home.glob(".building-*")) + list(home.glob(f".{CURRENT}.*.tmp")):
        pid_part = stale.name.split("-")[1] if stale.name.startswith(".building-") else stale.name.split(".")[2]
        mine = pid_part == str(os.getpid())
        if mine or not pid_alive(pid_part):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
            removed.append(stale.name)
    return removed


def prune(root: Path, name: str, keep: int = 3) -> list[str]:
    """Delete old versions beyond `keep` (never the current one) and abandoned staging dirs."""
    home = index_home(root, name)
    if not home.is_dir():
        return []
    current = current_version(root, name)
    removed: list[str] = []
    for stale in home.glob(".building-*"):
        if not _builder_alive(stale.name):
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(stale.name)
    versions = sorted(p.name for p in home.iterdir() if p.is_dir() and (p / MANIFEST).is_file())
    old = [v for v in versions if v != current]
    for v in old[: max(0, len(old) - (keep - 1))]:
        shutil.rmtree(home / v, ignore_errors=True)
        removed.append(v)
    return removed


def read_manifest(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    return data


def load_index(path: Path, dense_config: DenseConfig | None = None, with_dense: bool = True) -> SearchIndex:
    if not (path / MANIFEST).is_file():
        raise IndexNotFoundError(f"{path} is not a complete index version (no {MANIFEST})")
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexNotFoundError(
            f"{path} has index format {manifest.get('format')!r}; this clinqa reads {FORMAT_VERSION}. "
            "Rebuild it with `clinqa index build`."
        )
    with (path / "chunks.jsonl").open(encoding="utf-8") as fh:
        chunks = [Chunk.from_dict(json.loads(line)) for line in fh]
    meds = json.loads((path / "medicines.json").read_text(encoding="utf-8"))
    medicines = {m["id"]: MedicineEntry.from_dict(m) for m in meds}
    bm25 = BM25Index.load(path / "bm25")
    dense = None
    if with_dense and (path / "vectors.npy").is_file():
        dense = DenseIndex.load(path, dense_config)
    return SearchIndex(path=path, manifest=manifest, chunks=chunks, medicines=medicines, bm25=bm25, dense=dense)


def load_current(
    root: Path, name: str, dense_config: DenseConfig | None = None, with_dense: bool = True
) -> SearchIndex:
    path = current_path(root, name)
    if path is None:
        raise IndexNotFoundError(
            f"no index named {name!r} under {root}; build one with `clinqa index build`"
        )
    return load_index(path, dense_config, with_dense)
