from __future__ import annotations

import json
from pathlib import Path

import pytest

import indexing.build as build_module
from indexing.build import BuildOptions, build_index
from indexing.sources.errors import CorpusError
from indexing.store import current_version, load_current, prune
from tests.conftest import MINI_CORPUS


def _bm25_only(root: Path) -> BuildOptions:
    return BuildOptions(index_dir=root, with_dense=False, progress=False)


def test_build_writes_manifest_and_switches(tmp_path: Path) -> None:
    result = build_index(MINI_CORPUS, _bm25_only(tmp_path))
    m = result.manifest
    assert m["n_medicines"] == 12 and m["n_chunks"] > 50
    assert m["corpus_sha256"] and m["built_at"] and m["retrieval"] == "bm25"
    assert current_version(tmp_path, "medicines") == m["version"]
    loaded = load_current(tmp_path, "medicines")
    assert len(loaded.chunks) == m["n_chunks"]
    assert set(loaded.rows_by_medicine) == set(loaded.medicines)


def test_failed_build_leaves_previous_version_serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = build_index(MINI_CORPUS, _bm25_only(tmp_path)).manifest["version"]

    def crash(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(build_module, "write_version", crash)
    with pytest.raises(OSError):
        build_index(MINI_CORPUS, _bm25_only(tmp_path))
    assert current_version(tmp_path, "medicines") == good
    assert not list((tmp_path / "medicines").glob(".building-*"))
    assert load_current(tmp_path, "medicines").version == good


def test_bad_corpus_line_is_reported_and_nothing_changes(tmp_path: Path) -> None:
    good = build_index(MINI_CORPUS, _bm25_only(tmp_path)).manifest["version"]
    bad = tmp_path / "bad.jsonl"
    lines = MINI_CORPUS.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '{"id": "x", "name": "X", "sections": {"dosage": 5}}')
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:3"):
        build_index(bad, _bm25_only(tmp_path))
    assert current_version(tmp_path, "medicines") == good


def test_abandoned_staging_dirs_and_old_versions_are_pruned(tmp_path: Path) -> None:
    versions = [build_index(MINI_CORPUS, _bm25_only(tmp_path)).manifest["version"] for _ in range(4)]
    stale = tmp_path / "medicines" / ".building-999999999-old"
    stale.mkdir()
    prune(tmp_path, "medicines", keep=2)
    left = sorted(p.name for p in (tmp_path / "medicines").iterdir() if p.is_dir())
    assert left == versions[-2:]
    assert json.loads((tmp_path / "medicines" / versions[-1] / "manifest.json").read_text())["version"] == versions[-1]
