"""One statement's compilation context: plan nodes → DuckDB SQL text plus parameters.

A ``Compilation`` lives for one execution of one statement: it owns the
sources (table relations with their temporal clauses bound to SCNs), the
query compiler and the list of parameters the generated SQL uses. A query's
compilation can be kept (``CompiledQuery``) and rendered again for the next
execution, its AS OF clauses bound anew; a query whose SQL depends on more
(a VERSIONS window, the current SCN) is compiled at each execution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import duckdb
from sqlglot import exp

from heliosql.bind_values import PLAIN, bound_value
from heliosql.binding import TemporalBinder
from heliosql.compiler.expressions import Definition
from heliosql.compiler.identifiers import discard, ident, to_duckdb_sql
from heliosql.compiler.kinds import kind_of_type
from heliosql.compiler.queries import QueryCompiler
from heliosql.compiler.scn_functions import scn_to_timestamp, timestamp_to_scn
from heliosql.compiler.sequences import SequenceReferences, numbered_block
from heliosql.nls import DEFAULT, NlsSettings
from heliosql.plan.base import Node
from heliosql.plan.expressions import Column, Literal, Parameter
from heliosql.plan.temporal import AsOf, TemporalClause, TemporalKind
from heliosql.plan.walk import walk
from heliosql.sources import (
    ORA_ROWSCN,
    PSEUDOCOLUMNS,
    VERSIONS_COLUMNS,
    Source,
    SourceBuilder,
    render,
)
from heliosql.storage import TemporalEngine
from heliosql.storage.errors import NoSuchColumn, ProgrammingError
from heliosql.storage.sequence_counters import SequenceDraw
from heliosql.storage.statement_time import PARAMETER, statement_time
from heliosql.storage.translate import translate

Params = Mapping[str, Any] | Sequence[Any] | None


_MENTIONED: dict[int, tuple[Any, frozenset[str]]] = {}


def mentioned_pseudocolumns(node: Any) -> frozenset[str]:
    """Lower-case names of the pseudocolumns (ORA_ROWSCN, VERSIONS_*) a plan mentions.

    Parsed statements are cached and immutable, so the answer is kept per node.
    """
    cached = _MENTIONED.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    found = frozenset(_pseudocolumns_in(node))
    if len(_MENTIONED) > 4096:
        _MENTIONED.clear()
    _MENTIONED[id(node)] = (node, found)
    return found


def _pseudocolumns_in(node: Any) -> set[str]:
    """``mentioned_pseudocolumns`` uncached. A flashback clause's bounds are left out:
    they are evaluated on their own (``evaluate``), so the VERSIONS_* of a subquery in
    an AS OF bound belong to that subquery's table, not to the statement's."""
    return {n.name.lower() for n in walk(node, stop=_is_clause)
            if isinstance(n, Column) and n.name.lower() in PSEUDOCOLUMNS}


def _is_clause(node: Any) -> bool:
    return isinstance(node, TemporalClause)


def _target_rowscn(target: str, node: exp.Expression) -> exp.Expression:
    """``ORA_ROWSCN`` of a DML target's row (``target`` is its name or alias): the start SCN
    of its current version, NULL for a row the writing transaction changed (its SCN is
    not committed yet, so it is above the last SCN in the log)."""
    if (isinstance(node, exp.Column) and node.name.lower() == ORA_ROWSCN
            and node.table.lower() in ("", target) and node.find_ancestor(exp.Subquery) is None):
        start = exp.column("__start_scn", table=ident(target) if node.table else None)
        committed = exp.select("max(scn)").from_("helios.scn_log").subquery()
        return exp.Case(ifs=[exp.If(this=exp.LTE(this=start, expression=committed),
                                    true=start.copy())])
    return node


def bind_parameters(names: Sequence[str], params: Params) -> dict[str, Any]:
    """DuckDB's named parameters from the user's mapping (``:name``) or sequence (``:1``, ``?``),
    each value checked and '' made NULL (``bind_values.py``)."""
    values: dict[str, Any] = {}
    if params is None:
        params = {}
    named = isinstance(params, Mapping)
    lowered = {str(k).lower().lstrip(":"): v for k, v in params.items()} if named else {}
    for name in dict.fromkeys(names):
        if name == PARAMETER:  # SYSTIMESTAMP and friends: the statement's time
            values[name] = statement_time()
            continue
        if named and name in lowered:
            value = lowered[name]
        elif not (name.startswith("p") and name[1:].isdigit()):
            if named:
                raise ProgrammingError(f"no value was given for parameter :{name}")
            raise ProgrammingError(f"parameter :{name} is named; pass parameters as a mapping")
        elif named:
            if name[1:] not in lowered:
                raise ProgrammingError(f"no value was given for parameter :{name}")
            value = lowered[name[1:]]
        else:
            index = int(name[1:]) - 1
            if index >= len(params):
                raise ProgrammingError(f"parameter {index + 1} was not given "
                                       f"({len(params)} values for the statement)")
            value = params[index]
        kind = type(value)  # the common values need no look (and no call)
        if (kind not in PLAIN if kind is not int else value.bit_length() > 127):
            value = bound_value(name[1:] if name[1:].isdigit() else name, value)
        values[name] = value
    return values


def evaluate(engine: TemporalEngine, params: Params, cursor: Callable[[], Any],
             plan_expr: Any, nls: NlsSettings = DEFAULT) -> Any:
    """Evaluate a temporal bound once, in DuckDB, with the statement's parameters.

    A literal or a parameter (the usual bound) is taken as it is, saving a
    round trip to DuckDB.
    """
    if isinstance(plan_expr, Literal):
        return plan_expr.value
    if isinstance(plan_expr, Parameter):
        names = [plan_expr.name.lower()] if plan_expr.name else [f"p{plan_expr.position}"]
        return next(iter(bind_parameters(names, params).values()))
    inner = Compilation(engine, plan_expr, params, cursor, nls=nls)
    text = f"SELECT {inner.expression(plan_expr)}"
    return cursor().execute(text, inner.bound_params()).fetchone()[0]


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A compiled query kept for later executions: its SQL with the source placeholders
    still in, the sources (whose reads bind their clauses anew) and the names of the
    parameters."""

    text: str
    sources: dict[str, Source]
    parameters: tuple[str, ...]

    def render(self, engine: TemporalEngine, params: Params, cursor: Callable[[], Any],
               rebind: bool = True, nls: NlsSettings = DEFAULT) -> tuple[str, dict[str, Any]]:
        """SQL and DuckDB parameters for an execution (``rebind=False``: the one the
        query was compiled for, whose clauses are bound already)."""
        fresh = None
        reads = [(p, s.read) for p, s in self.sources.items() if s.read is not None]
        if reads and rebind:
            binder = TemporalBinder(engine, partial(evaluate, engine, params, cursor, nls=nls))
            fresh = {placeholder: read.sql(engine, binder) for placeholder, read in reads}
        return render(self.text, self.sources, fresh), bind_parameters(self.parameters, params)


