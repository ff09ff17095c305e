"""A transaction's changes so far, kept as rows, so a rebuild need not run them again.

A rebuild (``journal.py``) runs a transaction's statements again from the
start. Two things make that a poor fit: a transaction that catches many errors
(a loop of single-row INSERTs skipping duplicates) would re-run ever longer
journals, and a statement that drew random values cannot be run again at all.
A checkpoint captures what the journal did so far as data instead, which is
possible while it only changed rows of versioned tables: the transaction's
writes to such a table are exactly

    current rows with __start_scn = scn    (inserted or updated by it)
    history rows with __end_scn = scn      (the versions it closed: every row it
                                            updated or deleted, as it was before)

so, from the committed state, deleting the closed rows from the current table
and inserting both sets rebuilds the table as the transaction left it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from .catalog import TableInfo
from .journal import Checkpoint, Entry
from .staging import fetch_arrow

_names = itertools.count()


def capture(connection: duckdb.DuckDBPyConnection, tables: Iterable[TableInfo], scn: int,
            position: int) -> Checkpoint:
    """The changes transaction ``scn`` made to ``tables`` (all versioned), read on its
    own ``connection``, as the checkpoint at journal ``position``."""
    entries: list[Entry] = []
    for info in tables:
        current = _read(connection, f"SELECT * FROM {info.current} WHERE __start_scn = {scn}")
        closed = _read(connection, f"SELECT * FROM {info.history} WHERE __end_scn = {scn}")
        if not current.num_rows and not closed.num_rows:
            continue
        kept, ended = f"__helios_kept_{next(_names)}", f"__helios_ended_{next(_names)}"
        entries += [
            _entry("register", kept, current),
            _entry("register", ended, closed),
            _entry("execute", f"DELETE FROM {info.current} "
                              f"WHERE __rowid IN (SELECT __rowid FROM {ended})"),
            _entry("execute", f"INSERT INTO {info.current} SELECT * FROM {kept}"),
            _entry("execute", f"INSERT INTO {info.history} SELECT * FROM {ended}"),
            _entry("unregister", kept),
            _entry("unregister", ended),
        ]
    return Checkpoint(position, tuple(entries))


def _read(connection: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    return fetch_arrow(connection.execute(sql))


def _entry(method: str, *args: object) -> Entry:
    return Entry(method, args, "checkpoint")
