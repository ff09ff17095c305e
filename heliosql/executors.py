"""Statement handlers: one ``run_<PlanNode>`` function per statement kind.

Queries compile to DuckDB SQL and run on the session's view of the database;
DML and DDL go through the storage engine, which writes history set-based.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heliosql.compile import Params
from heliosql.plan import ddl, statements
from heliosql.plan.expressions import Column as ColumnRef
from heliosql.plan.expressions import Star
from heliosql.plan.relations import TableRef
from heliosql.plan.walk import walk
from heliosql.session import Result, Session
from heliosql.storage import Column, TemporalTable
from heliosql.storage.errors import NotSupportedError, ProgrammingError, TransactionError
from heliosql.storage.sqltext import quote_ident


def _position(node: Any) -> int | None:
    span = getattr(node, "span", None)
    return span.start if span is not None else None


def controls_transaction(fn: Callable[..., Result]) -> Callable[..., Result]:
    """Mark a handler that manages the session's transaction itself."""
    fn.controls_transaction = True  # type: ignore[attr-defined]
    return fn


def _target(ref: TableRef) -> str:
    if ref.temporal is not None:
        raise ProgrammingError("the target of a DML statement cannot have a flashback clause",
                               position=_position(ref.temporal))
    return ref.name[-1]


# --- queries ---------------------------------------------------------------------------------


def _has_flashback(node: Any) -> bool:
    """Whether any table reference under ``node`` carries a flashback clause."""
    return any(isinstance(n, TableRef) and n.temporal is not None for n in walk(node))


def run_QueryStatement(session: Session, stmt: statements.QueryStatement,
                       params: Params) -> Result:
    if stmt.query.for_update:
        if _has_flashback(stmt.query):
            raise ProgrammingError("FOR UPDATE cannot be combined with a flashback clause",
                                   position=_position(stmt))
        # The rows are to be changed: take the write lock now, so no other writer
        # changes anything before this transaction ends.
        assert session.transaction is not None
        session.transaction.begin_write()
    sql, bound = session.compiled_query(stmt, params)
    return session.query(sql, bound)


# --- DML ---------------------------------------------------------------------------------------


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
                                position=_position(stmt))
    engine = session.engine
    info = engine.table_info(_target(stmt.table))
    columns = list(stmt.columns) or list(info.column_names)
    compilation = session.compilation(stmt, params)
    if isinstance(stmt.source, statements.InsertValues):
        rows = ", ".join(
            "(" + ", ".join(compilation.expression(v) for v in row) + ")"
            for row in stmt.source.rows
        )
        width = len(stmt.source.rows[0])
        select = f"SELECT * FROM (VALUES {rows})"
    else:
        select = compilation.query(stmt.source)
        width = None
    if width is not None and width != len(columns):
        raise ProgrammingError(f"INSERT gives {width} values for {len(columns)} columns",
                               code="ORA-00913" if width > len(columns) else "ORA-00947",
                               position=_position(stmt))
    conflict = stmt.on_conflict
    if conflict is None:
        returning = _returning(compilation, stmt.returning, info,
                               (info.name, stmt.table.alias or info.name))
        return _returned(engine.insert_select(info.name, select, columns,
                                              compilation.bound_params(), returning=returning))
    if any(len(a.columns) != 1 for a in conflict.assignments):
        raise NotSupportedError("(a, b) = ... assignments are not supported yet")
    alias = stmt.table.alias or info.name  # unqualified names in DO UPDATE mean the table
    assignments = {a.columns[0]: compilation.expression(a.value, qualify=alias)
                   for a in conflict.assignments}
    where = (compilation.expression(conflict.where, qualify=alias)
             if conflict.where is not None else None)
    result = engine.upsert_select(info.name, select, columns, compilation.bound_params(),
                                  keys=conflict.columns, assignments=assignments, where=where,
                                  alias=alias)
    return Result(rowcount=result.updated + result.inserted)


def run_bulk_insert(session: Session, stmt: statements.Insert, values: list[Any],
                    seq_of_params: list[Params]) -> Result:
    """``executemany`` of ``INSERT ... VALUES (:a, :b)``: one Arrow table, one INSERT."""
    import pyarrow as pa

    info = session.engine.table_info(_target(stmt.table))
    columns = list(stmt.columns) or list(info.column_names)
    if len(values) != len(columns):
        raise ProgrammingError(f"INSERT gives {len(values)} values for {len(columns)} columns",
                               position=_position(stmt))
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
        table = pa.table({c: pa.array(a) for c, a in zip(columns, arrays, strict=True)})
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ProgrammingError(f"executemany parameters do not form columns: {exc}") from exc
    except (KeyError, IndexError) as exc:
        raise ProgrammingError(f"a parameter set lacks a value: {exc}") from exc
    count = session.engine.insert_batch(info.name, table)
    return Result(rowcount=count)


