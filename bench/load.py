"""Load test: N chat requests from C concurrent clients against a running clinqa server.

    clinqa serve --port 8000 &                       # extractive reader (the default)
    python -m bench.load --base http://127.0.0.1:8000 --requests 2000 --clients 32

Clients hold the conversations of the MedicationQA evaluation sets (the user turns of the multi-turn,
single-question and distractor dialogues, in turn), so most requests are questions the server has not seen
before. Reports throughput, latency percentiles and every error; the tests run a 300-request version
(tests/e2e/test_openai_and_load.py) and count the stored messages afterwards.

With `--patient` ids (or `patients=` in code), every `--patient-every`-th request (default: a third) is a
new conversation naming a patient, three such chats in a row about the same patient, so the first chats
about a patient arrive together (issue 15, finding 13); bench/service.py `--patients` imports the Synthea
patients, starts the server and runs this.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

EVAL_DATA = Path(__file__).resolve().parents[1] / "eval" / "data"
# Used when the evaluation sets are not there (an installed package without the repository).
FALLBACK_SCRIPTS = [
    ("I was put on warfarin last week.", "Can I take it with ibuprofen?", "Is it safe for elderly patients?"),
    ("What is metformin used for?", "What is the usual dose?", "What are the side effects?"),
    ("Tell me about amoxicillin.", "Can I take it while pregnant?", "Any interactions with warfarin?"),
    ("What is omeprazole for?", "How long can I take it?", "Can I take it with clopidogrel?"),
]


# Questions a patient asks about their own medicines: the medication-partner and record search paths.
PATIENT_QUESTIONS = (
    "Can I take ibuprofen with my current medications?",
    "Is it safe for me to take aspirin?",
    "Can I drink alcohol with the medicines I am on?",
    "Does naproxen interact with anything I take?",
    "What are the side effects of my medications?",
    "Can I take acetaminophen for a headache?",
    "Is warfarin safe with my other medicines?",
    "Should I worry about grapefruit juice with my prescriptions?",
)


def conversation_scripts() -> list[tuple[str, ...]]:
    """The user turns of the MedicationQA multi-turn dialogues, alternating with single-question
    conversations, so most requests carry a question (and a query embedding) the server has not seen."""
    sets = [EVAL_DATA / f"medicationqa_{name}.jsonl" for name in ("multiturn", "single", "distractor")]
    if not all(path.is_file() for path in sets):
        return list(FALLBACK_SCRIPTS)

    def user_turns(path: Path) -> list[tuple[str, ...]]:
        with path.open(encoding="utf-8") as fh:
            return [
                tuple(t["content"] for t in json.loads(line)["dialogue"] if t["role"] == "user")
                for line in fh
                if line.strip()
            ]

    scripts: list[tuple[str, ...]] = []
    for group in zip(*(user_turns(path) for path in sets), strict=False):
        scripts.extend(group)
    return scripts


@dataclass
class LoadResult:
    requests: int
    clients: int
    ok: int = 0
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    # the server's own per-stage timings (the answer's audit), one list per stage
    stages_ms: dict[str, list[float]] = field(default_factory=dict)
    conversations: set[str] = field(default_factory=set)
    wall_s: float = 0.0
    patient_chats: int = 0  # requests that named a patient (answered or not)
    patient_latencies_ms: list[float] = field(default_factory=list)

    def summary(self) -> str:
        lat = sorted(self.latencies_ms) or [0.0]

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))]

        return (
            "| requests | clients | ok | errors | wall s | req/s | p50 ms | p95 ms | p99 ms | max ms |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
            f"| {self.requests} | {self.clients} | {self.ok} | {len(self.errors)} | {self.wall_s:.1f} | "
            f"{self.ok / max(self.wall_s, 1e-9):.1f} | {statistics.median(lat):.0f} | {pct(0.95):.0f} | "
            f"{pct(0.99):.0f} | {lat[-1]:.0f} |"
        )


    def embed_cache_share(self) -> float:
        """Share of answered requests whose query embeddings all came from the server's cache (an embed
        stage under 0.1 ms; a computed one takes milliseconds)."""
        embeds = self.stages_ms.get("retrieve.embed", [])
        return sum(ms < 0.1 for ms in embeds) / len(embeds) if embeds else 0.0

    def stage_medians(self) -> dict[str, float]:
        return {stage: statistics.median(ms) for stage, ms in self.stages_ms.items() if ms}


async def run_load(
    base: str, requests: int = 2000, clients: int = 32, timeout: float = 120.0,
    scripts: list[tuple[str, ...]] | None = None, patients: Sequence[str] = (), patient_every: int = 3,
) -> LoadResult:
    result = LoadResult(requests, clients)
    counter = iter(range(requests))
    scripts = scripts or conversation_scripts()
    next_script = iter(itertools.cycle(range(len(scripts))))
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80

    async def patient_chat(k: int, connection: KeepAliveConnection | None) -> KeepAliveConnection | None:
        """A new conversation about a patient, on the client's own connection (a second connection would
        sit idle past the server's keep-alive timeout meanwhile); the connection to go on with."""
        patient = patients[(k // 3) % len(patients)]  # three chats in a row about each patient
        body = {"message": PATIENT_QUESTIONS[k % len(PATIENT_QUESTIONS)], "patient_id": patient}
        result.patient_chats += 1
        t0 = time.perf_counter()
        try:
            connection = connection or await KeepAliveConnection.open(host, port)
            status, payload = await asyncio.wait_for(connection.post("/v1/chat", body), timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            result.errors.append(f"patient chat: {type(exc).__name__}: {exc}")
            if connection is not None:
                connection.close()
            return None
        ms = (time.perf_counter() - t0) * 1000
        result.latencies_ms.append(ms)
        result.patient_latencies_ms.append(ms)
        if status != 200:
            result.errors.append(f"patient chat HTTP {status}: {payload[:200]!r}")
            return connection
        result.ok += 1
        result.conversations.add(json.loads(payload)["conversation_id"])
        return connection

    async def client(worker: int) -> None:
        conv: str | None = None
        turn = 0
        script = scripts[next(next_script)]
        connection: KeepAliveConnection | None = None
        for n in counter:
            if patients and n % patient_every == 0:  # a new conversation about a patient, on the side
                connection = await patient_chat(n // patient_every, connection)
                continue
            body: dict[str, object] = {"message": script[turn]}
            if conv is not None:
                body["conversation_id"] = conv
            t0 = time.perf_counter()
            try:
                connection = connection or await KeepAliveConnection.open(host, port)
                status, payload = await asyncio.wait_for(connection.post("/v1/chat", body), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                result.errors.append(f"{type(exc).__name__}: {exc}")
                if connection is not None:
                    connection.close()
                connection, conv, turn = None, None, 0
                continue
            result.latencies_ms.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                result.errors.append(f"HTTP {status}: {payload[:200]!r}")
                conv, turn = None, 0
                continue
            result.ok += 1
            reply = json.loads(payload)
            conv = reply["conversation_id"]
            result.conversations.add(conv)
            for stage, ms in ((reply.get("audit") or {}).get("timings_ms") or {}).items():
                result.stages_ms.setdefault(stage, []).append(float(ms))
            turn = (turn + 1) % len(script)
            if turn == 0:
                conv, script = None, scripts[next(next_script)]
        if connection is not None:
            connection.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    result.wall_s = time.perf_counter() - t0
    return result


class KeepAliveConnection:
    """One persistent HTTP/1.1 connection, just enough for JSON POSTs to our own server. httpx spent ~4 ms
    of CPU a request on these 2 cores, more than the server's own share, so it would have measured itself."""

    def __init__(self, host: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.host = host
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, host: str, port: int) -> KeepAliveConnection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(host, reader, writer)

    async def post(self, path: str, body: dict[str, object]) -> tuple[int, bytes]:
        data = json.dumps(body).encode()
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\n\r\n").encode()
        self.writer.write(head + data)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length, chunked = None, False
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
            elif name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            return status, await self._read_chunked()
        if length is None:
            raise ValueError("response without Content-Length")
        return status, await self.reader.readexactly(length)

    async def _read_chunked(self) -> bytes:
        parts = []
        while (size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)) > 0:
            parts.append(await self.reader.readexactly(size + 2))
        await self.reader.readuntil(b"\r\n")
        return b"".join(p[:-2] for p in parts)

    def close(self) -> None:
        self.writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--patient", action="append", default=[], help="a patient id to chat about (repeat)")
    parser.add_argument("--patient-every", type=int, default=3, help="every n-th request names a patient")
    args = parser.parse_args()
    result = asyncio.run(run_load(args.base, args.requests, args.clients, patients=args.patient,
                                  patient_every=args.patient_every))
    print(result.summary())
    print("server-side stage medians (ms):", ", ".join(f"{k} {v:.2f}" for k, v in result.stage_medians().items()))
    for err in result.errors[:20]:
        print("error:", err)
    raise SystemExit(1 if result.errors else 0)


if __name__ == "__main__":
    main()
