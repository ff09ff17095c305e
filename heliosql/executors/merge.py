"""MERGE: the source compiled as a query, the clauses as SQL over both aliases, handed
to the storage engine, which matches, checks and writes set-based (storage/merge.py)."""

from __future__ import annotations

import re

from heliosql.compile import Compilation, Params, mentioned_pseudocolumns
from heliosql.compiler.sequences import row_number
from heliosql.executors.common import assigned_values, dml_target, position, written_value
from heliosql.executors.sequences import GeneratedColumns, drawing, refuse_always_update
from heliosql.plan import statements
from heliosql.plan.expressions import Column, DefaultValue, Star
from heliosql.plan.relations import (
    Query,
    Select,
    SelectItem,
    SubqueryRef,
    TableFunctionRef,
    TableRef,
)
from heliosql.plan.temporal import AsOf, SystemTimeAsOf, TransactionVersions, Versions
from heliosql.plan.walk import walk
from heliosql.result import Result
from heliosql.session import Session
from heliosql.sources import ORA_ROWSCN, VERSIONS_COLUMNS
from heliosql.storage import Batch, MergeSpec, TableInfo, WhenMatched, WhenNotMatched
from heliosql.storage.errors import ProgrammingError

_SOURCE = "__merge_source"  # the alias of a source written without one


def run_Merge(session: Session, stmt: statements.Merge, params: Params) -> Result:
    info = session.engine.table_info(dml_target(stmt.target))
    compilation = session.compilation(stmt, params)
    spec = merge_spec(stmt, info, compilation)
    return Result(rowcount=run_merge(session, info, spec, compilation))


def merge_spec(stmt: statements.Merge, info: TableInfo, compilation: Compilation,
               source_sql: str | None = None) -> MergeSpec:
    """The storage engine's MERGE for ``stmt``; ``source_sql`` replaces the source's SQL."""
    target = stmt.target.alias or info.name
    _check_columns(stmt, info, target)
    source = _source_alias(stmt.source)
    if source_sql is None:
        pseudo = _source_pseudocolumns(stmt.source, mentioned_pseudocolumns(stmt))
        items = (SelectItem(Star()), *(SelectItem(Column(p, (source,))) for p in pseudo))
        source_sql = compilation.query(Query(Select(items, (stmt.source,))))
    compilation.sources.note_columns(info)  # `t.d + 1` on a target DATE column adds days
    clauses = tuple(_clause(compilation, action, info) for action in stmt.actions)
    return MergeSpec(source_sql, compilation.expression(stmt.on), clauses, source, target)


def run_merge(session: Session, info: TableInfo, spec: MergeSpec, compilation: Compilation,
              batch: Batch | None = None) -> int:
    """Run a MERGE compiled by ``compilation``; the number of rows it changed."""
    try:
        with drawing(session, compilation, writes=True) as draw:
            return session.engine.merge(info.name, spec, draw.params, batch=batch,
                                        counted=draw.counted).rowcount
    except ProgrammingError as exc:
        if exc.code == "ORA-00918" and spec.source_alias == _SOURCE:
            # A name DuckDB suggests may be ours, which the user cannot write: an alias
            # for the subquery is the way to name its columns.
            message = re.sub(rf" or {_SOURCE}\.\w+|{_SOURCE}\.\w+ or ", "", exc.message)
            exc.message = message.removesuffix(")") + ", or give the USING subquery an alias)"
            exc.args = (exc.message,)
        raise


def _source_alias(source: object) -> str:
    """The name the statement uses for the source (unqualified names for a bare subquery)."""
    if isinstance(source, TableRef | TableFunctionRef):
        return source.alias or source.name[-1]
    if isinstance(source, SubqueryRef) and source.alias:
        return source.alias
    return _SOURCE


def _source_pseudocolumns(source: object, wanted: frozenset[str]) -> tuple[str, ...]:
    """The pseudocolumns the statement mentions that a table source provides (``*``
    leaves them out): ``v.versions_operation`` of ``USING t VERSIONS BETWEEN ... v``."""
    if not isinstance(source, TableRef):
        return ()
    if isinstance(source.temporal, Versions | TransactionVersions):
        return tuple(c for c in VERSIONS_COLUMNS if c in wanted)
    if source.temporal is None or isinstance(source.temporal, AsOf | SystemTimeAsOf):
        return (ORA_ROWSCN,) if ORA_ROWSCN in wanted else ()
    return ()