def run_Update(session: Session, stmt: statements.Update, params: Params) -> Result:
    if stmt.from_:
        raise NotSupportedError("UPDATE ... FROM is not supported yet (Oracle has no such "
                                "form either); use a correlated subquery",
                                position=_position(stmt))
    name = _target(stmt.table)
    compilation = session.compilation(stmt, params)
    assignments: dict[str, str] = {}
    for assignment in stmt.assignments:
        if len(assignment.columns) != 1:
            raise NotSupportedError("(a, b) = (subquery) assignments are not supported yet")
        assignments[assignment.columns[0]] = compilation.expression(assignment.value)
    where = compilation.expression(stmt.where) if stmt.where is not None else None
    returning = _returning(compilation, stmt.returning, session.engine.table_info(name), ())
    return _returned(session.engine.update_where(
        name, assignments, where, compilation.bound_params(), alias=stmt.table.alias or name,
        returning=returning))


def run_Delete(session: Session, stmt: statements.Delete, params: Params) -> Result:
    name = _target(stmt.table)
    compilation = session.compilation(stmt, params)
    where = compilation.expression(stmt.where) if stmt.where is not None else None
    returning = _returning(compilation, stmt.returning, session.engine.table_info(name), ())
    return _returned(session.engine.delete_where(
        name, where, compilation.bound_params(), alias=stmt.table.alias or name,
        returning=returning))


# --- DDL ---------------------------------------------------------------------------------------


def _column(session: Session, stmt: Any, col: ddl.ColumnDef) -> Column:
    from heliosql.compiler.types import map_type

    default = None
    if col.default is not None:
        default = session.compilation(stmt, None).expression(col.default)
    return Column(col.name, map_type(col.type), col.nullable and not col.primary_key,
                  default)


def run_CreateTable(session: Session, stmt: ddl.CreateTable, params: Params) -> Result:
    engine = session.engine
    name = stmt.name[-1]
    if stmt.if_not_exists and name.lower() in (t.lower() for t in engine.list_tables()):
        return Result(rowcount=0)
    versioned = not stmt.temporary and stmt.system_versioning is not False
    if stmt.as_query is not None:
        compilation = session.compilation(stmt, params)
        select = compilation.query(stmt.as_query)
        described = session.read_cursor().execute(
            f"DESCRIBE {select}", compilation.bound_params()).fetchall()
        names = list(stmt.column_names) or [row[0] for row in described]
        engine.create_temporal_table(TemporalTable(
            name, [Column(n, row[1]) for n, row in zip(names, described, strict=True)],
            versioned=versioned))
        count = engine.insert_select(name, select, names, compilation.bound_params())
        return Result(rowcount=count)
    primary_key = [c.name for c in stmt.columns if c.primary_key]
    unique: list[tuple[str, ...]] = [(c.name,) for c in stmt.columns if c.unique]
    checks = []
    compilation = session.compilation(stmt, params)
    for col in stmt.columns:
        checks += [compilation.expression(check) for check in col.checks]
    for constraint in stmt.constraints:
        if isinstance(constraint, ddl.PrimaryKeyConstraint):
            primary_key = list(constraint.columns)
        elif isinstance(constraint, ddl.UniqueConstraint):
            unique.append(tuple(constraint.columns))
        elif isinstance(constraint, ddl.CheckConstraint):
            checks.append(compilation.expression(constraint.expr))
    engine.create_temporal_table(TemporalTable(
        name, [_column(session, stmt, c) for c in stmt.columns], primary_key or None,
        unique=unique, checks=checks, versioned=versioned))
    return Result(rowcount=0)


def run_CreateView(session: Session, stmt: ddl.CreateView, params: Params) -> Result:
    span = stmt.span
    if span is None or session.statement_text is None:
        raise NotSupportedError("CREATE VIEW needs the statement text")
    # The whole CREATE VIEW text is kept; each use parses it (cached) and compiles
    # its query under the clause of the reference.
    query = session.statement_text[span.start:span.end]
    session.compilation(stmt, params).query(stmt.query)  # refuse a view that does not compile
    session.engine.create_view(stmt.name[-1], query, stmt.columns, replace=stmt.or_replace)
    return Result(rowcount=0)


def run_DropView(session: Session, stmt: ddl.DropView, params: Params) -> Result:
    if stmt.if_exists and session.engine.find_view(stmt.name[-1]) is None:
        return Result(rowcount=0)
    session.engine.drop_view(stmt.name[-1])
    return Result(rowcount=0)


def run_DropTable(session: Session, stmt: ddl.DropTable, params: Params) -> Result:
    name = stmt.name[-1]
    if stmt.if_exists and name.lower() not in (t.lower() for t in session.engine.list_tables()):
        return Result(rowcount=0)
    session.engine.drop_table(name, purge=stmt.purge)
    return Result(rowcount=0)


