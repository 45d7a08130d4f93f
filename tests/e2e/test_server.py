"""Start the real server (`clinqa serve`, uvicorn) on 127.0.0.1 and talk to it over HTTP."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from bench.server import free_port, running_server
from tests.conftest import MINI_CORPUS

pytestmark = pytest.mark.e2e


@pytest.fixture()
def server_env(tmp_path: Path, mini_index_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update(
        {
            "CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
            "CLINQA_INDEX_DIR": str(mini_index_dir),
            "CLINQA_CORPUS": str(MINI_CORPUS),
            "CLINQA_VECTOR_CACHES": "[]",
            "HF_HUB_OFFLINE": "1",
        }
    )
    return env


def test_three_turn_conversation_survives_restart(server_env: dict[str, str], db_url: str) -> None:
    """On SQLite and on PostgreSQL (db_url's two variants)."""
    server_env = {**server_env, "CLINQA_DATABASE_URL": db_url}
    port = free_port()
    with running_server(server_env, port) as base:
        r1 = httpx.post(f"{base}/v1/chat", json={"message": "I was put on warfarin last week."}, timeout=60)
        assert r1.status_code == 200, r1.text
        conv = r1.json()["conversation_id"]
        r2 = httpx.post(
            f"{base}/v1/chat", json={"conversation_id": conv, "message": "Can I take it with ibuprofen?"}, timeout=60
        ).json()
        cited = {(c["medicine_id"], c["attribute"]) for c in r2["citations"]}
        assert ("warfarin-sodium", "interactions") in cited
        r3 = httpx.post(
            f"{base}/v1/chat",
            json={"conversation_id": conv, "message": "What about the dose of warfarin for an elderly patient?"},
            timeout=60,
        ).json()
        assert r3["queries"][0]["medicine"] == "warfarin-sodium"
        assert any(c["medicine_id"] == "warfarin-sodium" for c in r3["citations"])
        before = httpx.get(f"{base}/v1/conversations/{conv}", timeout=10).json()
    assert len(before["turns"]) == 6

    with running_server(server_env, free_port()) as base:
        after = httpx.get(f"{base}/v1/conversations/{conv}", timeout=10)
        assert after.status_code == 200
        assert after.json()["turns"] == before["turns"]
        r4 = httpx.post(
            f"{base}/v1/chat", json={"conversation_id": conv, "message": "Is it safe for kids?"}, timeout=60
        )
        assert r4.status_code == 200
        assert r4.json()["queries"][0]["medicine"] == "warfarin-sodium"
