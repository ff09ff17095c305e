"""INSERT, UPDATE, DELETE and upserts: compiled expressions handed to the storage engine."""

from __future__ import annotations

from typing import Any

from sqlglot import exp

from heliosql.bind_values import value_error
from heliosql.compile import Compilation, Params
from heliosql.compiler.sequences import updated_row_number
from heliosql.executors.batch import parameter_array, parameter_columns
from heliosql.executors.common import assigned_values, dml_target, position, written_value
from heliosql.executors.sequences import GeneratedColumns, drawing, refuse_always_update
from heliosql.plan import statements
from heliosql.plan.expressions import Column as ColumnRef
from heliosql.plan.expressions import Star
from heliosql.result import Result
from heliosql.session import ParameterSets, Session
from heliosql.storage.dml import NUMBERED
from heliosql.storage.errors import NotSupportedError, ProgrammingError
from heliosql.storage.sqltext import quote_ident
from heliosql.updatable_views import rewrite, run_through_view


def _returning(compilation: Any, items: tuple, info: Any, names: tuple[str, ...]
               ) -> str | None:
    """SQL for a RETURNING list; ``*`` means the user columns. ``names`` are the table's
    name and alias: a qualifier naming them is dropped (INSERT has no alias in DuckDB)."""
    if not items:
        return None
    parts = []
    lowered = {n.lower() for n in names}
    for item in items:
        if isinstance(item.expr, Star):
            parts += [quote_ident(c) for c in info.column_names]
            continue
        expr = item.expr
        if isinstance(expr, ColumnRef) and expr.qualifier and expr.qualifier[-1].lower() in lowered:
            expr = ColumnRef(expr.name)
        alias = item.alias or (expr.name if isinstance(expr, ColumnRef) else item.heading)
        sql = compilation.expression(expr)
        parts.append(f"{sql} AS {quote_ident(alias)}" if alias else sql)
    return ", ".join(parts)


def _returned(result: Any) -> Result:
    """A statement result from storage's count or RETURNING rows."""
    if isinstance(result, int):
        return Result(rowcount=result)
    description = [(n, t, None, None, None, None, None)
                   for n, t in zip(result.columns, result.types, strict=True)]
    return Result(description, result.rows, len(result.rows))


def run_Insert(session: Session, stmt: statements.Insert, params: Params) -> Result:
    if session.engine.find_view(dml_target(stmt.table)) is not None:
        return run_through_view(session, stmt, params, run_Insert)
    if stmt.returning and stmt.on_conflict is not None:
        raise NotSupportedError("RETURNING with ON CONFLICT is not supported yet",
                                position=position(stmt))
    engine = session.engine
    info = engine.table_info(dml_target(stmt.table))
    conflict = stmt.on_conflict
    if conflict is None:
        def build(compilation: Compilation) -> tuple[str, list[str], str | None]:
            select, columns = _insert_source(compilation, stmt, info)
            returning = _returning(compilation, stmt.returning, info,
                                   (info.name, stmt.table.alias or info.name))
            return select, columns, returning

        (select, columns, returning), bound, compilation = session.compiled_dml(
            stmt, params, build)
        if compilation is None or not compilation.sequences.drawn:
            return _returned(engine.insert_select(info.name, select, columns, bound,
                                                  returning=returning))
        with drawing(session, compilation, writes=True) as draw:
            return _returned(engine.insert_select(info.name, select, columns, draw.params,
                                                  returning=returning, counted=draw.counted))
    compilation = session.compilation(stmt, params)
    select, columns = _insert_source(compilation, stmt, info)
    if compilation.sequences.drawn:
        raise NotSupportedError("ON CONFLICT cannot draw sequence numbers; use MERGE",
                                position=position(stmt))
    alias = stmt.table.alias or info.name  # unqualified names in DO UPDATE mean the table
    assignments: dict[str, str] = {}
    for assignment in conflict.assignments:
        assignments.update(assigned_values(compilation, info, assignment, qualify=alias))
    where = (compilation.expression(conflict.where, qualify=alias)
             if conflict.where is not None else None)
    result = engine.upsert_select(info.name, select, columns, compilation.bound_params(),
                                  keys=conflict.columns, assignments=assignments, where=where,
                                  alias=alias)
    return Result(rowcount=result.updated + result.inserted)


