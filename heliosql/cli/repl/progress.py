"""A one-line progress bar for statements that run longer than a second.

It is drawn only on a terminal (never into piped output) and erased when the
statement ends, so the result starts on a clean line. DuckDB reports progress
as a percentage, or nothing for statements it cannot estimate; then the bar
shows only the elapsed time.
"""

from __future__ import annotations

import contextlib
import time
from typing import IO, Any

DELAY = 1.0  # seconds before the bar appears: quick statements never flash one
WIDTH = 30


def render(percent: float | None, elapsed: float, width: int = WIDTH) -> str:
    """``[#########.....................]  30%  2.5 s`` (no bar when progress is unknown)."""
    if percent is None:
        return f"running… {elapsed:.1f} s  (Ctrl-C cancels)"
    filled = int(width * min(max(percent, 0.0), 100.0) / 100)
    return f"[{'#' * filled}{'.' * (width - filled)}] {percent:3.0f}%  {elapsed:.1f} s"


class ProgressBar:
    def __init__(self, stream: IO[str], delay: float = DELAY):
        self.stream = stream
        self.delay = delay
        self.started = time.monotonic()
        self.enabled = stream.isatty()
        self._drawn = 0

    def update(self, percent: float | None) -> None:
        elapsed = time.monotonic() - self.started
        if not self.enabled or elapsed < self.delay:
            return
        line = render(percent, elapsed)
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()
        self._drawn = len(line)

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0


# The DB-API has no progress call: these two reach the DuckDB connection behind a
# heliosql cursor (created by its first execute). Nothing else in the CLI does.


def enable(cursor: Any) -> None:
    """Let DuckDB track progress on the cursor's connection, without printing its own bar."""
    duck = getattr(cursor, "_duckdb", None)
    if duck is not None:
        with contextlib.suppress(Exception):  # an older DuckDB without the settings
            duck.execute("SET enable_progress_bar = true")
            duck.execute("SET enable_progress_bar_print = false")


def percent(cursor: Any) -> float | None:
    """DuckDB's estimate (0-100) for the statement the cursor runs; None if it has none."""
    duck = getattr(cursor, "_duckdb", None)
    if duck is None:
        return None
    try:
        value = duck.query_progress()
    except Exception:  # a connection closed under us: no progress, not an error
        return None
    return value if value >= 0 else None
