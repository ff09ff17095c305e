"""DuckDB's parse of the SQL texts a program runs again and again, kept per thread.

``execute`` of a text makes DuckDB parse it every time: about 0.13 ms for a key
lookup, a fifth of its cost. A ``duckdb.Statement`` from ``extract_statements``
can be executed any number of times, with new parameters, on any connection.
Compiled queries and the storage engine's reads repeat their texts exactly
(values are parameters), so the parse is kept by text. Each thread has its
own cache: DuckDB copies a statement when it runs it, and two threads should
not do that to one object at once.
"""

from __future__ import annotations

import threading
from typing import Any

import duckdb

CACHE_SIZE = 256

_local = threading.local()


def execute(cur: duckdb.DuckDBPyConnection, sql: str, params: Any = None
            ) -> duckdb.DuckDBPyConnection:
    """``cur.execute(sql, params)``, parsing ``sql`` only the first time this thread runs it.

    A text of several statements is run as it is, unparsed and unkept.
    """
    cache: dict[str, Any] | None = getattr(_local, "statements", None)
    if cache is None:
        cache = _local.statements = {}
    statement = cache.get(sql)
    if statement is None:
        parsed = cur.extract_statements(sql)
        if len(parsed) != 1:
            return cur.execute(sql, params)
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        statement = cache[sql] = parsed[0]
    return cur.execute(statement, params)
