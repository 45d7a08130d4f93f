"""Shared fixtures: one real encoder and one small real index per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

FIXTURES = Path(__file__).parent / "fixtures"
MINI_CORPUS = FIXTURES / "medicines_mini.jsonl"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def encoder():  # type: ignore[no-untyped-def]
    from indexing.embed import Encoder

    return Encoder()


@pytest.fixture(scope="session")
def mini_index_dir(tmp_path_factory: pytest.TempPathFactory, encoder) -> Path:  # type: ignore[no-untyped-def]
    from indexing.build import BuildOptions, build_index

    root = tmp_path_factory.mktemp("index")
    build_index(MINI_CORPUS, BuildOptions(index_dir=root, progress=False), encoder=encoder)
    return root


@pytest.fixture(scope="session")
def mini_index(mini_index_dir: Path):  # type: ignore[no-untyped-def]
    from indexing.store import load_current

    return load_current(mini_index_dir, "medicines")


@pytest.fixture()
def settings_factory(tmp_path: Path, mini_index_dir: Path) -> Iterator[object]:
    from app.config import Settings

    def make(**overrides: object) -> Settings:
        base: dict[str, object] = {
            "database_url": f"sqlite:///{tmp_path / 'clinqa.db'}",
            "index_dir": mini_index_dir,
            "corpus": MINI_CORPUS,
            "vector_caches": [],
            "vector_cache_out": None,
        }
        base.update(overrides)
        return Settings(**base)  # type: ignore[arg-type]

    yield make