def _target_columns(exprs: tuple[object, ...], target: str,
                    names: set[str] | None) -> list[Column]:
    """The column references in ``exprs`` that name the target: qualified by its name
    or alias, or, when ``names`` (its lower-case columns) is given, unqualified with
    one of those names. Inside a subquery only qualified references count (an
    unqualified name may be the subquery's own), and none at all where the
    subquery reads a relation under the target's name."""
    wanted = target.lower()
    found: list[Column] = []

    def visit(expr: object, names: set[str] | None) -> None:
        for node in walk(expr, stop=lambda n: isinstance(n, Query) and n is not expr):
            if isinstance(node, Query) and node is not expr:
                if not _names_relation(node, wanted):
                    visit(node, None)
            elif isinstance(node, Column):
                if node.qualifier:
                    if node.qualifier[-1].lower() == wanted:
                        found.append(node)
                elif names is not None and node.name.lower() in names:
                    found.append(node)

    for expr in exprs:
        visit(expr, names)
    return found


def _names_relation(query: Query, name: str) -> bool:
    """Whether ``query`` (or a query inside it) reads a relation called ``name``."""
    for node in walk(query):
        if isinstance(node, TableRef | TableFunctionRef):
            if (node.alias or node.name[-1]).lower() == name:
                return True
        elif isinstance(node, SubqueryRef) and (node.alias or "").lower() == name:
            return True
    return False


def _check_columns(stmt: statements.Merge, info: TableInfo, target: str) -> None:
    """ORA-38104: a column the ON clause reads cannot be SET (a row could stop or start
    matching halfway through the statement). ORA-38101: an INSERT clause cannot read
    the target (there is no target row)."""
    names = {c.lower() for c in info.column_names}
    read = {c.name.lower() for c in _target_columns((stmt.on,), target, names)}
    for action in stmt.actions:
        if isinstance(action, statements.MergeUpdate):
            for assignment in action.assignments:
                clash = [c for c in assignment.columns if c.lower() in read]
                if clash:
                    raise ProgrammingError(
                        f"columns referenced in the ON clause cannot be updated: "
                        f"{target}.{clash[0]}", code="ORA-38104",
                        position=position(assignment.value))
        elif isinstance(action, statements.MergeInsert):
            wrong = _target_columns((*action.values, action.condition, action.where), target,
                                    None)
            if wrong:
                raise ProgrammingError(
                    f"invalid column in the INSERT VALUES clause: {target}.{wrong[0].name}",
                    code="ORA-38101", position=position(wrong[0]))


def _both(compilation: Compilation, first: object, second: object) -> str | None:
    """SQL for ``first AND second``, either of which may be absent."""
    parts = [f"({compilation.expression(e)})" for e in (first, second) if e is not None]
    return " AND ".join(parts) or None


def _clause(compilation: Compilation, action: statements.MergeAction,
            info: TableInfo) -> WhenMatched | WhenNotMatched:
    if isinstance(action, statements.MergeDelete):
        return WhenMatched(condition=_both(compilation, action.condition, None))
    if isinstance(action, statements.MergeUpdate):
        assignments: dict[str, str] = {}
        for assignment in action.assignments:
            refuse_always_update(compilation, info, assignment.columns,
                                 position(assignment.value))
            with compilation.sequences.numbered(row_number()):
                values = assigned_values(compilation, info, assignment)
            for column, sql in values.items():
                if column.lower() in {c.lower() for c in assignments}:
                    raise ProgrammingError(f"duplicate column name {column!r} in SET",
                                           code="ORA-00957", position=position(assignment.value))
                assignments[column] = sql
        delete_where = (compilation.expression(action.delete_where)
                        if action.delete_where is not None else None)
        # Oracle's UPDATE ... WHERE: a row failing it is matched but not updated.
        return WhenMatched(assignments, _both(compilation, action.condition, action.where),
                           delete_where)
    columns = action.columns or info.column_names
    if len(columns) != len(action.values):
        too_many = len(action.values) > len(columns)
        raise ProgrammingError(
            f"INSERT of MERGE gives {len(action.values)} values for {len(columns)} columns",
            code="ORA-00913" if too_many else "ORA-00947", position=position(action.values[0]))
    GeneratedColumns(compilation, info, list(columns)).check_given(action.values, None)
    # DEFAULT: leave the column out, so the table's default fills it (or, for a
    # sequence's NEXTVAL, the source row's number).
    given = [(c, v) for c, v in zip(columns, action.values, strict=True)
             if not isinstance(v, DefaultValue)]
    generated = GeneratedColumns(compilation, info, [c for c, _ in given])
    with compilation.sequences.numbered(row_number()):
        values = generated.values([written_value(compilation, info, c, v) for c, v in given])
    return WhenNotMatched(tuple(generated.all_columns()), tuple(values),
                          _both(compilation, action.condition, action.where))
