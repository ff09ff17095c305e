"""Plan-builder rules for scalar expressions, names and types."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, span_of, unquote_identifier
from heliosql.parsing.common import unquote_string as _unquote_string
from heliosql.plan import (
    Between,
    Binary,
    BinaryOp,
    BoundKind,
    Case,
    Cast,
    Column,
    Exists,
    Expr,
    Extract,
    FrameBound,
    FrameUnit,
    FunctionCall,
    InList,
    InSubquery,
    Interval,
    IntervalField,
    IsDistinctFrom,
    IsNull,
    Like,
    Literal,
    OrderItem,
    Parameter,
    ParamStyle,
    QuantifiedComparison,
    Quantifier,
    Query,
    ScalarSubquery,
    SpecialKind,
    SpecialValue,
    TypedLiteral,
    TypeName,
    Unary,
    UnaryOp,
    WhenClause,
    WindowFrame,
    WindowSpec,
)
from heliosql.plan.sequences import SequenceValue

_COMPARISONS = {
    "=": BinaryOp.EQ,
    "<>": BinaryOp.NE,
    "!=": BinaryOp.NE,
    "<": BinaryOp.LT,
    "<=": BinaryOp.LE,
    ">": BinaryOp.GT,
    ">=": BinaryOp.GE,
}
_SPECIALS = {kind.value: kind for kind in SpecialKind}
# Oracle's current-SCN function is usually written without parentheses.
_BARE_FUNCTIONS = {("DBMS_FLASHBACK", "GET_SYSTEM_CHANGE_NUMBER")}


def interval_field(token: Token) -> IntervalField:
    """DAY, days, Hour ... as an IntervalField (plural forms accepted)."""
    word = token.upper()
    return IntervalField(word[:-1] if word.endswith("S") else word)


class ExpressionRules(BuilderBase):
    """Rules of the expression ladder, literals, calls, windows, names and types."""

    # --- boolean and comparison -----------------------------------------------------------

    def or_(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.OR, left, right, span=span_of(loc))

    def and_(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.AND, left, right, span=span_of(loc))

    def not_(self, loc: Loc, operand: Expr) -> Expr:
        return Unary(UnaryOp.NOT, operand, span=span_of(loc))

    def comparison(self, loc: Loc, left: Expr, op: Token, right: Expr) -> Expr:
        return Binary(_COMPARISONS[str(op)], left, right, span=span_of(loc))

    def is_null(self, loc: Loc, expr: Expr, not_: Token | None) -> Expr:
        return IsNull(expr, negated=not_ is not None, span=span_of(loc))

    def is_distinct_from(self, loc: Loc, left: Expr, not_: Token | None, right: Expr) -> Expr:
        return IsDistinctFrom(left, right, negated=not_ is not None, span=span_of(loc))

    def quantified_comparison(
        self, loc: Loc, left: Expr, op: Token, quantifier: Token, query: Query
    ) -> Expr:
        word = quantifier.upper()
        kind = Quantifier.ALL if word == "ALL" else Quantifier.ANY  # SOME is ANY
        return QuantifiedComparison(_COMPARISONS[str(op)], left, kind, query, span=span_of(loc))

    def between(self, loc: Loc, expr: Expr, not_: Token | None, low: Expr, high: Expr) -> Expr:
        return Between(expr, low, high, negated=not_ is not None, span=span_of(loc))

    def in_list(self, loc: Loc, expr: Expr, not_: Token | None, items: tuple) -> Expr:
        return InList(expr, items, negated=not_ is not None, span=span_of(loc))

    def in_subquery(self, loc: Loc, expr: Expr, not_: Token | None, query: Query) -> Expr:
        return InSubquery(expr, query, negated=not_ is not None, span=span_of(loc))

    def like(
        self,
        loc: Loc,
        expr: Expr,
        not_: Token | None,
        op: Token,
        pattern: Expr,
        escape: Expr | None,
    ) -> Expr:
        return Like(
            expr,
            pattern,
            escape,
            negated=not_ is not None,
            case_insensitive=op.type == "ILIKE",
            span=span_of(loc),
        )

    def exists(self, loc: Loc, query: Query) -> Expr:
        return Exists(query, span=span_of(loc))

    # --- arithmetic -----------------------------------------------------------------------

    def concat_op(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.CONCAT, left, right, span=span_of(loc))

    def add(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.ADD, left, right, span=span_of(loc))

    def sub(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.SUB, left, right, span=span_of(loc))

    def mul(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.MUL, left, right, span=span_of(loc))

    def div(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.DIV, left, right, span=span_of(loc))

    def mod(self, loc: Loc, left: Expr, right: Expr) -> Expr:
        return Binary(BinaryOp.MOD, left, right, span=span_of(loc))

    def neg(self, loc: Loc, operand: Expr) -> Expr:
        # Fold -5 into one literal so compilers and AS OF SCN bounds see a constant.
        value = operand.value if isinstance(operand, Literal) else None
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return Literal(-value, span=span_of(loc))
        return Unary(UnaryOp.NEG, operand, span=span_of(loc))

    def pos(self, loc: Loc, operand: Expr) -> Expr:
        return Unary(UnaryOp.POS, operand, span=span_of(loc))

    def pg_cast(self, loc: Loc, expr: Expr, type_: TypeName) -> Expr:
        return Cast(expr, type_, span=span_of(loc))

    # --- atoms ----------------------------------------------------------------------------

    def number(self, loc: Loc, token: Token) -> Expr:
        text = str(token)
        if text.isdigit():
            return Literal(int(text), span=span_of(loc))
        return Literal(Decimal(text), span=span_of(loc))

    def string(self, loc: Loc, token: Token) -> Expr:
        return Literal(_unquote_string(token), span=span_of(loc))

    def true(self, loc: Loc) -> Expr:
        return Literal(True, span=span_of(loc))

    def false(self, loc: Loc) -> Expr:
        return Literal(False, span=span_of(loc))

    def null(self, loc: Loc) -> Expr:
        return Literal(None, span=span_of(loc))

    def typed_literal(self, loc: Loc, keyword: Token, value: Token) -> Expr:
        return TypedLiteral(keyword.upper(), _unquote_string(value), span=span_of(loc))

    def interval(self, loc: Loc, value: Token, unit: Token | None, to_unit: Token | None) -> Expr:
        text = _unquote_string(value) if value.type == "STRING" else str(value)
        return Interval(
            text,
            interval_field(unit) if unit is not None else None,
            interval_field(to_unit) if to_unit is not None else None,
            span=span_of(loc),
        )

    def param(self, loc: Loc, token: Token) -> Expr:
        body = token[1:]
        if body.isdigit():
            if int(body) < 1:
                self._fail(loc, "positional parameters are numbered from :1")
            return Parameter(ParamStyle.NUMERIC, position=int(body), span=span_of(loc))
        return Parameter(ParamStyle.NAMED, name=body, span=span_of(loc))

    def qmark_param(self, loc: Loc, _mark: Token) -> Expr:
        return Parameter(ParamStyle.QMARK, position=self._next_qmark(), span=span_of(loc))

    def column_ref(self, loc: Loc, parts: tuple[str, ...]) -> Expr:
        span = span_of(loc)
        quoted = self._is_quoted_at(loc)
        if len(parts) == 1 and not quoted and parts[0].upper() in _SPECIALS:
            return SpecialValue(_SPECIALS[parts[0].upper()], span=span)
        if (
            len(parts) == 2
            and not quoted
            and (parts[0].upper(), parts[1].upper()) in _BARE_FUNCTIONS
        ):
            return FunctionCall(parts, parens=False, span=span)
        if (len(parts) > 1 and loc.last is not None and loc.last.type != "QUOTED_IDENT"
                and parts[-1].upper() in ("NEXTVAL", "CURRVAL")):
            return SequenceValue(parts[:-1], parts[-1].upper() == "NEXTVAL", span=span)
        return Column(parts[-1], parts[:-1], span=span)

    def scalar_subquery(self, loc: Loc, query: Query) -> Expr:
        return ScalarSubquery(query, span=span_of(loc))

    def case(self, loc: Loc, operand: Expr | None, *rest: Any) -> Expr:
        *whens, default = rest  # the WHEN arms, then the ELSE value or None
        return Case(operand, tuple(whens), default, span=span_of(loc))

    def when_clause(self, loc: Loc, condition: Expr, result: Expr) -> WhenClause:
        return WhenClause(condition, result)

    def cast(self, loc: Loc, expr: Expr, type_: TypeName) -> Expr:
        return Cast(expr, type_, span=span_of(loc))

    def extract(self, loc: Loc, field: str, expr: Expr) -> Expr:
        return Extract(field.upper(), expr, span=span_of(loc))

    # --- function calls and windows -------------------------------------------------------

    def function_call(
        self,
        loc: Loc,
        name: tuple[str, ...],
        quantifier: str | None,
        args: tuple[Expr, ...] | None,
        within_group: tuple[OrderItem, ...] | None,
        filter_: Expr | None,
        over: WindowSpec | None,
    ) -> Expr:
        if quantifier is not None and not args:
            self._fail(loc, f"{quantifier} needs an argument")
        return FunctionCall(
            name,
            args or (),
            distinct=quantifier == "DISTINCT",
            filter=filter_,
            over=over,
            within_group=within_group or (),
            span=span_of(loc),
        )

    def within_group(self, loc: Loc, order_by: tuple[OrderItem, ...]) -> tuple[OrderItem, ...]:
        return order_by

    def count_star(
        self,
        loc: Loc,
        name: tuple[str, ...],
        filter_: Expr | None,
        over: WindowSpec | None,
    ) -> Expr:
        return FunctionCall(name, star=True, filter=filter_, over=over, span=span_of(loc))

    def set_quantifier(self, loc: Loc, token: Token) -> str:
        return token.upper()

    def filter_clause(self, loc: Loc, condition: Expr) -> Expr:
        return condition

    def over_clause(self, loc: Loc, spec: WindowSpec) -> WindowSpec:
        return spec

    def over_named(self, loc: Loc, name: str) -> WindowSpec:
        return WindowSpec(base=name)

    def window_spec(
        self,
        loc: Loc,
        base: str | None,
        partition: tuple[Expr, ...] | None,
        order: tuple[OrderItem, ...] | None,
        frame: WindowFrame | None,
    ) -> WindowSpec:
        return WindowSpec(base, partition or (), order or (), frame)

    def window_frame(
        self, loc: Loc, unit: Token, start: FrameBound, end: FrameBound | None = None
    ) -> WindowFrame:
        word = unit.upper()
        if word == "ROW":
            self._fail(loc, "a window frame says ROWS, RANGE or GROUPS")
        return WindowFrame(FrameUnit(word), start, end)

    def unbounded_preceding(self, loc: Loc) -> FrameBound:
        return FrameBound(BoundKind.UNBOUNDED_PRECEDING)

    def unbounded_following(self, loc: Loc) -> FrameBound:
        return FrameBound(BoundKind.UNBOUNDED_FOLLOWING)

    def current_row(self, loc: Loc) -> FrameBound:
        return FrameBound(BoundKind.CURRENT_ROW)

    def preceding(self, loc: Loc, offset: Expr) -> FrameBound:
        return FrameBound(BoundKind.PRECEDING, offset)

    def following(self, loc: Loc, offset: Expr) -> FrameBound:
        return FrameBound(BoundKind.FOLLOWING, offset)

    def expr_list(self, loc: Loc, *exprs: Expr) -> tuple[Expr, ...]:
        return exprs

    # --- names and types ------------------------------------------------------------------

    def name(self, loc: Loc, token: Token) -> str:
        return unquote_identifier(token)

    def qualified_name(self, loc: Loc, *names: str) -> tuple[str, ...]:
        return names

    def name_list(self, loc: Loc, *names: str) -> tuple[str, ...]:
        return names

    def type_name(
        self, loc: Loc, name: str, *rest: tuple[int | None, str | None] | str | None
    ) -> TypeName:
        params = [item for item in rest if isinstance(item, tuple)]
        modifiers = tuple(item for item in rest if isinstance(item, str))
        units = {unit for _, unit in params if unit is not None}
        if len(units) > 1 or (units and len(params) > 1):
            self._fail(loc, "CHAR or BYTE applies to a single length")
        return TypeName(
            name,
            tuple(size for size, _ in params),
            modifiers,
            units.pop() if units else None,
            span=span_of(loc),
        )

    def interval_type(self, loc: Loc, unit: Token | None, precision: int | None,
                      to_unit: Token | None, to_precision: int | None) -> TypeName:
        fields = [interval_field(t).value + (f"({p})" if p is not None else "")
                  for t, p in ((unit, precision), (to_unit, to_precision)) if t is not None]
        words = " TO ".join(fields)
        return TypeName("INTERVAL", modifiers=(words,) if words else (), span=span_of(loc))

    def field_precision(self, loc: Loc, size: Token) -> int:
        if not str(size).isdigit():
            self._fail(loc, f"a precision must be a whole number, not {size}")
        return int(size)

    def any_precision(self, loc: Loc) -> tuple[None, None]:
        return None, None

    def type_param(self, loc: Loc, size: Token, unit: Token | None) -> tuple[int, str | None]:
        if not str(size).isdigit():
            self._fail(loc, f"type length must be a whole number, not {size}")
        if unit is not None and unit.upper() not in ("CHAR", "BYTE"):
            self._fail(loc, f"expected CHAR or BYTE after the length, found {unit}")
        return int(size), unit.upper() if unit is not None else None

    def with_time_zone(self, loc: Loc) -> str:
        return "WITH TIME ZONE"

    def with_local_time_zone(self, loc: Loc) -> str:
        return "WITH LOCAL TIME ZONE"

    def without_time_zone(self, loc: Loc) -> str:
        return "WITHOUT TIME ZONE"

    def varying(self, loc: Loc) -> str:
        return "VARYING"

    def precision(self, loc: Loc) -> str:
        return "PRECISION"
