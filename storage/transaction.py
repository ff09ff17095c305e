"""Write transactions: one SCN, one XID, one writer at a time.

A transaction takes the engine's writer lock and its SCN (the last committed
SCN + 1) at its first write, so SCN order is commit order. Its commit time is
taken at commit and is strictly later than every earlier commit, even if the
wall clock stepped back. Data, history, the catalog and the SCN log all change
in one DuckDB transaction: a rollback, a failed commit or a killed process
leaves no version, no SCN and no catalog change behind.

Reads made through a transaction before its first write see committed data;
after it they also see the transaction's own changes (flashback reads never do).

A failed statement undoes only itself (Oracle's statement-level rollback), and
``ROLLBACK TO SAVEPOINT`` undoes the statements after a savepoint: the
transaction goes back to a ``Mark``, rebuilding its DuckDB transaction from its
journal when DuckDB did anything since (``journal.py``). Going back to before
the first write gives up the writer lock and the SCN, so rolled-back work
never costs an SCN.
"""

from __future__ import annotations

import contextlib
import enum
import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

from . import dml, parsed
from .binnames import refuse_bin_object
from .catalog import ColumnInfo, TableInfo, ViewInfo, save_table
from .checkpoints import capture
from .constraints import ConstraintInfo, save_constraints
from .errors import HeliosError, NoSuchSavepoint, NoSuchTable, TransactionError
from .journal import Journal, JournalingConnection
from .sqltext import literal
from .statement_time import VARIABLE, reads_statement_time, statement_clock, statement_time
from .suggest import missing_table_hint
from .temporary import drop_copies, session_copy
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


@dataclass(frozen=True, slots=True)
class Mark:
    """A point in a transaction to go back to: the journal's length and call count, and
    the transaction's own state then (catalog as it saw it, row ids, changed tables)."""

    position: int
    calls: int
    writing: bool
    tables: dict[int, TableInfo] | None
    views: dict[str, ViewInfo] | None
    next_rowid: dict[int, int]
    changed_tables: frozenset[int]
    kind: str
    pinned_time: datetime | None


# How often a rebuild is tried again when something (Ctrl-C) interrupts it.
_REBUILD_ATTEMPTS = 3
# A rebuild that ran this many journal entries leaves a checkpoint behind.
_CHECKPOINT_AFTER = 64


def default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


