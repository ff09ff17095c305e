"""BEGIN, COMMIT, ROLLBACK, SAVEPOINT and SET TRANSACTION."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from heliosql.compile import Params
from heliosql.executors.common import controls_transaction, position
from heliosql.plan import statements
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage import Transaction
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
    with _savepoints_of(session, stmt.savepoint, stmt) as tx:
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
    with _savepoints_of(session, stmt.name, stmt) as tx:
        tx.release_savepoint(stmt.name)
    return Result()


@contextmanager
def _savepoints_of(session: Session, name: str, stmt: Any) -> Iterator[Transaction]:
    """The transaction holding savepoint ``name``; an unknown one is ORA-01086, placed."""
    tx = session.transaction
    if tx is None:
        raise NoSuchSavepoint.named(name, position(stmt))
    try:
        yield tx
    except NoSuchSavepoint as exc:
        exc.position = position(stmt)
        raise


@controls_transaction
def run_SetTransaction(session: Session, stmt: statements.SetTransaction,
                       params: Params) -> Result:
    if session.transaction is not None and session.transaction.writing:
        raise TransactionError("SET TRANSACTION must be the first statement of a transaction")
    session.transaction_name = stmt.name
    if session.transaction is not None:
        session.transaction.name = stmt.name
    return Result()
