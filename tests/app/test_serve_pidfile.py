"""The PID file `clinqa serve` keeps per port, and `clinqa stop` reading it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.serve_pidfile import (
    ServerAlreadyRunning,
    holding_pid_file,
    pid_file,
    recorded_ports,
    running_pid,
    stop_server,
)


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_the_file_names_this_process_while_held_and_goes_after(tmp_path: Path) -> None:
    with holding_pid_file(tmp_path / "run", 8123) as path:
        assert path == pid_file(tmp_path / "run", 8123)
        assert path.read_text().strip() == str(os.getpid())
        assert recorded_ports(tmp_path / "run") == [8123]
    assert not path.exists()


def test_a_stale_file_is_replaced_not_obeyed(tmp_path: Path) -> None:
    proc = _sleeper()
    proc.kill()
    proc.wait()
    path = pid_file(tmp_path, 8124)
    path.write_text(f"{proc.pid}\n")
    assert running_pid(tmp_path, 8124) is None
    with holding_pid_file(tmp_path, 8124):
        assert path.read_text().strip() == str(os.getpid())


def test_a_pid_that_is_no_clinqa_server_is_never_signalled(tmp_path: Path) -> None:
    proc = _sleeper()
    try:
        pid_file(tmp_path, 8125).write_text(f"{proc.pid}\n")
        assert running_pid(tmp_path, 8125) is None
        result = stop_server(tmp_path, 8125, timeout_s=1)
        assert result.outcome == "not_clinqa"
        assert proc.poll() is None, "a process that is not clinqa was signalled"
        assert not pid_file(tmp_path, 8125).exists()
    finally:
        proc.kill()
        proc.wait()


def test_stopping_what_was_never_started_says_so(tmp_path: Path) -> None:
    assert stop_server(tmp_path, 8126).outcome == "not_running"
    assert recorded_ports(tmp_path / "missing") == []


def test_a_live_clinqa_server_on_the_port_refuses_a_second(tmp_path: Path) -> None:
    # A process whose command line reads like `clinqa serve`, holding the file.
    fake = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "/venv/bin/clinqa", "serve"])
    try:
        pid_file(tmp_path, 8127).write_text(f"{fake.pid}\n")
        assert running_pid(tmp_path, 8127) == fake.pid
        with pytest.raises(ServerAlreadyRunning, match="make stop PORT=8127"), holding_pid_file(tmp_path, 8127):
            pass
        result = stop_server(tmp_path, 8127, timeout_s=5)
        assert result.outcome == "stopped" and result.pid == fake.pid
        assert fake.poll() is not None
        assert not pid_file(tmp_path, 8127).exists()
    finally:
        fake.kill()
        fake.wait()
