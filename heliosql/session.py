"""A session runs statements of the dialect against one engine, in its own transaction.

Transactions follow PEP 249: with ``autocommit`` off (the default), the first
write opens a transaction that lasts until ``commit()``/``rollback()`` (or SQL
COMMIT/ROLLBACK); with it on, each statement commits by itself unless BEGIN
opened an explicit transaction. Reads outside a write see committed data at
the time of each statement (Oracle's READ COMMITTED); reads after a write in
the same transaction also see its own uncommitted changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb

from heliosql.compile import Compilation, Params, bind_parameters
from heliosql.parser import parse
from heliosql.plan.base import Statement
from heliosql.storage import TemporalEngine, Transaction
from heliosql.storage.errors import HeliosError, NotSupportedError, TransactionError
from heliosql.storage.transaction import State
from heliosql.storage.translate import translate

_COMPILED_CACHE = 512


@dataclass
class Result:
    """What a statement returns: rows with a PEP 249 description, or a row count."""

    description: list[tuple] | None = None
    rows: list[tuple] = field(default_factory=list)
    rowcount: int = -1
    message: str | None = None


class Session:
    """Executes statements; several sessions may share one engine."""

    def __init__(self, engine: TemporalEngine, *, autocommit: bool = False):
        self.engine = engine
        self.autocommit = autocommit
        self.transaction: Transaction | None = None
        self.explicit = False  # BEGIN opened the transaction (autocommit mode)
        self.transaction_name: str | None = None
        # Compiled queries by parsed statement: (statement, catalog it was compiled
        # against, SQL, parameter names). Parses are cached by text, so the same
        # text finds the same statement object.
        self._compiled: dict[int, tuple[Statement, object, str, list[str]]] = {}

    # --- transactions ------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        """True while this session has uncommitted changes (or an explicit BEGIN)."""
        tx = self.transaction
        return tx is not None and (tx.writing or self.explicit)

    def _tx(self) -> Transaction:
        if self.transaction is None or self.transaction.state not in (State.OPEN, State.FAILED):
            self.transaction = self.engine.begin(self.transaction_name)
        return self.transaction

    def commit(self) -> None:
        tx, self.transaction, self.explicit = self.transaction, None, False
        self.transaction_name = None
        if tx is not None:
            if tx.state is State.FAILED:
                tx.rollback()
                raise TransactionError("the transaction was aborted by an earlier error and "
                                       "has been rolled back")
            tx.commit()

    def rollback(self) -> None:
        tx, self.transaction, self.explicit = self.transaction, None, False
        self.transaction_name = None
        if tx is not None:
            tx.rollback()

    @contextmanager
    def _statement_scope(self, statement: Statement) -> Iterator[Transaction]:
        """Run one statement in the session's transaction; autocommit ends it afterwards."""
        tx = self._tx()
        try:
            with self.engine.activate(tx):
                yield tx
        except BaseException:
            if self.autocommit and not self.explicit:
                self.rollback()
            raise
        if self.autocommit and not self.explicit:
            self.commit()

    # --- statements --------------------------------------------------------------------

    def execute(self, sql: str, params: Params = None) -> Result:
        """Run every statement of ``sql``; the result of the last one is returned."""
        result = Result()
        for statement in parse(sql):
            result = self.run(statement, params)
        return result

    def run(self, statement: Statement, params: Params = None) -> Result:
        from heliosql import executors  # statement handlers, by plan node name

        handler: Callable[..., Result] | None = getattr(
            executors, f"run_{type(statement).__name__}", None)
        if handler is None:
            raise NotSupportedError(
                f"{type(statement).__name__} statements are not supported yet",
                position=statement.span.start if getattr(statement, "span", None) else None)
        if getattr(handler, "controls_transaction", False):
            return handler(self, statement, params)
        with self._statement_scope(statement):
            try:
                return handler(self, statement, params)
            except duckdb.Error as exc:
                tx = self.transaction
                if tx is not None and tx.writing:
                    tx.state = State.FAILED
                raise translate(exc, _describe(statement)) from exc

    def compilation(self, statement: Statement, params: Params) -> Compilation:
        return Compilation(self.engine, statement, params, self.read_cursor)

    def compiled_query(self, statement: Statement, params: Params) -> tuple[str, dict[str, Any]]:
        """DuckDB SQL and parameters for a query, reusing an earlier compilation when the
        statement and the catalog are the same and nothing in it is bound per execution."""
        tables = self.engine.visible_tables()
        entry = self._compiled.get(id(statement))
        if entry is not None and entry[0] is statement and entry[1] is tables:
            return entry[2], bind_parameters(entry[3], params)
        compilation = self.compilation(statement, params)
        sql = compilation.query(statement.query)
        names = list(compilation.queries.expressions.parameters)
        if not compilation.sources.volatile:
            if len(self._compiled) >= _COMPILED_CACHE:
                self._compiled.clear()
            self._compiled[id(statement)] = (statement, tables, sql, names)
        return sql, bind_parameters(names, params)

    def read_cursor(self) -> duckdb.DuckDBPyConnection:
        return self.engine.read_cursor()

    def query(self, sql: str, params: dict[str, Any]) -> Result:
        """Run a SELECT on the session's view of the database."""
        cur = self.read_cursor()
        cur.execute(sql, params)
        description = [(d[0], str(d[1]), None, None, None, None, None)
                       for d in cur.description or ()]
        rows = cur.fetchall()
        return Result(description, rows, len(rows))


def _describe(statement: Statement) -> str:
    """``QueryStatement`` -> "query", ``CreateTable`` -> "create table": for error messages."""
    name = type(statement).__name__.removesuffix("Statement") or "statement"
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


__all__ = ["HeliosError", "Result", "Session"]
