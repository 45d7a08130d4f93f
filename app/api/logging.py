"""Structured logs: one JSON object a line, each with the id of the request it belongs to.

The middleware that sets the id (`ObservabilityMiddleware`, app/api/metrics.py) also does metrics and the
access log; this module holds the context variable, the filter that stamps records with it and the
JSON formatter. `configure_json_logging()` is what `clinqa serve` calls.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("clinqa_request_id", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
# LogRecord attributes that are not "extra" fields.
_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(given: str | None) -> str | None:
    """The client's X-Request-ID when it is a sane token (letters, digits, ._:-, at most 64), else None."""
    return given if given and _SAFE_ID.match(given) else None


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """{"ts", "level", "logger", "message", "request_id", ...extra fields, "exc"}."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_json_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the root logger and uvicorn's loggers (its access log is replaced by ours)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        lg = logging.getLogger(name)
        lg.handlers = []
        lg.propagate = True
    logging.getLogger("uvicorn.access").disabled = True


# Loggers whose INFO lines read like failures to a new user: faiss's loader reports each CPU build it could not
# load ("Could not load library with AVX512 support ... ModuleNotFoundError") before the one it uses.
NOISY_LOGGERS = ("faiss.loader",)


def quiet_noisy_loggers() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_server_logging(log_format: str) -> None:
    """The server's logging in each of its processes (uvicorn spawns workers, which start unconfigured)."""
    quiet_noisy_loggers()
    if log_format == "json":
        configure_json_logging()  # one JSON object a line, with the request id (X-Request-ID)
    else:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