class Transaction:
    """A unit of work; use ``with engine.transaction() as tx:`` (commits unless it raises)."""

    def __init__(self, engine: TemporalEngine, *, name: str | None = None,
                 user: str | None = None, session: int = 0):
        self._engine = engine
        self.name = name
        self.session = session  # owns the rows written to global temporary tables
        # Global temporary tables whose session copy this transaction wrote (a copy made
        # by a statement later undone is gone already: dropping it again is harmless).
        self.temporary_copies: set[int] = set()
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
        # Statement-level rollback: the journal of DuckDB calls, the nesting depth of
        # statements (only the outermost one marks), the savepoints in order.
        self.statement_rollback = engine.statement_rollback
        self.journal = Journal()
        self._depth = 0
        self._runs = 0  # nesting of ``run``
        self._savepoints: dict[str, Mark] = {}
        self._pinned_time: datetime | None = None  # the statement time variable's value
        self.failure: str | None = None  # why the transaction failed, when it did

    # --- state --------------------------------------------------------------------------

    @property
    def writing(self) -> bool:
        """True once the transaction has written (and holds the writer lock)."""
        return self.scn is not None

    def check_open(self) -> None:
        """Raise ``TransactionError`` unless the transaction can run statements."""
        if self.state is State.FAILED:
            raise TransactionError(self.failure or
                                   "the transaction was aborted by an earlier error; roll it back")
        if self.state is not State.OPEN:
            raise TransactionError(f"the transaction is already {self.state.value}")

    def begin_write(self) -> tuple[duckdb.DuckDBPyConnection, int]:
        """Take the writer lock and this transaction's SCN and XID, once."""
        self.check_open()
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
            journaled: Any = (JournalingConnection(cur, self.journal)
                              if self.statement_rollback else cur)
            self.cursor = (journaled if self.trace is None
                           else TracingConnection(journaled, self.trace))
            self.scn = engine.committed_scn + 1
            self.xid = engine.last_xid + 1
        assert self.cursor is not None
        return self.cursor, self.scn

    def read(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        """Run a query that changes nothing on the transaction's connection, so that it
        sees the transaction's changes; the caller fetches its rows."""
        assert self._connection is not None
        self.journal.calls += 1  # not recorded: a rebuild has nothing to run again
        return parsed.execute(self._connection, sql, params)

    def run(self, doing: str, action: Callable[[duckdb.DuckDBPyConnection, int], T], *,
            data_only: bool = False, table: TableInfo | None = None) -> T:
        """Run ``action(cursor, scn)`` as a statement of this transaction (see ``statement``);
        DuckDB's errors are translated, saying what was being done (to ``table``, whose
        keys a duplicate key error names). ``data_only``: the action only changes rows
        of tables (DML), so a checkpoint can stand for it (``checkpoints.py``); anything
        run inside another operation inherits that operation's answer where it is
        stricter."""
        with self.statement(doing):
            cur, scn = self.begin_write()
            journal = self.journal
            outer, journal.pure = journal.pure, data_only and (journal.pure or not self._runs)
            self._runs += 1
            try:
                return action(cur, scn)
            except duckdb.Error as exc:
                raise translate(exc, doing, self.tables, table) from exc
            finally:
                self._runs -= 1
                journal.pure = outer

    # --- statements and savepoints --------------------------------------------------------

    @contextmanager
    def statement(self, text: str = "") -> Iterator[None]:
        """Run one statement: if the block raises, whatever it did is undone and the
        transaction goes on as it was before the block (Oracle's statement-level
        rollback). A block inside another belongs to the outer statement. The
        statement's time (``statement_time.py``) is fixed for the block. ``text``
        names the statement in messages about it.

        If the transaction cannot be brought back (``statement_rollback`` is off,
        or an earlier statement cannot be run again identically), it is rolled
        back and marked failed, and the error says so.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if self.writing and self.journal.unrepeatable_since_scan():
            self._checkpoint()  # so that a rebuild never runs the statement that drew them
        mark = self.mark()
        self._depth = 1
        self.journal.statement = text
        try:
            with statement_clock():
                yield
        except BaseException as exc:
            self._depth = 0
            self._undo_statement(mark, exc)
            raise
        finally:
            self._depth = 0

    def mark(self) -> Mark:
        """The transaction as it is now, to come back to with ``rollback_to``."""
        return Mark(len(self.journal), self.journal.calls, self.writing, self._tables,
                    self._views, dict(self._next_rowid), frozenset(self.changed_tables),
                    self.kind, self._pinned_time)

    def _undo_statement(self, mark: Mark, error: BaseException) -> None:
        if self.state is not State.OPEN:
            return
        if not self.statement_rollback:  # no journal: whatever DuckDB did cannot be undone
            if self.writing:
                self._fail("the transaction was aborted by an earlier error")
            return
        if self.journal.calls == mark.calls:
            self._restore(mark)  # nothing reached DuckDB: only our own state to put back
            return
        try:
            self.rollback_to(mark)
        except HeliosError as lost:
            if isinstance(error, HeliosError):
                error.message += f" (and the transaction was rolled back: {lost.message})"

    def rollback_to(self, mark: Mark) -> None:
        """Undo everything done since ``mark``; the transaction stays open.

        A rebuild that cannot reach the mark rolls the whole transaction back,
        marks it failed and raises ``TransactionError`` saying why.
        """
        replayed = 0
        if self.writing and self.journal.calls != mark.calls:
            if mark.writing:
                replayed = self._rebuild(mark)
            else:  # back to before the first write: no lock, no SCN
                self._release()
                self.state = State.OPEN
            self.journal.calls = mark.calls
        self._restore(mark)
        if replayed >= _CHECKPOINT_AFTER:
            self._checkpoint()  # the next failure rebuilds from here

    def savepoint(self, name: str) -> None:
        """``SAVEPOINT name``: a point to roll back to (a name used again moves it here)."""
        self.check_open()
        key = name.lower()
        self._savepoints.pop(key, None)
        self._savepoints[key] = self.mark()

    def rollback_to_savepoint(self, name: str) -> None:
        """``ROLLBACK TO SAVEPOINT name``: undo what followed it; later savepoints are
        erased, this one stays. ``NoSuchSavepoint`` (ORA-01086) if there is none."""
        self.check_open()
        mark = self._savepoints.get(name.lower())
        if mark is None:
            raise NoSuchSavepoint.named(name)
        self._forget_savepoints_after(name.lower())
        self.rollback_to(mark)

    def release_savepoint(self, name: str) -> None:
        """``RELEASE SAVEPOINT name``: forget it and the savepoints after it; the work stays."""
        self.check_open()
        key = name.lower()
        if key not in self._savepoints:
            raise NoSuchSavepoint.named(name)
        self._forget_savepoints_after(key)
        del self._savepoints[key]

    def _forget_savepoints_after(self, key: str) -> None:
        names = list(self._savepoints)
        for later in names[names.index(key) + 1:]:
            del self._savepoints[later]

    def _restore(self, mark: Mark) -> None:
        self._tables, self._views = mark.tables, mark.views
        self._next_rowid = dict(mark.next_rowid)
        self.changed_tables = set(mark.changed_tables)
        self.kind = mark.kind
        self._pinned_time = mark.pinned_time

    def _rebuild(self, mark: Mark) -> int:
        """Roll the DuckDB transaction back and run the journal again up to ``mark``;
        returns how many entries ran."""
        obstacle = self.journal.obstacle(mark.position)
        if obstacle is not None:
            entry, why = obstacle
            raise self._fail(f"the statement could not be undone alone, because an earlier "
                             f"one, {_excerpt(entry.statement)}, cannot be run again "
                             f"identically ({why}); the transaction has been rolled back")
        connection = self._connection
        assert connection is not None
        for attempt in range(_REBUILD_ATTEMPTS):
            try:
                _end_duckdb_transaction(connection)
                connection.execute("BEGIN TRANSACTION")
                return self.journal.replay(connection, mark.position)
            except duckdb.Error as exc:
                if attempt + 1 == _REBUILD_ATTEMPTS:
                    raise self._fail(
                        "the transaction could not be brought back to before the failed "
                        f"statement ({translate(exc, 'rebuild').message}); it has been "
                        "rolled back") from exc

    def _checkpoint(self) -> None:
        """Keep the changes so far as rows (``checkpoints.py``), where the journal allows."""
        journal = self.journal
        tables = [self.tables[oid] for oid in sorted(self.changed_tables)]
        if not journal.capturable() or not all(t.versioned for t in tables):
            return
        assert self._connection is not None and self.scn is not None
        journal.checkpoint = capture(self._connection, tables, self.scn, len(journal))

    def _fail(self, why: str) -> TransactionError:
        """Roll everything back and leave the transaction failed: every later statement is
        refused until ROLLBACK. Returns the error that says why, to raise."""
        self._release()
        self.state = State.FAILED
        self.failure = f"{why}; ROLLBACK to go on"
        return TransactionError(why)

    def pin_statement_time(self, *columns: ColumnInfo) -> None:
        """Give the connection the statement's time before a write that may evaluate a
        column default reading it (``statement_time.py``)."""
        if not any(reads_statement_time(c.default) for c in columns):
            return
        now = statement_time()
        if self._pinned_time != now:
            assert self.cursor is not None
            self.cursor.execute(f"SET VARIABLE {VARIABLE} = ?", [now])
            self._pinned_time = now

    def delete_rows(self, cur: duckdb.DuckDBPyConnection, info: TableInfo, where: str | None,
                    params: Any, scn: int, alias: str | None = None,
                    returning: str | None = None, *, changed: bool | None = None,
                    using: str | None = None) -> Any:
        """``dml.delete`` as part of this transaction: every delete goes through here.

        The table is noted as holding delete markers before the delete runs (see
        ``markers_possible``). ``changed``: whether this transaction changed the
        table before (by default, whether it is in ``changed_tables``).
        """
        self._engine.marker_tables[info.object_id] = True
        if changed is None:
            changed = info.object_id in self.changed_tables
        return dml.delete(cur, info, where, params, scn, changed, alias, returning, using)

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
                              missing_table_hint(name, self.tables))
        return info

    def rows_table(self, name: str) -> TableInfo:
        """The table whose rows a DML statement on ``name`` writes: ``table(name)``, or for
        a global temporary table this session's own copy (``temporary.py``)."""
        info = self.table(name)
        if info.temporary is None:
            return info
        cur, _ = self.begin_write()
        self.temporary_copies.add(info.object_id)
        return session_copy(cur, self.read, info, self.session)

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
        self.cursor.execute(
            "INSERT INTO helios.views (name, query, columns, created_scn, quoted) "
            "VALUES (?, ?, ?, ?, ?)",
            [view.name, view.query, list(view.columns), view.created_scn, view.quoted])

    def put_constraints(self, info: TableInfo, constraints: tuple[ConstraintInfo, ...]
                        ) -> TableInfo:
        """Record a table's new set of constraints (catalog rows included); returns the
        table's new info."""
        assert self.cursor is not None
        save_constraints(self.cursor, info.object_id, constraints)
        changed = info.with_changes(constraints=constraints)
        self.put_table(changed, persist=False)
        return changed

    def forget_table(self, object_id: int) -> None:
        self._tables = {k: v for k, v in self.tables.items() if k != object_id}

    def take_rowids(self, info: TableInfo, count: int) -> int:
        """Reserve ``count`` row ids of ``info``; returns the base (ids are base+1..base+count)."""
        assert self.cursor is not None
        oid = info.object_id
        if oid not in self._next_rowid:
            known = self._engine.next_rowids.get(oid)
            if known is None:  # the first write of this table in this process
                # fetchall, not fetchone: a result left unfinished blocks ``register``.
                rows = self.cursor.execute(
                    "SELECT next_rowid FROM helios.tables WHERE object_id = ?", [oid]
                ).fetchall()
                known = rows[0][0] if rows else 1
            self._next_rowid[oid] = known
        base = self._next_rowid[oid] - 1
        self._next_rowid[oid] += count
        return base

    def used_rowids(self, info: TableInfo, reserved_base: int, used: int) -> None:
        """Record that ``used`` ids after ``reserved_base`` were taken (for INSERT ... SELECT)."""
        self._next_rowid[info.object_id] = reserved_base + 1 + used

    # --- end of the transaction ----------------------------------------------------------

    def commit(self) -> int | None:
        """Make the changes durable; returns the commit SCN (None if nothing was written)."""
        self.check_open()
        if not self.writing:
            self.state = State.COMMITTED
            return None
        engine = self._engine
        cur = self.cursor
        assert cur is not None and self.scn is not None
        try:
            drop_copies(cur, self.tables, self.temporary_copies, self.session, "DELETE")
            commit_time = commit_time_after(engine.last_commit_time, engine.backend.clock())
            # One call for the catalog's last words and COMMIT: each call to DuckDB has
            # a cost of its own, a fair part of a small transaction's.
            values = ", ".join(map(literal, (self.scn, commit_time, self.xid, self.kind,
                                             self.user, self.name)))
            statements = [f"UPDATE helios.tables SET next_rowid = {next_rowid} "
                          f"WHERE object_id = {oid}"
                          for oid, next_rowid in self._next_rowid.items()]
            statements += [f"INSERT INTO helios.scn_log VALUES ({values})", "COMMIT"]
            cur.execute("; ".join(statements))
        except duckdb.Error as exc:
            self._abort()
            raise translate(exc, "commit") from exc
        except BaseException:
            self._abort()
            raise
        engine.published(self.scn, self.xid, commit_time, self._tables, self._views,
                         self._next_rowid)
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
        self._abort()

    def _abort(self) -> None:
        self._release()
        self.state = State.ROLLED_BACK

    def _release(self) -> None:
        """Roll back the DuckDB transaction and give up the writer lock and the SCN."""
        if not self.writing:
            return
        connection = self._connection
        try:
            if connection is not None:
                _end_duckdb_transaction(connection)
        finally:
            self.scn = self.xid = None
            self.cursor = self._connection = None
            self.journal = Journal()
            self._pinned_time = None
            if connection is not None:
                self._engine.backend.release_cursor(connection)
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


def _end_duckdb_transaction(connection: duckdb.DuckDBPyConnection) -> None:
    """Roll back DuckDB's transaction, which an error may have ended already."""
    with contextlib.suppress(duckdb.Error):
        connection.execute("ROLLBACK")


def _excerpt(sql: str, width: int = 80) -> str:
    """The start of a statement's text on one line, for an error message."""
    flat = " ".join(sql.split())
    return flat if len(flat) <= width else flat[:width - 3] + "..."


def commit_time_after(previous: datetime, now: datetime) -> datetime:
    """A commit time strictly after ``previous`` (the clock may have stepped back)."""
    return max(now, previous + _TICK)

