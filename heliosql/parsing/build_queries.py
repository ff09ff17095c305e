"""Plan-builder rules for queries, FROM items and flashback (temporal) clauses."""

from __future__ import annotations

from typing import Any

from lark import Token

from heliosql.errors import NotSupportedError
from heliosql.parsing.build_oracle import SiblingsOrder
from heliosql.parsing.common import BuilderBase, Loc, span_of
from heliosql.parsing.diagnostics import syntax_error
from heliosql.parsing.headings import with_headings
from heliosql.plan import (
    AsOf,
    Column,
    CommonTableExpr,
    Expr,
    Join,
    JoinKind,
    Limit,
    Literal,
    NamedArg,
    NamedWindow,
    NullsOrder,
    OrderItem,
    Query,
    QueryBody,
    Relation,
    Select,
    SelectItem,
    SetOperation,
    SetOpKind,
    Star,
    SubqueryRef,
    SystemTimeAll,
    SystemTimeAsOf,
    SystemTimeBetween,
    SystemTimeContainedIn,
    SystemTimeFromTo,
    TableFunctionRef,
    TableRef,
    TemporalClause,
    TemporalKind,
    Versions,
    VersionsBound,
    WindowSpec,
    With,
)
from heliosql.plan.temporal import TransactionVersions

_JoinCondition = tuple[str, Expr | tuple[str, ...]]


def _start(node: Any, loc: Loc) -> int:
    """Where ``node`` starts in the text (the enclosing node's start if it has no span)."""
    span = getattr(node, "span", None)
    return span.start if span is not None else loc.start_pos


