"""Start the real server (`clinqa serve`, uvicorn) on 127.0.0.1 and wait until it says it is ready; used by
the service benchmark and by the end-to-end tests."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server_process(
    env: dict[str, str], port: int, timeout: float = 120.0, root: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """(base URL, process) of `clinqa serve` once /readyz answers 200; stopped with SIGTERM afterwards.
    `root`: the checkout to run (default: this one; a worktree of another commit for a baseline)."""
    cmd = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    # A benchmark measures serving, never an index rebuild: a checkout whose corpus file differs from the one
    # the index was built from (a baseline clone, a working tree mid-edit) would otherwise rebuild the shared
    # index in the background while it is measured (the server's CPU a request: 72 ms instead of 34) and
    # swap it in for every other user of that index directory.
    env = {"CLINQA_REBUILD_WHEN_CORPUS_CHANGES": "false", **env}
    # The server's log goes to a file, not a pipe: a pipe nobody reads fills up and blocks the server.
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in the finally below)
    proc = subprocess.Popen(cmd, cwd=root or ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise AssertionError(f"server exited early ({proc.returncode}):\n{log.read()[-3000:]}")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("server did not become ready in time")
            time.sleep(0.3)
        yield base, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def running_server(env: dict[str, str], port: int, timeout: float = 120.0) -> Iterator[str]:
    with server_process(env, port, timeout) as (base, _):
        yield base
