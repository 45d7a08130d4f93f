"""Prometheus metrics (`GET /metrics`) and the middleware that gives every request an id.

Metrics (a registry per app, so several apps in one process do not collide):
- `clinqa_http_requests_total{route,method,status}` and `clinqa_http_request_duration_seconds{route,method}`
  (route is the path template, e.g. `/v1/patients/{patient_id}`; unmatched paths count as `unmatched`);
- from the chat service's TurnMetrics (app/services/turn_metrics.py): `clinqa_stage_duration_seconds{stage}`
  (each stage of the turn, retrieve.*, total), `clinqa_answers_total{status,mode}`,
  `clinqa_model_errors_total{kind}`, `clinqa_pipeline_failures_total{kind}`;
- `clinqa_http_requests_in_progress` (a gauge; summed over the live workers);
- `clinqa_index_info{version,retrieval,state}` (1) and `clinqa_index_chunks`, read at scrape time (with several
  workers: as the worker that answers the scrape sees the index; every worker follows `CURRENT`).

Several workers (`clinqa serve --workers N`): each process counts in its own memory, so a scrape that one
worker answers would show only its share. With `PROMETHEUS_MULTIPROC_DIR` set (the server sets one per run
when N > 1; the container sets /tmp/clinqa-metrics), prometheus_client writes every value to a file per
process there, and `/metrics` sums them all (`MultiProcessCollector`): the same totals whichever worker
answers. The directory is emptied when the server starts (`shared_metrics_dir`), so a run does not
inherit the last run's counts; a worker that stops takes its in-progress gauge with it (`close`).

`ObservabilityMiddleware` (pure ASGI, so streamed responses pass through untouched) makes the request's
id (the client's `X-Request-ID`, when sane, is kept apart as `client_request_id`), puts it in the logging
context and on `request.state.request_id`, returns it in the response header, counts and times the request
and logs one JSON access line. It also answers any error nothing else handled (500 problem+json), so that
error is logged with the request's id.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import AdminPrincipal
from app.api.errors import INTERNAL_DETAIL, problem
from app.api.logging import REQUEST_ID, new_request_id, sane_request_id

log = logging.getLogger("clinqa.access")
errors_log = logging.getLogger("app.api.errors")
router = APIRouter(tags=["health"])

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_mode() -> bool:
    """Whether this process's metric values go to PROMETHEUS_MULTIPROC_DIR (prometheus_client chooses when
    it is first imported, from the environment then)."""
    return values.ValueClass is not values.MutexValue


@contextmanager
def shared_metrics_dir(workers: int, environ: MutableMapping[str, str] | None = None) -> Iterator[Path | None]:
    """Around a server run: the directory its workers' metric files go to, emptied of an earlier run's
    files and named in `environ` for the workers to inherit. An operator's PROMETHEUS_MULTIPROC_DIR is used
    (created if need be) as given; with several workers and none given, a new temporary directory, removed
    afterwards. None: one worker and no directory given (one process's memory is the whole count)."""
    env = os.environ if environ is None else environ
    given = env.get(MULTIPROC_ENV, "").strip()
    if not given and workers <= 1:
        yield None
        return
    path = Path(given) if given else Path(tempfile.mkdtemp(prefix="clinqa-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    env[MULTIPROC_ENV] = str(path)
    try:
        yield path
    finally:
        if not given:
            shutil.rmtree(path, ignore_errors=True)
            env.pop(MULTIPROC_ENV, None)


class _IndexCollector(Collector):
    def __init__(self, describe: Callable[[], dict[str, Any]]) -> None:
        self._index_describe = describe

    def collect(self) -> Iterator[InfoMetricFamily | GaugeMetricFamily]:
        try:
            d = self._index_describe()
        except Exception:  # the app is not started yet
            return
        info = InfoMetricFamily("clinqa_index", "the serving index")
        info.add_metric([], {"version": str(d.get("version") or ""), "retrieval": str(d.get("retrieval") or ""),
                             "state": str(d.get("state") or "")})
        yield info
        chunks = GaugeMetricFamily("clinqa_index_chunks", "chunks in the serving index")
        chunks.add_metric([], float(d.get("chunks") or 0))
        yield chunks


class _RegistryCollector(Collector):
    """Another registry's metrics, collected with this one's."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Any]:
        yield from self._registry.collect()


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("clinqa_http_requests", "HTTP requests", ["route", "method", "status"], registry=r)
        self.latency = Histogram("clinqa_http_request_duration_seconds", "HTTP request latency (until the last "
                                 "byte of the body)", ["route", "method"], buckets=_LATENCY_BUCKETS, registry=r)
        self.in_progress = Gauge("clinqa_http_requests_in_progress", "HTTP requests being answered",
                                 registry=r, multiprocess_mode="livesum")
        self.multiprocess = multiprocess_mode()
        self._index: _IndexCollector | None = None
        self._watched: object | None = None

    def watch(self, index_describe: Callable[[], dict[str, Any]], turns: CollectorRegistry, owner: object) -> None:
        """Expose the serving index and the chat turns' registry with the HTTP metrics (once per owner)."""
        if self._watched is owner:
            return
        self._watched = owner
        self._index = _IndexCollector(index_describe)
        self.registry.register(self._index)
        self.registry.register(_RegistryCollector(turns))

    def render(self) -> bytes:
        if not self.multiprocess:
            return generate_latest(self.registry)
        # Every worker's files (this one's included: its own registries are not collected again), then
        # the serving index as this worker sees it.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # (untyped upstream)
        if self._index is not None:
            registry.register(self._index)
        return generate_latest(registry)

    def close(self) -> None:
        """This worker stops: its live gauges leave the sums."""
        if self.multiprocess:
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]  # (untyped upstream)


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics(request: Request, principal: AdminPrincipal) -> Response:
    """Prometheus text format. With API keys on, it needs a key with the admin scope (Prometheus:
    `authorization: {credentials: <key>}` in the scrape config)."""
    m: Metrics = request.app.state.metrics
    return Response(m.render(), media_type=CONTENT_TYPE_LATEST)


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1").strip()
        # The server's own id names the request in logs and the access log; a client cannot choose it.
        rid = new_request_id()
        client_rid = sane_request_id(given)
        scope.setdefault("state", {}).update(request_id=rid, client_request_id=client_rid)
        token = REQUEST_ID.set(rid)
        status = 500
        started = False
        t0 = time.perf_counter()
        self.metrics.in_progress.inc()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = int(message["status"]), True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                # Answered here, inside the request's context: the log line carries the request id, and the
                # app returns normally, so the server keeps the keep-alive connection (Starlette's outermost
                # handler re-raises after answering, and uvicorn then closes the connection).
                errors_log.exception("unhandled error on %s", scope.get("path", ""), extra={"request_id": rid})
                if started:  # the answer is cut short: only closing the connection can tell the client
                    raise
                response = problem(500, "Internal error", INTERNAL_DETAIL, str(scope.get("path", "")))
                await response(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - t0
            route, method = _route(scope), str(scope.get("method", ""))
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.latency.labels(route, method).observe(elapsed)
            self.metrics.in_progress.dec()
            if route != "/metrics":
                log.info("%s %s %s %.1fms", method, scope.get("path", ""), status, elapsed * 1000,
                         extra={"request_id": rid, "client_request_id": client_rid, "http_method": method,
                                "path": scope.get("path", ""), "route": route,
                                "status": status, "duration_ms": round(elapsed * 1000, 1)})
            REQUEST_ID.reset(token)


def install_metrics(app: Any, metrics: Metrics) -> None:
    app.state.metrics = metrics
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    app.include_router(router)

