"""BEGIN, COMMIT, ROLLBACK, SAVEPOINT and SET TRANSACTION."""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.executors.common import controls_transaction, position
from heliosql.plan import statements
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.errors import NoSuchSavepoint, TransactionError


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
    if stmt.savepoint is None:
        session.rollback()
        return Result()
    tx = session.transaction
    if tx is None:
        raise NoSuchSavepoint(f"savepoint {stmt.savepoint!r} never established in this "
                              "transaction or is invalid", position=position(stmt))
    tx.rollback_to_savepoint(stmt.savepoint)
    return Result()


@controls_transaction
def run_Savepoint(session: Session, stmt: statements.Savepoint, params: Params) -> Result:
    if session.autocommit and not session.explicit:
        raise TransactionError("SAVEPOINT needs an open transaction: autocommit is on, so "
                               "BEGIN one first", position=position(stmt))
    session._tx().savepoint(stmt.name)
    return Result()


@controls_transaction
def run_ReleaseSavepoint(session: Session, stmt: statements.ReleaseSavepoint,
                         params: Params) -> Result:
    tx = session.transaction
    if tx is None:
        raise NoSuchSavepoint(f"savepoint {stmt.name!r} never established in this "
                              "transaction or is invalid", position=position(stmt))
    tx.release_savepoint(stmt.name)
    return Result()


@controls_transaction
def run_SetTransaction(session: Session, stmt: statements.SetTransaction,
                       params: Params) -> Result:
    if session.transaction is not None and session.transaction.writing:
        raise TransactionError("SET TRANSACTION must be the first statement of a transaction")
    session.transaction_name = stmt.name
    if session.transaction is not None:
        session.transaction.name = stmt.name
    return Result()
