"""Binding temporal bounds: AS OF / VERSIONS expressions become SCNs, once per statement.

A bound is any scalar expression without column references (a parameter, a
literal, ``SYSTIMESTAMP - INTERVAL '1' HOUR``, a scalar subquery). It is
evaluated once, in DuckDB, before the statement runs; a TIMESTAMP bound is
then mapped exactly to an SCN through the SCN log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from heliosql.plan.expressions import (
    Column,
    Exists,
    FunctionCall,
    InSubquery,
    Literal,
    Parameter,
    ScalarSubquery,
)
from heliosql.plan.temporal import TemporalKind
from heliosql.plan.walk import walk
from heliosql.storage import TemporalEngine
from heliosql.storage.errors import (
    InvalidScn,
    InvalidTimestamp,
    NoSnapshot,
    ProgrammingError,
    sql_text,
)
from heliosql.storage.reads import aware
from heliosql.storage.transaction_log import UnknownTransaction

Evaluate = Callable[[Any], Any]


def find_column(node: Any) -> Column | None:
    """The first column reference in ``node`` outside subqueries (which may use columns)."""
    subquery = (ScalarSubquery, Exists, InSubquery)
    return next((n for n in walk(node, stop=lambda n: isinstance(n, subquery))
                 if isinstance(n, Column)), None)


@dataclass(frozen=True, slots=True)
class TimeBound:
    """A bound mapped to SCNs: ``state`` = last SCN at or before it, ``event`` = first after."""

    state: int
    event: int


class TemporalBinder:
    """Evaluates temporal bound expressions and maps them to SCNs."""

    def __init__(self, engine: TemporalEngine, evaluate: Evaluate):
        self.engine = engine
        self._evaluate = evaluate

    def value(self, expr: Any, what: str) -> Any:
        column = None if isinstance(expr, Parameter | Literal) else find_column(expr)
        if column is not None:
            position = column.span.start if column.span else None
            raise ProgrammingError(
                f"{what} cannot refer to column {column.name!r}: it is evaluated once, "
                "before any row is read", code="ORA-00904", position=position)
        return self._evaluate(expr)

    def scn(self, expr: Any, what: str = "AS OF SCN") -> int:
        """The SCN an ``AS OF SCN`` expression names (``InvalidScn`` when it is none)."""
        value = self.value(expr, what)
        if isinstance(value, Decimal | float) and integral(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidScn(f"{sql_text(value)} is not a valid SCN", position=_pos(expr))
        current = self.engine.current_scn()
        if value < 1 or value > current:
            raise InvalidScn(f"SCN {value} is not a valid SCN: valid SCNs are 1 to {current}",
                             position=_pos(expr))
        return value

    def xid(self, expr: Any, what: str) -> int:
        """The transaction id ``expr`` names (``UnknownTransaction`` when it is none)."""
        value = self.value(expr, what)
        if isinstance(value, Decimal | float) and integral(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise UnknownTransaction(f"{sql_text(value)} is not a transaction id: XIDs are "
                                     "integers", position=_pos(expr))
        return value

    def timestamp(self, expr: Any, what: str = "AS OF TIMESTAMP") -> datetime:
        """The time a bound names, with a zone: a naive value (a DATE, a TIMESTAMP, a
        Python datetime without tzinfo) is in the session's time zone, the local one;
        text is read with the session's NLS_TIMESTAMP_FORMAT (or ISO form)."""
        value = self.value(expr, what)
        if isinstance(value, str) and value:  # Oracle converts text with the session format
            span = getattr(expr, "span", None)
            value = self._evaluate(FunctionCall(("TO_TIMESTAMP",), (Literal(value, span=span),),
                                                span=span))
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        if not isinstance(value, datetime):
            raise InvalidTimestamp(f"{what} needs a timestamp, got {sql_text(value)}",
                                   position=_pos(expr))
        return aware(value)

    def _state(self, ts: datetime, expr: Any) -> int:
        """The last SCN committed at or before ``ts`` (0 before the database);
        ORA-08186 in the future."""
        try:
            return self.engine.scn_at_time(ts)
        except InvalidTimestamp as exc:
            raise InvalidTimestamp(exc.message, position=_pos(expr)) from None

    def time_bound(self, expr: Any, what: str) -> TimeBound:
        """A TIMESTAMP bound as SCNs; ORA-08186 in the future, ORA-08180 before the database."""
        ts = self.timestamp(expr, what)
        state = self._state(ts, expr)
        if state == 0:
            raise NoSnapshot(f"no snapshot for {ts}: it is older than the database",
                             position=_pos(expr))
        return TimeBound(state, self.engine.first_scn_at_or_after(ts))

    def as_of(self, kind: TemporalKind, expr: Any) -> int:
        """The snapshot SCN of ``AS OF {SCN|TIMESTAMP} expr``."""
        if kind is TemporalKind.SCN:
            return self.scn(expr)
        return self.time_bound(expr, "AS OF TIMESTAMP").state

    def system_time_as_of(self, kind: TemporalKind, expr: Any) -> int:
        """The snapshot SCN of SQL:2011's ``FOR SYSTEM_TIME AS OF``: as ``as_of``, except
        that a time before the database is SCN 0 (nothing existed), not ORA-08180."""
        if kind is TemporalKind.SCN:
            return self.scn(expr)
        return self._state(self.timestamp(expr, "FOR SYSTEM_TIME AS OF"), expr)


def integral(value: Decimal | float) -> bool:
    """Whether a number is a whole one (NaN and the infinities are not)."""
    try:
        return value == int(value)
    except (ValueError, OverflowError, ArithmeticError):
        return False


def _pos(expr: Any) -> int | None:
    span = getattr(expr, "span", None)
    return span.start if span is not None else None
