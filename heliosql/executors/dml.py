"""INSERT, UPDATE, DELETE and upserts: compiled expressions handed to the storage engine."""

from __future__ import annotations

from typing import Any

from heliosql.bind_values import value_error
from heliosql.compile import Params
from heliosql.executors.common import assigned_values, dml_target, position, written_value
from heliosql.plan import statements
from heliosql.plan.expressions import Column as ColumnRef
from heliosql.plan.expressions import Star
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.errors import NotSupportedError, ProgrammingError
from heliosql.storage.sqltext import quote_ident


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
        alias = item.alias or (expr.name if isinstance(expr, ColumnRef) else None)
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
    if stmt.returning and stmt.on_conflict is not None:
        raise NotSupportedError("RETURNING with ON CONFLICT is not supported yet",
                                position=position(stmt))
    engine = session.engine
    info = engine.table_info(dml_target(stmt.table))
    columns = list(stmt.columns) or list(info.column_names)
    compilation = session.compilation(stmt, params)
    if isinstance(stmt.source, statements.InsertValues):
        width = len(stmt.source.rows[0])
        if width != len(columns):
            raise ProgrammingError(f"INSERT gives {width} values for {len(columns)} columns",
                                   code="ORA-00913" if width > len(columns) else "ORA-00947",
                                   position=position(stmt))
        rows = ", ".join(
            "(" + ", ".join(written_value(compilation, info, c, v)
                            for c, v in zip(columns, row, strict=True)) + ")"
            for row in stmt.source.rows
        )
        select = f"SELECT * FROM (VALUES {rows})"
    else:
        select = compilation.query(stmt.source)
    conflict = stmt.on_conflict
    if conflict is None:
        returning = _returning(compilation, stmt.returning, info,
                               (info.name, stmt.table.alias or info.name))
        return _returned(engine.insert_select(info.name, select, columns,
                                              compilation.bound_params(), returning=returning))
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


def bulk_insert(session: Session, stmt: statements.Insert, values: list[Any],
                    seq_of_params: list[Params]) -> Result:
    """``executemany`` of ``INSERT ... VALUES (:a, :b)``: one Arrow table, one INSERT."""
    import pyarrow as pa

    info = session.engine.table_info(dml_target(stmt.table))
    columns = list(stmt.columns) or list(info.column_names)
    if len(values) != len(columns):
        raise ProgrammingError(f"INSERT gives {len(values)} values for {len(columns)} columns",
                               position=position(stmt))
    compilation = session.compilation(stmt, None)
    names = [compilation.queries.expressions.compile(v).name for v in values]
    first = seq_of_params[0]
    if isinstance(first, dict):
        lowered = [{str(k).lower().lstrip(":"): v for k, v in p.items()} for p in seq_of_params]
        arrays = [[p[n.lower()] if n.lower() in p else p[n[1:]] for p in lowered]
                  for n in names]
    else:
        positions = [int(n[1:]) - 1 for n in names]
        arrays = [[p[i] for p in seq_of_params] for i in positions]
    try:
        table = pa.table({c: _column(a) for c, a in zip(columns, arrays, strict=True)})
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, UnicodeEncodeError) as exc:
        for name, array in zip(names, arrays, strict=True):
            for number, value in enumerate(array, 1):
                if (error := value_error(name.lstrip("p"), value)) is not None:
                    error.message += f" (parameter set {number} of {len(array)})"
                    raise error from None
        raise ProgrammingError(f"executemany parameters do not form columns: {exc}") from None
    except (KeyError, IndexError) as exc:
        raise ProgrammingError(f"a parameter set lacks a value: {exc}") from exc
    count = session.engine.insert_batch(info.name, table)
    return Result(rowcount=count)


def _column(values: list[Any]) -> Any:
    """One column of parameter values as Arrow, '' made NULL (Oracle stores NULL for it)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values)
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        array = pc.if_else(pc.equal(array, ""), pa.scalar(None, array.type), array)
    return array


def run_Update(session: Session, stmt: statements.Update, params: Params) -> Result:
    if stmt.from_:
        raise NotSupportedError("UPDATE ... FROM is not supported yet (Oracle has no such "
                                "form either); use a correlated subquery",
                                position=position(stmt))
    name = dml_target(stmt.table)
    info = session.engine.table_info(name)
    compilation = session.compilation(stmt, params)
    assignments: dict[str, str] = {}
    for assignment in stmt.assignments:
        assignments.update(assigned_values(compilation, info, assignment))
    where = compilation.expression(stmt.where) if stmt.where is not None else None
    returning = _returning(compilation, stmt.returning, info, ())
    return _returned(session.engine.update_where(
        name, assignments, where, compilation.bound_params(), alias=stmt.table.alias or name,
        returning=returning))


def run_Delete(session: Session, stmt: statements.Delete, params: Params) -> Result:
    name = dml_target(stmt.table)
    compilation = session.compilation(stmt, params)
    where = compilation.expression(stmt.where) if stmt.where is not None else None
    returning = _returning(compilation, stmt.returning, session.engine.table_info(name), ())
    return _returned(session.engine.delete_where(
        name, where, compilation.bound_params(), alias=stmt.table.alias or name,
        returning=returning))
