"""Shared fixtures: one real encoder and one small real index per test session."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAIServer

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


POSTGRES_URL_ENV = "CLINQA_TEST_POSTGRES_URL"


def _fresh_postgres_database(base_url: str) -> tuple[str, Callable[[], None]]:
    """A new, empty database on the test server (so tests never see each other's rows), and its dropper."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    name = f"clinqa_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        # An autovacuum worker on the new database belongs to the superuser: a test role's DROP ... WITH (FORCE)
        # cannot end it ("must be a member of the role whose process is being terminated") and must wait it out.
        for attempt in range(20):
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except DBAPIError:
                if attempt == 19:
                    raise
                time.sleep(0.25)
        admin.dispose()

    return make_url(base_url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, and (a second run of the test) a PostgreSQL database on the
    server named by CLINQA_TEST_POSTGRES_URL (`.ci/run` starts one); skipped when that is unset."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'clinqa.db'}"
        return
    base = os.environ.get(POSTGRES_URL_ENV)
    if not base:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_URL_ENV} (e.g. postgresql+psycopg://user:pw@127.0.0.1/db; "
                    ".ci/run starts a server) to run it")
    url, drop = _fresh_postgres_database(base)
    try:
        yield url
    finally:
        drop()


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


@pytest.fixture()
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """An OpenAI-compatible model server on 127.0.0.1 that answers from a script (tests/fakes)."""
    with FakeOpenAIServer() as server:
        yield server
