"""COMMENT ON TABLE / COLUMN and RENAME: catalog changes through the storage engine."""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.executors.common import position
from heliosql.plan import ddl
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.errors import NoSuchColumn, NoSuchTable
from heliosql.view_columns import view_columns


def run_CommentOn(session: Session, stmt: ddl.CommentOn, params: Params) -> Result:
    engine = session.engine
    name = stmt.table[-1]
    view = engine.find_view(name)
    column = stmt.column
    if view is not None and column is not None:
        known = {c.lower(): c for c in view_columns(engine, view)}
        if column.lower() not in known:
            raise NoSuchColumn(f"{column}: invalid identifier (view {view.name!r} has no such "
                               "column)", name=column, position=position(stmt))
        column = known[column.lower()]
    engine.comment(name, column, stmt.text)
    return Result(rowcount=0)


def run_RenameObject(session: Session, stmt: ddl.RenameObject, params: Params) -> Result:
    engine = session.engine
    old, new = stmt.old[-1], stmt.new[-1]
    if engine.find_view(old) is not None:
        engine.rename_view(old, new, quoted=stmt.quoted)
    elif old.lower() in (t.lower() for t in engine.list_tables()):
        engine.rename_table(old, new, quoted=stmt.quoted)
    else:
        raise NoSuchTable(f"object {old!r} does not exist", code="ORA-04043",
                          position=position(stmt))
    return Result(rowcount=0)
