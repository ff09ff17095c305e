"""PEP 249 (DB-API 2.0): ``heliosql.connect()``, connections and cursors.

Connections to the same database file in one process share one engine:
readers never block, writers are serialized, and each connection sees its own
uncommitted changes. ``:memory:`` gives a new private database per connection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage import TemporalEngine
from heliosql.storage.backend import resolve_path
from heliosql.storage.errors import InterfaceError, ProgrammingError

apilevel = "2.0"
threadsafety = 1  # threads may share the module, not connections
paramstyle = "named"  # `:name`; positional `:1` is accepted too

_engines: dict[str, tuple[TemporalEngine, int]] = {}
_engines_lock = threading.Lock()


def _open_engine(database: str, read_only: bool) -> TemporalEngine:
    if database == ":memory:":
        return TemporalEngine(database, read_only=read_only)
    key = resolve_path(database)
    with _engines_lock:
        engine, count = _engines.get(key, (None, 0))
        if engine is None or engine.closed:
            engine, count = TemporalEngine(key, read_only=read_only), 0
        _engines[key] = (engine, count + 1)
        return engine


def _release_engine(engine: TemporalEngine) -> None:
    key = engine.backend.path
    with _engines_lock:
        entry = _engines.get(key)
        if entry is None or entry[0] is not engine:
            engine.close()
            return
        if entry[1] <= 1:
            del _engines[key]
            engine.close()
        else:
            _engines[key] = (engine, entry[1] - 1)


def connect(database: str | Path = ":memory:", *, read_only: bool = False,
            autocommit: bool = False) -> Connection:
    """Open a connection to a heliosql database (a file path, or ``":memory:"``)."""
    return Connection(_open_engine(str(database), read_only), autocommit=autocommit)


class Connection:
    """A PEP 249 connection: a session on a (possibly shared) engine."""

    def __init__(self, engine: TemporalEngine, *, autocommit: bool = False):
        self._engine: TemporalEngine | None = engine
        self._session = Session(engine, autocommit=autocommit)

    # --- PEP 249 -------------------------------------------------------------------------

    def cursor(self) -> Cursor:
        self._check()
        return Cursor(self)

    def commit(self) -> None:
        self._check()
        self._session.commit()

    def rollback(self) -> None:
        self._check()
        self._session.rollback()

    def close(self) -> None:
        """Close the connection; uncommitted changes are rolled back (PEP 249) and its
        temporary tables are dropped."""
        if self._engine is None:
            return
        try:
            self._session.close()
        finally:
            engine, self._engine = self._engine, None
            _release_engine(engine)

    # --- extensions -------------------------------------------------------------------------

    @property
    def autocommit(self) -> bool:
        return self._session.autocommit

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        self._check()
        if value and self._session.in_transaction:
            self._session.commit()
        self._session.autocommit = bool(value)

    @property
    def transaction_name(self) -> str | None:
        """A name recorded with the next commit (like SET TRANSACTION NAME)."""
        return self._session.transaction_name

    @transaction_name.setter
    def transaction_name(self, value: str | None) -> None:
        self._session.transaction_name = value
        if self._session.transaction is not None:
            self._session.transaction.name = value

    @property
    def in_transaction(self) -> bool:
        return self._session.in_transaction

    @property
    def engine(self) -> TemporalEngine:
        self._check()
        assert self._engine is not None
        return self._engine

    def execute(self, sql: str, params: Any = None) -> Cursor:
        """Shortcut: a new cursor that has executed ``sql``."""
        return self.cursor().execute(sql, params)

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: Any) -> None:
        """Commit on success, roll back on error, then close."""
        try:
            if self._engine is not None:
                if exc_type is None:
                    self.commit()
                else:
                    self.rollback()
        finally:
            self.close()

    def _check(self) -> None:
        if self._engine is None:
            raise ProgrammingError("the connection is closed")

    @property
    def session(self) -> Session:
        self._check()
        return self._session


class Cursor:
    """A PEP 249 cursor. Query rows stay in DuckDB until fetched."""

    def __init__(self, connection: Connection):
        self.connection: Connection | None = connection
        self.arraysize = 1
        self._result: Result | None = None
        self._duckdb: duckdb.DuckDBPyConnection | None = None

    @property
    def description(self) -> list[tuple] | None:
        return self._result.description if self._result else None

    @property
    def rowcount(self) -> int:
        """Rows changed by the last DML statement; -1 for queries (PEP 249 allows it)."""
        return self._result.rowcount if self._result else -1

    def execute(self, operation: str, parameters: Mapping[str, Any] | Sequence[Any] | None = None
                ) -> Cursor:
        session = self._session()
        self._result = None
        if self._duckdb is None:
            self._duckdb = session.engine.backend.new_cursor()
        self._result = session.execute(operation, parameters, self._duckdb)
        return self

    def executemany(self, operation: str, seq_of_parameters: Any) -> Cursor:
        """Run ``operation`` once per parameter set (any iterable of mappings or sequences),
        as one statement: if one set fails, none keeps its changes and the error names it."""
        session = self._session()
        self._result = None
        self._result = session.executemany(operation, list(seq_of_parameters))
        return self

    def executemany_arrow(self, operation: str, data: Any) -> Cursor:
        """``executemany`` with one parameter set per row of ``data`` (an Arrow table or
        record batch reader, or a pandas DataFrame), a column per ``:name`` parameter:
        the rows reach DuckDB without becoming Python objects where the statement allows
        (INSERT ... VALUES of parameters, UPDATE and DELETE by key)."""
        from heliosql.executors.batch import as_parameter_sets

        session = self._session()
        self._result = None
        self._result = session.executemany(operation, as_parameter_sets(data))
        return self

    def fetchone(self) -> tuple | None:
        rows = self._rows().fetchmany(1)
        return rows[0] if rows else None

    def fetchmany(self, size: int | None = None) -> list[tuple]:
        return self._rows().fetchmany(self.arraysize if size is None else size)

    def fetchall(self) -> list[tuple]:
        return self._rows().fetchall()

    def fetch_arrow(self) -> Any:
        """The remaining rows as a ``pyarrow.Table``."""
        return self._rows().fetch_arrow()

    def fetch_df(self) -> Any:
        """The remaining rows as a pandas DataFrame (needs pandas)."""
        return self._rows().fetch_df()

    def __iter__(self) -> Iterator[tuple]:
        while (row := self.fetchone()) is not None:
            yield row

    def close(self) -> None:
        if self.connection is not None and self._duckdb is not None:
            self.connection.engine.backend.release_cursor(self._duckdb)
        self._duckdb = None
        self.connection = None
        self._result = None

    def setinputsizes(self, sizes: Any) -> None:
        """Accepted and ignored (PEP 249 allows it)."""

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        """Accepted and ignored (PEP 249 allows it)."""

    def __enter__(self) -> Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self) -> Session:
        if self.connection is None:
            raise ProgrammingError("the cursor is closed")
        return self.connection.session

    def _rows(self) -> Result:
        self._session()
        if self._result is None or not self._result.has_rows:
            raise InterfaceError("the last statement returned no rows to fetch")
        return self._result
