"""Scalar plan expressions -> sqlglot nodes that generate DuckDB SQL.

``ExpressionCompiler.compile`` dispatches on the node's class name to
``visit_<Name>``, ibis style: every field that holds an expression (or a tuple
of them) is compiled first and passed by name, so a visitor only assembles
sqlglot nodes. Nothing is rendered to text and parsed back.

Oracle semantics kept on purpose (each is tested):

* ``''`` is NULL, and ``a || b`` treats NULL as '' and gives NULL for an empty result.
* ``ORDER BY x DESC`` puts NULLs first (Oracle sorts NULL as the largest value;
  DuckDB's default is NULLS LAST for both directions).
* ``date ± number`` adds days when the date side is known to be a date/time, and
  ``date - date`` is a number of days (``date_arithmetic.py``).
* Text compared with a date, or written to a date column, is read with the
  session's format (``'01-JAN-81'``), as Oracle converts it.
* ``EXTRACT(SECOND ...)`` keeps the fraction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from sqlglot import exp

from heliosql.compiler import date_arithmetic, scalars, sqlglot_functions, windows
from heliosql.compiler.functions import EMPTY_IS_NULL, HANDLERS, Call, oracle_concat
from heliosql.compiler.identifiers import column
from heliosql.compiler.intervals import compile_interval
from heliosql.compiler.kinds import TEMPORAL, Hint, Kind, kind_of
from heliosql.compiler.sequences import SequenceReferences
from heliosql.compiler.temporal_functions import default_mask, read_datetime
from heliosql.compiler.types import duckdb_type
from heliosql.nls import DEFAULT, NlsSettings
from heliosql.plan import expressions as px
from heliosql.plan.base import Expr, Node
from heliosql.plan.relations import OrderItem, Query
from heliosql.plan.sequences import SequenceValue
from heliosql.plan.walk import field_names
from heliosql.storage.errors import HeliosError, NotSupportedError, ProgrammingError
from heliosql.storage.statement_time import PARAMETER, VARIABLE

SpecialFunction = Callable[[tuple[exp.Expression, ...]], exp.Expression]
CompileQuery = Callable[[Query], exp.Expression]

_BINARY: dict[px.BinaryOp, type[exp.Binary]] = {
    px.BinaryOp.ADD: exp.Add,
    px.BinaryOp.SUB: exp.Sub,
    px.BinaryOp.MUL: exp.Mul,
    px.BinaryOp.DIV: exp.Div,
    px.BinaryOp.MOD: exp.Mod,
    px.BinaryOp.EQ: exp.EQ,
    px.BinaryOp.NE: exp.NEQ,
    px.BinaryOp.LT: exp.LT,
    px.BinaryOp.LE: exp.LTE,
    px.BinaryOp.GT: exp.GT,
    px.BinaryOp.GE: exp.GTE,
    px.BinaryOp.AND: exp.And,
    px.BinaryOp.OR: exp.Or,
}
# Operands of these need parentheses: sqlglot prints the tree without adding any.
_COMPOUND = (exp.Binary, exp.Not, exp.Neg, exp.Between, exp.In, exp.Escape)
_CONNECTORS = (exp.And, exp.Or)
_PARAM_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# TO_DATE('13-JUL-87') is read when compiled (see ``_folded``).
_READ_NOW = frozenset({"TO_DATE", "TO_TIMESTAMP"})
# A tuple: membership tests identity, where a set would call Enum.__hash__ per node.
_COMPARISONS = (px.BinaryOp.EQ, px.BinaryOp.NE, px.BinaryOp.LT, px.BinaryOp.LE,
                px.BinaryOp.GT, px.BinaryOp.GE)
# Per compiler class, per plan class: the visit_ method and the plan class's fields.
_Dispatch = dict[type, tuple[Callable[..., exp.Expression] | None, tuple[str, ...]]]
_DISPATCH: dict[type, _Dispatch] = {}


def _wrap(e: exp.Expression) -> exp.Expression:
    return exp.Paren(this=e) if isinstance(e, _COMPOUND) else e


def _position(node: Node) -> int | None:
    span = getattr(node, "span", None)
    return span.start if span is not None else None


def _is_text(node: Expr) -> bool:
    """A string literal that is not '' (which is NULL)."""
    return type(node) is px.Literal and isinstance(node.value, str) and node.value != ""


# The column of a batch row that holds parameter ``name`` is ``__p_<name>``.
BATCH_PREFIX = "__p_"


class Definition(Enum):
    """The part of a column definition being compiled."""

    DEFAULT = "default"
    CONSTRAINT = "constraint"


class ExpressionCompiler:
    """Compiles plan expressions; one instance per statement (it collects the parameters).

    ``compile_query`` compiles the plan Query inside IN/EXISTS/scalar subqueries;
    ``special_functions`` (upper-case dotted name -> builder) are heliosql's own
    functions, consulted before anything else; ``temporal_hint`` lets the binder say
    what kind of value a column holds (``kinds.py``), which decides ``TRUNC(x)`` and
    ``x + 1``; ``nls`` are the session's default date formats. ``parameters`` lists
    the DuckDB parameter names emitted, in first-use order: ``:name`` -> ``name``,
    ``:1`` / 1st ``?`` -> ``p1``.
    """

    def __init__(
        self,
        compile_query: CompileQuery | None = None,
        *,
        special_functions: Mapping[str, SpecialFunction] | None = None,
        temporal_hint: Hint | None = None,
        nls: NlsSettings = DEFAULT,
        constant: Callable[[exp.Expression], Any] | None = None,
    ) -> None:
        self._compile_query = compile_query
        self._special = {k.upper(): v for k, v in (special_functions or {}).items()}
        self._temporal_hint = temporal_hint
        self.nls = nls
        self._constant = constant  # evaluates a constant expression in DuckDB
        self.parameters: list[str] = []
        # Compiling a column definition: its DEFAULT or CHECK (where parameters cannot go).
        self.definition: Definition | None = None
        # Compiling an executemany as one statement: parameters are columns of the batch's
        # rows, named ``batch_alias."__p_<name>"``; ``batch_parameters`` lists them.
        self.batch_alias: str | None = None
        self.batch_parameters: list[str] = []
        # The statement's sequence references (compiler/sequences.py); None: none allowed.
        self.sequences: SequenceReferences | None = None
        self._param_style: px.ParamStyle | None = None
        self._dispatch = _DISPATCH.setdefault(type(self), {})
        self._plain_columns = type(self).visit_Column is ExpressionCompiler.visit_Column

    # --- dispatch --------------------------------------------------------------------------

    def compile(self, node: Expr) -> exp.Expression:
        """The sqlglot expression for a plan expression."""
        cls = type(node)
        if cls is px.Column and self._plain_columns:
            # A third of a query's nodes, with nothing below: skip gathering fields.
            return column(node.name, node.qualifier)
        if cls is px.Binary and type(node.left) is px.Binary:
            return self._compile_chain(node)
        dispatch = self._dispatch.get(cls)
        if dispatch is None:
            dispatch = self._dispatch[cls] = (
                getattr(type(self), f"visit_{cls.__name__}", None), field_names(cls))
        method, names = dispatch
        if method is None:
            raise NotSupportedError(
                f"cannot compile {cls.__name__} as an expression", position=_position(node)
            )
        children = {}
        for name in names:  # one loop, no call per field: this runs for every plan node
            value = getattr(node, name)
            if isinstance(value, Expr):
                value = self.compile(value)
            elif (isinstance(value, tuple) and value and isinstance(value[0], Expr)
                  and all(isinstance(v, Expr) for v in value)):
                value = tuple(self.compile(v) for v in value)
            children[name] = value
        result: exp.Expression = method(self, node, **children)
        return result

    def _compile_chain(self, node: px.Binary) -> exp.Expression:
        """A left-deep chain of operators (``a AND b AND ...``, ``a + b + ...``) compiled
        bottom up in a loop: a recursion per term would exhaust Python's stack at a few
        hundred terms, and generated WHERE clauses have thousands."""
        spine: list[px.Binary] = []
        below: Expr = node
        while type(below) is px.Binary:
            spine.append(below)
            below = below.left
        result = self.compile(below)
        visit = type(self).visit_Binary
        for link in reversed(spine):
            result = visit(self, link, op=link.op, left=result, right=self.compile(link.right))
        return result

    def compile_order_item(self, item: OrderItem) -> exp.Ordered:
        """``expr [ASC|DESC] [NULLS ...]`` with Oracle's default: NULLs sort as the largest."""
        return windows.order_item(item, self.compile)

    def kind_of(self, node: Expr) -> Kind | None:
        """What ``node`` is known to hold (``kinds.py``), from its shape or the binder's hint."""
        return kind_of(node, self._temporal_hint)

    def is_temporal(self, node: Expr) -> bool:
        """Whether ``node`` is known to hold a date/time."""
        return self.kind_of(node) in TEMPORAL

    def compile_into(self, node: Expr, kind: Kind | None) -> exp.Expression:
        """``node`` as a value written to a column of ``kind``: text for a date is read
        with the session's format, as Oracle converts it."""
        if kind in TEMPORAL and _is_text(node):
            return self.read_text(node, kind)
        return self.compile(node)

    def read_text(self, node: px.Literal, kind: Kind | None) -> exp.Expression:
        """A string literal read as a date/time of ``kind`` with the session's format (or
        ISO form); a TIMESTAMP WITH TIME ZONE reads it as a TIMESTAMP, in the session's
        zone."""
        mask = default_mask(Kind.TIMESTAMP if kind is Kind.TIMESTAMPTZ else kind, self.nls)
        text = scalars.literal(node.value)
        return self._folded(read_datetime(text, mask, iso=True, position=_position(node)),
                            node)

    def _folded(self, reading: exp.Expression, node: Expr) -> exp.Expression:
        """A date read from constant text, read now: its TIMESTAMP literal, or its error
        (ORA-01861) placed at ``node``, raised even where no row would have read it."""
        if self._constant is None:
            return reading
        try:
            value = self._constant(reading)
        except HeliosError as exc:
            if exc.position is None:
                exc.position = _position(node)
            raise
        if not isinstance(value, datetime):  # DuckDB's value has no Python form: read later
            return reading
        return exp.Cast(this=exp.Literal.string(value.isoformat(sep=" ")),
                        to=exp.DataType(this=exp.DataType.Type.TIMESTAMP))

    def _converted(self, node: Expr, compiled: exp.Expression, other: Kind | None
                   ) -> exp.Expression:
        """``compiled`` (of ``node``), or the date it spells when compared with a date."""
        if other in TEMPORAL and _is_text(node):
            return self.read_text(node, other)
        return compiled

    # --- leaves ----------------------------------------------------------------------------

    def visit_Literal(self, node: px.Literal, *, value: px.LiteralValue) -> exp.Expression:
        return scalars.literal(value)

    def visit_TypedLiteral(self, node: px.TypedLiteral, **_: Any) -> exp.Cast:
        return scalars.typed_literal(node)

    def visit_Interval(self, node: px.Interval, **_: Any) -> exp.Interval:
        return compile_interval(node)

    def visit_Column(self, node: px.Column, *, name: str, qualifier: tuple[str, ...]) -> exp.Column:
        return column(name, qualifier)

    def visit_Star(self, node: px.Star, *, qualifier: tuple[str, ...]) -> exp.Expression:
        return column(exp.Star(), qualifier) if qualifier else exp.Star()

    def visit_Parameter(self, node: px.Parameter, **_: Any) -> exp.Placeholder:
        if self._param_style not in (None, node.style):
            raise ProgrammingError(
                "a statement cannot mix :name, :1 and ? parameters", position=_position(node)
            )
        self._param_style = node.style
        name = node.name.lower() if node.name is not None else f"p{node.position}"
        if not _PARAM_NAME.fullmatch(name):
            raise NotSupportedError(
                f"bind parameter name {node.name!r} is not supported", position=_position(node)
            )
        if self.batch_alias is not None:
            if name not in self.batch_parameters:
                self.batch_parameters.append(name)
            return column(BATCH_PREFIX + name, (self.batch_alias,))
        if name not in self.parameters:
            self.parameters.append(name)
        return exp.Placeholder(this=name)

    def visit_SpecialValue(self, node: px.SpecialValue, *, kind: px.SpecialKind) -> exp.Expression:
        return scalars.special_value(kind, self.statement_time(node))

    def statement_time(self, node: Expr) -> exp.Expression:
        """The statement's time (``storage/statement_time.py``) as a TIMESTAMP WITH TIME
        ZONE: a parameter, or in a column definition the connection variable."""
        if self.definition is Definition.CONSTRAINT:
            raise ProgrammingError("date or system variable wrongly specified in CHECK "
                                   "constraint", code="ORA-02436", position=_position(node))
        stamp = exp.DataType(this=exp.DataType.Type.TIMESTAMPTZ)
        if self.definition is Definition.DEFAULT:
            read = exp.Anonymous(this="getvariable", expressions=[exp.Literal.string(VARIABLE)])
            return exp.Cast(this=read, to=stamp)
        if PARAMETER not in self.parameters:
            self.parameters.append(PARAMETER)
        return exp.Cast(this=exp.Placeholder(this=PARAMETER), to=stamp)

    def visit_SequenceValue(self, node: SequenceValue, **_: Any) -> exp.Expression:
        if self.sequences is None:
            raise ProgrammingError("sequence number not allowed here", code="ORA-02287",
                                   position=_position(node))
        return self.sequences.compile(node)

    def visit_DefaultValue(self, node: px.DefaultValue) -> exp.Expression:
        raise ProgrammingError(
            "DEFAULT is only allowed as a whole value in INSERT ... VALUES or UPDATE ... SET",
            code="ORA-00936",
            position=_position(node),
        )

    # --- operators -------------------------------------------------------------------------

    def visit_Unary(
        self, node: px.Unary, *, op: px.UnaryOp, operand: exp.Expression
    ) -> exp.Expression:
        if op in (px.UnaryOp.PRIOR, px.UnaryOp.CONNECT_BY_ROOT):  # a hierarchical query's
            raise ProgrammingError(f"{op.value}: specified pseudocolumn or operator not "
                                   "allowed here", code="ORA-00976", position=_position(node))
        if op is px.UnaryOp.POS:
            return operand
        if op is px.UnaryOp.NEG:
            return exp.Neg(this=_wrap(operand))
        return exp.Not(this=_wrap(operand))

    def visit_OuterJoinColumn(self, node: Any, **_: Any) -> exp.Expression:
        raise ProgrammingError("outer join operator (+) is not allowed here", code="ORA-30563",
                               position=_position(node))

    def visit_Binary(
        self, node: px.Binary, *, op: px.BinaryOp, left: exp.Expression, right: exp.Expression
    ) -> exp.Expression:
        if op is px.BinaryOp.CONCAT:
            return oracle_concat([*_concat_parts(left), *_concat_parts(right)])
        if op in (px.BinaryOp.ADD, px.BinaryOp.SUB):
            shifted = self._date_arithmetic(node, left, right)
            if shifted is not None:
                return shifted
        elif op in _COMPARISONS and (_is_text(node.left) or _is_text(node.right)):
            left = self._converted(node.left, left, self.kind_of(node.right))
            right = self._converted(node.right, right, self.kind_of(node.left))
        cls = _BINARY[op]
        if cls in _CONNECTORS:
            # A chain of one connector stays unwrapped, so that sqlglot writes it in a
            # loop (it recurses through parentheses); AND inside OR keeps them.
            return cls(this=left if type(left) is cls else _wrap(left),
                       expression=right if type(right) is cls else _wrap(right))
        return cls(this=_wrap(left), expression=_wrap(right))

    def _date_arithmetic(self, node: px.Binary, left: exp.Expression, right: exp.Expression
                         ) -> exp.Expression | None:
        """Oracle's ``date ± days`` and ``date - date`` (in days); None: not date arithmetic."""
        left_kind, right_kind = self.kind_of(node.left), self.kind_of(node.right)
        cls = _BINARY[node.op]
        if left_kind in TEMPORAL and right_kind in TEMPORAL:
            if node.op is px.BinaryOp.SUB and left_kind is right_kind is Kind.DATE:
                return date_arithmetic.days_between(left, right)
            return None
        if left_kind in TEMPORAL and (days := self._days(node.right, right_kind, right)):
            return cls(this=_wrap(left), expression=days)
        if (node.op is px.BinaryOp.ADD and right_kind in TEMPORAL
                and (days := self._days(node.left, left_kind, left))):
            return cls(this=days, expression=_wrap(right))
        return None

    @staticmethod
    def _days(node: Expr, kind: Kind | None, compiled: exp.Expression) -> exp.Expression | None:
        """A number (or a parameter) added to a date, as the interval of that many days."""
        if kind is Kind.NUMBER:
            return date_arithmetic.days(compiled)
        if type(node) is px.Parameter:
            return date_arithmetic.parameter_days(compiled)
        return None

    def visit_Between(
        self,
        node: px.Between,
        *,
        expr: exp.Expression,
        low: exp.Expression,
        high: exp.Expression,
        negated: bool,
    ) -> exp.Expression:
        if _is_text(node.low) or _is_text(node.high):
            kind = self.kind_of(node.expr)
            low = self._converted(node.low, low, kind)
            high = self._converted(node.high, high, kind)
        between = exp.Between(this=_wrap(expr), low=_wrap(low), high=_wrap(high))
        return exp.Not(this=exp.Paren(this=between)) if negated else between

    def visit_IsDistinctFrom(
        self,
        node: px.IsDistinctFrom,
        *,
        left: exp.Expression,
        right: exp.Expression,
        negated: bool,
    ) -> exp.Expression:
        cls = exp.NullSafeEQ if negated else exp.NullSafeNEQ
        return cls(this=_wrap(left), expression=_wrap(right))

    def visit_Like(
        self,
        node: px.Like,
        *,
        expr: exp.Expression,
        pattern: exp.Expression,
        escape: exp.Expression | None,
        negated: bool,
        case_insensitive: bool,
    ) -> exp.Expression:
        cls = exp.ILike if case_insensitive else exp.Like
        like: exp.Expression = cls(this=_wrap(expr), expression=_wrap(pattern))
        if escape is not None:
            like = exp.Escape(this=like, expression=escape)
        return exp.Not(this=exp.Paren(this=like)) if negated else like

    def visit_IsNull(
        self, node: px.IsNull, *, expr: exp.Expression, negated: bool
    ) -> exp.Expression:
        test = exp.Is(this=_wrap(expr), expression=exp.Null())
        return exp.Not(this=test) if negated else test

    def visit_InList(
        self,
        node: px.InList,
        *,
        expr: exp.Expression,
        items: tuple[exp.Expression, ...],
        negated: bool,
    ) -> exp.Expression:
        if any(_is_text(item) for item in node.items):
            kind = self.kind_of(node.expr)
            if kind in TEMPORAL:
                items = tuple(self._converted(n, c, kind)
                              for n, c in zip(node.items, items, strict=True))
        test = exp.In(this=_wrap(expr), expressions=list(items))
        return exp.Not(this=exp.Paren(this=test)) if negated else test

    def visit_Case(
        self,
        node: px.Case,
        *,
        operand: exp.Expression | None,
        whens: tuple[px.WhenClause, ...],
        default: exp.Expression | None,
    ) -> exp.Case:
        ifs = [exp.If(this=self.compile(w.condition), true=self.compile(w.result)) for w in whens]
        return exp.Case(this=operand, ifs=ifs, default=default)

    def visit_Cast(self, node: px.Cast, *, expr: exp.Expression, type: px.TypeName) -> exp.Cast:
        return exp.Cast(this=expr, to=duckdb_type(type))

    def visit_Extract(self, node: px.Extract, *, expr: exp.Expression, **_: Any) -> exp.Expression:
        return scalars.extract(node, expr)

    # --- subqueries ------------------------------------------------------------------------

    def _query(self, node: Expr, query: Query) -> exp.Expression:
        if self._compile_query is None:
            raise NotSupportedError("subqueries need a query compiler", position=_position(node))
        compiled = self._compile_query(query)
        return compiled.unnest() if isinstance(compiled, exp.Subquery) else compiled

    def visit_InSubquery(
        self, node: px.InSubquery, *, expr: exp.Expression, query: Query, negated: bool
    ) -> exp.Expression:
        test = exp.In(this=_wrap(expr), query=exp.Subquery(this=self._query(node, query)))
        return exp.Not(this=exp.Paren(this=test)) if negated else test

    def visit_QuantifiedComparison(
        self,
        node: px.QuantifiedComparison,
        *,
        op: px.BinaryOp,
        left: exp.Expression,
        quantifier: px.Quantifier,
        query: Query,
    ) -> exp.Expression:
        cls = exp.Any if quantifier is px.Quantifier.ANY else exp.All
        return _BINARY[op](this=_wrap(left), expression=cls(this=self._query(node, query)))

    def visit_Exists(self, node: px.Exists, *, query: Query) -> exp.Exists:
        return exp.Exists(this=self._query(node, query))

    def visit_ScalarSubquery(self, node: px.ScalarSubquery, *, query: Query) -> exp.Subquery:
        return exp.Subquery(this=self._query(node, query))

    # --- function calls --------------------------------------------------------------------

    def visit_FunctionCall(
        self,
        node: px.FunctionCall,
        *,
        args: tuple[exp.Expression, ...] | tuple[()],
        filter: exp.Expression | None,
        over: px.WindowSpec | None,
        **_: Any,
    ) -> exp.Expression:
        name = ".".join(node.name).upper()
        position = _position(node)
        if name in self._special:
            result = self._special[name](args)
        elif name in scalars.CLOCK_FUNCTIONS and not args and len(node.name) == 1:
            result = scalars.special_value(scalars.CLOCK_FUNCTIONS[name],
                                           self.statement_time(node))
        elif len(node.name) > 1 or not node.parens:
            raise NotSupportedError(f"unknown function {'.'.join(node.name)}", position=position)
        elif node.star:
            result = sqlglot_functions.star_call(node.name[-1])
        elif name in HANDLERS and not node.distinct:
            kinds = tuple(self.kind_of(a) for a in node.args)
            result = HANDLERS[name](Call(name, args, node.args, kinds, position, self.nls))
            if name in _READ_NOW and node.args and all(type(a) is px.Literal
                                                       for a in node.args):
                result = self._folded(result, node.args[0])
        else:
            result = sqlglot_functions.build(node.name[-1], list(args), node.distinct, position)
            if name in EMPTY_IS_NULL:  # Oracle has no empty string: '' is NULL
                result = exp.Nullif(this=result, expression=exp.Literal.string(""))
        if filter is not None:
            result = exp.Filter(this=result, expression=exp.Where(this=filter))
        if over is not None:
            result = windows.window(result, over, self.compile)
        return result


def _concat_parts(e: exp.Expression) -> list[exp.Expression]:
    """Flatten ``(a || b) || c`` into one CONCAT(a, b, c)."""
    if e.meta.get("oracle_concat"):
        return list(e.this.expressions)
    return [e]
