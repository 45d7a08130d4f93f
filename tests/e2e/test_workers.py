"""`clinqa serve --workers 2`: a rebuild run through one worker reaches every worker, and its job can be
followed through any of them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import httpx
import psutil
import pytest

from bench.server import free_port, server_process
from tests.conftest import MINI_CORPUS

pytestmark = pytest.mark.e2e


def _fresh_get(url: str) -> httpx.Response:
    # a new connection each time, so the kernel may hand it to either worker
    return httpx.get(url, timeout=30, headers={"Connection": "close"})


def test_two_workers_follow_one_rebuild(tmp_path: Path, mini_index_dir: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(mini_index_dir, index_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update(
        {
            "CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'workers.db'}",
            "CLINQA_INDEX_DIR": str(index_dir),
            "CLINQA_CORPUS": str(MINI_CORPUS),
            "CLINQA_VECTOR_CACHES": "[]",
            "CLINQA_WORKERS": "2",
            "CLINQA_INDEX_WATCH_S": "0.3",
            "HF_HUB_OFFLINE": "1",
        }
    )
    with server_process(env, free_port(), timeout=300) as (base, proc):
        workers = [p for p in psutil.Process(proc.pid).children() if "spawn_main" in " ".join(p.cmdline())]
        assert len(workers) == 2
        deadline = time.monotonic() + 300
        while not all(_fresh_get(f"{base}/readyz").status_code == 200 for _ in range(10)):
            assert time.monotonic() < deadline, "not every worker became ready"
            time.sleep(0.5)
        before = _fresh_get(f"{base}/readyz").json()["index"]["version"]

        r = httpx.post(f"{base}/v1/admin/index/rebuild", timeout=30)
        assert r.status_code == 202, r.text
        job = r.json()
        while job["state"] in ("queued", "running"):
            assert time.monotonic() < deadline, job
            time.sleep(0.3)
            status = _fresh_get(f"{base}/v1/admin/index/rebuild/{job['id']}")
            assert status.status_code == 200, status.text  # whichever worker answers knows the job
            job = status.json()
        assert job["state"] == "succeeded" and job["previous_version"] == before, job

        time.sleep(1.5)  # several watch intervals
        versions = {_fresh_get(f"{base}/readyz").json()["index"]["version"] for _ in range(20)}
        assert versions == {job["version"]}
        for _ in range(6):
            chat = httpx.post(f"{base}/v1/chat", json={"message": "What is the dose of warfarin?"},
                              headers={"Connection": "close"}, timeout=60)
            assert chat.status_code == 200 and chat.json()["audit"]["index_version"] == job["version"]
