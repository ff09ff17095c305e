"""The seam between the engine and DuckDB: connections, the writer lock and the clock.

Everything that would change for a shared-catalog deployment (a lock held in
another process, a clock owned by a catalog server) sits behind this class.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .errors import OperationalError, StorageError, TransactionError

DATABASE_FILE = "heliosql.duckdb"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def database_file(path: str | Path) -> Path | None:
    """The DuckDB file for ``path``, nothing created; None for ``:memory:``.

    A directory (one that exists, one written with a trailing slash, or a new
    path without a suffix, as in ``TemporalEngine("./data/temporal")``) holds
    the database in ``heliosql.duckdb``.
    """
    text = str(path)
    if text == ":memory:":
        return None
    p = Path(text)
    if p.is_dir() or text.endswith(("/", "\\")) or (not p.exists() and not p.suffix):
        return p / DATABASE_FILE
    return p


def resolve_path(path: str | Path) -> str:
    """The DuckDB file for ``path`` (see ``database_file``), its folders created."""
    file = database_file(path)
    if file is None:
        return ":memory:"
    file.parent.mkdir(parents=True, exist_ok=True)
    return str(file)


def _lock_message(path: str, reason: str) -> str:
    """Why another process keeps the database from opening, in DuckDB's words (which name
    the process), and whether opening it read-only would work."""
    held = re.search(r"Conflicting lock is held in (?:.+? \(PID \d+\)|.+?(?=\. |$))", reason)
    text = f"database {path!r} is in use by another process"
    text += f" ({held.group().rstrip()})" if held else ""
    if "read-only mode" in reason:  # the other process only reads
        return text + ("; open it read-only to read it meanwhile "
                       "(read_only=True; heliosql --readonly)")
    return text + ("; it is open for writing there, and DuckDB lets several processes open a "
                   "database only when none of them writes: close it there first")


# New database files use 64 KiB blocks instead of DuckDB's 256 KiB: every table
# (each temporal table is two, and the catalog is a dozen) takes whole blocks, so
# at 256 KiB a database of 100,000 small rows was mostly empty blocks. Files
# made earlier keep the block size they were made with.
BLOCK_SIZE = 64 * 1024


def _config(path: str) -> dict[str, str]:
    return {} if path == ":memory:" else {"default_block_size": str(BLOCK_SIZE)}


class Backend:
    """One DuckDB database, per-thread cursors, one writer at a time."""

    def __init__(self, path: str | Path, *, read_only: bool = False, clock: Clock = utc_now,
                 lock_timeout: float = 30.0):
        self.path = resolve_path(path)
        self.read_only = read_only
        self.clock = clock
        self.lock_timeout = lock_timeout
        try:
            self._db = duckdb.connect(self.path, read_only=read_only, config=_config(self.path))
        except duckdb.IOException as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise OperationalError(_lock_message(self.path, message)) from exc
            raise StorageError(f"cannot open database {self.path!r}: {message}") from exc
        self._local = threading.local()
        # Weak: a connection nobody holds any more (a dropped DB-API cursor) closes
        # when collected; close() still reaches every live one.
        self._cursors: weakref.WeakSet[duckdb.DuckDBPyConnection] = weakref.WeakSet()
        self._cursors_lock = threading.Lock()
        self._writer = threading.Lock()
        self._writer_thread: int | None = None
        self.closed = False

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's own DuckDB connection (DuckDB connections are not thread-safe)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self.new_cursor()
            self._local.cursor = cur
        return cur

    def new_cursor(self) -> duckdb.DuckDBPyConnection:
        """A fresh DuckDB connection to the same database."""
        if self.closed:
            raise OperationalError("the engine is closed")
        cur = self._db.cursor()
        with self._cursors_lock:
            self._cursors.add(cur)
        return cur

    def acquire_writer(self) -> None:
        """Take the single-writer lock, waiting at most ``lock_timeout`` seconds.

        Waiting for a transaction of the same thread (another connection used by
        this thread) could never end, so that fails at once.
        """
        me = threading.get_ident()
        if self._writer_thread == me:
            raise TransactionError(
                "another transaction of this thread is writing; commit or roll it back first"
            )
        if not self._writer.acquire(timeout=self.lock_timeout):
            raise TransactionError(
                f"another transaction has held the write lock for over {self.lock_timeout:g} s"
            )
        self._writer_thread = me

    def release_writer(self) -> None:
        self._writer_thread = None
        self._writer.release()

    def release_cursor(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Close a connection made by ``new_cursor``."""
        with self._cursors_lock:
            self._cursors.discard(cur)
        cur.close()

    def interrupt(self) -> None:
        """Cancel the statements running on the database."""
        with self._cursors_lock:
            for cur in list(self._cursors):
                cur.interrupt()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with self._cursors_lock:
            for cur in list(self._cursors):
                cur.close()
            self._cursors.clear()
        self._db.close()
