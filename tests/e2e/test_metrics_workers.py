"""`clinqa serve --workers 2`: /metrics sums every worker's counts (Prometheus multiprocess mode), whichever
worker answers the scrape, and a run starts from zero whatever an earlier run left in the directory."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import httpx
import psutil
import pytest
from prometheus_client.mmap_dict import MmapedDict, mmap_key

from bench.server import free_port, server_process
from tests.conftest import MINI_CORPUS

pytestmark = pytest.mark.e2e

T = TypeVar("T")
HEALTHZ = 'clinqa_http_requests_total{method="GET",route="/healthz",status="200"}'


def _fresh(method: str, url: str, **kw: object) -> httpx.Response:
    # a new connection each time, so the kernel may hand it to either worker
    return httpx.request(method, url, timeout=60, headers={"Connection": "close"}, **kw)  # type: ignore[arg-type]


def _sample(text: str, name: str) -> float:
    m = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert m, f"{name} not in /metrics"
    return float(m.group(1))


def _healthz_by_worker(prom_dir: Path, pids: list[int]) -> dict[int, float]:
    """What each worker's own file says it answered on /healthz."""
    counts: dict[int, float] = {}
    for pid in pids:
        path = prom_dir / f"counter_{pid}.db"
        entries = MmapedDict.read_all_values_from_file(str(path)) if path.exists() else []  # type: ignore[no-untyped-call]
        keys = [(json.loads(key), value) for key, value, _, _ in entries]  # [metric, sample, labels, help]
        counts[pid] = sum(value for (_, sample, labels, _), value in keys
                          if sample == "clinqa_http_requests_total" and labels.get("route") == "/healthz")
    return counts


def _settled(read: Callable[[], T], done: Callable[[T], bool], seconds: float = 10.0) -> T:
    """`read()` once `done` holds of it, or its last value. The middleware counts a request after its last byte is
    sent, so a client can hold the answer a moment before the worker's count moves."""
    deadline = time.monotonic() + seconds
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value


def _write_stale_healthz_count(path: Path, count: float) -> None:
    """A counter file as a worker of an earlier run left it."""
    stale = MmapedDict(str(path))  # type: ignore[no-untyped-call]
    stale.write_value(mmap_key("clinqa_http_requests", "clinqa_http_requests_total", ["route", "method", "status"],
                               ["/healthz", "GET", "200"], "HTTP requests"), count, 0.0)  # type: ignore[no-untyped-call]
    stale.close()  # type: ignore[no-untyped-call]


def test_metrics_sum_over_two_workers(tmp_path: Path, mini_index_dir: Path) -> None:
    prom_dir = tmp_path / "prom"
    prom_dir.mkdir()
    # An earlier run's file (a worker that answered /healthz 1000 times): the new run must not inherit it.
    _write_stale_healthz_count(prom_dir / "counter_999999.db", 1000.0)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLINQA_", "OTEL_"))}
    env.update({"CLINQA_DATABASE_URL": f"sqlite:///{tmp_path / 'metrics.db'}", "CLINQA_INDEX_DIR": str(mini_index_dir),
                "CLINQA_CORPUS": str(MINI_CORPUS), "CLINQA_VECTOR_CACHES": "[]", "CLINQA_WORKERS": "2",
                "HF_HUB_OFFLINE": "1", "PROMETHEUS_MULTIPROC_DIR": str(prom_dir)})
    with server_process(env, free_port(), timeout=300) as (base, proc):
        assert not (prom_dir / "counter_999999.db").exists()
        pids = [p.pid for p in psutil.Process(proc.pid).children() if "spawn_main" in " ".join(p.cmdline())]
        assert len(pids) == 2
        sent = 0
        deadline = time.monotonic() + 120
        with ThreadPoolExecutor(8) as pool:  # until both workers have answered some
            while sent == 0 or min(_healthz_by_worker(prom_dir, pids).values()) == 0:
                assert time.monotonic() < deadline, f"one worker answered all {sent} requests"
                statuses = list(pool.map(lambda _: _fresh("GET", f"{base}/healthz").status_code, range(16)))
                assert statuses == [200] * 16
                sent += 16
        per_worker = _settled(lambda: _healthz_by_worker(prom_dir, pids), lambda c: sum(c.values()) >= sent)
        assert sum(per_worker.values()) == sent and min(per_worker.values()) > 0, per_worker

        for question in ("What is the dose of warfarin?", "Side effects of metformin?", "Can I take ibuprofen?"):
            assert _fresh("POST", f"{base}/v1/chat", json={"message": question}).status_code == 200
        chat_count = 'clinqa_http_requests_total{method="POST",route="/v1/chat",status="200"}'
        _settled(lambda: _fresh("GET", f"{base}/metrics").text, lambda text: _sample(text, chat_count) >= 3)

        for _ in range(8):  # every scrape, whichever worker answers it, has the whole count
            text = _fresh("GET", f"{base}/metrics").text
            assert _sample(text, HEALTHZ) == sent
            assert _sample(text, 'clinqa_http_request_duration_seconds_count{method="GET",route="/healthz"}') == sent
            assert _sample(text, 'clinqa_http_requests_total{method="POST",route="/v1/chat",status="200"}') == 3
            answered = [float(v) for v in re.findall(r"^clinqa_answers_total\{.*\} (\S+)$", text, re.MULTILINE)]
            assert sum(answered) == 3
            assert _sample(text, 'clinqa_stage_duration_seconds_count{stage="total"}') == 3
            assert _sample(text, "clinqa_http_requests_in_progress") >= 1  # this scrape
            assert "clinqa_index_info{" in text
