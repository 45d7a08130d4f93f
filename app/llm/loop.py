"""A private asyncio loop on a daemon thread, so async clients can serve the synchronous pipeline.

The pipeline runs in FastAPI's worker threads (sync routes) and in eval loops; each call submits a
coroutine to this loop and blocks on its result. One loop per client keeps the httpx connection pool
bound to a single loop, as httpx requires.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar, cast

T = TypeVar("T")
_DONE = object()


class LoopThread:
    def __init__(self, name: str = "clinqa-llm-loop") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, make: Callable[[], Awaitable[T]]) -> T:
        async def wrapped() -> T:
            return await make()

        return asyncio.run_coroutine_threadsafe(wrapped(), self._loop).result()

    def iterate(self, make: Callable[[], AsyncIterator[T]]) -> Iterator[T]:
        """Items of an async iterator, pulled on the loop thread and handed over through a queue."""
        items: queue.Queue[object] = queue.Queue()

        async def pump() -> None:
            try:
                async for item in make():
                    items.put(item)
            except BaseException as exc:  # handed to the consumer, who re-raises it
                items.put(exc)
            finally:
                items.put(_DONE)

        future = asyncio.run_coroutine_threadsafe(pump(), self._loop)
        try:
            while True:
                item = items.get()
                if item is _DONE:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield cast(T, item)
        finally:
            future.cancel()

    def close(self) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