def _insert_source(compilation: Compilation, stmt: statements.Insert, info: Any
                   ) -> tuple[str, list[str]]:
    """The SELECT that gives an INSERT's rows (its VALUES rows, or its query) and the
    columns it writes, sequence-generated columns included."""
    columns = list(stmt.columns) or list(info.column_names)
    generated = GeneratedColumns(compilation, info, columns)
    if isinstance(stmt.source, statements.InsertValues):
        width = len(stmt.source.rows[0])
        if width != len(columns):
            raise ProgrammingError(f"INSERT gives {width} values for {len(columns)} columns",
                                   code="ORA-00913" if width > len(columns) else "ORA-00947",
                                   position=position(stmt))
        rows = []
        for number, row in enumerate(stmt.source.rows, 1):
            generated.check_given(row, position(stmt))
            with compilation.sequences.numbered(exp.Literal.number(number)):
                rows.append("(" + ", ".join(generated.values([
                    written_value(compilation, info, c, v)
                    for c, v in zip(columns, row, strict=True)])) + ")")
        select = f"SELECT * FROM (VALUES {', '.join(rows)})"
    else:
        generated.check_given(None, position(stmt))
        select = compilation.query(stmt.source, numbered=True)
        if generated.any:
            select = generated.query(select)
    return select, generated.all_columns()


def bulk_insert(session: Session, stmt: statements.Insert, values: list[Any],
                seq_of_params: ParameterSets) -> Result:
    """``executemany`` of ``INSERT ... VALUES (:a, :b)``: one Arrow table, one INSERT."""
    import pyarrow as pa

    if session.engine.find_view(dml_target(stmt.table)) is not None:
        into_table, check = rewrite(session.engine, stmt)
        if check is not None:  # WITH CHECK OPTION tests the rows of each set
            return session._run_each(run_Insert, stmt, seq_of_params)
        stmt = into_table
    info = session.engine.table_info(dml_target(stmt.table))
    columns = list(stmt.columns) or list(info.column_names)
    if len(values) != len(columns):
        raise ProgrammingError(f"INSERT gives {len(values)} values for {len(columns)} columns",
                               position=position(stmt))
    compilation = session.compilation(stmt, None)
    names = [compilation.queries.expressions.compile(v).name for v in values]
    try:
        arrays = parameter_columns(names, seq_of_params)
    except (KeyError, IndexError) as exc:
        raise ProgrammingError(f"a parameter set lacks a value: {exc}") from exc
    try:
        table = pa.table({c: parameter_array(a) for c, a in zip(columns, arrays, strict=True)})
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, UnicodeEncodeError) as exc:
        for name, array in zip(names, arrays, strict=True):
            for number, value in enumerate(array, 1):
                if (error := value_error(name.lstrip("p"), value)) is not None:
                    error.message += f" (parameter set {number} of {len(array)})"
                    raise error from None
        raise ProgrammingError(f"executemany parameters do not form columns: {exc}") from None
    generated = GeneratedColumns(compilation, info, columns)
    generated.check_given(values, position(stmt))
    if generated.any:
        table = generated.table(session, table)
    count = session.engine.insert_batch(info.name, table)
    return Result(rowcount=count)


def run_Update(session: Session, stmt: statements.Update, params: Params) -> Result:
    if session.engine.find_view(dml_target(stmt.table)) is not None:
        return run_through_view(session, stmt, params, run_Update)
    if stmt.from_:
        raise NotSupportedError("UPDATE ... FROM is not supported yet (Oracle has no such "
                                "form either); use a correlated subquery",
                                position=position(stmt))
    name = dml_target(stmt.table)
    info = session.engine.table_info(name)
    alias = stmt.table.alias or name

    def build(compilation: Compilation) -> tuple[dict[str, str], str | None, str | None]:
        assignments: dict[str, str] = {}
        # A SET value drawing sequence numbers reads the number the update gives its row.
        with compilation.sequences.numbered(updated_row_number(NUMBERED, alias)):
            for assignment in stmt.assignments:
                refuse_always_update(compilation, info, assignment.columns,
                                     position(assignment.value))
                assignments.update(assigned_values(compilation, info, assignment))
        where = (compilation.expression(stmt.where, rowscn_of=alias)
                 if stmt.where is not None else None)
        return assignments, where, _returning(compilation, stmt.returning, info, ())

    (assignments, where, returning), bound, compilation = session.compiled_dml(
        stmt, params, build)
    if compilation is None or not compilation.sequences.drawn:
        return _returned(session.engine.update_where(
            name, assignments, where, bound, alias=alias, returning=returning))
    with drawing(session, compilation, writes=True) as draw:
        return _returned(session.engine.update_where(
            name, assignments, where, draw.params, alias=alias, returning=returning,
            counted=draw.counted))


def run_Delete(session: Session, stmt: statements.Delete, params: Params) -> Result:
    name = dml_target(stmt.table)
    if session.engine.find_view(name) is not None:
        return run_through_view(session, stmt, params, run_Delete)
    info = session.engine.table_info(name)
    alias = stmt.table.alias or name

    def build(compilation: Compilation) -> tuple[str | None, str | None]:
        where = (compilation.expression(stmt.where, rowscn_of=alias)
                 if stmt.where is not None else None)
        return where, _returning(compilation, stmt.returning, info, ())

    (where, returning), bound, _ = session.compiled_dml(stmt, params, build)
    return _returned(session.engine.delete_where(
        name, where, bound, alias=alias, returning=returning))
