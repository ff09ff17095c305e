"""Turning Python rows into a relation DuckDB can read in one statement.

Many rows travel as one Arrow table registered on the cursor (no Python loop
inside DuckDB, and no per-row statement); a single row travels as bound
parameters, which is cheaper than building an Arrow table.
"""

from __future__ import annotations

import contextlib
import itertools
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from .errors import DataError
from .sqltext import quote_ident

_names = itertools.count()


@dataclass(frozen=True, slots=True)
class Source:
    """A relation to read new rows from: ``SELECT ... FROM (sql)`` with ``params``."""

    sql: str
    columns: tuple[str, ...]
    params: dict[str, Any]
    rows: int


def _arrow_table(columns: tuple[str, ...], values: list[list[Any]]) -> pa.Table:
    arrays = []
    for name, column in zip(columns, values, strict=True):
        try:
            arrays.append(pa.array(column))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise DataError(f"column {name!r} mixes values of different types: {exc}") from exc
    return pa.Table.from_arrays(arrays, names=list(columns))


@contextmanager
def stage_records(cur: duckdb.DuckDBPyConnection, records: list[Mapping[str, Any]]
                  ) -> Iterator[Source]:
    """Stage a list of column->value mappings (all with the same keys)."""
    if not records:
        yield Source("SELECT NULL WHERE FALSE", (), {}, 0)
        return
    columns = tuple(records[0])
    if len(records) == 1:
        params = {f"p{i}": v for i, v in enumerate(records[0].values())}
        select = ", ".join(f"$p{i} AS \"c{i}\"" for i in range(len(columns)))
        yield Source(f"SELECT {select}", columns, params, 1)
        return
    values: list[list[Any]] = [[] for _ in columns]
    for record in records:
        if len(record) != len(columns):
            raise DataError("every row of a batch must name the same columns")
        for slot, name in zip(values, columns, strict=True):
            slot.append(record[name])
    with stage_arrow(cur, _arrow_table(columns, values)) as source:
        yield source


def fetch_arrow(result: duckdb.DuckDBPyConnection) -> pa.Table:
    """A pending result's rows as an Arrow table."""
    with warnings.catch_warnings():  # DuckDB notes the copy a DB-API result makes
        warnings.simplefilter("ignore", UserWarning)
        return result.to_arrow_table()


def materialize(result: duckdb.DuckDBPyConnection) -> pa.Table:
    """A pending result's rows as an Arrow table with columns ``c0``, ``c1``, ..."""
    data = fetch_arrow(result)
    return data.rename_columns([f"c{i}" for i in range(data.num_columns)])


@contextmanager
def stage_arrow(cur: duckdb.DuckDBPyConnection, data: Any) -> Iterator[Source]:
    """Stage an Arrow table, record batch reader or pandas DataFrame."""
    columns = tuple(str(c) for c in (data.column_names if hasattr(data, "column_names")
                                     else data.columns))
    positional = ", ".join(f'"{c.replace(chr(34), chr(34) * 2)}" AS "c{i}"'
                           for i, c in enumerate(columns))
    with registered(cur, data) as name:
        yield Source(f"SELECT {positional} FROM {name}", columns, {}, len(data))


# The name a statement's SQL reads a batch under (one batch per statement at a time).
BATCH_RELATION = "__helios_batch"


@dataclass(frozen=True, slots=True)
class Batch:
    """Rows a statement joins, one per parameter set of an ``executemany`` (an Arrow
    table); the statement's SQL reads them as ``BATCH_RELATION AS alias``."""

    rows: Any
    alias: str


@contextmanager
def stage_batch(cur: duckdb.DuckDBPyConnection, batch: Batch | None) -> Iterator[str | None]:
    """The FROM item that reads ``batch`` (None without one)."""
    if batch is None:
        yield None
        return
    with registered(cur, batch.rows, BATCH_RELATION) as name:
        yield f"{name} AS {quote_ident(batch.alias)}"


@contextmanager
def registered(cur: duckdb.DuckDBPyConnection, data: Any, name: str | None = None
               ) -> Iterator[str]:
    """``data`` registered on ``cur`` under ``name`` (by default a fresh one) for the
    duration of the block."""
    name = name or f"__helios_stage_{next(_names)}"
    cur.register(name, data)
    try:
        yield name
    finally:
        # An aborted transaction refuses this; the statement's own error is the one to raise.
        with contextlib.suppress(duckdb.Error):
            cur.unregister(name)
