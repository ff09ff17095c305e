"""FLASHBACK TABLE: back to an SCN, a time or a restore point, or back from the recycle bin."""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.plan.flashback import FlashbackTable, ToBeforeDrop, ToRestorePoint
from heliosql.plan.temporal import TemporalKind
from heliosql.result import Result
from heliosql.session import Session


def run_FlashbackTable(session: Session, stmt: FlashbackTable, params: Params) -> Result:
    engine = session.engine
    target = stmt.target
    if isinstance(target, ToBeforeDrop):
        new_name = target.rename_to[-1] if target.rename_to else None
        engine.restore_dropped_table(stmt.tables[0][-1], new_name)
        return Result(rowcount=0)
    names = [name[-1] for name in stmt.tables]
    if isinstance(target, ToRestorePoint):
        results = engine.flashback_tables(names, restore_point=target.name)
    else:
        # The bound is evaluated once, before anything is written, like an AS OF bound.
        binder = session.compilation(stmt, params).sources.binder
        if target.kind is TemporalKind.SCN:
            scn = binder.scn(target.expr, "FLASHBACK TABLE ... TO SCN")
        else:
            scn = binder.time_bound(target.expr, "FLASHBACK TABLE ... TO TIMESTAMP").state
        results = engine.flashback_tables(names, scn=scn)
    changed = sum(r.updated + r.deleted + r.inserted for r in results.values())
    return Result(rowcount=changed)
