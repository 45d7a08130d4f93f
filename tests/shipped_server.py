"""A real `clinqa serve` on 127.0.0.1 over a cut of the shipped corpus, for the end-to-end tests of
understanding and reading: the shipped chunk vectors (corpora/medicines.vectors.npz) cover the cut, so
nothing is encoded and the server is up in seconds."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.server import free_port, running_server

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "corpora" / "medicines.jsonl"
VECTORS = ROOT / "corpora" / "medicines.vectors.npz"


@contextmanager
def shipped_subset_server(tmp: Path, keep: Iterable[str]) -> Iterator[str]:
    """The server's base URL, serving only the shipped medicines whose ids are in `keep`."""
    if not SHIPPED.is_file() or not VECTORS.is_file():
        pytest.skip("the shipped corpus or its vectors are absent")
    wanted = set(keep)
    corpus = tmp / "medicines.jsonl"
    with SHIPPED.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
        for line in src:
            if json.loads(line)["id"] in wanted:
                dst.write(line)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINQA_")}
    env.update({
        "CLINQA_DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "CLINQA_INDEX_DIR": str(tmp / "index"),
        "CLINQA_CORPUS": str(corpus),
        "CLINQA_VECTOR_CACHES": json.dumps([str(VECTORS)]),
        "CLINQA_VECTOR_CACHE_OUT": "null",
        "HF_HUB_OFFLINE": "1",
    })
    with running_server(env, free_port(), timeout=300) as url:
        yield url


def chat(base: str, *messages: str) -> dict[str, Any]:
    """User turns, one after another in one conversation; the last answer."""
    conversation = None
    body: dict[str, Any] = {}
    for message in messages:
        r = httpx.post(f"{base}/v1/chat", json={"message": message, "conversation_id": conversation}, timeout=120)
        assert r.status_code == 200, r.text
        body = r.json()
        conversation = body["conversation_id"]
    return body
