"""ALTER SESSION SET: the connection's NLS date formats (``heliosql.nls``).

As in Oracle it neither commits nor opens a transaction, and it lasts until the
connection closes. Every setting of the statement is checked before any is
applied. Compiled queries are dropped, since their SQL holds the formats.
"""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.executors.common import controls_transaction, position
from heliosql.nls import altered
from heliosql.plan.session import AlterSession
from heliosql.result import Result
from heliosql.session import Session


@controls_transaction
def run_AlterSession(session: Session, stmt: AlterSession, params: Params) -> Result:
    nls = session.nls
    for setting in stmt.settings:
        nls = altered(nls, setting.parameter, setting.value, position(setting))
    if nls != session.nls:
        session.nls = nls
        session.forget_compiled()
    return Result()
