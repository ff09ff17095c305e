"""Queries: compiled once per statement text where possible, rows fetched lazily."""

from __future__ import annotations

from typing import Any

from heliosql.compile import Params
from heliosql.compiler.sequences import sequence_values
from heliosql.executors.common import position
from heliosql.executors.sequences import run_drawing_query
from heliosql.plan import statements
from heliosql.plan.relations import TableRef
from heliosql.plan.walk import walk
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.errors import ProgrammingError


def _has_flashback(node: Any) -> bool:
    """Whether any table reference under ``node`` carries a flashback clause."""
    return any(isinstance(n, TableRef) and n.temporal is not None for n in walk(node))


def run_QueryStatement(session: Session, stmt: statements.QueryStatement,
                       params: Params) -> Result:
    if stmt.query.for_update:
        if _has_flashback(stmt.query):
            raise ProgrammingError("FOR UPDATE cannot be combined with a flashback clause",
                                   position=position(stmt))
        # The rows are to be changed: take the write lock now, so no other writer
        # changes anything before this transaction ends.
        assert session.transaction is not None
        session.transaction.begin_write()
    if sequence_values(stmt):
        return run_drawing_query(session, stmt, params)
    sql, bound = session.compiled_query(stmt, params)
    return session.query(sql, bound)
