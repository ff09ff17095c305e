"""OVER clauses and ORDER BY items.

Oracle sorts NULL as the largest value: NULLS LAST ascending, NULLS FIRST
descending. DuckDB's default is NULLS LAST both ways, so a DESC item without
an explicit NULLS clause gets NULLS FIRST. (sqlglot omits an explicit NULLS LAST
that matches DuckDB's default; heliosql must keep ``default_null_order`` as is.)
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from heliosql.compiler.identifiers import ident
from heliosql.plan import expressions as px
from heliosql.plan.base import Expr
from heliosql.plan.relations import NullsOrder, OrderItem

Compile = Callable[[Expr], exp.Expression]


def order_item(item: OrderItem, compile_expr: Compile) -> exp.Ordered:
    nulls_first = item.descending if item.nulls is None else item.nulls is NullsOrder.FIRST
    return exp.Ordered(this=compile_expr(item.expr), desc=item.descending, nulls_first=nulls_first)


def window(func: exp.Expression, spec: px.WindowSpec, compile_expr: Compile) -> exp.Window:
    """``func OVER ([base] PARTITION BY ... ORDER BY ... frame)``."""
    order = [order_item(o, compile_expr) for o in spec.order_by]
    return exp.Window(
        this=func,
        alias=ident(spec.base) if spec.base else None,
        partition_by=[compile_expr(p) for p in spec.partition_by] or None,
        order=exp.Order(expressions=order) if order else None,
        spec=_frame(spec.frame, compile_expr) if spec.frame else None,
        over="OVER",
    )


def _frame(frame: px.WindowFrame, compile_expr: Compile) -> exp.WindowSpec:
    # The one-bound form means BETWEEN bound AND CURRENT ROW (SQL standard).
    end = frame.end or px.FrameBound(px.BoundKind.CURRENT_ROW)
    start_value, start_side = _bound(frame.start, compile_expr)
    end_value, end_side = _bound(end, compile_expr)
    return exp.WindowSpec(
        kind=frame.unit.value,
        start=start_value,
        start_side=start_side,
        end=end_value,
        end_side=end_side,
    )


def _bound(bound: px.FrameBound, compile_expr: Compile) -> tuple[str | exp.Expression, str | None]:
    match bound.kind:
        case px.BoundKind.CURRENT_ROW:
            return "CURRENT ROW", None
        case px.BoundKind.UNBOUNDED_PRECEDING:
            return "UNBOUNDED", "PRECEDING"
        case px.BoundKind.UNBOUNDED_FOLLOWING:
            return "UNBOUNDED", "FOLLOWING"
    assert bound.offset is not None  # FrameBound guarantees it for PRECEDING / FOLLOWING
    return compile_expr(bound.offset), bound.kind.value
