"""Plan-builder rules for Oracle's query shapes: (+) outer joins, PRIOR and
CONNECT_BY_ROOT, START WITH / CONNECT BY, PIVOT / UNPIVOT and the multitable INSERT."""

from __future__ import annotations

from typing import Any

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, span_of
from heliosql.plan import (
    Column,
    Expr,
    FunctionCall,
    Hierarchy,
    InsertInto,
    InsertMulti,
    InsertWhen,
    Literal,
    OrderItem,
    OuterJoinColumn,
    PivotAggregate,
    PivotRef,
    PivotValue,
    Query,
    Relation,
    TableRef,
    Unary,
    UnaryOp,
    UnpivotItem,
    UnpivotRef,
)


class SiblingsOrder(tuple):
    """The items of ``ORDER SIBLINGS BY`` (a tuple the ``query`` rule tells apart)."""

    __slots__ = ()


class OracleRules(BuilderBase):
    """Rules for the Oracle-specific query and DML shapes."""

    # --- expressions ----------------------------------------------------------------------

    def outer_join_column(self, loc: Loc, parts: tuple[str, ...]) -> Expr:
        span = span_of(loc)
        return OuterJoinColumn(Column(parts[-1], parts[:-1], span=span), span=span)

    def prior(self, loc: Loc, operand: Expr) -> Expr:
        return Unary(UnaryOp.PRIOR, operand, span=span_of(loc))

    def connect_by_root(self, loc: Loc, operand: Expr) -> Expr:
        return Unary(UnaryOp.CONNECT_BY_ROOT, operand, span=span_of(loc))

    # --- hierarchical queries -------------------------------------------------------------

    def start_connect(self, loc: Loc, start: Expr, nocycle: Token | None,
                      condition: Expr) -> Hierarchy:
        return Hierarchy(condition, start, nocycle is not None, span=span_of(loc))

    def connect_start(self, loc: Loc, nocycle: Token | None, condition: Expr,
                      start: Expr | None) -> Hierarchy:
        return Hierarchy(condition, start, nocycle is not None, span=span_of(loc))

    def order_siblings(self, loc: Loc, *items: OrderItem) -> SiblingsOrder:
        return SiblingsOrder(items)

    # --- PIVOT / UNPIVOT ------------------------------------------------------------------

    def pivot_table(self, loc: Loc, source: Relation, *rest: Any) -> PivotRef:
        *parts, alias = rest
        aggregates = tuple(p for p in parts if isinstance(p, PivotAggregate))
        columns = next(p for p in parts if isinstance(p, tuple))
        values = tuple(p for p in parts if isinstance(p, PivotValue))
        return PivotRef(source, aggregates, columns, values, alias, span=span_of(loc))

    def pivot_aggregate(self, loc: Loc, call: FunctionCall, alias: str | None
                        ) -> PivotAggregate:
        return PivotAggregate(call, alias)

    def one_name(self, loc: Loc, name: str) -> tuple[str, ...]:
        return (name,)

    def pivot_columns(self, loc: Loc, names: tuple[str, ...]) -> tuple[str, ...]:
        return names

    def pivot_value(self, loc: Loc, value: Expr, alias: str | None) -> PivotValue:
        return PivotValue((value,), alias, self._value_text(value))

    def pivot_tuple(self, loc: Loc, first: Expr, rest: tuple[Expr, ...],
                    alias: str | None) -> PivotValue:
        values = (first, *rest)
        return PivotValue(values, alias, "_".join(self._value_text(v) for v in values))

    def _value_text(self, value: Expr) -> str:
        """A pivot value's name without alias: its text (a string with its quotes)."""
        if isinstance(value, Literal) and isinstance(value.value, str):
            return "'" + value.value + "'"
        if isinstance(value, Literal) and value.value is not None:
            return str(value.value)
        span = value.span
        return self._text[span.start:span.end].upper() if span is not None else "NULL"

    def unpivot_table(self, loc: Loc, source: Relation, include: bool | None,
                      values: tuple[str, ...], name: str, *rest: Any) -> UnpivotRef:
        *items, alias = rest
        for item in items:
            if len(item.columns) != len(values):
                raise self._error_at(loc.start_pos, "each UNPIVOT IN entry needs as many "
                                     "columns as the value list", code="ORA-01730")
        return UnpivotRef(source, values, name, tuple(items), bool(include), alias,
                          span=span_of(loc))

    def unpivot_nulls(self, loc: Loc, token: Token) -> bool:
        return token.type == "INCLUDE"

    def unpivot_item(self, loc: Loc, columns: tuple[str, ...],
                     labels: tuple[Literal, ...] | None) -> UnpivotItem:
        return UnpivotItem(columns, labels or ())

    def unpivot_label(self, loc: Loc, *labels: Literal) -> tuple[Literal, ...]:
        return labels

    # --- multitable INSERT ----------------------------------------------------------------

    def insert_all(self, loc: Loc, _all: Token, *rest: Any) -> InsertMulti:
        *targets, source = rest
        return InsertMulti((InsertWhen(None, tuple(targets)),), source, span=span_of(loc))

    def insert_conditional(self, loc: Loc, kind: Token, *rest: Any) -> InsertMulti:
        *branches, else_, source = rest
        if else_ is not None:
            branches.append(else_)
        return InsertMulti(tuple(branches), source, first=kind.type == "FIRST",
                           span=span_of(loc))

    def insert_into(self, loc: Loc, target: TableRef, columns: tuple[str, ...] | None,
                    values: tuple[Expr, ...] | None) -> InsertInto:
        return InsertInto(target.name, columns or (), values, span=span_of(loc))

    def insert_when(self, loc: Loc, condition: Expr, *targets: InsertInto) -> InsertWhen:
        return InsertWhen(condition, targets)

    def insert_else(self, loc: Loc, *targets: InsertInto) -> InsertWhen:
        return InsertWhen(None, targets)

    def multi_source(self, loc: Loc, with_: Any, body: Any,
                     order_by: tuple[OrderItem, ...] | None) -> Query:
        return Query(body, with_, order_by or (), span=span_of(loc))
