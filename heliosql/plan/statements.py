"""Statements: queries, DML, transaction control and utility statements.

DDL lives in ``ddl.py`` and the flashback operations in ``flashback.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heliosql.plan.base import Expr, Node, Relation, Span, Statement
from heliosql.plan.relations import Query, SelectItem, TableRef


@dataclass(frozen=True, slots=True)
class QueryStatement(Statement):
    """A query run as a statement."""

    query: Query
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


# --- DML ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment(Node):
    """``col = expr`` or ``(a, b) = (subquery)`` in SET."""

    columns: tuple[str, ...]
    value: Expr

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("an assignment needs a target column")


@dataclass(frozen=True, slots=True)
class InsertValues(Node):
    """The VALUES rows of an INSERT."""

    rows: tuple[tuple[Expr, ...], ...]

    def __post_init__(self) -> None:
        if len({len(row) for row in self.rows}) > 1:
            raise ValueError("VALUES rows must all have the same number of values")


@dataclass(frozen=True, slots=True)
class OnConflict(Node):
    """``ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET ... [WHERE ...]``."""

    columns: tuple[str, ...] = ()
    do_update: bool = False
    assignments: tuple[Assignment, ...] = ()
    where: Expr | None = None

    def __post_init__(self) -> None:
        if self.do_update != bool(self.assignments):
            raise ValueError("DO UPDATE needs assignments, DO NOTHING none")


@dataclass(frozen=True, slots=True)
class Insert(Statement):
    """``INSERT INTO t [(cols)] VALUES ... | query [ON CONFLICT ...] [RETURNING ...]``."""

    table: TableRef
    source: InsertValues | Query
    columns: tuple[str, ...] = ()
    on_conflict: OnConflict | None = None
    returning: tuple[SelectItem, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Update(Statement):
    """``UPDATE t [alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]``."""

    table: TableRef
    assignments: tuple[Assignment, ...]
    from_: tuple[Relation, ...] = ()
    where: Expr | None = None
    returning: tuple[SelectItem, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Delete(Statement):
    """``DELETE FROM t [alias] [WHERE ...] [RETURNING ...]``."""

    table: TableRef
    where: Expr | None = None
    returning: tuple[SelectItem, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class MergeUpdate(Node):
    """``WHEN MATCHED [AND cond] THEN UPDATE SET ... [WHERE ...] [DELETE WHERE ...]``."""

    assignments: tuple[Assignment, ...]
    condition: Expr | None = None
    where: Expr | None = None  # Oracle's trailing WHERE of the UPDATE branch
    delete_where: Expr | None = None  # Oracle: deletes updated rows, seeing their new values


@dataclass(frozen=True, slots=True)
class MergeDelete(Node):
    """``WHEN MATCHED [AND cond] THEN DELETE``."""

    condition: Expr | None = None


@dataclass(frozen=True, slots=True)
class MergeInsert(Node):
    """``WHEN NOT MATCHED [AND cond] THEN INSERT [(cols)] VALUES (...) [WHERE ...]``."""

    values: tuple[Expr, ...]
    columns: tuple[str, ...] = ()
    condition: Expr | None = None
    where: Expr | None = None  # Oracle's trailing WHERE of the INSERT branch

    def __post_init__(self) -> None:
        if self.columns and len(self.columns) != len(self.values):
            raise ValueError("MERGE INSERT column and value counts differ")


MergeAction = MergeUpdate | MergeDelete | MergeInsert


@dataclass(frozen=True, slots=True)
class Merge(Statement):
    """``MERGE INTO target USING source ON cond WHEN ...`` (clauses in written order)."""

    target: TableRef
    source: Relation
    on: Expr
    actions: tuple[MergeAction, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if not self.actions:
            raise ValueError("MERGE needs at least one WHEN clause")


# --- transactions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Begin(Statement):
    """BEGIN [TRANSACTION|WORK] / START TRANSACTION."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Commit(Statement):
    """COMMIT [WORK]."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Rollback(Statement):
    """ROLLBACK [WORK], or ROLLBACK TO [SAVEPOINT] name when ``savepoint`` is set."""

    savepoint: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Savepoint(Statement):
    """SAVEPOINT name."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ReleaseSavepoint(Statement):
    """RELEASE [SAVEPOINT] name."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class SetTransaction(Statement):
    """SET TRANSACTION NAME 'x' (names the transaction for flashback transaction queries)."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


# --- utility --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Explain(Statement):
    """EXPLAIN [ANALYZE] statement."""

    statement: Statement
    analyze: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if isinstance(self.statement, Explain):
            raise ValueError("EXPLAIN cannot explain an EXPLAIN")


@dataclass(frozen=True, slots=True)
class ShowTables(Statement):
    """SHOW TABLES."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Describe(Statement):
    """DESCRIBE t / DESC t."""

    table: tuple[str, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)
