"""Scalar expression nodes of the logical plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

from heliosql.plan.base import Expr, Node, Span

if TYPE_CHECKING:
    from heliosql.plan.relations import OrderItem, Query


class BinaryOp(Enum):
    """Binary operators; the value is the SQL spelling."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    MOD = "%"
    CONCAT = "||"
    EQ = "="
    NE = "<>"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    AND = "AND"
    OR = "OR"


class UnaryOp(Enum):
    """Prefix operators."""

    NEG = "-"
    POS = "+"
    NOT = "NOT"
    PRIOR = "PRIOR"  # hierarchical queries: the parent row's value
    CONNECT_BY_ROOT = "CONNECT_BY_ROOT"  # hierarchical queries: the root row's value


class ParamStyle(Enum):
    """How a bind parameter was written: ``:name``, ``:1`` or ``?``."""

    NAMED = "named"
    NUMERIC = "numeric"
    QMARK = "qmark"


class Quantifier(Enum):
    """ANY (also spelled SOME) or ALL before a subquery in a comparison."""

    ANY = "ANY"
    ALL = "ALL"


class SpecialKind(Enum):
    """Parameterless special values (no parentheses in Oracle)."""

    SYSDATE = "SYSDATE"
    SYSTIMESTAMP = "SYSTIMESTAMP"
    CURRENT_TIMESTAMP = "CURRENT_TIMESTAMP"
    CURRENT_DATE = "CURRENT_DATE"
    CURRENT_TIME = "CURRENT_TIME"
    LOCALTIMESTAMP = "LOCALTIMESTAMP"


class IntervalField(Enum):
    """Datetime fields of an INTERVAL literal."""

    YEAR = "YEAR"
    MONTH = "MONTH"
    DAY = "DAY"
    HOUR = "HOUR"
    MINUTE = "MINUTE"
    SECOND = "SECOND"


class FrameUnit(Enum):
    """Window frame units."""

    ROWS = "ROWS"
    RANGE = "RANGE"
    GROUPS = "GROUPS"


class BoundKind(Enum):
    """Kinds of window frame bound."""

    UNBOUNDED_PRECEDING = "UNBOUNDED PRECEDING"
    PRECEDING = "PRECEDING"
    CURRENT_ROW = "CURRENT ROW"
    FOLLOWING = "FOLLOWING"
    UNBOUNDED_FOLLOWING = "UNBOUNDED FOLLOWING"


LiteralValue = int | Decimal | str | bool | None
_COMPARISON_OPS = frozenset(
    (BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE)
)


@dataclass(frozen=True, slots=True)
class TypeName(Node):
    """A type as written: ``NUMBER(10,2)``, ``VARCHAR2(10 CHAR)``, ``TIMESTAMP WITH TIME ZONE``."""

    name: str
    params: tuple[int | None, ...] = ()  # None: Oracle's `*` (NUMBER(*,0))
    modifiers: tuple[str, ...] = ()  # canonical upper-case trailing words, e.g. "WITH TIME ZONE"
    length_unit: str | None = None  # "CHAR" or "BYTE" (Oracle length semantics)
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    """A number, string, boolean or NULL constant (int or Decimal for numbers)."""

    value: LiteralValue
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class TypedLiteral(Expr):
    """``DATE 'x'``, ``TIMESTAMP 'x'`` or ``TIME 'x'``: the text, unparsed."""

    type_name: str  # "DATE" | "TIMESTAMP" | "TIME"
    value: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Interval(Expr):
    """``INTERVAL '1' HOUR``, ``INTERVAL '1-2' YEAR TO MONTH`` or ``INTERVAL '1 hour'``."""

    value: str
    unit: IntervalField | None = None
    to_unit: IntervalField | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.to_unit is not None and self.unit is None:
            raise ValueError("INTERVAL ... TO needs a leading field")


@dataclass(frozen=True, slots=True)
class Column(Expr):
    """A column reference; ``qualifier`` holds the table/alias (and schema) parts."""

    name: str
    qualifier: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Star(Expr):
    """``*`` or ``t.*`` in a select list."""

    qualifier: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Parameter(Expr):
    """A bind parameter; ``position`` is 1-based (``:1``, or the n-th ``?``)."""

    style: ParamStyle
    name: str | None = None
    position: int | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if (self.style is ParamStyle.NAMED) != (self.name is not None):
            raise ValueError("a named parameter needs a name, others none")
        if self.style is not ParamStyle.NAMED and self.position is None:
            raise ValueError("a positional parameter needs a position")


