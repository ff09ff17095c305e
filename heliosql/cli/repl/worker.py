"""The one thread a shell runs its statements on.

DuckDB and the engine keep per-thread state, so a thread per statement would
not do. The calling thread waits: there a Ctrl-C arrives as
``KeyboardInterrupt`` and is turned into ``backend.interrupt()``, and the
progress bar is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import IO, Any, TypeVar

import heliosql
from heliosql.cli.repl import progress

T = TypeVar("T")


class Cancelled(Exception):
    """The user pressed Ctrl-C while a statement ran."""


class StatementThread:
    """Runs calls on its thread; Ctrl-C in the waiting thread interrupts them."""

    def __init__(self, connection: heliosql.Connection, stderr: IO[str], interactive: bool):
        self.connection = connection
        self.stderr = stderr
        self.interactive = interactive
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="heliosql-statement")

    def call(self, fn: Callable[..., T], *args: Any, watch: Any = None) -> T:
        """Run ``fn`` on the thread and wait; Ctrl-C interrupts it (``Cancelled``).

        With ``watch`` (a cursor), a progress bar shows how far its statement got."""
        future: Future[T] = self._pool.submit(fn, *args)
        bar = progress.ProgressBar(self.stderr) if self.interactive and watch is not None else None
        cancelled = False
        try:
            while True:
                try:
                    result = future.result(timeout=0.1)
                except FutureTimeout:
                    if bar is not None:
                        bar.update(progress.percent(watch))
                    continue
                except KeyboardInterrupt:
                    cancelled = True
                    self.connection.engine.backend.interrupt()
                    continue
                except Exception:
                    if cancelled:  # DuckDB's interrupt error, whatever it was translated to
                        raise Cancelled() from None
                    raise
                if cancelled:  # it finished before the interrupt reached it
                    raise Cancelled()
                return result
        finally:
            if bar is not None:
                bar.clear()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
