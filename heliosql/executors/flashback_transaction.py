"""FLASHBACK TRANSACTION xid BACKOUT [NOCASCADE|CASCADE]: through ``backout_transaction``.

The backout runs in the session's transaction like any DML (autocommit commits
it; otherwise COMMIT or ROLLBACK decides). The row count is the number of rows
it wrote; the result has one row per backed-out XID, newest first.
"""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.executors.common import position
from heliosql.plan.flashback import BackoutMode, FlashbackTransaction
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.errors import NotSupportedError


def run_FlashbackTransaction(session: Session, stmt: FlashbackTransaction,
                             params: Params) -> Result:
    if stmt.mode not in (BackoutMode.NOCASCADE, BackoutMode.CASCADE):
        raise NotSupportedError(f"BACKOUT {stmt.mode.value} is not supported; use NOCASCADE "
                                "or CASCADE", position=position(stmt))
    binder = session.compilation(stmt, params).sources.binder
    xid = binder.xid(stmt.xid, "FLASHBACK TRANSACTION")
    done = session.engine.backout_transaction(xid, cascade=stmt.mode is BackoutMode.CASCADE)
    rows = [(x,) for x in done.xids]
    return Result([("xid", "BIGINT", None, None, None, None, None)], rows,
                  done.updated + done.deleted + done.inserted)
