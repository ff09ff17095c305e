"""DDL statements: tables, views, indexes."""

from __future__ import annotations

from dataclasses import dataclass, field

from heliosql.plan.base import Expr, Node, Span, Statement
from heliosql.plan.expressions import TypeName
from heliosql.plan.relations import Query
from heliosql.plan.sequences import Identity


@dataclass(frozen=True, slots=True)
class PrimaryKeyConstraint(Node):
    """``[CONSTRAINT n] PRIMARY KEY (cols) [ENABLE | DISABLE]``."""

    columns: tuple[str, ...]
    name: str | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class UniqueConstraint(Node):
    """``[CONSTRAINT n] UNIQUE (cols) [ENABLE | DISABLE]``."""

    columns: tuple[str, ...]
    name: str | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class CheckConstraint(Node):
    """``[CONSTRAINT n] CHECK (expr) [ENABLE | DISABLE]``.

    ``text`` is the condition as written (what the dictionary shows).
    """

    expr: Expr
    name: str | None = None
    enabled: bool = True
    text: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ForeignKeyConstraint(Node):
    """``[CONSTRAINT n] FOREIGN KEY (cols) REFERENCES t [(cols)] [ON DELETE ...]``.

    A column's ``REFERENCES t`` is one too. ``on_delete`` is NO ACTION, CASCADE or SET
    NULL; without ``ref_columns`` the key references t's primary key.
    """

    columns: tuple[str, ...]
    table: tuple[str, ...]
    ref_columns: tuple[str, ...] = ()
    on_delete: str = "NO ACTION"
    name: str | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class NotNullConstraint(Node):
    """A column's ``[CONSTRAINT n] NOT NULL``."""

    column: str
    name: str | None = None
    enabled: bool = True


TableConstraint = (PrimaryKeyConstraint | UniqueConstraint | CheckConstraint
                   | ForeignKeyConstraint | NotNullConstraint)


