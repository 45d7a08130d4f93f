from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.fixture()
def client(settings_factory: Callable[..., Any]) -> Iterator[TestClient]:
    with TestClient(create_app(settings_factory(max_message_chars=500))) as c:
        yield c


def sse_events(text: str) -> list[tuple[str, Any]]:
    """(event, data) pairs of an SSE body; data-only events are named "message"; `[DONE]` stays a string."""
    events = []
    for block in text.split("\n\n"):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            raw = "\n".join(data)
            events.append((name, raw if raw == "[DONE]" else json.loads(raw)))
    return events
