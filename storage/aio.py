"""An asyncio facade, so the seed's async examples read naturally in Python.

``AsyncTemporalEngine`` runs each call of a ``TemporalEngine`` in a worker
thread (``asyncio.to_thread``): DuckDB releases the GIL while it works, so
concurrent awaits really run concurrently, each on its own DuckDB connection.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .engine import TemporalEngine
from .errors import TransactionError

#: Engine methods that bind state to the calling thread.
_THREAD_BOUND = frozenset({"transaction", "current_transaction", "end_transaction"})


class AsyncTemporalEngine:
    """``await AsyncTemporalEngine.new(path)``; every engine method becomes awaitable."""

    def __init__(self, engine: TemporalEngine):
        self.engine = engine

    @classmethod
    async def new(cls, path: str | Path = ":memory:", **options: Any) -> AsyncTemporalEngine:
        return cls(await asyncio.to_thread(TemporalEngine, path, **options))

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name in _THREAD_BOUND:
            # A transaction belongs to the worker thread that opened it; later awaits
            # run on other threads (and an unrelated call could land on that one and
            # join it), so this facade offers single-call transactions only.
            raise TransactionError(
                f"AsyncTemporalEngine.{name} is not available: transactions are bound to a "
                "thread; run a multi-statement transaction with the synchronous engine "
                "inside asyncio.to_thread"
            )
        method = getattr(self.engine, name)
        if not callable(method):
            return method

        @functools.wraps(method)
        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(method, *args, **kwargs)

        return call

    async def __aenter__(self) -> AsyncTemporalEngine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.engine.close)
