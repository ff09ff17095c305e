"""Temporal (flashback) clauses: typed fields of a table reference, never strings.

Oracle spellings (docs/semantics.md)::

    t AS OF SCN expr | t AS OF TIMESTAMP expr
    t VERSIONS BETWEEN {SCN|TIMESTAMP} {expr|MINVALUE} AND {expr|MAXVALUE} [AS OF ...]

SQL:2011 / MariaDB / SQL Server spellings (docs/semantics.md)::

    t FOR SYSTEM_TIME AS OF [SCN|TIMESTAMP] expr | BETWEEN a AND b | FROM a TO b
      | CONTAINED IN (a, b) | ALL
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from heliosql.plan.base import Expr, Node, Span


class TemporalKind(Enum):
    """What a flashback bound is measured in."""

    SCN = "SCN"
    TIMESTAMP = "TIMESTAMP"


class VersionsBound(Enum):
    """The open ends of a VERSIONS BETWEEN range."""

    MINVALUE = "MINVALUE"
    MAXVALUE = "MAXVALUE"


@dataclass(frozen=True, slots=True)
class AsOf(Node):
    """Oracle ``AS OF {SCN|TIMESTAMP} expr``: the table as it was at one point."""

    kind: TemporalKind
    expr: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Versions(Node):
    """Oracle ``VERSIONS BETWEEN``: every version valid in [low, high], seen from ``as_of``."""

    kind: TemporalKind
    low: Expr | VersionsBound
    high: Expr | VersionsBound
    as_of: AsOf | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.low is VersionsBound.MAXVALUE:
            raise ValueError("MAXVALUE cannot be the lower bound of VERSIONS BETWEEN")
        if self.high is VersionsBound.MINVALUE:
            raise ValueError("MINVALUE cannot be the upper bound of VERSIONS BETWEEN")


@dataclass(frozen=True, slots=True)
class SystemTimeAsOf(Node):
    """``FOR SYSTEM_TIME AS OF [SCN|TIMESTAMP] expr`` (no keyword means TIMESTAMP)."""

    kind: TemporalKind
    expr: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SystemTimeBetween(Node):
    """``FOR SYSTEM_TIME BETWEEN low AND high``: versions overlapping [low, high]."""

    low: Expr
    high: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SystemTimeFromTo(Node):
    """``FOR SYSTEM_TIME FROM start TO end``: versions overlapping [start, end)."""

    start: Expr
    end: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SystemTimeContainedIn(Node):
    """``FOR SYSTEM_TIME CONTAINED IN (start, end)``: versions wholly inside [start, end]."""

    start: Expr
    end: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SystemTimeAll(Node):
    """``FOR SYSTEM_TIME ALL``: every current and historical version."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class TransactionVersions(Node):
    """``t FLASHBACK TRANSACTION xid`` (heliosql extension): the versions and delete markers
    transaction ``xid`` wrote in ``t``, with the VERSIONS_* pseudocolumns."""

    xid: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


TemporalClause = (
    AsOf
    | Versions
    | SystemTimeAsOf
    | SystemTimeBetween
    | SystemTimeFromTo
    | SystemTimeContainedIn
    | SystemTimeAll
    | TransactionVersions
)
