"""FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from opentelemetry.trace import TracerProvider

from app.api.errors import install_error_handlers
from app.api.limits import BodySizeLimitMiddleware, InputCheckMiddleware
from app.api.logging import configure_server_logging
from app.api.metrics import Metrics, install_metrics
from app.api.openapi import install_openapi
from app.api.routes import admin, audit, chat, health, openai_compat, patients, web
from app.api.tracing import RequestSpans
from app.config import Settings, get_settings
from app.factory import Components, build_components, warm_up
from app.telemetry import INSTRUMENTATION, flush, process_tracer_provider

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, components: Components | None = None,
               tracer_provider: TracerProvider | None = None) -> FastAPI:
    """`tracer_provider`: where request, turn and stage spans go (default: the OTEL_* variables' provider,
    None when they ask for no tracing; app/telemetry.py)."""
    settings = settings or get_settings()
    tracing = tracer_provider or process_tracer_provider()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        comps = components or build_components(settings, tracing)
        comps.db.migrate()
        comps.indexes.start(build_if_missing=settings.build_on_start)
        await asyncio.to_thread(warm_up, comps)
        comps.indexes.watch(settings.index_watch_s)
        app.state.components = comps
        metrics.watch(comps.indexes.describe, comps.turn_metrics.registry, comps)
        yield
        comps.indexes.stop()
        comps.db.dispose()
        flush(tracing)
        metrics.close()

    app = FastAPI(
        title="clinqa",
        version="0.1.0",
        description="Retrieval-augmented medication consultation: Distill-Retrieve-Read with citations.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    # Middleware added later runs first: request ids and metrics, then the size limit, then the input checks
    # (which read the body whole, so they run inside the size limit).
    app.add_middleware(InputCheckMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(patients.router)
    app.include_router(admin.router)
    app.include_router(audit.router)
    app.include_router(openai_compat.router)
    app.include_router(web.router)
    install_metrics(app, metrics)  # request ids and timings cover the size limit too
    if tracing is not None:  # outermost: the request's span covers everything, the request id included
        app.add_middleware(RequestSpans, tracer=tracing.get_tracer(INSTRUMENTATION))
    install_openapi(app)  # errors documented as problem+json
    return app


def worker_app() -> FastAPI:
    """`clinqa serve`'s application factory, run in each server process."""
    settings = get_settings()
    configure_server_logging(settings.log_format)
    return create_app(settings)
