"""CREATE RESTORE POINT and DROP RESTORE POINT."""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.plan.flashback import CreateRestorePoint, DropRestorePoint
from heliosql.plan.temporal import TemporalKind
from heliosql.result import Result
from heliosql.session import Session


def run_CreateRestorePoint(session: Session, stmt: CreateRestorePoint,
                           params: Params) -> Result:
    engine = session.engine
    as_of = stmt.as_of
    if as_of is None:
        engine.create_restore_point(stmt.name)
        return Result(rowcount=0)
    binder = session.compilation(stmt, params).sources.binder
    if as_of.kind is TemporalKind.SCN:
        engine.create_restore_point(stmt.name, binder.scn(as_of.expr, "RESTORE POINT AS OF SCN"))
    else:
        # Evaluated once; storage maps it to an SCN (ORA-08180 / ORA-08186).
        when = binder.timestamp(as_of.expr, "RESTORE POINT AS OF TIMESTAMP")
        engine.create_restore_point(stmt.name, timestamp=when)
    return Result(rowcount=0)


def run_DropRestorePoint(session: Session, stmt: DropRestorePoint, params: Params) -> Result:
    session.engine.drop_restore_point(stmt.name)
    return Result(rowcount=0)
