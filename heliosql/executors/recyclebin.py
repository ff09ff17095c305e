"""The recycle bin: PURGE TABLE, PURGE RECYCLEBIN / DBA_RECYCLEBIN, SHOW RECYCLEBIN."""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.plan.flashback import PurgeRecycleBin, PurgeTable, ShowRecycleBin
from heliosql.result import Result
from heliosql.session import Session
from heliosql.views_flashback_table import recyclebin_sql

#: SQL*Plus's headings for SHOW RECYCLEBIN.
SHOW_COLUMNS = ("ORIGINAL NAME", "RECYCLEBIN NAME", "OBJECT TYPE", "DROP TIME")


def run_PurgeTable(session: Session, stmt: PurgeTable, params: Params) -> Result:
    session.engine.purge_table(stmt.name[-1])
    return Result(rowcount=0)


def run_PurgeRecycleBin(session: Session, stmt: PurgeRecycleBin, params: Params) -> Result:
    # One user, one schema: the user's bin and the whole database's are the same.
    return Result(rowcount=session.engine.purge_recycle_bin())


def run_ShowRecycleBin(session: Session, stmt: ShowRecycleBin, params: Params) -> Result:
    # Newest drop first within a name: the one FLASHBACK TABLE ... TO BEFORE DROP restores.
    sql = (f"SELECT original_name, object_name, type, droptime FROM ({recyclebin_sql()}) "
           "ORDER BY lower(original_name), dropscn DESC")
    rows = session.engine.fetch(sql, doing="show recyclebin")
    description = [(name, "VARCHAR", None, None, None, None, None) for name in SHOW_COLUMNS]
    return Result(description, rows, len(rows))
