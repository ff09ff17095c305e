"""A session runs statements of the dialect against one engine, in its own transaction.

Transactions follow PEP 249: with ``autocommit`` off (the default), the first
write opens a transaction that lasts until ``commit()``/``rollback()`` (or SQL
COMMIT/ROLLBACK); with it on, each statement commits by itself unless BEGIN
opened an explicit transaction. A statement that fails undoes only itself and
the transaction goes on (Oracle's rule; ``Transaction.statement``). Reads
outside a write see committed data at the time of each statement (Oracle's
READ COMMITTED); reads after a write in the same transaction also see its own
uncommitted changes.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from heliosql.compile import Compilation, CompiledQuery, Params, bind_parameters
from heliosql.error_positions import locate, locate_table
from heliosql.error_text import in_oracle_words
from heliosql.nesting import too_deeply_nested
from heliosql.nls import DEFAULT
from heliosql.parser import parse
from heliosql.plan.base import Statement
from heliosql.plan.expressions import Parameter
from heliosql.plan.flashback import CallProcedure, ShowRecycleBin
from heliosql.plan.statements import (
    Commit,
    Describe,
    Explain,
    Insert,
    InsertValues,
    QueryStatement,
    Rollback,
    ShowTables,
)
from heliosql.result import Result, describe
from heliosql.storage import TemporalEngine, Transaction, parsed
from heliosql.storage.errors import (
    DataError,
    HeliosError,
    NoSuchColumn,
    NoSuchTable,
    NotInRecycleBin,
    NotSupportedError,
    ProgrammingError,
    TransactionError,
)
from heliosql.storage.statement_time import statement_clock
from heliosql.storage.tracing import TracedStatement
from heliosql.storage.transaction import State
from heliosql.storage.translate import translate

_COMPILED_CACHE = 512
T = TypeVar("T")
# Session ids own rows of global temporary tables; 0 is the storage API's.
_SESSION_IDS = itertools.count(1)


class Session:
    """Executes statements; several sessions may share one engine."""

    def __init__(self, engine: TemporalEngine, *, autocommit: bool = False):
        self.engine = engine
        self.autocommit = autocommit
        self.id = next(_SESSION_IDS)
        self.transaction: Transaction | None = None
        self.explicit = False  # BEGIN opened the transaction (autocommit mode)
        self.transaction_name: str | None = None
        # Compiled queries by parsed statement: (statement, the tables and views it was
        # compiled against, the compilation). Parses are cached by text, so the same
        # text finds the same statement object.
        self._compiled: dict[int, tuple[Statement, object, object, CompiledQuery]] = {}
        self._compiled_dml: dict[int, tuple[Statement, object, object, Any, tuple[str, ...]]] = {}
        self._results: duckdb.DuckDBPyConnection | None = None
        self.statement_text: str | None = None  # the text being executed (for view bodies)
        self.temporary_tables: list[str] = []  # CREATE TEMPORARY TABLE: gone at close
        # DBMS_FLASHBACK.ENABLE_AT_...: tables without a clause of their own are read
        # AS OF this SCN, and writes are refused, until DISABLE.
        self.flashback_scn: int | None = None
        # The last number this session drew from each sequence (by token): CURRVAL.
        self.sequence_values: dict[int, int] = {}
        self.nls = DEFAULT  # ALTER SESSION SET NLS_DATE_FORMAT ... (heliosql.nls)

    # --- transactions ------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        """True while this session has uncommitted changes (or an explicit BEGIN)."""
        tx = self.transaction
        return tx is not None and (tx.writing or self.explicit or tx.state is State.FAILED)

    @property
    def transaction_aborted(self) -> bool:
        """True when the transaction failed as a whole and waits for ROLLBACK."""
        return self.transaction is not None and self.transaction.state is State.FAILED

    def _tx(self) -> Transaction:
        if self.transaction is None or self.transaction.state not in (State.OPEN, State.FAILED):
            self.transaction = self.engine.begin(self.transaction_name, self.id)
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

    def close(self) -> None:
        """End the session: roll back what is open and purge its temporary tables."""
        self.rollback()
        self.flashback_scn = None
        for name in self.temporary_tables:
            with contextlib.suppress(HeliosError):  # already dropped, or renamed away
                self.engine.drop_table(name, purge=True)
        self.temporary_tables.clear()
        self.engine.end_session(self.id)  # its rows of ON COMMIT PRESERVE ROWS tables

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

    def execute(self, sql: str, params: Params = None,
                results: duckdb.DuckDBPyConnection | None = None) -> Result:
        """Run every statement of ``sql``; the result of the last one is returned.

        ``results`` is the DuckDB connection that keeps a query's rows until they
        are fetched (a DB-API cursor passes its own).
        """
        result = Result()
        self._results = results
        self.statement_text = sql
        statement = None
        try:
            for statement in parse(sql):
                result = self.run(statement, params)
        except RecursionError:
            raise too_deeply_nested(statement) from None
        finally:
            self._results = None
            self.statement_text = None
        return result

    def executemany(self, sql: str, seq_of_params: ParameterSets) -> Result:
        """Run one statement once per parameter set, as one statement: if any set fails,
        none of them keeps its changes, and the error names the set. An INSERT of plain
        parameters is loaded in one bulk statement (one parse, one Arrow table, one INSERT);
        an UPDATE or DELETE by key runs set-based where that gives the same result
        (``executors/batch.py``). The sets may be the rows of an Arrow table."""
        statements = parse(sql)
        if len(statements) != 1:
            raise ProgrammingError("executemany takes exactly one statement")
        statement = statements[0]
        handler = self._handler(statement)
        if getattr(handler, "controls_transaction", False) or not len(seq_of_params):
            total = sum(max(self.run(statement, p).rowcount, 0) for p in _rows(seq_of_params))
            return Result(rowcount=total)
        self.statement_text = sql
        try:
            with statement_clock(), self._statement_scope(statement) as tx:
                if tx.state is State.FAILED:
                    tx.check_open()
                with tx.statement(self._text_of(statement)):
                    bulk = bulk_insert_columns(statement)
                    if bulk is not None:
                        from heliosql.executors.dml import bulk_insert

                        return bulk_insert(self, statement, bulk, seq_of_params)
                    batched = self._batched(tx, statement, seq_of_params)
                    if batched is not None:
                        return batched
                    return self._run_each(handler, statement, seq_of_params)
        except RecursionError:
            raise too_deeply_nested(statement) from None
        finally:
            self.statement_text = None

    def _batched(self, tx: Transaction, statement: Statement,
                 seq_of_params: ParameterSets) -> Result | None:
        """The parameter sets as set-based statements (``executors/batch.py``), or None.
        A failure is undone and left to the run set by set, which names the set."""
        from heliosql.executors.batch import execute_batch

        mark = tx.mark()
        try:
            return execute_batch(self, statement, seq_of_params)
        except (HeliosError, duckdb.Error):
            if not tx.statement_rollback:
                raise  # the transaction is aborted: nothing to run set by set
            tx.rollback_to(mark)
            return None

    def _run_each(self, handler: Callable[..., Result], statement: Statement,
                  seq_of_params: ParameterSets) -> Result:
        total = 0
        for number, params in enumerate(_rows(seq_of_params), 1):
            try:
                total += max(self._handle(handler, statement, params).rowcount, 0)
            except HeliosError as exc:
                exc.message += f" (parameter set {number} of {len(seq_of_params)})"
                raise
        return Result(rowcount=total)

    def run(self, statement: Statement, params: Params = None) -> Result:
        handler = self._handler(statement)
        if getattr(handler, "controls_transaction", False):
            return handler(self, statement, params)
        # An autocommit read needs no transaction: it reads the committed catalog and
        # data, and has nothing to commit or roll back.
        read_only = (type(statement) is QueryStatement and not statement.query.for_update
                     and self.autocommit and self.transaction is None)
        with statement_clock():
            if read_only:
                return self._handle(handler, statement, params)
            with self._statement_scope(statement) as tx:
                if tx.state is State.FAILED:
                    tx.check_open()
                with tx.statement(self._text_of(statement)):
                    return self._handle(handler, statement, params)

    def _handler(self, statement: Statement) -> Callable[..., Result]:
        """The handler of a statement, if the session may run it now."""
        from heliosql.executors import HANDLERS  # imported here: handlers import this module

        handler: Callable[..., Result] | None = HANDLERS.get(type(statement).__name__)
        if handler is None:
            raise NotSupportedError(
                f"{type(statement).__name__} statements are not supported yet",
                position=statement.span.start if getattr(statement, "span", None) else None)
        if self.flashback_scn is not None and not _allowed_in_flashback_mode(statement):
            what = ("SELECT ... FOR UPDATE" if isinstance(statement, QueryStatement)
                    else _describe(statement))
            raise ProgrammingError(
                f"{what} is not allowed in Flashback mode (the session reads "
                f"as of SCN {self.flashback_scn}): call DBMS_FLASHBACK.DISABLE first",
                code="ORA-08182",
                position=statement.span.start if getattr(statement, "span", None) else None)
        return handler

    def _handle(self, handler: Callable[..., Result], statement: Statement,
                params: Params) -> Result:
        """Run a statement's handler; DuckDB's errors become heliosql's, with a position."""
        try:
            return handler(self, statement, params)
        except duckdb.Error as exc:
            raise locate(in_oracle_words(translate(exc, _describe(statement)), statement),
                         statement) from exc
        except (NoSuchColumn, DataError) as exc:  # heliosql's own, named but not placed
            locate(exc, statement)
            raise
        except (NoSuchTable, NotInRecycleBin) as exc:
            locate_table(exc, statement, self.statement_text)
            raise

    def _text_of(self, statement: Statement) -> str:
        """The statement as the user wrote it (for messages about it)."""
        span = getattr(statement, "span", None)
        if span is None or self.statement_text is None:
            return _describe(statement)
        return self.statement_text[span.start:span.end]

    def traced(self, statement: Statement, params: Params) -> tuple[Result, list[TracedStatement]]:
        """Run a write statement in a transaction of its own that is then rolled back;
        returns its result and every SQL statement it ran (EXPLAIN of a write)."""
        if self.transaction is not None and self.transaction.writing:
            raise TransactionError(
                "EXPLAIN of a write statement runs it in a transaction of its own and rolls "
                "it back: end the open transaction first (COMMIT or ROLLBACK)")
        log: list[TracedStatement] = []
        saved = self.transaction, self.explicit
        tx = self.engine.begin(self.transaction_name, self.id)
        tx.trace = log
        self.transaction, self.explicit = tx, True  # explicit: the statement does not commit
        try:
            result = self.run(statement, params)
            ran = list(log)  # the rollback below is not part of the statement
        finally:
            tx.rollback()
            self.transaction, self.explicit = saved
        return result, ran

    def compilation(self, statement: Statement, params: Params) -> Compilation:
        return Compilation(self.engine, statement, params, self.read_cursor, self.flashback_scn,
                           self.sequence_values, self.id, self.nls)

    def forget_compiled(self) -> None:
        """Drop the compiled statements (their SQL holds settings that changed)."""
        self._compiled.clear()
        self._compiled_dml.clear()

    def compiled_query(self, statement: Statement, params: Params) -> tuple[str, dict[str, Any]]:
        """DuckDB SQL and parameters for a query, reusing an earlier compilation when the
        statement, the tables and the views are the same (catalog objects are replaced,
        never changed, so identity tells); its temporal clauses are bound anew."""
        tables, views = self.engine.visible_tables(), self.engine.visible_views()
        entry = self._compiled.get(id(statement))
        if (entry is not None and entry[0] is statement and entry[1] is tables
                and entry[2] is views and self.flashback_scn is None):
            return entry[3].render(self.engine, params, self.read_cursor, nls=self.nls)
        compilation = self.compilation(statement, params)
        compiled = compilation.compiled_query(statement.query)
        if not compilation.sources.volatile and self.flashback_scn is None:
            if len(self._compiled) >= _COMPILED_CACHE:
                self._compiled.clear()
            self._compiled[id(statement)] = (statement, tables, views, compiled)
        return compiled.render(self.engine, params, self.read_cursor, rebind=False,
                               nls=self.nls)

    def compiled_dml(self, statement: Statement, params: Params,
                     build: Callable[[Compilation], T]
                     ) -> tuple[T, dict[str, Any], Compilation | None]:
        """What ``build`` makes of a write statement's compilation, the DuckDB parameters
        for this execution, and the compilation (None when the result was kept from an
        earlier execution). The result is kept for the next execution of the same
        statement while the catalog objects are the same ones, unless its SQL depends
        on more (a flashback clause, the current SCN, sequence numbers)."""
        tables, views = self.engine.visible_tables(), self.engine.visible_views()
        entry = self._compiled_dml.get(id(statement))
        if (entry is not None and entry[0] is statement and entry[1] is tables
                and entry[2] is views and self.flashback_scn is None):
            return entry[3], bind_parameters(entry[4], params), None
        compilation = self.compilation(statement, params)
        built = build(compilation)
        sources = compilation.sources
        if (not sources.volatile and self.flashback_scn is None
                and not compilation.sequences.referenced
                and all(s.read is None for s in sources.sources.values())):
            if len(self._compiled_dml) >= _COMPILED_CACHE:
                self._compiled_dml.clear()
            names = tuple(compilation.queries.expressions.parameters)
            self._compiled_dml[id(statement)] = (statement, tables, views, built, names)
        return built, compilation.bound_params(), compilation

    def read_cursor(self) -> duckdb.DuckDBPyConnection:
        return self.engine.read_cursor()

    def query(self, sql: str, params: dict[str, Any], *, fetch: bool = False) -> Result:
        """Run a SELECT on the session's view of the database.

        Inside a writing transaction (or with ``fetch``) the rows are fetched at
        once (the transaction's connection runs the next statement); otherwise
        they stay in DuckDB on a connection of their own and are fetched as the
        caller asks.
        """
        tx = self.transaction
        if tx is not None and tx.writing:
            cur = tx.read(sql, params)
            rows = cur.fetchall()
            return Result(describe(cur), rows, len(rows))
        cur = self.result_cursor()
        parsed.execute(cur, sql, params)
        if fetch:
            rows = cur.fetchall()
            return Result(describe(cur), rows, len(rows))
        # A cursor's own connection keeps its result until the cursor's next statement,
        # so the description can wait; a shared one must be read now.
        return Result(None if self._results is not None else describe(cur), source=cur)

    def result_cursor(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection that holds a query's rows until they are fetched."""
        return self._results if self._results is not None else self.engine.backend.cursor()


# The parameter sets of an executemany: mappings or sequences, or the rows of an Arrow table.
ParameterSets = list[Params] | pa.Table


def _rows(seq_of_params: ParameterSets) -> list[Params]:
    """The parameter sets one by one (an Arrow table's rows as mappings)."""
    return seq_of_params.to_pylist() if isinstance(seq_of_params, pa.Table) else seq_of_params


def bulk_insert_columns(statement: Statement) -> list[Parameter] | None:
    """The parameters of ``INSERT ... VALUES (:a, :b, ...)`` (one row of parameters only)."""
    if (not isinstance(statement, Insert) or statement.on_conflict or statement.returning
            or not isinstance(statement.source, InsertValues)
            or len(statement.source.rows) != 1):
        return None
    row = statement.source.rows[0]
    if not all(isinstance(value, Parameter) for value in row):
        return None
    return list(row)


def _allowed_in_flashback_mode(statement: Statement) -> bool:
    """Reads, transaction ends and DBMS_FLASHBACK calls: what Flashback mode allows."""
    if isinstance(statement, Explain):
        statement = statement.statement
    if isinstance(statement, QueryStatement):
        return not statement.query.for_update
    return isinstance(statement, ShowTables | Describe | ShowRecycleBin | Commit | Rollback
                      | CallProcedure)


def _describe(statement: Statement) -> str:
    """``QueryStatement`` -> "query", ``CreateTable`` -> "create table": for error messages."""
    name = type(statement).__name__.removesuffix("Statement") or "statement"
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


__all__ = ["HeliosError", "Result", "Session"]
