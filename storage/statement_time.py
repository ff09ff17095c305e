"""The time of the running statement: what SYSTIMESTAMP, SYSDATE and time defaults read.

Oracle reads the clock once per statement: every row of an INSERT gets the
same SYSDATE, and the next statement a later one. heliosql takes that time in
Python when a statement starts and hands it to DuckDB as a value, never
letting DuckDB read its own clock, which stands still at the start of its
transaction. A value also stays the same when a transaction is rebuilt after
a failed statement (see ``journal.py``): the statements run again with the
times they saw the first time.

Queries receive the time as the parameter ``$__statement_time``. Column
defaults cannot name parameters, so a default that reads the time reads the
connection variable ``__helios_statement_time``, which the engine sets
before it writes such a table (``Transaction.pin_statement_time``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

PARAMETER = "__statement_time"
VARIABLE = "__helios_statement_time"
# What a column default reads: the variable, as a TIMESTAMP WITH TIME ZONE.
DEFAULT_SQL = f"CAST(getvariable('{VARIABLE}') AS TIMESTAMPTZ)"

_current: ContextVar[datetime | None] = ContextVar("statement_time", default=None)


def statement_time() -> datetime:
    """The running statement's time (UTC); outside a statement, now."""
    return _current.get() or datetime.now(UTC)


@contextmanager
def statement_clock() -> Iterator[datetime]:
    """Fix the time for the statement run in the block; a block inside another keeps
    the outer statement's time."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    token = _current.set(datetime.now(UTC))
    try:
        yield statement_time()
    finally:
        _current.reset(token)


def reads_statement_time(default: str | None) -> bool:
    """Whether a column default (DuckDB SQL) reads the statement time."""
    return default is not None and VARIABLE in default
