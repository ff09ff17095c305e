"""``TemporalEngine``: the storage engine's public face (a port of the seed's engine).

One engine owns one DuckDB database. Every table keeps its history; every
write transaction gets one SCN (the engine's logical clock) and one XID, and
the exact commit time of every SCN is kept in the SCN log. The engine is
synchronous and thread-safe: any number of threads read at once (each on its
own DuckDB connection, each query on a consistent snapshot) while one writer
at a time changes data.

Opening an existing database restores everything: data, history, the SCN and
XID counters, table settings and retention policies all live in the database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from .archives import ArchiveMixin
from .backend import Backend, Clock, utc_now
from .backout import BackoutMixin
from .binnames import refuse_bin_object
from .catalog import TableInfo, ViewInfo, create_catalog, load_tables, load_views
from .cleanup import RetentionMixin
from .column_changes import ColumnChangeMixin
from .comments import CommentMixin
from .constraint_ddl import ConstraintMixin
from .errors import NoSuchTable, OperationalError, TransactionError
from .flashback import FlashbackTableMixin
from .reads import PublicTimeMixin, ReadMixin
from .recovery import RecoveryMixin
from .recyclebin import RecycleBinMixin
from .restore_points import RestorePointMixin
from .schema import SchemaMixin
from .scnlog import ScnLog
from .sequence_cache import DefinitionCache
from .sequence_counters import SequenceCounters
from .sequence_schema import SequenceMixin
from .suggest import did_you_mean, missing_table_hint
from .temporary import TemporaryRowsMixin, drop_stale_copies
from .transaction import State, Transaction, default_user
from .transaction_log import TransactionLogMixin
from .writes import WriteMixin


class TemporalEngine(SchemaMixin, WriteMixin, ReadMixin, PublicTimeMixin, RetentionMixin,
                     RecoveryMixin, ArchiveMixin, FlashbackTableMixin, RecycleBinMixin,
                     RestorePointMixin, TransactionLogMixin, BackoutMixin, SequenceMixin,
                     ColumnChangeMixin, CommentMixin, TemporaryRowsMixin, ConstraintMixin):
    """A temporal database: ``TemporalEngine("./data/temporal")``, a file, or ``":memory:"``.

    ``clock`` supplies commit times (tests inject one); ``lock_timeout`` is how
    long a writer waits for another writer before ``TransactionError``;
    ``user`` is recorded with every transaction (default: the login name).
    ``statement_rollback`` (default on): a failed call or statement undoes only
    itself and the transaction goes on, as in Oracle; off, it aborts the whole
    transaction, as in PostgreSQL, and a transaction keeps no journal (see
    ``journal.py``: the journal holds the rows a transaction staged until it ends).
    """

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False,
                 clock: Clock = utc_now, lock_timeout: float = 30.0, user: str | None = None,
                 statement_rollback: bool = True):
        self.backend = Backend(path, read_only=read_only, clock=clock, lock_timeout=lock_timeout)
        self.user = user or default_user()
        self.statement_rollback = statement_rollback
        self._state_lock = threading.Lock()
        self._local = threading.local()
        cur = self.backend.cursor()
        if not read_only:
            cur.execute("BEGIN TRANSACTION")
            create_catalog(cur)
            drop_stale_copies(cur)  # rows of global temporary tables end with their session
            if cur.execute("SELECT count(*) FROM helios.scn_log").fetchone()[0] == 0:
                cur.execute(
                    "INSERT INTO helios.scn_log VALUES (1, ?, NULL, 'CREATE DATABASE', ?, NULL)",
                    [clock(), self.user],
                )
            # Marks of sequences whose creation was rolled back or which were dropped.
            cur.execute("DELETE FROM helios.sequence_marks "
                        "WHERE token NOT IN (SELECT token FROM helios.sequences)")
            cur.execute("COMMIT")
        elif not cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'helios'"
        ).fetchone()[0]:
            self.backend.close()
            raise OperationalError(f"{self.backend.path!r} is not a heliosql database")
        log = cur.execute(
            "SELECT scn, commit_time, xid FROM helios.scn_log ORDER BY scn"
        ).fetchall()
        self.scn_log = ScnLog(log)
        self.committed_scn: int = log[-1][0]
        self.last_xid: int = max((x for _, _, x in log if x is not None), default=0)
        self.last_commit_time: datetime = log[-1][1]
        self.catalog: dict[int, TableInfo] = load_tables(cur)
        self.views: dict[str, ViewInfo] = load_views(cur)
        # Table object id -> whether its history may hold delete markers (see
        # ``markers_possible``); True is set before a delete runs and never unset.
        self.marker_tables: dict[int, bool] = {}
        # Table object id -> the next row id, as the last commit left it (the catalog
        # holds the same; keeping it here spares each inserting transaction a read).
        self.next_rowids: dict[int, int] = {}
        self.sequence_counters = SequenceCounters(self.backend)
        self.sequence_definitions = DefinitionCache()

    # --- lifecycle ---------------------------------------------------------------------

    @staticmethod
    def new(path: str | Path, **options: Any) -> TemporalEngine:
        """The seed's ``TemporalEngine::new(path)``."""
        return TemporalEngine(path, **options)

    def close(self) -> None:
        """Close the database; an open transaction of this thread is rolled back."""
        tx = self.current_transaction()
        if tx is not None:
            tx.rollback()
            self.end_transaction(tx)
        self.sequence_counters.close()
        self.backend.close()

    def __enter__(self) -> TemporalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self.backend.closed

    def check_writable(self) -> None:
        if self.backend.read_only:
            raise OperationalError("the database is open read-only")

    # --- transactions ------------------------------------------------------------------

    def transaction(self, name: str | None = None, session: int = 0) -> Transaction:
        """Open this thread's transaction: ``with engine.transaction() as tx: ...``.

        Engine methods called in the block join it; it commits when the block
        ends normally and rolls back if the block raises. ``name`` is recorded
        with the commit (Oracle's ``SET TRANSACTION NAME``); ``session`` owns the
        rows it writes to global temporary tables.
        """
        if self.closed:
            raise OperationalError("the engine is closed")
        if self.current_transaction() is not None:
            raise TransactionError("this thread already has an open transaction")
        tx = Transaction(self, name=name, session=session)
        self._local.tx = tx
        return tx

    def begin(self, name: str | None = None, session: int = 0) -> Transaction:
        """A transaction not tied to this thread; run engine calls in it with ``activate``.

        This is how several connections share one engine: each keeps its own
        transaction (and session, see ``transaction``) and activates it around
        each statement.
        """
        if self.closed:
            raise OperationalError("the engine is closed")
        return Transaction(self, name=name, session=session)

    @contextmanager
    def activate(self, tx: Transaction | None) -> Iterator[Transaction | None]:
        """Make ``tx`` this thread's transaction for the duration of the block."""
        previous = getattr(self._local, "tx", None)
        self._local.tx = tx
        try:
            yield tx
        finally:
            self._local.tx = previous

    def current_transaction(self) -> Transaction | None:
        """This thread's open transaction, if any."""
        tx = getattr(self._local, "tx", None)
        if tx is not None and tx.state not in (State.OPEN, State.FAILED):
            self._local.tx = None
            return None
        return tx

    def end_transaction(self, tx: Transaction) -> None:
        if getattr(self._local, "tx", None) is tx:
            self._local.tx = None

    def published(self, scn: int, xid: int | None, commit_time: datetime,
                  tables: dict[int, TableInfo] | None,
                  views: dict[str, ViewInfo] | None = None,
                  next_rowids: dict[int, int] | None = None) -> None:
        """Make a committed transaction's SCN and catalog visible to everyone."""
        with self._state_lock:
            self.next_rowids.update(next_rowids or {})
            self.scn_log.append(scn, commit_time, xid)
            if tables is not None:
                self.catalog = tables
            if views is not None:
                self.views = views
            self.last_commit_time = commit_time
            if xid is not None:
                self.last_xid = max(self.last_xid, xid)
            self.committed_scn = scn

    # --- catalog lookups ---------------------------------------------------------------

    def visible_tables(self) -> dict[int, TableInfo]:
        """The table objects as this thread sees them (its transaction's changes included)."""
        tx = self.current_transaction()
        return tx.tables if tx is not None else self.catalog

    def table_info(self, name: str) -> TableInfo:
        """The live table ``name``; ``NoSuchTable`` (with a suggestion) if there is none."""
        tables = self.visible_tables()
        wanted = name.lower()
        for info in tables.values():
            if info.dropped_scn is None and info.name.lower() == wanted:
                return info
        refuse_bin_object(tables, name)
        raise NoSuchTable(f"table {name!r} does not exist" + missing_table_hint(name, tables))

    def visible_views(self) -> dict[str, ViewInfo]:
        """The views as this thread sees them (its transaction's changes included)."""
        tx = self.current_transaction()
        return tx.views if tx is not None else self.views

    def find_view(self, name: str) -> ViewInfo | None:
        """The view called ``name`` as this thread sees it, or None."""
        return self.visible_views().get(name.lower())

    def list_tables(self) -> list[str]:
        """Names of the live tables, sorted."""
        return sorted(t.name for t in self.visible_tables().values() if t.dropped_scn is None)

    @staticmethod
    def suggest(name: str, tables: dict[int, TableInfo] | Iterable[str]) -> str:
        """``"; did you mean 'x'?"`` for a close existing name, or ``""`` (``suggest.py``)."""
        names = ([t.name for t in tables.values() if t.dropped_scn is None]
                 if isinstance(tables, dict) else list(tables))
        return did_you_mean(name, names)