@dataclass(frozen=True, slots=True)
class SpecialValue(Expr):
    """SYSDATE, SYSTIMESTAMP, CURRENT_TIMESTAMP and friends."""

    kind: SpecialKind
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    """A prefix operator applied to one operand."""

    op: UnaryOp
    operand: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    """A binary operator (arithmetic, ``||``, comparison, AND, OR)."""

    op: BinaryOp
    left: Expr
    right: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class FrameBound(Node):
    """One end of a window frame; ``offset`` only for PRECEDING / FOLLOWING."""

    kind: BoundKind
    offset: Expr | None = None

    def __post_init__(self) -> None:
        needs = self.kind in (BoundKind.PRECEDING, BoundKind.FOLLOWING)
        if needs != (self.offset is not None):
            raise ValueError("only PRECEDING / FOLLOWING bounds take an offset")


@dataclass(frozen=True, slots=True)
class WindowFrame(Node):
    """``ROWS | RANGE | GROUPS`` frame; ``end`` is None for the one-bound form."""

    unit: FrameUnit
    start: FrameBound
    end: FrameBound | None = None


@dataclass(frozen=True, slots=True)
class WindowSpec(Node):
    """The OVER clause: an optional base window name, partitioning, ordering and frame."""

    base: str | None = None
    partition_by: tuple[Expr, ...] = ()
    order_by: tuple[OrderItem, ...] = ()
    frame: WindowFrame | None = None


@dataclass(frozen=True, slots=True)
class FunctionCall(Expr):
    """A call of any (possibly qualified) function, aggregate or window function."""

    name: tuple[str, ...]
    args: tuple[Expr, ...] = ()
    distinct: bool = False
    star: bool = False  # COUNT(*)
    filter: Expr | None = None
    over: WindowSpec | None = None
    parens: bool = True  # False for DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER written bare
    within_group: tuple[OrderItem, ...] = ()  # LISTAGG(...) WITHIN GROUP (ORDER BY ...)
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.star and self.args:
            raise ValueError("f(*) takes no other arguments")


@dataclass(frozen=True, slots=True)
class Extract(Expr):
    """``EXTRACT(field FROM expr)``; the field upper-cased (YEAR, EPOCH, ...)."""

    field: str
    expr: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Cast(Expr):
    """``CAST(expr AS type)`` or ``expr::type``."""

    expr: Expr
    type: TypeName
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class WhenClause(Node):
    """One ``WHEN condition THEN result`` arm of a CASE."""

    condition: Expr
    result: Expr


@dataclass(frozen=True, slots=True)
class Case(Expr):
    """Simple (``operand`` set) or searched CASE."""

    operand: Expr | None
    whens: tuple[WhenClause, ...]
    default: Expr | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if not self.whens:
            raise ValueError("CASE needs at least one WHEN")


@dataclass(frozen=True, slots=True)
class Between(Expr):
    """``expr [NOT] BETWEEN low AND high``."""

    expr: Expr
    low: Expr
    high: Expr
    negated: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class QuantifiedComparison(Expr):
    """``left op ANY|ALL (query)``; ``op`` is a comparison."""

    op: BinaryOp
    left: Expr
    quantifier: Quantifier
    query: Query
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.op not in _COMPARISON_OPS:
            raise ValueError(f"{self.op.value} is not a comparison")


@dataclass(frozen=True, slots=True)
class IsDistinctFrom(Expr):
    """``left IS [NOT] DISTINCT FROM right`` (NULL-safe comparison)."""

    left: Expr
    right: Expr
    negated: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Like(Expr):
    """``expr [NOT] LIKE|ILIKE pattern [ESCAPE e]``."""

    expr: Expr
    pattern: Expr
    escape: Expr | None = None
    negated: bool = False
    case_insensitive: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class IsNull(Expr):
    """``expr IS [NOT] NULL``."""

    expr: Expr
    negated: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class InList(Expr):
    """``expr [NOT] IN (a, b, ...)``."""

    expr: Expr
    items: tuple[Expr, ...]
    negated: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class InSubquery(Expr):
    """``expr [NOT] IN (query)``."""

    expr: Expr
    query: Query
    negated: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Exists(Expr):
    """``EXISTS (query)``; NOT EXISTS is a Unary NOT around it."""

    query: Query
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ScalarSubquery(Expr):
    """A parenthesised query used as a value."""

    query: Query
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class DefaultValue(Expr):
    """The DEFAULT keyword in VALUES or SET (use the column's default)."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


def conjuncts(expr: Expr) -> list[Expr]:
    """The terms of an AND chain, in order: ``a AND (b AND c)`` -> [a, b, c]."""
    out: list[Expr] = []
    stack = [expr]
    while stack:  # no recursion: a WHERE may chain thousands of terms
        node = stack.pop()
        if isinstance(node, Binary) and node.op is BinaryOp.AND:
            stack.extend((node.right, node.left))
        else:
            out.append(node)
    return out


def conjoin(terms: list[Expr]) -> Expr | None:
    """``terms`` joined by AND (None for no terms)."""
    result: Expr | None = None
    for term in terms:
        result = term if result is None else Binary(BinaryOp.AND, result, term)
    return result
