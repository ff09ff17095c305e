"""CREATE / ALTER / DROP of tables, views and indexes, through the storage engine."""

from __future__ import annotations

from typing import Any

from heliosql.compile import Params
from heliosql.compiler.expressions import Definition
from heliosql.executors.archives import join_archive, set_table_archive, table_archive
from heliosql.plan import ddl
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage import Column, TemporalTable
from heliosql.storage.errors import NotSupportedError, ProgrammingError


def _column(session: Session, stmt: Any, col: ddl.ColumnDef) -> Column:
    from heliosql.compiler.types import map_type

    default = None
    if col.default is not None:
        default = session.compilation(stmt, None).definition(col.default,
                                                             into=map_type(col.type))
    return Column(col.name, map_type(col.type), col.nullable and not col.primary_key,
                  default)


def run_CreateTable(session: Session, stmt: ddl.CreateTable, params: Params) -> Result:
    engine = session.engine
    name = stmt.name[-1]
    if stmt.if_not_exists and name.lower() in (t.lower() for t in engine.list_tables()):
        return Result(rowcount=0)
    versioned = not stmt.temporary and stmt.system_versioning is not False
    if stmt.temporary:
        session.temporary_tables.append(name)  # purged when the session closes
    archive = table_archive(session, stmt.flashback_archive, versioned)  # checked first
    if stmt.as_query is not None:
        compilation = session.compilation(stmt, params)
        select = compilation.query(stmt.as_query)
        described = session.read_cursor().execute(
            f"DESCRIBE {select}", compilation.bound_params()).fetchall()
        names = list(stmt.column_names) or [row[0] for row in described]
        untyped = [n for n, row in zip(names, described, strict=True) if row[1] == '"NULL"']
        if untyped:  # a NULL (or '') with no type: Oracle refuses such a column too
            raise ProgrammingError(f"zero-length columns are not allowed: {untyped[0]!r} is "
                                   "NULL without a type; CAST it", code="ORA-01723",
                                   position=stmt.span.start if stmt.span else None)
        engine.create_temporal_table(TemporalTable(
            name, [Column(n, row[1]) for n, row in zip(names, described, strict=True)],
            versioned=versioned))
        count = engine.insert_select(name, select, names, compilation.bound_params())
        join_archive(session, name, archive)
        return Result(rowcount=count)
    primary_key = [c.name for c in stmt.columns if c.primary_key]
    unique: list[tuple[str, ...]] = [(c.name,) for c in stmt.columns if c.unique]
    checks = []
    compilation = session.compilation(stmt, params)
    from heliosql.compiler.types import map_type

    compilation.note_columns((c.name, map_type(c.type)) for c in stmt.columns)
    for col in stmt.columns:
        checks += [compilation.definition(check, Definition.CONSTRAINT) for check in col.checks]
    for constraint in stmt.constraints:
        if isinstance(constraint, ddl.PrimaryKeyConstraint):
            primary_key = list(constraint.columns)
        elif isinstance(constraint, ddl.UniqueConstraint):
            unique.append(tuple(constraint.columns))
        elif isinstance(constraint, ddl.CheckConstraint):
            checks.append(compilation.definition(constraint.expr, Definition.CONSTRAINT))
    engine.create_temporal_table(TemporalTable(
        name, [_column(session, stmt, c) for c in stmt.columns], primary_key or None,
        unique=unique, checks=checks, versioned=versioned))
    join_archive(session, name, archive)
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
            default = (session.compilation(stmt, None).definition(col.default,
                                                                  into=map_type(col.type))
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
        elif isinstance(action, ddl.SetFlashbackArchive):
            set_table_archive(session, name, action.archive)
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
