"""DML through a view: INSERT, UPDATE and DELETE on a simple view write its table.

A view can be written through when its query is one query block over one table
(or over another such view) without DISTINCT, GROUP BY, HAVING, aggregates,
window functions, set operations, WITH, row limits (ROWNUM, FETCH) or a
flashback clause. The statement is rewritten onto the table: each view column
becomes the table column it shows (or, for a column computed by an expression,
that expression, which can be read but not written), and the view's WHERE is
added to UPDATE and DELETE, so only rows the view shows change. The rewritten
statement then runs as any DML on the table, history included.

Oracle's errors where a view cannot take the change: ORA-01732 (the view's query
is not of that form), ORA-01779 / ORA-01752 (a join: heliosql writes through no
join view), ORA-01733 (a column computed by an expression), ORA-01402 (WITH
CHECK OPTION: a row written would not be shown by the view), ORA-42399 (WITH
READ ONLY), ORA-00904 (a name the view does not show).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, is_dataclass, replace
from functools import cache
from typing import Any

import duckdb

from heliosql.parser import parse_one
from heliosql.plan import ddl, statements
from heliosql.plan.expressions import (
    Binary,
    BinaryOp,
    Case,
    Column,
    FunctionCall,
    Literal,
    Star,
    WhenClause,
)
from heliosql.plan.relations import Join, Query, Select, SelectItem, TableRef
from heliosql.plan.walk import field_names, walk
from heliosql.result import Result
from heliosql.storage import TemporalEngine
from heliosql.storage.catalog import ViewInfo
from heliosql.storage.errors import NoSuchColumn, NoSuchTable, NotSupportedError, ProgrammingError

# Names a statement may use that are no column of the view.
_PSEUDOCOLUMNS = {"rownum", "ora_rowscn", "level"}
_CHECK = "__helios_check"  # the RETURNING column that tests WITH CHECK OPTION (NULL)


@dataclass(frozen=True, slots=True)
class ViewTarget:
    """Where DML through a view goes: its table, under the name ``alias``; each view
    column's expression over the table, by lower-case name; the rows the view shows
    (``where``) and the rows WITH CHECK OPTION lets be written (``check``)."""

    view: str
    table: str
    alias: str
    names: tuple[str | None, ...]  # the view's columns in order (None: not named)
    columns: dict[str, Any]
    where: Any
    check: Any

    def writable(self, name: str) -> str:
        """The table column behind view column ``name``; ORA-01733 if it is computed."""
        expr = self.columns.get(name.lower())
        if expr is None:
            raise NoSuchColumn(f"{name}: invalid identifier (view {self.view!r} has no such "
                               "column)", name=name)
        if not isinstance(expr, Column):
            raise ProgrammingError(f"virtual column not allowed here: {self.view}.{name} is "
                                   "computed by an expression", code="ORA-01733")
        return expr.name


def _and(*conditions: Any) -> Any:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    result = present[0]
    for condition in present[1:]:
        result = Binary(BinaryOp.AND, result, condition)
    return result


def substitute(node: Any, columns: dict[str, Any], qualifiers: Iterable[str], owner: str,
               depth: int = 0) -> Any:
    """``node`` with every reference to a column of ``owner`` replaced by its expression:
    a reference qualified by one of ``qualifiers``, or unqualified outside subqueries.
    Such a reference to a name ``owner`` does not have is ORA-00904."""
    qualifiers = {q.lower() for q in qualifiers}

    def visit(item: Any, level: int) -> Any:
        if isinstance(item, Column):
            ours = (item.qualifier[-1].lower() in qualifiers if item.qualifier
                    else level == 0 and item.name.lower() not in _PSEUDOCOLUMNS)
            if not ours:
                return item
            found = columns.get(item.name.lower())
            if found is None:
                raise NoSuchColumn(f"{item.name}: invalid identifier ({owner!r} has no such "
                                   "column)", name=item.name,
                                   position=item.span.start if item.span else None)
            return found
        if isinstance(item, tuple):
            return tuple(visit(i, level) for i in item)
        if not is_dataclass(item) or isinstance(item, type):
            return item
        inner = level + 1 if isinstance(item, Query) else level
        changes = {}
        for name in field_names(type(item)):
            value = getattr(item, name)
            new = visit(value, inner)
            if new is not value:
                changes[name] = new
        return replace(item, **changes) if changes else item

    return visit(node, depth)


@cache
def _aggregate_names() -> frozenset[str]:
    """DuckDB's aggregate functions (Oracle's names compile to them), and LISTAGG."""
    with duckdb.connect() as con:
        rows = con.execute("SELECT DISTINCT lower(function_name) FROM duckdb_functions() "
                           "WHERE function_type = 'aggregate'").fetchall()
    return frozenset(name for (name,) in rows) | {"listagg"}


def _aggregates(items: Iterable[SelectItem]) -> bool:
    """Whether a select list computes an aggregate or a window function."""
    names = _aggregate_names()
    for node in walk(tuple(items), stop=lambda n: isinstance(n, Query)):
        if isinstance(node, FunctionCall) and (
                node.over is not None or node.star or node.within_group
                or node.name[-1].lower() in names):
            return True
    return False


def _refuse(view: str, why: str, code: str = "ORA-01732") -> ProgrammingError:
    messages = {
        "ORA-01732": "data manipulation operation not legal on this view",
        "ORA-01779": "cannot modify a column which maps to a non key-preserved table",
        "ORA-01752": "cannot delete from view without exactly one key-preserved table",
    }
    return ProgrammingError(f"{messages[code]}: view {view!r} {why}", code=code)


def resolve(engine: TemporalEngine, view: ViewInfo, operation: str, depth: int = 0
            ) -> ViewTarget:
    """Where ``operation`` (INSERT, UPDATE or DELETE) through ``view`` writes."""
    if depth > 32:
        raise ProgrammingError(f"view {view.name!r} refers to itself")
    definition = parse_one(view.query)
    assert isinstance(definition, ddl.CreateView)
    if definition.read_only:
        raise ProgrammingError(f"cannot perform a DML operation on a read-only view: "
                               f"{view.name}", code="ORA-42399")
    query, body = definition.query, definition.query.body
    if query.with_ is not None or query.limit is not None or not isinstance(body, Select):
        raise _refuse(view.name, "is not a single query block without WITH or FETCH")
    if body.distinct or body.group_by or body.having is not None or body.windows:
        raise _refuse(view.name, "has DISTINCT, GROUP BY or HAVING")
    if _aggregates(body.items):
        raise _refuse(view.name, "computes aggregates or window functions")
    if body.where is not None and any(isinstance(n, Column) and n.name.lower() == "rownum"
                                      and not n.qualifier for n in walk(body.where)):
        raise _refuse(view.name, "limits its rows with ROWNUM")
    if len(body.from_) != 1 or isinstance(body.from_[0], Join):
        raise _refuse(view.name, "joins tables",
                      "ORA-01752" if operation == "DELETE" else "ORA-01779")
    if not isinstance(body.from_[0], TableRef):
        raise _refuse(view.name, "reads a subquery or a table function")
    ref = body.from_[0]
    if ref.temporal is not None:
        raise _refuse(view.name, "reads its table at another time (a flashback query)")
    inner, qualifiers = _source(engine, ref, operation, depth)
    shown = _view_columns(definition, body, inner, qualifiers)
    where = _and(inner.where, substitute(body.where, inner.columns, qualifiers, inner.view))
    return ViewTarget(view.name, inner.table, inner.alias, tuple(n for n, _ in shown),
                      {n.lower(): e for n, e in shown if n is not None}, where,
                      where if definition.check_option else inner.check)


def _source(engine: TemporalEngine, ref: TableRef, operation: str, depth: int
            ) -> tuple[ViewTarget, set[str]]:
    """The table (or view) a view reads, as a target, and the names it is qualified by."""
    name = ref.name[-1]
    qualifiers = {ref.alias or name}
    inner_view = engine.find_view(name) if len(ref.name) == 1 else None
    if inner_view is not None:
        return resolve(engine, inner_view, operation, depth + 1), qualifiers
    try:
        info = engine.table_info(name)
    except NoSuchTable as exc:  # as a query of the view would say
        raise ProgrammingError(f"view has errors: {exc.message}", code="ORA-04063") from None
    alias = ref.alias or info.name
    columns = {c.name.lower(): Column(c.name, (alias,)) for c in info.columns}
    names = tuple(c.name for c in info.columns)
    return ViewTarget(info.name, info.name, alias, names, columns, None, None), qualifiers | {
        info.name}


def _view_columns(definition: ddl.CreateView, body: Select, inner: ViewTarget,
                  qualifiers: set[str]) -> list[tuple[str | None, Any]]:
    """The view's columns in order: each name (None for an expression without an alias)
    and its expression over the table."""
    shown: list[tuple[str | None, Any]] = []
    for item in body.items:
        if isinstance(item.expr, Star):
            if item.expr.qualifier and item.expr.qualifier[-1].lower() not in {
                    q.lower() for q in qualifiers}:
                raise _refuse(inner.view, "shows the columns of an unknown table")
            shown += [(n, inner.columns[n.lower()]) for n in inner.names if n is not None]
            continue
        name = item.alias or (item.expr.name if isinstance(item.expr, Column) else None)
        shown.append((name, substitute(item.expr, inner.columns, qualifiers, inner.view)))
    if definition.columns:
        shown = [(n, e) for n, (_, e) in zip(definition.columns, shown, strict=False)]
    return shown


DmlStatement = statements.Insert | statements.Update | statements.Delete
_OPERATIONS = {statements.Insert: "INSERT", statements.Update: "UPDATE",
               statements.Delete: "DELETE"}


def _distinct(names: tuple[str, ...], view: str) -> tuple[str, ...]:
    if len({n.lower() for n in names}) != len(names):
        raise ProgrammingError(f"duplicate column name: two columns written through view "
                               f"{view!r} are one column of its table", code="ORA-00957")
    return names


def rewrite(engine: TemporalEngine, statement: DmlStatement) -> tuple[DmlStatement, Any]:
    """``statement`` (DML on a view) rewritten onto the view's table, and the condition
    every row it writes must meet (WITH CHECK OPTION; None when there is none)."""
    operation = _OPERATIONS[type(statement)]
    ref = statement.table
    view = engine.find_view(ref.name[-1])
    assert view is not None
    target = resolve(engine, view, operation)
    qualifiers = {ref.alias or view.name}
    table = TableRef((target.table,), alias=target.alias, span=ref.span)

    def over(node: Any) -> Any:  # the statement's names of view columns, as the table's
        return substitute(node, target.columns, qualifiers, view.name)

    returning = tuple(item for entry in statement.returning
                      for item in _returned(entry, target, over))
    if isinstance(statement, statements.Delete):
        return replace(statement, table=table, where=_and(over(statement.where), target.where),
                       returning=returning), None
    if isinstance(statement, statements.Update):
        assignments = tuple(
            replace(a, columns=tuple(target.writable(c) for c in a.columns), value=over(a.value))
            for a in statement.assignments)
        _distinct(tuple(c for a in assignments for c in a.columns), view.name)
        return replace(statement, table=table, assignments=assignments, returning=returning,
                       where=_and(over(statement.where), target.where)), target.check
    if statement.on_conflict is not None:
        raise NotSupportedError("INSERT ... ON CONFLICT through a view is not supported; "
                                f"insert into its table {target.table!r}")
    written = statement.columns or target.names
    if any(n is None for n in written):
        raise ProgrammingError(f"virtual column not allowed here: view {view.name!r} has a "
                               "column computed by an expression; name the columns to insert",
                               code="ORA-01733")
    columns = _distinct(tuple(target.writable(n) for n in written if n is not None), view.name)
    # An INSERT names its table by no alias: its RETURNING reads the columns unqualified.
    plain = {c.name.lower(): Column(c.name) for c in engine.table_info(target.table).columns}
    bare = lambda node: substitute(node, plain, {target.alias}, target.table)  # noqa: E731
    return (replace(statement, table=table, columns=columns, returning=bare(returning)),
            bare(target.check))


def _returned(item: SelectItem, target: ViewTarget, over: Callable[[Any], Any]
              ) -> tuple[SelectItem, ...]:
    """A RETURNING item over the view as items over the table, named as the view names."""
    if isinstance(item.expr, Star):
        return tuple(SelectItem(target.columns[n.lower()], alias=n)
                     for n in target.names if n is not None)
    alias = item.alias or (item.expr.name if isinstance(item.expr, Column) else None)
    return (SelectItem(over(item.expr), alias=alias, span=item.span),)


def run_through_view(session: Any, statement: DmlStatement, params: Any,
                     handler: Callable[..., Result]) -> Result:
    """Run DML on a view as ``handler`` runs it on the view's table. With WITH CHECK
    OPTION, a RETURNING column makes DuckDB raise ORA-01402 at a written row the view
    would not show, which undoes the statement."""
    rewritten, check = rewrite(session.engine, statement)
    if check is None:
        return handler(session, rewritten, params)
    view = statement.table.name[-1]
    violation = FunctionCall(("error",), (Literal(
        f"ORA-01402: view WITH CHECK OPTION where-clause violation: a row written through "
        f"{view!r} would not be in it"),))
    test = Case(None, (WhenClause(check, Literal(None)),), violation)
    result = handler(session, replace(rewritten, returning=(*rewritten.returning,
                                                            SelectItem(test, _CHECK))), params)
    rows = result.rows or []
    if not statement.returning:
        return Result(rowcount=len(rows))
    description = result.description[:-1] if result.description else None
    return Result(description, [row[:-1] for row in rows], len(rows))
