"""POST /v1/admin/index/rebuild: a new version is built aside while the old one serves, then swapped in."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.main import create_app
from app.services.keys import KeyService
from indexing.store import current_version


def test_rebuild_in_the_background_then_swap(
    settings_factory: Callable[..., Any], mini_index_dir: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(mini_index_dir, index_dir)
    before = current_version(index_dir, "medicines")
    settings = settings_factory(index_dir=index_dir, auth={"enabled": True})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        db = client.app.state.components.db  # type: ignore[attr-defined]
        admin = {"Authorization": f"Bearer {KeyService(db).create('admin,chat').key}"}
        chat_only = {"Authorization": f"Bearer {KeyService(db).create('chat').key}"}
        assert client.post("/v1/admin/index/rebuild", headers=chat_only).status_code == 403
        assert client.post("/v1/admin/index/rebuild").status_code == 401

        # Readers keep getting answers from a complete index while the rebuild runs.
        stop = threading.Event()
        seen: list[tuple[int, str]] = []

        def reader() -> None:
            while not stop.is_set():
                r = client.post("/v1/chat", json={"message": "What is the dose of warfarin?"}, headers=chat_only)
                seen.append((r.status_code, r.json().get("audit", {}).get("index_version", "")))

        t = threading.Thread(target=reader)
        t.start()
        try:
            r = client.post("/v1/admin/index/rebuild", headers=admin)
            assert r.status_code == 202, r.text
            job = r.json()
            assert job["state"] in ("queued", "running") and r.headers["location"].endswith(job["id"])
            deadline = time.monotonic() + 120
            while job["state"] in ("queued", "running"):
                assert time.monotonic() < deadline
                time.sleep(0.2)
                job = client.get(f"/v1/admin/index/rebuild/{job['id']}", headers=admin).json()
        finally:
            stop.set()
            t.join()
        assert job["state"] == "succeeded", job
        assert job["previous_version"] == before and job["version"] != before
        assert current_version(index_dir, "medicines") == job["version"]
        assert client.get("/readyz").json()["index"]["version"] == job["version"]
        assert seen and all(status == 200 for status, _ in seen)
        assert {v for _, v in seen} <= {before, job["version"]}
        assert client.get("/v1/admin/index/rebuild/nope", headers=admin).status_code == 404
