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


class AsyncTemporalEngine:
    """``await AsyncTemporalEngine.new(path)``; every engine method becomes awaitable."""

    def __init__(self, engine: TemporalEngine):
        self.engine = engine

    @classmethod
    async def new(cls, path: str | Path = ":memory:", **options: Any) -> AsyncTemporalEngine:
        return cls(await asyncio.to_thread(TemporalEngine, path, **options))

    def __getattr__(self, name: str) -> Callable[..., Any]:
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