class Compilation:
    """Compiles the parts of one statement, sharing sources and parameters."""

    def __init__(self, engine: TemporalEngine, statement: Node, params: Params,
                 cursor_for_bounds: Any, flashback_scn: int | None = None,
                 sequence_values: Mapping[int, int] | None = None,
                 session: int | None = None, nls: NlsSettings = DEFAULT):
        self.engine = engine
        self.params = params
        self._cursor = cursor_for_bounds
        binder = TemporalBinder(engine, partial(evaluate, engine, params, cursor_for_bounds,
                                                nls=nls))
        self.sources = SourceBuilder(engine, binder, mentioned_pseudocolumns(statement),
                                     session)
        # Session-level flashback reads every table without a clause of its own AS OF it.
        session_clause = (None if flashback_scn is None
                          else AsOf(TemporalKind.SCN, Literal(flashback_scn)))
        self.queries = QueryCompiler(engine, self.sources, self._special_functions(),
                                     session_clause, nls, self._constant)
        # NEXTVAL / CURRVAL (compiler/sequences.py); ``sequence_values``: the session's
        # last number of each sequence, for CURRVAL.
        self.sequences = SequenceReferences(engine, statement, sequence_values or {})
        self.queries.expressions.sequences = self.sequences

    def _constant(self, node: exp.Expression) -> Any:
        """The value of a constant expression, computed by DuckDB now."""
        text = f"SELECT {to_duckdb_sql(node)}"
        discard(node)
        try:
            return self._cursor().execute(text).fetchone()[0]
        except duckdb.Error as exc:
            raise translate(exc, "query") from None

    def _special_functions(self) -> dict[str, Any]:
        engine = self.engine

        def current_scn(args: tuple[exp.Expression, ...]) -> exp.Expression:
            self.sources.volatile = True
            return exp.Literal.number(engine.current_scn())

        return {
            "DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER": current_scn,
            "SCN_TO_TIMESTAMP": scn_to_timestamp,
            "TIMESTAMP_TO_SCN": timestamp_to_scn,
        }

    def sql(self, node: exp.Expression) -> str:
        """DuckDB SQL for a compiled node, with table sources in place."""
        self._check_pseudocolumns()
        text = to_duckdb_sql(node)
        discard(node)
        return render(text, self.sources.sources)

    def _check_pseudocolumns(self) -> None:
        """ORA-00904 for VERSIONS_* when no table reference has a VERSIONS clause."""
        missing = self.sources.wanted & set(VERSIONS_COLUMNS)
        for source in self.sources.sources.values():
            missing -= set(source.pseudocolumns)
            missing -= {c.lower() for c in source.columns}
        if missing:
            name = sorted(missing)[0].upper()
            raise NoSuchColumn(f"{name}: invalid identifier; version pseudocolumns need "
                               "a VERSIONS BETWEEN clause on the table", name=name)

    def query(self, plan_query: Any, *, statement: bool = False, numbered: bool = False) -> str:
        """DuckDB SQL for a query; ``statement``: it is a whole SELECT statement, not a
        part of another (see ``QueryCompiler.compile_statement``); ``numbered``: its select
        list may draw sequence numbers (``numbered_block``)."""
        queries = self.queries
        queries.numbered_block = numbered_block(plan_query) if numbered else None
        compile_ = queries.compile_statement if statement else queries.compile_query
        return self.sql(compile_(plan_query))

    def compiled_query(self, plan_query: Any) -> CompiledQuery:
        """A SELECT statement compiled for this and later executions (see ``CompiledQuery``)."""
        tree = self.queries.compile_statement(plan_query)
        text = to_duckdb_sql(tree)
        discard(tree)
        self._check_pseudocolumns()
        return CompiledQuery(text, dict(self.sources.sources),
                             tuple(self.queries.expressions.parameters))

    def expression(self, plan_expr: Any, qualify: str | None = None,
                   rowscn_of: str | None = None, into: str | None = None) -> str:
        """SQL for an expression; ``qualify`` names the table that unqualified column
        references mean (outside subqueries), where another relation has the same names;
        ``rowscn_of`` names the DML target whose current rows ``ORA_ROWSCN`` reads;
        ``into`` is the type of the column the value is written to (text for a date
        column is read with the session's format)."""
        expressions = self.queries.expressions
        node = (expressions.compile(plan_expr) if into is None
                else expressions.compile_into(plan_expr, kind_of_type(into)))
        if rowscn_of is not None and ORA_ROWSCN in self.sources.wanted:
            node = node.transform(partial(_target_rowscn, rowscn_of.lower()))
        if qualify is not None:
            table = ident(qualify)

            def qualified(n: exp.Expression) -> exp.Expression:
                if (isinstance(n, exp.Column) and not n.table
                        and n.find_ancestor(exp.Subquery) is None):
                    return exp.Column(this=n.this, table=table.copy())
                return n

            node = node.transform(qualified)
        return self.sql(node)

    def definition(self, plan_expr: Any, part: Definition = Definition.DEFAULT,
                   into: str | None = None) -> str:
        """SQL for a column's DEFAULT (or, with ``Definition.CONSTRAINT``, a CHECK), which
        DuckDB keeps in the table's definition: no parameters, and the time is read from
        the connection variable the engine sets (``storage/statement_time.py``); ``into``
        is the column's type (text for a date is read now, with the session's format)."""
        expressions = self.queries.expressions
        expressions.definition = part
        try:
            return self.expression(plan_expr, into=into)
        finally:
            expressions.definition = None

    def note_columns(self, columns: Iterable[tuple[str, str]]) -> None:
        """Columns (name, DuckDB type) that expressions may name besides those of the
        tables read: a table's own, for its CHECK constraints."""
        for name, type_name in columns:
            kind = kind_of_type(type_name)
            if kind is not None:
                self.sources.column_kinds.setdefault(name.lower(), kind)

    def bound_params(self, draw: SequenceDraw | None = None) -> dict[str, Any]:
        """The statement's DuckDB parameters; those of its sequence references for ``draw``
        (None when it draws no numbers)."""
        params = bind_parameters(self.queries.expressions.parameters, self.params)
        return params | self.sequences.parameters(draw)
