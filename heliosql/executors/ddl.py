"""CREATE / ALTER / DROP of tables, views and indexes, through the storage engine."""

from __future__ import annotations

from typing import Any

from heliosql.compile import Params
from heliosql.compiler.expressions import Definition
from heliosql.executors.alter_columns import modify_column
from heliosql.executors.archives import join_archive, set_table_archive, table_archive
from heliosql.executors.common import position
from heliosql.executors.constraints import (
    CONSTRAINT_ACTIONS,
    alter_constraint,
    source_text,
    table_constraints,
)
from heliosql.executors.sequences import column_default, column_identity
from heliosql.plan import ddl
from heliosql.plan.expressions import Column as ColumnRef
from heliosql.plan.expressions import Star
from heliosql.plan.relations import Select, SetOperation
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage import Column, TemporalTable
from heliosql.storage.errors import HeliosError, NotSupportedError, ProgrammingError
from heliosql.types import spelling


def _column(session: Session, stmt: Any, col: ddl.ColumnDef) -> Column:
    from heliosql.compiler.types import map_type

    default = None
    if col.default is not None:
        default = (column_default(session, col.default)
                   or session.compilation(stmt, None).definition(col.default,
                                                                 into=map_type(col.type)))
    # NOT NULL is one of the table's constraints (named or not), not a column property.
    return Column(col.name, map_type(col.type), True, default, column_identity(col),
                  declared=spelling(col.type), quoted=col.quoted,
                  default_text=source_text(session, col.default))


def run_CreateTable(session: Session, stmt: ddl.CreateTable, params: Params) -> Result:
    engine = session.engine
    name = stmt.name[-1]
    if stmt.if_not_exists and name.lower() in (t.lower() for t in engine.list_tables()):
        return Result(rowcount=0)
    versioned = (not stmt.temporary and stmt.global_temporary is None
                 and stmt.system_versioning is not False)
    if stmt.temporary:
        session.temporary_tables.append(name)  # purged when the session closes
    archive = table_archive(session, stmt.flashback_archive, versioned)  # checked first
    if stmt.as_query is not None:
        if not stmt.column_names:
            _refuse_unnamed_columns(stmt.as_query)
        compilation = session.compilation(stmt, params)
        select = compilation.query(stmt.as_query)
        described = session.read_cursor().execute(
            f"DESCRIBE {select}", compilation.bound_params()).fetchall()
        names = list(stmt.column_names) or [row[0] for row in described]
        if len(names) != len(described):
            raise ProgrammingError(f"invalid number of column names specified: {len(names)} "
                                   f"for {len(described)} columns", code="ORA-01730",
                                   position=position(stmt))
        untyped = [n for n, row in zip(names, described, strict=True) if row[1] == '"NULL"']
        if untyped:  # a NULL (or '') with no type: Oracle refuses such a column too
            raise ProgrammingError(f"zero-length columns are not allowed: {untyped[0]!r} is "
                                   "NULL without a type; CAST it", code="ORA-01723",
                                   position=position(stmt))
        engine.create_temporal_table(TemporalTable(
            name, [Column(n, row[1]) for n, row in zip(names, described, strict=True)],
            versioned=versioned, quoted=stmt.quoted, temporary=stmt.global_temporary))
        count = engine.insert_select(name, select, names, compilation.bound_params())
        join_archive(session, name, archive)
        return Result(rowcount=count)
    from heliosql.compiler.types import map_type

    compilation = session.compilation(stmt, params)
    # CHECK constraints may compare the table's date columns with text.
    compilation.note_columns((c.name, map_type(c.type)) for c in stmt.columns)
    constraints = table_constraints(compilation, stmt)
    engine.create_temporal_table(TemporalTable(
        name, [_column(session, stmt, c) for c in stmt.columns], constraints=constraints,
        versioned=versioned, quoted=stmt.quoted, temporary=stmt.global_temporary))
    join_archive(session, name, archive)
    return Result(rowcount=0)


def _refuse_unnamed_columns(query: Any) -> None:
    """ORA-00998 for a select item of CREATE TABLE ... AS that names no column: Oracle
    names a column after a column or an alias, never after an expression's text."""
    body = query.body
    while not isinstance(body, Select):
        body = body.left if isinstance(body, SetOperation) else body.body
    for item in body.items:
        if item.alias is None and not isinstance(item.expr, ColumnRef | Star):
            raise ProgrammingError("must name this expression with a column alias",
                                   code="ORA-00998", position=position(item.expr))