class QueryRules(BuilderBase):
    """Rules for query blocks, set operations, ORDER BY / LIMIT and FROM items."""

    # --- query shape ----------------------------------------------------------------------

    def query(
        self,
        loc: Loc,
        with_: With | None,
        body: QueryBody,
        order_by: tuple[OrderItem, ...] | None,
        limit: Limit | None,
        for_update: Token | None,
    ) -> Query:
        return Query(body, with_, order_by or (), limit, for_update is not None,
                     order_siblings=isinstance(order_by, SiblingsOrder), span=span_of(loc))

    def paren_query(self, loc: Loc, query: Query) -> Query:
        return query

    def with_clause(self, loc: Loc, recursive: Token | None, *ctes: CommonTableExpr) -> With:
        return With(ctes, recursive=recursive is not None)

    def cte(
        self, loc: Loc, name: str, columns: tuple[str, ...] | None, query: Query
    ) -> CommonTableExpr:
        return CommonTableExpr(name, query, columns or (), span=span_of(loc))

    def set_operation(
        self, loc: Loc, left: QueryBody, op: tuple[SetOpKind, bool], right: QueryBody
    ) -> SetOperation:
        return SetOperation(op[0], left, right, all=op[1], span=span_of(loc))

    def union(self, loc: Loc, all_: Token | None) -> tuple[SetOpKind, bool]:
        return SetOpKind.UNION, all_ is not None

    def intersect(self, loc: Loc, all_: Token | None) -> tuple[SetOpKind, bool]:
        return SetOpKind.INTERSECT, all_ is not None

    def except_(self, loc: Loc, all_: Token | None) -> tuple[SetOpKind, bool]:
        return SetOpKind.EXCEPT, all_ is not None

    def select_core(self, loc: Loc, select: Token, quantifier: str | None, *rest: Any) -> Select:
        # The grammar gives the select items, then six optional clauses (None if absent).
        items = with_headings(self._text, select.end_pos or 0, rest[:-6])
        from_, where, hierarchy, group_by, having, windows = rest[-6:]
        return Select(
            items,
            from_ or (),
            where,
            group_by or (),
            having,
            windows or (),
            distinct=quantifier == "DISTINCT",
            hierarchy=hierarchy,
            span=span_of(loc),
        )

    def select_expr(self, loc: Loc, expr: Expr, alias: str | None) -> SelectItem:
        return SelectItem(expr, alias, span=span_of(loc))

    def select_star(self, loc: Loc) -> SelectItem:
        return SelectItem(Star(span=span_of(loc)), span=span_of(loc))

    def select_qualified_star(self, loc: Loc, qualifier: tuple[str, ...]) -> SelectItem:
        return SelectItem(Star(qualifier, span=span_of(loc)), span=span_of(loc))

    def alias(self, loc: Loc, name: str) -> str:
        return str(name)  # a FLASHBACK token is a name here too

    def from_clause(self, loc: Loc, *items: Relation) -> tuple[Relation, ...]:
        return items

    def where_clause(self, loc: Loc, condition: Expr) -> Expr:
        return condition

    def group_by(self, loc: Loc, exprs: tuple[Expr, ...]) -> tuple[Expr, ...]:
        return exprs

    def having(self, loc: Loc, condition: Expr) -> Expr:
        return condition

    def window_clause(self, loc: Loc, *windows: NamedWindow) -> tuple[NamedWindow, ...]:
        return windows

    def named_window(self, loc: Loc, name: str, spec: WindowSpec) -> NamedWindow:
        return NamedWindow(name, spec)

    # --- ORDER BY, LIMIT, OFFSET / FETCH --------------------------------------------------

    def order_by(self, loc: Loc, *items: OrderItem) -> tuple[OrderItem, ...]:
        return items

    def order_item(
        self, loc: Loc, expr: Expr, direction: Token | None, nulls: NullsOrder | None
    ) -> OrderItem:
        descending = direction is not None and direction.type == "DESC"
        return OrderItem(expr, descending, nulls)

    def nulls_first(self, loc: Loc) -> NullsOrder:
        return NullsOrder.FIRST

    def nulls_last(self, loc: Loc) -> NullsOrder:
        return NullsOrder.LAST

    def limit_offset(self, loc: Loc, count: Expr, offset: Expr | None) -> Limit:
        return Limit(count, offset)

    def offset_fetch(self, loc: Loc, offset: Expr, rows: Token | None, fetch: Expr | None) -> Limit:
        if rows is not None:
            self._check_rows(rows)
        return Limit(fetch, offset)

    def fetch_only(self, loc: Loc, fetch: Expr) -> Limit:
        return Limit(fetch)

    def fetch_first(self, loc: Loc, count: Expr | None, rows: Token) -> Expr:
        self._check_rows(rows)
        return count if count is not None else Literal(1, span=span_of(loc))

    def _check_rows(self, token: Token) -> None:
        if token.upper() not in ("ROW", "ROWS"):
            raise self._error_at(token.start_pos or 0, f"expected ROW or ROWS, found {token}")

    # --- FROM items -----------------------------------------------------------------------

    def table_ref(self, loc: Loc, name: tuple[str, ...], *rest: Any) -> TableRef:
        *clauses, alias = rest  # any number of temporal clauses, then the alias or None
        temporal = self._one_temporal_clause(loc, clauses)
        return TableRef(name, alias, temporal, span=span_of(loc))

    def _one_temporal_clause(
        self, loc: Loc, clauses: list[TemporalClause]
    ) -> TemporalClause | None:
        # VERSIONS ... AS OF ... is one clause: the AS OF is the vantage point (docs/semantics.md).
        if len(clauses) == 2 and isinstance(clauses[0], Versions) and isinstance(clauses[1], AsOf):
            versions, as_of = clauses
            if versions.as_of is None:
                clauses = [
                    Versions(versions.kind, versions.low, versions.high, as_of, span=versions.span)
                ]
        if len(clauses) > 1:
            second = clauses[1].span
            raise self._error_at(
                second.start if second else loc.start_pos,
                "a table reference can have only one AS OF or VERSIONS clause",
                code="ORA-25166",
            )
        return clauses[0] if clauses else None

    def table_function(
        self, loc: Loc, name: tuple[str, ...], args: tuple[Expr | NamedArg, ...] | None,
        *rest: Any,
    ) -> TableFunctionRef:
        *clauses, alias, columns = rest  # temporal clauses, then the alias and its columns
        called = ".".join(name)
        if clauses:
            raise self._error_at(
                _start(clauses[0], loc), f"table function {called} has no history: flashback "
                "clauses (AS OF, VERSIONS, FOR SYSTEM_TIME, FLASHBACK TRANSACTION) apply to "
                "tables only")
        args = args or ()
        named = tuple(a for a in args if isinstance(a, NamedArg))
        positional = args[: len(args) - len(named)]
        if any(isinstance(a, NamedArg) for a in positional):  # DuckDB's rule, said at parse time
            raise self._error_at(_start(named[0], loc),
                                 f"{called}: positional arguments must come before named ones")
        return TableFunctionRef(name, positional, named, alias, columns or (), span=span_of(loc))

    def function_args(self, loc: Loc, *args: Expr | NamedArg) -> tuple[Expr | NamedArg, ...]:
        return args

    def named_arg(self, loc: Loc, name: str, value: Expr) -> NamedArg:
        return NamedArg(name, value, span=span_of(loc))

    def derived_table(
        self, loc: Loc, query: Query, alias: str | None, columns: tuple[str, ...] | None
    ) -> SubqueryRef:
        return SubqueryRef(query, alias, columns or (), span=span_of(loc))

    def cross_join(self, loc: Loc, left: Relation, right: Relation) -> Join:
        return Join(JoinKind.CROSS, left, right, span=span_of(loc))

    def join(
        self,
        loc: Loc,
        left: Relation,
        kind: JoinKind | None,
        right: Relation,
        condition: _JoinCondition,
    ) -> Join:
        how, value = condition
        on = value if how == "on" and isinstance(value, Expr) else None
        using = value if how == "using" and isinstance(value, tuple) else ()
        return Join(kind or JoinKind.INNER, left, right, on=on, using=using, span=span_of(loc))

    def natural_join(
        self, loc: Loc, left: Relation, kind: JoinKind | None, right: Relation
    ) -> Join:
        return Join(kind or JoinKind.INNER, left, right, natural=True, span=span_of(loc))

    def inner(self, loc: Loc) -> JoinKind:
        return JoinKind.INNER

    def left(self, loc: Loc) -> JoinKind:
        return JoinKind.LEFT

    def right(self, loc: Loc) -> JoinKind:
        return JoinKind.RIGHT

    def full(self, loc: Loc) -> JoinKind:
        return JoinKind.FULL

    def on_condition(self, loc: Loc, condition: Expr) -> _JoinCondition:
        return "on", condition

    def using_condition(self, loc: Loc, columns: tuple[str, ...]) -> _JoinCondition:
        return "using", columns

    # --- temporal clauses -----------------------------------------------------------------

    def temporal_kind(self, loc: Loc, token: Token) -> TemporalKind:
        return TemporalKind(token.upper())

    system_time_kind = temporal_kind

    def versions_low(self, loc: Loc, value: Expr | Token) -> Expr | VersionsBound:
        return VersionsBound.MINVALUE if isinstance(value, Token) else value

    def versions_high(self, loc: Loc, value: Expr | Token) -> Expr | VersionsBound:
        return VersionsBound.MAXVALUE if isinstance(value, Token) else value

    def as_of(self, loc: Loc, _as: Token, kind: TemporalKind, expr: Expr) -> AsOf:
        return AsOf(kind, expr, span=span_of(loc))

    def versions(
        self,
        loc: Loc,
        _versions: Token,
        kind: TemporalKind,
        low: Expr | VersionsBound,
        high: Expr | VersionsBound,
    ) -> Versions:
        # Out of place, MAXVALUE / MINVALUE lex as column names; say what is wrong instead.
        for bound, word, where in ((low, "MAXVALUE", "lower"), (high, "MINVALUE", "upper")):
            if isinstance(bound, Column) and not bound.qualifier and bound.name.upper() == word:
                self._fail(loc, f"{word} cannot be the {where} bound of VERSIONS BETWEEN")
        return Versions(kind, low, high, span=span_of(loc))

    def versions_period(self, loc: Loc, *_: object) -> TemporalClause:
        raise self._not_supported(loc, "VERSIONS PERIOD FOR (valid-time periods)")

    def as_of_period(self, loc: Loc, *_: object) -> TemporalClause:
        raise self._not_supported(loc, "AS OF PERIOD FOR (valid-time periods)")

    def _not_supported(self, loc: Loc, what: str) -> NotSupportedError:
        # Parsed so that the message names the feature instead of a confusing syntax error.
        located = syntax_error(self._text, loc.start_pos, what)
        message = located.message.replace("syntax error at", "not supported at", 1)
        return NotSupportedError(message, position=loc.start_pos)

    def system_time_as_of(
        self, loc: Loc, _for: Token, kind: TemporalKind | None, expr: Expr
    ) -> TemporalClause:
        return SystemTimeAsOf(kind or TemporalKind.TIMESTAMP, expr, span=span_of(loc))

    def _times_only(self, loc: Loc, *kinds: TemporalKind | None) -> None:
        """A period's bounds are times (``TIMESTAMP`` may precede each); SCNs take VERSIONS."""
        if TemporalKind.SCN in kinds:
            raise self._not_supported(loc, "FOR SYSTEM_TIME periods are bounded by times "
                                      "(for SCNs use VERSIONS BETWEEN SCN)")

    def system_time_between(self, loc: Loc, _for: Token, low_kind: TemporalKind | None,
                            low: Expr, high_kind: TemporalKind | None,
                            high: Expr) -> TemporalClause:
        self._times_only(loc, low_kind, high_kind)
        return SystemTimeBetween(low, high, span=span_of(loc))

    def system_time_from_to(self, loc: Loc, _for: Token, start_kind: TemporalKind | None,
                            start: Expr, end_kind: TemporalKind | None,
                            end: Expr) -> TemporalClause:
        self._times_only(loc, start_kind, end_kind)
        return SystemTimeFromTo(start, end, span=span_of(loc))

    def system_time_contained_in(
        self, loc: Loc, _for: Token, start_kind: TemporalKind | None, start: Expr,
        end_kind: TemporalKind | None, end: Expr,
    ) -> TemporalClause:
        self._times_only(loc, start_kind, end_kind)
        return SystemTimeContainedIn(start, end, span=span_of(loc))

    def system_time_all(self, loc: Loc, _for: Token) -> TemporalClause:
        return SystemTimeAll(span=span_of(loc))

    def transaction_versions(self, loc: Loc, _flashback: Token, xid: Expr) -> TemporalClause:
        return TransactionVersions(xid, span=span_of(loc))

