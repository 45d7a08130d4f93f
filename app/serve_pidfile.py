"""One PID file per port for `clinqa serve`, so `clinqa stop` (and `make stop`) stops exactly that server.

A pattern kill (`pkill -f 'clinqa serve'`) would also stop every other clinqa on the machine, a colleague's
included; the PID file names one process, and before signalling it we check that it still is a clinqa server
(a stale file's PID may since belong to anything).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


class ServerAlreadyRunning(RuntimeError):
    """Another live `clinqa serve` holds this port's PID file."""


@dataclass(frozen=True)
class StopResult:
    port: int
    pid: int | None
    outcome: str  # "stopped" | "not_running" | "stale" | "still_running" | "not_clinqa"


def pid_file(run_dir: Path, port: int) -> Path:
    return run_dir / f"clinqa-{port}.pid"


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Exited but not yet reaped by its parent (signal 0 still succeeds on it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def is_clinqa_server(pid: int) -> bool:
    """The process runs `clinqa serve` (or `python -m app.cli serve`). Where /proc is missing, trust the file."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not Path("/proc").is_dir():
        return _alive(pid)
    try:
        args = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    words = [a.decode("utf-8", "replace") for a in args if a]
    runs_clinqa = any(w.endswith("clinqa") or w == "app.cli" for w in words)
    return runs_clinqa and "serve" in words


def running_pid(run_dir: Path, port: int) -> int | None:
    """PID of the live clinqa server recorded for this port, or None (no file, or a stale one)."""
    pid = _read_pid(pid_file(run_dir, port))
    if pid is None or pid == os.getpid():
        return None
    return pid if _alive(pid) and is_clinqa_server(pid) else None


@contextmanager
def holding_pid_file(run_dir: Path, port: int) -> Iterator[Path | None]:
    """Record this process as the server on `port` while the block runs; refuse when another one is live."""
    other = running_pid(run_dir, port)
    if other is not None:
        raise ServerAlreadyRunning(
            f"a clinqa server (pid {other}) is already serving port {port}; stop it with `make stop PORT={port}` "
            f"(or `clinqa stop --port {port}`), or choose another port"
        )
    path = pid_file(run_dir, port)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".pid.tmp")
        tmp.write_text(f"{os.getpid()}\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        # Serving matters more than being stoppable by `clinqa stop`: say why and go on.
        logger.warning("cannot write the PID file %s (%s); `clinqa stop` will not find this server", path, exc)
        yield None
        return
    try:
        yield path
    finally:
        if _read_pid(path) == os.getpid():
            path.unlink(missing_ok=True)


def recorded_ports(run_dir: Path) -> list[int]:
    ports = []
    for path in sorted(run_dir.glob("clinqa-*.pid")):
        number = path.stem.removeprefix("clinqa-")
        if number.isdigit():
            ports.append(int(number))
    return ports


def stop_server(run_dir: Path, port: int, timeout_s: float = 20.0, force: bool = False) -> StopResult:
    """SIGTERM the server recorded for `port` and wait for it to exit (SIGKILL after the wait with `force`)."""
    path = pid_file(run_dir, port)
    pid = _read_pid(path)
    if pid is None:
        return StopResult(port, None, "not_running")
    if not _alive(pid):
        path.unlink(missing_ok=True)
        return StopResult(port, pid, "stale")
    if not is_clinqa_server(pid):
        path.unlink(missing_ok=True)
        return StopResult(port, pid, "not_clinqa")
    os.kill(pid, signal.SIGTERM)
    if _wait_gone(pid, timeout_s):
        path.unlink(missing_ok=True)
        return StopResult(port, pid, "stopped")
    if force:
        os.kill(pid, signal.SIGKILL)
        if _wait_gone(pid, 5.0):
            path.unlink(missing_ok=True)
            return StopResult(port, pid, "stopped")
    return StopResult(port, pid, "still_running")


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            # reap it when it is our own child (tests); otherwise this raises and we poll with signal 0
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                return True
        except ChildProcessError:
            pass
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return not _alive(pid)