@dataclass(frozen=True, slots=True)
class ColumnDef(Node):
    """A column of CREATE TABLE / ALTER TABLE ADD, with its inline constraints.

    ``constraints`` holds every inline constraint (NOT NULL, PRIMARY KEY, UNIQUE,
    CHECK, REFERENCES) with its name; ``nullable``, ``primary_key``, ``unique`` and
    ``checks`` say the same in short.
    """

    name: str
    type: TypeName
    nullable: bool = True
    default: Expr | None = None
    primary_key: bool = False
    unique: bool = False
    checks: tuple[Expr, ...] = ()
    identity: Identity | None = None
    quoted: bool = False  # the name was written in double quotes
    constraints: tuple[TableConstraint, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class FlashbackArchiveClause(Node):
    """``FLASHBACK ARCHIVE [name]`` on a table (None: the default archive)."""

    name: str | None = None


@dataclass(frozen=True, slots=True)
class CreateTable(Statement):
    """CREATE [TEMPORARY | GLOBAL TEMPORARY] TABLE, with column definitions or AS query.

    ``system_versioning`` is None when the statement does not say (tables are
    versioned by default), True for WITH and False for WITHOUT SYSTEM VERSIONING.
    ``global_temporary`` is the ON COMMIT rule of a global temporary table
    (``"DELETE"`` or ``"PRESERVE"``), None for other tables.
    """

    name: tuple[str, ...]
    columns: tuple[ColumnDef, ...] = ()
    constraints: tuple[TableConstraint, ...] = ()
    as_query: Query | None = None
    column_names: tuple[str, ...] = ()  # CREATE TABLE t (a, b) AS SELECT ...
    temporary: bool = False
    if_not_exists: bool = False
    system_versioning: bool | None = None
    flashback_archive: FlashbackArchiveClause | None = None
    quoted: bool = False  # the table name was written in double quotes
    global_temporary: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if (self.as_query is None) == (not self.columns):
            raise ValueError("CREATE TABLE needs either column definitions or AS query")
        if self.column_names and self.as_query is None:
            raise ValueError("a bare column name list needs AS query")


@dataclass(frozen=True, slots=True)
class DropTable(Statement):
    """DROP TABLE [IF EXISTS] t [PURGE] (without PURGE it goes to the recycle bin)."""

    name: tuple[str, ...]
    if_exists: bool = False
    purge: bool = False
    cascade_constraints: bool = False  # CASCADE CONSTRAINTS: drop the foreign keys to it
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class AddColumn(Node):
    """ALTER TABLE ... ADD [COLUMN] coldef."""

    column: ColumnDef


@dataclass(frozen=True, slots=True)
class DropColumn(Node):
    """ALTER TABLE ... DROP [COLUMN] name."""

    name: str


@dataclass(frozen=True, slots=True)
class ModifyColumn(Node):
    """ALTER TABLE ... MODIFY c [type] [DEFAULT e] [NULL | NOT NULL]: None leaves a part as it is.

    ``default`` is the new DEFAULT expression (``DEFAULT NULL`` is a NULL literal);
    ``nullable`` is True for NULL, False for NOT NULL.
    """

    name: str
    type: TypeName | None = None
    default: Expr | None = None
    nullable: bool | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class DropUnusedColumns(Node):
    """ALTER TABLE ... DROP UNUSED COLUMNS (SET UNUSED drops at once: nothing is left)."""


@dataclass(frozen=True, slots=True)
class RenameColumn(Node):
    """ALTER TABLE ... RENAME COLUMN old TO new."""

    old: str
    new: str
    quoted: bool = False  # the new name was written in double quotes


@dataclass(frozen=True, slots=True)
class RenameTable(Node):
    """ALTER TABLE ... RENAME TO new."""

    new_name: tuple[str, ...]
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class SetSystemVersioning(Node):
    """ALTER TABLE ... ADD SYSTEM VERSIONING (True) / DROP SYSTEM VERSIONING (False)."""

    enabled: bool


@dataclass(frozen=True, slots=True)
class SetFlashbackArchive(Node):
    """ALTER TABLE ... [NO] FLASHBACK ARCHIVE [name]; ``archive`` is None for NO."""

    archive: FlashbackArchiveClause | None


@dataclass(frozen=True, slots=True)
class SetRowMovement(Node):
    """ALTER TABLE ... ENABLE | DISABLE ROW MOVEMENT (accepted for Oracle scripts)."""

    enabled: bool


@dataclass(frozen=True, slots=True)
class AddConstraint(Node):
    """ALTER TABLE ... ADD [CONSTRAINT n] ... / ADD (constraint, ...)."""

    constraints: tuple[TableConstraint, ...]


@dataclass(frozen=True, slots=True)
class DropConstraint(Node):
    """ALTER TABLE ... DROP CONSTRAINT n [CASCADE] / DROP PRIMARY KEY (``name`` None)."""

    name: str | None
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class SetConstraintState(Node):
    """ALTER TABLE ... ENABLE | DISABLE CONSTRAINT n [CASCADE] (or PRIMARY KEY).

    ``name`` None is the primary key; MODIFY CONSTRAINT n ENABLE | DISABLE is the same.
    """

    name: str | None
    enabled: bool
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class RenameConstraint(Node):
    """ALTER TABLE ... RENAME CONSTRAINT old TO new."""

    old: str
    new: str


AlterAction = (
    AddColumn
    | ModifyColumn
    | DropColumn
    | DropUnusedColumns
    | RenameColumn
    | RenameTable
    | SetSystemVersioning
    | SetFlashbackArchive
    | SetRowMovement
    | AddConstraint
    | DropConstraint
    | SetConstraintState
    | RenameConstraint
)


@dataclass(frozen=True, slots=True)
class AlterTable(Statement):
    """ALTER TABLE t action[, action ...]."""

    name: tuple[str, ...]
    actions: tuple[AlterAction, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if not self.actions:
            raise ValueError("ALTER TABLE needs an action")


@dataclass(frozen=True, slots=True)
class RenameObject(Statement):
    """RENAME old TO new (a table or a view)."""

    old: tuple[str, ...]
    new: tuple[str, ...]
    quoted: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class CommentOn(Statement):
    """COMMENT ON TABLE t IS '...' (``column`` None) or COMMENT ON COLUMN t.c IS '...'."""

    table: tuple[str, ...]
    column: str | None
    text: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class CreateView(Statement):
    """CREATE [OR REPLACE] [FORCE] VIEW v [(cols)] AS query [WITH CHECK OPTION | READ ONLY]."""

    name: tuple[str, ...]
    query: Query
    columns: tuple[str, ...] = ()
    or_replace: bool = False
    force: bool = False
    quoted: bool = False
    check_option: bool = False  # rows written through the view must stay visible in it
    read_only: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class DropView(Statement):
    """DROP VIEW [IF EXISTS] v."""

    name: tuple[str, ...]
    if_exists: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class CreateIndex(Statement):
    """CREATE [UNIQUE] INDEX [IF NOT EXISTS] i ON t (keys): columns or expressions."""

    name: tuple[str, ...]
    table: tuple[str, ...]
    keys: tuple[Expr, ...]
    unique: bool = False
    if_not_exists: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class DropIndex(Statement):
    """DROP INDEX [IF EXISTS] i."""

    name: tuple[str, ...]
    if_exists: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Truncate(Statement):
    """TRUNCATE TABLE t."""

    name: tuple[str, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)