def run_Truncate(session: Session, stmt: ddl.Truncate, params: Params) -> Result:
    session.engine.truncate(stmt.name[-1])
    return Result(rowcount=0)


def run_AlterTable(session: Session, stmt: ddl.AlterTable, params: Params) -> Result:
    from heliosql.compiler.types import map_type

    engine = session.engine
    name = stmt.name[-1]
    for action in stmt.actions:
        if isinstance(action, ddl.AddColumn):
            col = action.column
            default = (session.compilation(stmt, None).expression(col.default)
                       if col.default is not None else None)
            engine.add_column(name, col.name, map_type(col.type), default=default,
                              not_null=not col.nullable)
        elif isinstance(action, ddl.DropColumn):
            engine.drop_column(name, action.name)
        elif isinstance(action, ddl.RenameColumn):
            engine.rename_column(name, action.old, action.new)
        elif isinstance(action, ddl.RenameTable):
            engine.rename_table(name, action.new_name[-1])
            name = action.new_name[-1]
        elif isinstance(action, ddl.SetSystemVersioning | ddl.SetRowMovement):
            engine.table_info(name)  # accepted: every table keeps history already
        else:
            raise NotSupportedError(f"ALTER TABLE {type(action).__name__} is not supported yet")
    return Result(rowcount=0)


def run_CreateIndex(session: Session, stmt: ddl.CreateIndex, params: Params) -> Result:
    session.engine.create_index(stmt.table[-1], stmt.name[-1], stmt.columns,
                                unique=stmt.unique, if_not_exists=stmt.if_not_exists)
    return Result(rowcount=0)


def run_DropIndex(session: Session, stmt: ddl.DropIndex, params: Params) -> Result:
    session.engine.drop_index(stmt.name[-1], if_exists=stmt.if_exists)
    return Result(rowcount=0)


# --- transactions ------------------------------------------------------------------------------


@controls_transaction
def run_Begin(session: Session, stmt: statements.Begin, params: Params) -> Result:
    if session.in_transaction:
        raise TransactionError("a transaction is already open; COMMIT or ROLLBACK it first")
    session.explicit = True
    session._tx()
    return Result()


@controls_transaction
def run_Commit(session: Session, stmt: statements.Commit, params: Params) -> Result:
    session.commit()
    return Result()


@controls_transaction
def run_Rollback(session: Session, stmt: statements.Rollback, params: Params) -> Result:
    if stmt.savepoint is not None:
        raise NotSupportedError("savepoints are not supported: DuckDB has none; "
                                "ROLLBACK undoes the whole transaction")
    session.rollback()
    return Result()


@controls_transaction
def run_Savepoint(session: Session, stmt: statements.Savepoint, params: Params) -> Result:
    raise NotSupportedError("savepoints are not supported: DuckDB has none",
                            position=_position(stmt))


@controls_transaction
def run_SetTransaction(session: Session, stmt: statements.SetTransaction,
                       params: Params) -> Result:
    if session.transaction is not None and session.transaction.writing:
        raise TransactionError("SET TRANSACTION must be the first statement of a transaction")
    session.transaction_name = stmt.name
    if session.transaction is not None:
        session.transaction.name = stmt.name
    return Result()


# --- utility -----------------------------------------------------------------------------------


def run_ShowTables(session: Session, stmt: statements.ShowTables, params: Params) -> Result:
    rows = [(name,) for name in session.engine.list_tables()]
    return Result([("name", "VARCHAR", None, None, None, None, None)], rows, len(rows))


def run_Describe(session: Session, stmt: statements.Describe, params: Params) -> Result:
    info = session.engine.table_info(stmt.table[-1])
    keys = {k.lower() for k in info.key_columns}
    rows = [(c.name, c.type, "NO" if c.not_null else "YES",
             "PRI" if c.name.lower() in keys else None, c.default) for c in info.columns]
    description = [(n, "VARCHAR", None, None, None, None, None)
                   for n in ("column_name", "column_type", "null", "key", "default")]
    return Result(description, rows, len(rows))


def run_Explain(session: Session, stmt: statements.Explain, params: Params) -> Result:
    inner = stmt.statement
    if not isinstance(inner, statements.QueryStatement):
        raise NotSupportedError("EXPLAIN is supported for queries only")
    compilation = session.compilation(inner, params)
    sql = compilation.query(inner.query)
    lines = ["-- logical plan", repr(inner.query), "-- DuckDB SQL", sql]
    if stmt.analyze:
        cur = session.read_cursor()
        profile = cur.execute(f"EXPLAIN ANALYZE {sql}", compilation.bound_params()).fetchall()
        lines += ["-- DuckDB profile", *(row[-1] for row in profile)]
    rows = [(line,) for line in "\n".join(lines).splitlines()]
    return Result([("plan", "VARCHAR", None, None, None, None, None)], rows, len(rows))
