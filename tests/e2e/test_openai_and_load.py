"""The real server (uvicorn on 127.0.0.1): the official openai client, and a bounded load test.

The load test here is 300 chat requests from 32 concurrent clients; `python -m bench.load` runs the
2,000-request version by hand (see bench/load.py).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from bench.load import LoadResult, run_load
from bench.server import free_port, running_server
from tests.conftest import MINI_CORPUS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, mini_index_dir: Path) -> Iterator[tuple[str, Path]]:
    import os

    db = tmp_path_factory.mktemp("e2e-load") / "load.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({"CLINQA_DATABASE_URL": f"sqlite:///{db}", "CLINQA_INDEX_DIR": str(mini_index_dir),
                "CLINQA_CORPUS": str(MINI_CORPUS), "CLINQA_VECTOR_CACHES": "[]", "HF_HUB_OFFLINE": "1"})
    with running_server(env, free_port()) as base:
        yield base, db


def test_openai_client_against_the_real_server(server: tuple[str, Path]) -> None:
    base, _ = server
    client = openai.OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0, timeout=60)
    assert {m.id for m in client.models.list()} == {"clinqa-drr", "clinqa-rtr"}
    r = client.chat.completions.create(
        model="clinqa-drr",
        messages=[{"role": "user", "content": "I take warfarin."},
                  {"role": "assistant", "content": "Noted."},
                  {"role": "user", "content": "Can I take it with ibuprofen?"}],
    )
    cites = (r.model_extra or {})["citations"]
    assert ("warfarin-sodium", "interactions") in {(c["medicine_id"], c["attribute"]) for c in cites}
    parts, last = [], None
    for chunk in client.chat.completions.create(
        model="clinqa-rtr", messages=[{"role": "user", "content": "What is metformin used for?"}],
        stream=True,
    ):
        parts.extend(c.delta.content or "" for c in chunk.choices)
        last = chunk
    assert last is not None and last.choices[0].finish_reason == "stop"
    assert "".join(parts).strip() and (last.model_extra or {})["citations"]
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="nope", messages=[{"role": "user", "content": "hi"}])
    metrics = httpx.get(f"{base}/metrics", timeout=10).text
    assert 'route="/v1/chat/completions",status="200"} 2.0' in metrics


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute(sql).fetchone()[0])


@pytest.mark.slow
def test_bounded_load(server: tuple[str, Path]) -> None:
    base, db = server
    users_before = _count(db, "select count(*) from messages where role = 'user'")
    result: LoadResult = asyncio.run(run_load(base, requests=300, clients=32, timeout=120))
    assert result.errors == [], result.errors[:5]
    assert result.ok == 300
    # no lost messages: every request stored its question and its answer
    assert _count(db, "select count(*) from messages where role = 'user'") - users_before == 300
    assert _count(db, "select count(*) from messages where role = 'assistant' and status = 'error'") == 0
    ids = ",".join(f"'{c}'" for c in result.conversations)
    stored = _count(db, f"select count(*) from messages where conversation_id in ({ids})")
    assert stored == 2 * 300
    print(result.summary())
