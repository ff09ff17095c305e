"""Global temporary tables: one shared definition, rows private to each session.

A global temporary table's definition is an ordinary catalog entry whose
current table, ``helios_data.t<id>``, stays empty: it is the template. Each
session (SQL connection; the storage API is session 0) that writes rows gets
its own copy, ``helios_data.t<id>_s<session>``, made from the template's DuckDB
definition (constraints and defaults included) by the writing transaction, so
a rolled-back first write leaves no copy. Its rows are deleted (the copy
dropped) when the transaction commits, for ``ON COMMIT DELETE ROWS``, or when
the session ends, for ``ON COMMIT PRESERVE ROWS``; copies left by a process
that died are dropped when the database is opened. No history is kept.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb

from .catalog import TableInfo
from .errors import HeliosError, ProgrammingError

if TYPE_CHECKING:
    from .engine import TemporalEngine

_COPY = re.compile(r"t(\d+)_s(\d+)")


def session_copy(cur: Any, read: Callable[[str, Any], Any], info: TableInfo, session: int
                 ) -> TableInfo:
    """``info`` as ``session`` reads and writes it, its copy made (on ``cur``) if there is
    none yet; ``read(sql, params)`` runs the catalog lookups (the transaction's reads)."""
    own = info.with_changes(session=session)
    if not _copies(read, info, session):
        template = read("SELECT sql FROM duckdb_tables() WHERE schema_name = 'helios_data' "
                        "AND table_name = ?", [f"t{info.object_id}"]).fetchone()[0]
        body = template[template.index("("):].rstrip(";")
        cur.execute(f"CREATE TABLE {own.current}{body}")
    return own


def _copies(read: Callable[[str, Any], Any], info: TableInfo, session: int | None = None
            ) -> list[str]:
    """The session copies of ``info`` that ``read`` sees (of one session, if given)."""
    names = read("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'helios_data' "
                 "AND starts_with(table_name, ?)", [f"t{info.object_id}_s"]).fetchall()
    return [name for (name,) in names
            if (match := _COPY.fullmatch(name)) and int(match[1]) == info.object_id
            and (session is None or int(match[2]) == session)]


def has_copy(cur: Any, info: TableInfo, session: int) -> bool:
    """Whether ``session`` has rows (a copy) of ``info``, as ``cur`` sees it."""
    return bool(_copies(cur.execute, info, session))


def refuse_in_use(cur: Any, info: TableInfo, doing: str, code: str) -> None:
    """Refuse DDL on a global temporary table while a session holds rows in it."""
    if info.temporary is not None and _copies(cur.execute, info):
        raise ProgrammingError(f"cannot {doing} {info.name!r}: a session holds rows in this "
                               "global temporary table", code=code)


def drop_copies(cur: Any, tables: dict[int, TableInfo], object_ids: Any, session: int,
                rule: str) -> None:
    """Drop ``session``'s copies of the tables of ``object_ids`` whose ON COMMIT is ``rule``."""
    for oid in object_ids:
        info = tables.get(oid)
        if info is not None and info.temporary == rule:
            cur.execute(f"DROP TABLE IF EXISTS {info.with_changes(session=session).current}")


def drop_stale_copies(cur: duckdb.DuckDBPyConnection) -> None:
    """Drop every session copy (when a database opens, no session has rows yet)."""
    for (name,) in cur.execute("SELECT table_name FROM duckdb_tables() "
                               "WHERE schema_name = 'helios_data'").fetchall():
        if _COPY.fullmatch(name):
            cur.execute(f"DROP TABLE helios_data.{name}")


class TemporaryRowsMixin:
    """``end_session`` of ``TemporalEngine``."""

    def end_session(self: TemporalEngine, session: int) -> None:
        """Drop ``session``'s rows of every ON COMMIT PRESERVE ROWS table (its open
        transaction, if any, must be over). The copies are scratch data: they go in a
        DuckDB transaction of their own, under the writer lock, without an SCN."""
        if self.backend.read_only or self.closed:
            return
        reader = self.backend.cursor()
        tables = {oid: t for oid, t in self.catalog.items()
                  if t.temporary == "PRESERVE" and has_copy(reader, t, session)}
        if not tables:
            return
        backend = self.backend
        # A writer busy for longer than the lock timeout: the copies go at next open.
        with contextlib.suppress(HeliosError, duckdb.Error):
            backend.acquire_writer()
            try:
                cur = backend.new_cursor()
                try:
                    cur.execute("BEGIN TRANSACTION")
                    drop_copies(cur, tables, tables, session, "PRESERVE")
                    cur.execute("COMMIT")
                finally:
                    backend.release_cursor(cur)
            finally:
                backend.release_writer()
