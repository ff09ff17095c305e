"""DBMS_FLASHBACK's session-level flashback: ``EXEC DBMS_FLASHBACK.ENABLE_AT_...``.

While enabled, every table the session reads without a flashback clause of its
own is read AS OF the enabled SCN (an explicit clause wins for its reference),
and writes are refused (ORA-08182) until ``DBMS_FLASHBACK.DISABLE``. Enabling
needs no uncommitted changes (ORA-08183) and flashback mode not already on
(ORA-08184); the SCN is checked like an AS OF bound (ORA-08181, ORA-08180,
ORA-08186). The mode ends with the connection.
"""

from __future__ import annotations

from collections.abc import Callable

from heliosql.compile import Params
from heliosql.executors.common import controls_transaction, position
from heliosql.plan import flashback
from heliosql.plan.temporal import TemporalKind
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.errors import ProgrammingError, TransactionError


def _enable(kind: TemporalKind) -> Callable[[Session, flashback.CallProcedure, Params], None]:
    def enable(session: Session, stmt: flashback.CallProcedure, params: Params) -> None:
        if session.flashback_scn is not None:
            raise TransactionError("attempting to enable Flashback while already in Flashback "
                                   f"mode (at SCN {session.flashback_scn}): call "
                                   "DBMS_FLASHBACK.DISABLE first", code="ORA-08184",
                                   position=position(stmt))
        if session.in_transaction:
            raise TransactionError("Flashback cannot be enabled in the middle of a "
                                   "transaction: COMMIT or ROLLBACK first", code="ORA-08183",
                                   position=position(stmt))
        binder = session.compilation(stmt, params).sources.binder
        session.flashback_scn = binder.as_of(kind, stmt.args[0])

    return enable


def _disable(session: Session, stmt: flashback.CallProcedure, params: Params) -> None:
    session.flashback_scn = None


# name -> (number of arguments, action)
_PROCEDURES: dict[str, tuple[int, Callable[[Session, flashback.CallProcedure, Params], None]]] = {
    "DBMS_FLASHBACK.ENABLE_AT_SYSTEM_CHANGE_NUMBER": (1, _enable(TemporalKind.SCN)),
    "DBMS_FLASHBACK.ENABLE_AT_TIME": (1, _enable(TemporalKind.TIMESTAMP)),
    "DBMS_FLASHBACK.DISABLE": (0, _disable),
}


@controls_transaction
def run_CallProcedure(session: Session, stmt: flashback.CallProcedure, params: Params) -> Result:
    name = ".".join(stmt.name).upper()
    entry = _PROCEDURES.get(name)
    if entry is None:
        known = ", ".join(sorted(_PROCEDURES))
        raise ProgrammingError(f"unknown procedure {name}; heliosql has {known}",
                               code="PLS-00201", position=position(stmt))
    arity, action = entry
    if len(stmt.args) != arity:
        raise ProgrammingError(f"{name} takes {arity} argument{'s' * (arity != 1)}, "
                               f"got {len(stmt.args)}", code="PLS-00306",
                               position=position(stmt))
    action(session, stmt, params)
    return Result()
