"""A server span per HTTP request (pure ASGI, installed only when tracing is on: app/telemetry.py).

The span continues the caller's trace when the request carries a W3C `traceparent`, is named
`<METHOD> <route template>` (`POST /v1/chat`, `GET /v1/patients/{patient_id}`) and carries the method, the
route template, the status and the server's request id (which the access log carries too). Never the path
itself (it may hold a patient id), the query string, a header or the body. The turn's and the stages' spans
(app/telemetry.py) are its children: the request's context follows the route into its worker thread.
"""

from __future__ import annotations

from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.telemetry import mark_failed

_PROPAGATOR = TraceContextTextMapPropagator()


def _route(scope: Scope) -> str:
    path = getattr(scope.get("route"), "path", None)
    return str(path) if path else "unmatched"


class RequestSpans:
    def __init__(self, app: ASGIApp, tracer: Tracer) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        method = str(scope.get("method", ""))
        status: int | None = None

        async def send_and_see(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with self.tracer.start_as_current_span(method, context=_PROPAGATOR.extract(carrier), kind=SpanKind.SERVER,
                                               record_exception=False, set_status_on_exception=False) as span:
            try:
                await self.app(scope, receive, send_and_see)
            except BaseException as exc:
                mark_failed(span, exc)
                raise
            finally:
                route = _route(scope)
                span.update_name(f"{method} {route}")
                attrs: dict[str, Any] = {"http.request.method": method, "http.route": route}
                request_id = (scope.get("state") or {}).get("request_id")
                if request_id:
                    attrs["clinqa.request_id"] = str(request_id)
                if status is not None:
                    attrs["http.response.status_code"] = status
                    if status >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                span.set_attributes(attrs)
