"""Relational nodes: FROM items, query blocks, set operations and queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from heliosql.plan.base import Expr, Node, Relation, Span
from heliosql.plan.expressions import WindowSpec
from heliosql.plan.oracle import Hierarchy
from heliosql.plan.temporal import TemporalClause


class JoinKind(Enum):
    """Join kinds; comma-separated FROM items are kept as a tuple, not CROSS joins."""

    INNER = "INNER"
    LEFT = "LEFT"
    RIGHT = "RIGHT"
    FULL = "FULL"
    CROSS = "CROSS"


class SetOpKind(Enum):
    """Set operators; Oracle's MINUS is EXCEPT."""

    UNION = "UNION"
    INTERSECT = "INTERSECT"
    EXCEPT = "EXCEPT"


class NullsOrder(Enum):
    """Explicit NULLS FIRST / NULLS LAST."""

    FIRST = "FIRST"
    LAST = "LAST"


@dataclass(frozen=True, slots=True)
class TableRef(Relation):
    """A named table or view, optionally read at another time (``temporal``)."""

    name: tuple[str, ...]
    alias: str | None = None
    temporal: TemporalClause | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a table reference needs a name")


@dataclass(frozen=True, slots=True)
class SubqueryRef(Relation):
    """A derived table: ``(query) [AS] alias [(col, ...)]``."""

    query: Query
    alias: str | None = None
    column_aliases: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class NamedArg(Node):
    """A DuckDB named argument of a table function: ``name := value``."""

    name: str
    value: Expr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class TableFunctionRef(Relation):
    """A DuckDB table function: ``name(args, name := value) [[AS] alias [(col, ...)]]``."""

    name: tuple[str, ...]
    args: tuple[Expr, ...] = ()
    named_args: tuple[NamedArg, ...] = ()
    alias: str | None = None
    column_aliases: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a table function needs a name")
        if self.column_aliases and self.alias is None:
            raise ValueError("column aliases of a table function need a table alias")
        seen = [arg.name.lower() for arg in self.named_args]
        if len(set(seen)) != len(seen):
            raise ValueError(f"{'.'.join(self.name)} is given a named argument twice")


@dataclass(frozen=True, slots=True)
class Join(Relation):
    """``left [NATURAL] kind JOIN right [ON cond | USING (cols)]``."""

    kind: JoinKind
    left: Relation
    right: Relation
    on: Expr | None = None
    using: tuple[str, ...] = ()
    natural: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if self.on is not None and self.using:
            raise ValueError("a join has ON or USING, not both")
        if self.kind is JoinKind.CROSS and (self.on is not None or self.using or self.natural):
            raise ValueError("CROSS JOIN takes no condition")


@dataclass(frozen=True, slots=True)
class SelectItem(Node):
    """One select-list entry (the expression may be a Star)."""

    expr: Expr
    alias: str | None = None
    # Oracle's heading for an unaliased expression (its text, see parsing/headings.py).
    heading: str | None = field(default=None, compare=False, repr=False, kw_only=True)
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class OrderItem(Node):
    """``expr [ASC|DESC] [NULLS FIRST|LAST]``."""

    expr: Expr
    descending: bool = False
    nulls: NullsOrder | None = None


@dataclass(frozen=True, slots=True)
class Limit(Node):
    """LIMIT/OFFSET or ``OFFSET n ROWS FETCH FIRST n ROWS ONLY``; None means absent."""

    count: Expr | None = None
    offset: Expr | None = None


@dataclass(frozen=True, slots=True)
class NamedWindow(Node):
    """``WINDOW name AS (spec)`` of a query block."""

    name: str
    spec: WindowSpec


@dataclass(frozen=True, slots=True)
class Select(Node):
    """One query block (SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...)."""

    items: tuple[SelectItem, ...]
    from_: tuple[Relation, ...] = ()
    where: Expr | None = None
    group_by: tuple[Expr, ...] = ()
    having: Expr | None = None
    windows: tuple[NamedWindow, ...] = ()
    distinct: bool = False
    hierarchy: Hierarchy | None = None  # START WITH ... CONNECT BY ...
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SetOperation(Node):
    """``left UNION|INTERSECT|EXCEPT [ALL] right`` (Oracle precedence: left to right)."""

    op: SetOpKind
    left: QueryBody
    right: QueryBody
    all: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class CommonTableExpr(Node):
    """``name [(cols)] AS (query)`` in a WITH clause."""

    name: str
    query: Query
    columns: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class With(Node):
    """``WITH [RECURSIVE] cte, ...``."""

    ctes: tuple[CommonTableExpr, ...]
    recursive: bool = False


@dataclass(frozen=True, slots=True)
class Query(Node):
    """A complete query: WITH, a body (block, set operation or nested query), ORDER BY, LIMIT."""

    body: QueryBody
    with_: With | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: Limit | None = None
    for_update: bool = False  # Oracle: not allowed together with AS OF (binder's check)
    order_siblings: bool = False  # ORDER SIBLINGS BY of a hierarchical query
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


QueryBody = Select | SetOperation | Query