def run_CreateView(session: Session, stmt: ddl.CreateView, params: Params) -> Result:
    span = stmt.span
    if span is None or session.statement_text is None:
        raise NotSupportedError("CREATE VIEW needs the statement text")
    # The whole CREATE VIEW text is kept; each use parses it (cached) and compiles
    # its query under the clause of the reference.
    query = session.statement_text[span.start:span.end]
    try:  # refuse a view that does not compile
        compilation = session.compilation(stmt, params)
        select = compilation.query(stmt.query)
    except HeliosError as exc:
        if not stmt.force:
            raise
        raise NotSupportedError(f"CREATE FORCE VIEW makes a view only when its query compiles "
                                f"in heliosql: {exc}", position=exc.position) from None
    if stmt.columns:
        described = session.read_cursor().execute(f"DESCRIBE {select}",
                                                  compilation.bound_params()).fetchall()
        if len(described) != len(stmt.columns):
            raise ProgrammingError(f"invalid number of column names specified: "
                                   f"{len(stmt.columns)} for {len(described)} columns",
                                   code="ORA-01730", position=position(stmt))
    session.engine.create_view(stmt.name[-1], query, stmt.columns, replace=stmt.or_replace,
                               quoted=stmt.quoted)
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
    session.engine.drop_table(name, purge=stmt.purge,
                              cascade_constraints=stmt.cascade_constraints)
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
            default = (column_default(session, col.default)
                       or session.compilation(stmt, None).definition(col.default,
                                                                     into=map_type(col.type))
                       if col.default is not None else None)
            # An enabled NOT NULL comes with the column (a name given keeps it); the
            # column's other constraints are added after it.
            nn = next((c for c in col.constraints
                       if isinstance(c, ddl.NotNullConstraint) and c.enabled), None)
            engine.add_column(name, col.name, map_type(col.type), default=default,
                              not_null=(nn.name or True) if nn else False,
                              identity=column_identity(col), declared=spelling(col.type),
                              quoted=col.quoted, default_text=source_text(session, col.default))
            others = tuple(c for c in col.constraints if c is not nn)
            if others:
                alter_constraint(session, stmt, name, ddl.AddConstraint(others))
        elif isinstance(action, ddl.ModifyColumn):
            modify_column(session, stmt, name, action)
        elif isinstance(action, ddl.DropColumn):
            engine.drop_column(name, action.name)
        elif isinstance(action, ddl.RenameColumn):
            engine.rename_column(name, action.old, action.new, quoted=action.quoted)
        elif isinstance(action, ddl.RenameTable):
            engine.rename_table(name, action.new_name[-1], quoted=action.quoted)
            name = action.new_name[-1]
        elif isinstance(action, ddl.SetFlashbackArchive):
            set_table_archive(session, name, action.archive)
        elif isinstance(action, ddl.SetSystemVersioning | ddl.SetRowMovement
                        | ddl.DropUnusedColumns):
            engine.table_info(name)  # accepted: history kept, no unused columns left
        elif isinstance(action, CONSTRAINT_ACTIONS):
            alter_constraint(session, stmt, name, action)
        else:
            raise NotSupportedError(f"ALTER TABLE {type(action).__name__} is not supported yet")
    return Result(rowcount=0)


def run_CreateIndex(session: Session, stmt: ddl.CreateIndex, params: Params) -> Result:
    columns = [k.name for k in stmt.keys if isinstance(k, ColumnRef) and not k.qualifier]
    expressions = []
    if len(columns) < len(stmt.keys):  # a function-based index: every key as SQL, in order
        info = session.engine.table_info(stmt.table[-1])
        compilation = session.compilation(stmt, params)
        compilation.queries.sources.note_columns(info)
        try:
            expressions = [compilation.definition(k, Definition.CONSTRAINT) for k in stmt.keys]
        except ProgrammingError as exc:
            if exc.code == "ORA-02436":  # SYSDATE and friends: not the same at every row
                raise ProgrammingError("only pure functions can be indexed", code="ORA-01743",
                                       position=exc.position) from None
            raise
        columns = []
    session.engine.create_index(stmt.table[-1], stmt.name[-1], columns, unique=stmt.unique,
                                if_not_exists=stmt.if_not_exists, expressions=expressions)
    return Result(rowcount=0)


def run_DropIndex(session: Session, stmt: ddl.DropIndex, params: Params) -> Result:
    session.engine.drop_index(stmt.name[-1], if_exists=stmt.if_exists)
    return Result(rowcount=0)
