"""`clinqa stop --port N` (what `make stop` runs) stops exactly the server on that port, through its PID file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench.server import ROOT, free_port, server_process
from tests.conftest import MINI_CORPUS

pytestmark = pytest.mark.e2e


def _clinqa(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_stop_ends_the_server_on_its_port_and_a_second_start_is_refused(tmp_path: Path, mini_index_dir: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(mini_index_dir, index_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update(
        {
            "CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'stop.db'}",
            "CLINQA_INDEX_DIR": str(index_dir),
            "CLINQA_CORPUS": str(MINI_CORPUS),
            "CLINQA_VECTOR_CACHES": "[]",
            "CLINQA_RUN_DIR": str(tmp_path / "run"),
            "HF_HUB_OFFLINE": "1",
        }
    )
    port = free_port()
    with server_process(env, port, timeout=300) as (base, proc):
        assert (tmp_path / "run" / f"clinqa-{port}.pid").read_text().strip() == str(proc.pid)

        second = _clinqa(env, "serve", "--port", str(port))
        assert second.returncode == 1
        assert f"already serving port {port}" in second.stderr and "make stop" in second.stderr
        assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200  # the first one is untouched

        other_port = _clinqa(env, "stop", "--port", str(free_port()))
        assert other_port.returncode == 0 and "nothing to stop" in other_port.stdout
        assert proc.poll() is None

        stopped = _clinqa(env, "stop", "--port", str(port))
        assert stopped.returncode == 0, stopped.stderr
        assert f"stopped the clinqa server on port {port}" in stopped.stdout
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.returncode in (0, -15), proc.returncode  # uvicorn re-raises SIGTERM after its clean shutdown
        assert not (tmp_path / "run" / f"clinqa-{port}.pid").exists()
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{base}/healthz", timeout=2)
