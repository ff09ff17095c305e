"""A DuckDB connection that records what it runs: how EXPLAIN shows a write statement.

A write statement is not one SQL statement: the storage engine closes versions
into history, changes the current table and updates its catalog, in several
statements chosen at run time. The truthful way to show them is to run the
write in a transaction that is rolled back afterwards, on a connection that
records each statement with its time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import duckdb


@dataclass(frozen=True, slots=True)
class TracedStatement:
    """One statement a traced connection ran, and how long DuckDB took."""

    sql: str
    seconds: float


class TracingConnection:
    """Wraps a DuckDB connection; ``execute`` is recorded, everything else passes through."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, log: list[TracedStatement]):
        self._connection = connection
        self._log = log

    def execute(self, query: Any, parameters: Any = None) -> TracingConnection:
        start = time.perf_counter()
        self._connection.execute(query, parameters)
        text = query if isinstance(query, str) else query.query  # a parsed duckdb.Statement
        self._log.append(TracedStatement(text, time.perf_counter() - start))
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)
