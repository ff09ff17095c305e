"""Write transactions: one SCN, one XID, one writer at a time.

A transaction takes the engine's writer lock and its SCN (the last committed
SCN + 1) at its first write, so SCN order is commit order. Its commit time is
taken at commit and is strictly later than every earlier commit, even if the
wall clock stepped back. Data, history, the catalog and the SCN log all change
in one DuckDB transaction: a rollback, a failed commit or a killed process
leaves no version, no SCN and no catalog change behind.

Reads made through a transaction before its first write see committed data;
after it they also see the transaction's own changes (flashback reads never do).
"""

from __future__ import annotations

import enum
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from . import dml
from .binnames import refuse_bin_object
from .catalog import TableInfo, ViewInfo, save_table
from .errors import NoSuchTable, TransactionError
from .tracing import TracedStatement, TracingConnection
from .translate import translate

if TYPE_CHECKING:
    from .engine import TemporalEngine

T = TypeVar("T")
_TICK = timedelta(microseconds=1)


class State(enum.Enum):
    OPEN = "open"
    COMMITTED = "committed"
    ROLLED_BACK = "rolled back"
    FAILED = "failed"


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


class Transaction:
    """A unit of work; use ``with engine.transaction() as tx:`` (commits unless it raises)."""

    def __init__(self, engine: TemporalEngine, *, name: str | None = None,
                 user: str | None = None):
        self._engine = engine
        self.name = name
        self.user = user or engine.user
        self.state = State.OPEN
        self.cursor: duckdb.DuckDBPyConnection | None = None
        self._connection: duckdb.DuckDBPyConnection | None = None  # the cursor, unwrapped
        # Set before the first write, every statement of the transaction is recorded
        # here (EXPLAIN of a write statement; see tracing.py).
        self.trace: list[TracedStatement] | None = None
        self.scn: int | None = None
        self.xid: int | None = None
        self.kind = "DML"
        self.changed_tables: set[int] = set()
        self._tables: dict[int, TableInfo] | None = None
        self._views: dict[str, ViewInfo] | None = None
        self._next_rowid: dict[int, int] = {}

    # --- state --------------------------------------------------------------------------

    @property
    def writing(self) -> bool:
        """True once the transaction has written (and holds the writer lock)."""
        return self.scn is not None

    def _check_open(self) -> None:
        if self.state is State.FAILED:
            raise TransactionError(
                "the transaction was aborted by an earlier error; roll it back"
            )
        if self.state is not State.OPEN:
            raise TransactionError(f"the transaction is already {self.state.value}")

    def begin_write(self) -> tuple[duckdb.DuckDBPyConnection, int]:
        """Take the writer lock and this transaction's SCN and XID, once."""
        self._check_open()
        if self.scn is None:
            engine = self._engine
            engine.check_writable()
            engine.backend.acquire_writer()
            try:
                # A connection of its own: another transaction or reader of the same
                # thread must not see (or join) this one's uncommitted changes.
                cur = engine.backend.new_cursor()
                cur.execute("BEGIN TRANSACTION")
            except BaseException:
                engine.backend.release_writer()
                raise
            self._connection = cur
            self.cursor = cur if self.trace is None else TracingConnection(cur, self.trace)
            self.scn = engine.committed_scn + 1
            self.xid = engine.last_xid + 1
        assert self.cursor is not None
        return self.cursor, self.scn

    def run(self, doing: str, action: Callable[[duckdb.DuckDBPyConnection, int], T]) -> T:
        """Run ``action(cursor, scn)`` as part of this transaction.

        Any error marks this transaction failed: DuckDB aborts its transaction
        on an error and has no savepoints, so the part of the statement already
        done cannot be undone alone; only a rollback is possible afterwards (as
        in PostgreSQL). Outside an explicit transaction that rollback is automatic.
        """
        cur, scn = self.begin_write()
        try:
            return action(cur, scn)
        except duckdb.Error as exc:
            self.state = State.FAILED
            raise translate(exc, doing) from exc
        except BaseException:
            self.state = State.FAILED
            raise

    def delete_rows(self, cur: duckdb.DuckDBPyConnection, info: TableInfo, where: str | None,
                    params: Any, scn: int, alias: str | None = None,
                    returning: str | None = None, *, changed: bool | None = None) -> Any:
        """``dml.delete`` as part of this transaction: every delete goes through here.

        The table is noted as holding delete markers before the delete runs (see
        ``markers_possible``). ``changed``: whether this transaction changed the
        table before (by default, whether it is in ``changed_tables``).
        """
        self._engine.marker_tables[info.object_id] = True
        if changed is None:
            changed = info.object_id in self.changed_tables
        return dml.delete(cur, info, where, params, scn, changed, alias, returning)

    # --- catalog seen by this transaction ----------------------------------------------

    @property
    def tables(self) -> dict[int, TableInfo]:
        """The table objects as this transaction sees them."""
        return self._tables if self._tables is not None else self._engine.catalog

    def table(self, name: str) -> TableInfo:
        """The live table called ``name``; ``NoSuchTable`` if there is none."""
        info = self.find_table(name)
        if info is None:
            refuse_bin_object(self.tables, name)
            raise NoSuchTable(f"table {name!r} does not exist" +
                              self._engine.suggest(name, self.tables))
        return info

    def find_table(self, name: str) -> TableInfo | None:
        wanted = name.lower()
        return next((t for t in self.tables.values()
                     if t.dropped_scn is None and t.name.lower() == wanted), None)

    # Each change makes a new dict rather than changing the one readers may hold:
    # compiled queries are kept while the catalog object they saw is the same one.

    def put_table(self, info: TableInfo, persist: bool = True) -> None:
        """Record a changed table object (copy-on-write of the engine's catalog)."""
        self._tables = {**self.tables, info.object_id: info}
        if persist:
            assert self.cursor is not None
            save_table(self.cursor, info)

    @property
    def views(self) -> dict[str, ViewInfo]:
        """The views as this transaction sees them."""
        return self._views if self._views is not None else self._engine.views

    def put_view(self, view: ViewInfo | None, name: str) -> None:
        """Record a created (or, with None, dropped) view, in the catalog table too."""
        assert self.cursor is not None
        self.cursor.execute("DELETE FROM helios.views WHERE lower(name) = lower(?)", [name])
        views = dict(self.views)
        views.pop(name.lower(), None)
        if view is not None:
            views[name.lower()] = view
        self._views = views
        if view is None:
            return
        self.cursor.execute("INSERT INTO helios.views VALUES (?, ?, ?, ?)",
                            [view.name, view.query, list(view.columns), view.created_scn])

    def forget_table(self, object_id: int) -> None:
        self._tables = {k: v for k, v in self.tables.items() if k != object_id}

    def take_rowids(self, info: TableInfo, count: int) -> int:
        """Reserve ``count`` row ids of ``info``; returns the base (ids are base+1..base+count)."""
        assert self.cursor is not None
        oid = info.object_id
        if oid not in self._next_rowid:
            row = self.cursor.execute(
                "SELECT next_rowid FROM helios.tables WHERE object_id = ?", [oid]
            ).fetchone()
            self._next_rowid[oid] = row[0] if row else 1
        base = self._next_rowid[oid] - 1
        self._next_rowid[oid] += count
        return base

    def used_rowids(self, info: TableInfo, reserved_base: int, used: int) -> None:
        """Record that ``used`` ids after ``reserved_base`` were taken (for INSERT ... SELECT)."""
        self._next_rowid[info.object_id] = reserved_base + 1 + used

    # --- end of the transaction ----------------------------------------------------------

    def commit(self) -> int | None:
        """Make the changes durable; returns the commit SCN (None if nothing was written)."""
        self._check_open()
        if not self.writing:
            self.state = State.COMMITTED
            return None
        engine = self._engine
        cur = self.cursor
        assert cur is not None and self.scn is not None
        try:
            for oid, next_rowid in self._next_rowid.items():
                cur.execute("UPDATE helios.tables SET next_rowid = ? WHERE object_id = ?",
                            [next_rowid, oid])
            commit_time = commit_time_after(engine.last_commit_time, engine.backend.clock())
            cur.execute(
                "INSERT INTO helios.scn_log VALUES (?, ?, ?, ?, ?, ?)",
                [self.scn, commit_time, self.xid, self.kind, self.user, self.name],
            )
            cur.execute("COMMIT")
        except duckdb.Error as exc:
            self._abort()
            raise translate(exc, "commit") from exc
        except BaseException:
            self._abort()
            raise
        engine.published(self.scn, self.xid, commit_time, self._tables, self._views)
        self.state = State.COMMITTED
        assert self._connection is not None
        engine.backend.release_cursor(self._connection)
        engine.backend.release_writer()
        engine.after_commit(self)
        return self.scn

    def rollback(self) -> None:
        """Undo everything: no version, no SCN, no catalog change remains."""
        if self.state in (State.COMMITTED, State.ROLLED_BACK):
            return
        if self.writing:
            self._abort()
        self.state = State.ROLLED_BACK

    def _abort(self) -> None:
        cur = self.cursor
        try:
            if cur is not None:
                cur.execute("ROLLBACK")
        except duckdb.Error:
            pass  # DuckDB already rolled back a failed transaction
        finally:
            self.state = State.ROLLED_BACK
            self.scn = None
            if self._connection is not None:
                self._engine.backend.release_cursor(self._connection)
            self._engine.backend.release_writer()

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: Any) -> None:
        try:
            if exc_type is None and self.state is State.OPEN:
                self.commit()
            else:
                self.rollback()
        finally:
            self._engine.end_transaction(self)


@contextmanager
def autocommit(engine: TemporalEngine) -> Iterator[Transaction]:
    """The thread's open transaction, or a new one committed at the end of the block."""
    current = engine.current_transaction()
    if current is not None:
        yield current
        return
    with engine.transaction() as tx:
        yield tx


def commit_time_after(previous: datetime, now: datetime) -> datetime:
    """A commit time strictly after ``previous`` (the clock may have stepped back)."""
    return max(now, previous + _TICK)

