"""Plan nodes of Oracle's query shapes: (+) outer joins, hierarchical queries, PIVOT and
UNPIVOT, and the multitable INSERT."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from heliosql.plan.base import Expr, Node, Relation, Span, Statement
from heliosql.plan.expressions import Column, FunctionCall, Literal

if TYPE_CHECKING:
    from heliosql.plan.relations import Query


@dataclass(frozen=True, slots=True)
class OuterJoinColumn(Expr):
    """``t.c(+)``: a column of the table a WHERE condition outer-joins (Oracle's notation)."""

    column: Column
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Hierarchy(Node):
    """``[START WITH start] CONNECT BY [NOCYCLE] condition`` of a query block."""

    condition: Expr
    start_with: Expr | None = None
    nocycle: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class PivotAggregate(Node):
    """One aggregate of a PIVOT clause, with its optional alias."""

    call: FunctionCall
    alias: str | None = None


@dataclass(frozen=True, slots=True)
class PivotValue(Node):
    """One value (or tuple of values) of PIVOT's IN list; ``text`` names it without alias."""

    values: tuple[Expr, ...]
    alias: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class PivotRef(Relation):
    """``source PIVOT (aggregates FOR columns IN (values)) [alias]``."""

    source: Relation
    aggregates: tuple[PivotAggregate, ...]
    columns: tuple[str, ...]
    values: tuple[PivotValue, ...]
    alias: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class UnpivotItem(Node):
    """One entry of UNPIVOT's IN list: source columns and the label(s) naming them."""

    columns: tuple[str, ...]
    labels: tuple[Literal, ...] = ()


@dataclass(frozen=True, slots=True)
class UnpivotRef(Relation):
    """``source UNPIVOT [INCLUDE|EXCLUDE NULLS] (values FOR name IN (items)) [alias]``."""

    source: Relation
    value_columns: tuple[str, ...]
    name_column: str
    items: tuple[UnpivotItem, ...]
    include_nulls: bool = False
    alias: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class InsertInto(Node):
    """``INTO t [(cols)] [VALUES (...)]`` of a multitable INSERT (no VALUES: the row's)."""

    table: tuple[str, ...]
    columns: tuple[str, ...] = ()
    values: tuple[Expr, ...] | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class InsertWhen(Node):
    """``WHEN condition THEN INTO ...`` (no condition: ELSE, or an unconditional INSERT ALL)."""

    condition: Expr | None
    targets: tuple[InsertInto, ...]


@dataclass(frozen=True, slots=True)
class InsertMulti(Statement):
    """``INSERT ALL|FIRST [WHEN ...] INTO ... SELECT ...``: one statement, several tables."""

    branches: tuple[InsertWhen, ...]
    source: Query
    first: bool = False  # INSERT FIRST: a row goes to the first branch whose WHEN holds
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)
