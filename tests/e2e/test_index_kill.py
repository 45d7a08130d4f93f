"""SIGKILL during an index rebuild: after a restart the previous version serves and the debris is gone."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench.server import free_port, running_server
from indexing.store import current_version, index_home
from tests.conftest import MINI_CORPUS

pytestmark = pytest.mark.e2e
BIG_CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "medicines.jsonl"  # ~20k chunks: seconds of BM25


@pytest.mark.skipif(not BIG_CORPUS.is_file(), reason="corpora/medicines.jsonl is absent")
def test_sigkill_mid_build_leaves_the_previous_index_serving(
    tmp_path: Path, mini_index_dir: Path
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(mini_index_dir, index_dir)
    home = index_home(index_dir, "medicines")
    before = current_version(index_dir, "medicines")
    assert before is not None

    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({"CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}", "CLINQA_INDEX_DIR": str(index_dir),
                "CLINQA_CORPUS": str(MINI_CORPUS), "CLINQA_VECTOR_CACHES": "[]", "HF_HUB_OFFLINE": "1"})
    build = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "index", "build", "--corpus", str(BIG_CORPUS), "--no-dense", "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180  # generous: CI machines can be busy
        while not list(home.glob(".building-*")):
            assert build.poll() is None, "the build finished before it could be killed"
            assert time.monotonic() < deadline, "no staging dir appeared"
            time.sleep(0.05)
        time.sleep(1.0)  # well into chunking / BM25
        assert build.poll() is None, "the build finished before it could be killed"
        os.kill(build.pid, signal.SIGKILL)
        assert build.wait(timeout=10) == -signal.SIGKILL
    finally:
        if build.poll() is None:
            build.kill()
    # the killed build left its staging dir behind, and CURRENT still names the previous version
    assert [p.name for p in home.glob(".building-*")], "expected the killed build's staging dir"
    assert current_version(index_dir, "medicines") == before

    with running_server(env, free_port(), timeout=300) as base:
        ready = httpx.get(f"{base}/readyz", timeout=10).json()
        assert ready["index"]["version"] == before
        assert not list(home.glob(".building-*")), "stale staging dirs were not cleaned at start-up"
        r = httpx.post(f"{base}/v1/chat", json={"message": "What is the dose of warfarin?"}, timeout=60)
        assert r.status_code == 200 and r.json()["audit"]["index_version"] == before
