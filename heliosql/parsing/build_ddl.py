"""Plan-builder rules for DDL: tables, columns, constraints, views, indexes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, span_of, unquote_string
from heliosql.plan import (
    AddColumn,
    AddConstraint,
    AlterAction,
    AlterTable,
    CheckConstraint,
    ColumnDef,
    CommentOn,
    CreateIndex,
    CreateTable,
    CreateView,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropTable,
    DropUnusedColumns,
    DropView,
    Expr,
    FlashbackArchiveClause,
    ForeignKeyConstraint,
    ModifyColumn,
    NotNullConstraint,
    PrimaryKeyConstraint,
    Query,
    RenameColumn,
    RenameConstraint,
    RenameObject,
    RenameTable,
    SetConstraintState,
    SetFlashbackArchive,
    SetRowMovement,
    SetSystemVersioning,
    Statement,
    TableConstraint,
    Truncate,
    TypeName,
    UniqueConstraint,
)
from heliosql.plan.sequences import Identity


@dataclass(frozen=True, slots=True)
class _ColumnConstraint:
    """One inline column constraint, folded into ColumnDef fields (never leaves this module)."""

    # not_null | nullable | default | primary_key | unique | check | name | references | state
    kind: str
    value: Any = None
    text: str | None = None  # a CHECK's condition as written


@dataclass(frozen=True, slots=True)
class _Reference:
    """``REFERENCES t [(cols)] [ON DELETE ...]`` (never leaves this module)."""

    table: tuple[str, ...]
    columns: tuple[str, ...]
    on_delete: str


@dataclass(frozen=True, slots=True)
class _TableOption:
    """WITH / WITHOUT SYSTEM VERSIONING, FLASHBACK ARCHIVE or ON COMMIT after a table
    definition (the storage options Oracle scripts carry leave nothing)."""

    versioning: bool | None = None
    archive: FlashbackArchiveClause | None = None
    on_commit: str | None = None


@dataclass(frozen=True, slots=True)
class _ObjectName:
    """The name of an object being created and whether it was quoted (stays here)."""

    parts: tuple[str, ...]
    quoted: bool


def _quoted(token: Token | None) -> bool:
    return token is not None and token.type == "QUOTED_IDENT"


class DdlRules(BuilderBase):
    """Rules for CREATE / DROP / ALTER TABLE, views, indexes and TRUNCATE."""

    # --- CREATE TABLE ---------------------------------------------------------------------

    def create_table(
        self,
        loc: Loc,
        temporary: str | None,
        if_not_exists: bool | None,
        name: _ObjectName,
        *rest: ColumnDef | TableConstraint | _TableOption | None,
    ) -> Statement:
        columns = tuple(item for item in rest if isinstance(item, ColumnDef))
        constraints = tuple(item for item in rest
                            if item is not None and not isinstance(item, ColumnDef | _TableOption))
        if not columns:
            self._fail(loc, "CREATE TABLE needs at least one column")
        return CreateTable(name.parts, columns, constraints,
                           **self._table_kind(loc, temporary, if_not_exists, name, rest))

    def create_table_as(
        self,
        loc: Loc,
        temporary: str | None,
        if_not_exists: bool | None,
        name: _ObjectName,
        column_names: tuple[str, ...] | None,
        *rest: Any,
    ) -> Statement:
        *options, query = rest  # the table options, then the query
        return CreateTable(name.parts, as_query=query, column_names=column_names or (),
                           **self._table_kind(loc, temporary, if_not_exists, name, options))

    def _table_kind(self, loc: Loc, temporary: str | None, if_not_exists: bool | None,
                    name: _ObjectName, options: Iterable[object]) -> dict[str, Any]:
        """The CreateTable fields both forms share: kind, options, name quoting, span."""
        versioning: bool | None = None
        archive: FlashbackArchiveClause | None = None
        on_commit: str | None = None
        for item in options:
            if not isinstance(item, _TableOption):
                continue
            if item.versioning is not None:
                if versioning is not None:
                    self._fail(loc, "SYSTEM VERSIONING is given twice")
                versioning = item.versioning
            if item.archive is not None:
                if archive is not None:
                    self._fail(loc, "FLASHBACK ARCHIVE is given twice")
                archive = item.archive
            if item.on_commit is not None:
                if temporary != "global":
                    self._fail(loc, "ON COMMIT is only for a GLOBAL TEMPORARY table")
                on_commit = item.on_commit
        return {
            "temporary": temporary == "local",
            "global_temporary": (on_commit or "DELETE") if temporary == "global" else None,
            "if_not_exists": bool(if_not_exists),
            "system_versioning": versioning,
            "flashback_archive": archive,
            "quoted": name.quoted,
            "span": span_of(loc),
        }

    def object_name(self, loc: Loc, name: tuple[str, ...]) -> _ObjectName:
        return _ObjectName(name, _quoted(loc.last))

    def temporary(self, loc: Loc) -> str:
        return "local"

    def global_temporary(self, loc: Loc) -> str:
        return "global"

    def if_not_exists(self, loc: Loc) -> bool:
        return True

    def if_exists(self, loc: Loc) -> bool:
        return True

    def with_versioning(self, loc: Loc) -> _TableOption:
        return _TableOption(versioning=True)

    def without_versioning(self, loc: Loc) -> _TableOption:
        return _TableOption(versioning=False)

    def flashback_archive(self, loc: Loc, name: str | None) -> _TableOption:
        return _TableOption(archive=FlashbackArchiveClause(name))

    def on_commit_delete(self, loc: Loc, rows: Token) -> _TableOption:
        return self._on_commit(loc, "DELETE", rows)

    def on_commit_preserve(self, loc: Loc, rows: Token) -> _TableOption:
        return self._on_commit(loc, "PRESERVE", rows)

    def _on_commit(self, loc: Loc, action: str, rows: Token) -> _TableOption:
        if rows.upper() != "ROWS":
            self._fail(loc, f"expected ROWS after ON COMMIT {action}, found {rows}")
        return _TableOption(on_commit=action)

    # Partitioning and storage clauses describe where Oracle puts rows; heliosql keeps
    # one table in DuckDB, so they are accepted and leave nothing in the plan.

    def partitioning(self, loc: Loc, *parts: Any) -> None:
        return None

    def physical_table_option(self, loc: Loc, option: None) -> None:
        return None

    def physical_option(self, loc: Loc, *parts: Any) -> None:
        return None

    def storage_word(self, loc: Loc, word: Token) -> None:
        return None

    def partition_interval(self, loc: Loc, expr: Expr) -> None:
        return None

    def partition_list(self, loc: Loc, *parts: Any) -> None:
        return None

    def partition_def(self, loc: Loc, *parts: Any) -> None:
        return None

    def partition_values(self, loc: Loc, *bounds: Any) -> None:
        return None

    def partition_bound(self, loc: Loc, bound: Any) -> None:
        return None

    # --- columns and constraints ----------------------------------------------------------

    def column_def(
        self, loc: Loc, name: str, type_: TypeName, *given: _ColumnConstraint | Identity
    ) -> ColumnDef:
        identity = next((c for c in given if isinstance(c, Identity)), None)
        constraints = [c for c in given if isinstance(c, _ColumnConstraint)]
        kinds = [c.kind for c in constraints]
        if "not_null" in kinds and "nullable" in kinds:
            self._fail(loc, f"column {name} is declared both NULL and NOT NULL")
        defaults = [
            c.value for c in constraints if c.kind == "default" and isinstance(c.value, Expr)
        ]
        if len(defaults) > 1:
            self._fail(loc, f"column {name} has more than one DEFAULT")
        if identity is not None and defaults:
            self._fail(loc, f"identity column {name} cannot have a DEFAULT")
        primary_key = "primary_key" in kinds
        return ColumnDef(
            name,
            type_,
            nullable="not_null" not in kinds and not primary_key,
            default=defaults[0] if defaults else None,
            primary_key=primary_key,
            unique="unique" in kinds,
            checks=tuple(
                c.value for c in constraints if isinstance(c.value, Expr) and c.kind == "check"
            ),
            identity=identity,
            quoted=_quoted(loc.first),
            constraints=self._inline_constraints(loc, name, constraints),
            span=span_of(loc),
        )

    def _inline_constraints(
        self, loc: Loc, column: str, items: tuple[_ColumnConstraint, ...]
    ) -> tuple[TableConstraint, ...]:
        """A column's constraints as nodes: ``CONSTRAINT n`` names the one that follows it,
        ENABLE / DISABLE applies to the one before it."""
        made: list[TableConstraint] = []
        name: str | None = None
        for item in items:
            if item.kind == "name":
                if name is not None:
                    self._fail(loc, f"CONSTRAINT {name} names no constraint")
                name = item.value
                continue
            if item.kind == "state":
                if not made or name is not None:
                    self._fail(loc, "ENABLE / DISABLE must follow a constraint")
                made[-1] = replace(made[-1], enabled=item.value)
                continue
            node = self._inline(column, item, name)
            if node is None:
                if name is not None:
                    self._fail(loc, f"CONSTRAINT {name} must name a constraint")
                continue
            made.append(node)
            name = None
        if name is not None:
            self._fail(loc, f"CONSTRAINT {name} names no constraint")
        return tuple(made)

    @staticmethod
    def _inline(column: str, item: _ColumnConstraint, name: str | None
                ) -> TableConstraint | None:
        if item.kind == "not_null":
            return NotNullConstraint(column, name)
        if item.kind == "primary_key":
            return PrimaryKeyConstraint((column,), name)
        if item.kind == "unique":
            return UniqueConstraint((column,), name)
        if item.kind == "check":
            return CheckConstraint(item.value, name, text=item.text)
        if item.kind == "references":
            ref = item.value
            return ForeignKeyConstraint((column,), ref.table, ref.columns, ref.on_delete, name)
        return None  # NULL, DEFAULT: not constraints

    def not_null(self, loc: Loc) -> _ColumnConstraint:
        return _ColumnConstraint("not_null")

    def nullable(self, loc: Loc) -> _ColumnConstraint:
        return _ColumnConstraint("nullable")

    def default(self, loc: Loc, value: Expr) -> _ColumnConstraint:
        return _ColumnConstraint("default", value)

    def primary_key(self, loc: Loc) -> _ColumnConstraint:
        return _ColumnConstraint("primary_key")

    def unique(self, loc: Loc) -> _ColumnConstraint:
        return _ColumnConstraint("unique")

    def check(self, loc: Loc, condition: Expr) -> _ColumnConstraint:
        return _ColumnConstraint("check", condition, self._source(condition, loc))

    def constraint_name(self, loc: Loc, name: str) -> _ColumnConstraint:
        return _ColumnConstraint("name", name)

    def column_state(self, loc: Loc, state: _ColumnConstraint) -> _ColumnConstraint:
        return state

    def column_references(self, loc: Loc, reference: _Reference) -> _ColumnConstraint:
        return _ColumnConstraint("references", reference)

    def references(
        self, loc: Loc, table: tuple[str, ...], columns: tuple[str, ...] | None,
        on_delete: str | None,
    ) -> _Reference:
        return _Reference(table, columns or (), on_delete or "NO ACTION")

    def on_delete_cascade(self, loc: Loc, cascade: Token) -> str:
        return "CASCADE"

    def on_delete_set_null(self, loc: Loc) -> str:
        return "SET NULL"

    def enable_state(self, loc: Loc, validation: Token | None) -> _ColumnConstraint:
        if validation is not None and validation.upper() == "NOVALIDATE":
            self._fail(loc, "ENABLE NOVALIDATE is not supported: an enabled constraint holds "
                            "for every row (ENABLE validates the existing ones)")
        return _ColumnConstraint("state", True)

    def disable_state(self, loc: Loc, validation: Token | None) -> _ColumnConstraint:
        if validation is not None and validation.upper() == "VALIDATE":
            self._fail(loc, "DISABLE VALIDATE is not supported (it would make the table "
                            "read-only)")
        return _ColumnConstraint("state", False)

    def _source(self, expr: Expr, loc: Loc) -> str:
        """The text ``expr`` was written as."""
        span = getattr(expr, "span", None) or span_of(loc)
        return self._text[span.start:span.end] if span is not None else ""

    @staticmethod
    def _enabled(state: _ColumnConstraint | None) -> bool:
        return True if state is None else bool(state.value)

    def primary_key_constraint(
        self, loc: Loc, name: str | None, columns: tuple[str, ...],
        state: _ColumnConstraint | None,
    ) -> TableConstraint:
        return PrimaryKeyConstraint(columns, name, self._enabled(state))

    def unique_constraint(
        self, loc: Loc, name: str | None, columns: tuple[str, ...],
        state: _ColumnConstraint | None,
    ) -> TableConstraint:
        return UniqueConstraint(columns, name, self._enabled(state))

    def check_constraint(
        self, loc: Loc, name: str | None, condition: Expr, state: _ColumnConstraint | None
    ) -> TableConstraint:
        return CheckConstraint(condition, name, self._enabled(state),
                               text=self._source(condition, loc))

    def foreign_key_constraint(
        self, loc: Loc, name: str | None, columns: tuple[str, ...], reference: _Reference,
        state: _ColumnConstraint | None,
    ) -> TableConstraint:
        return ForeignKeyConstraint(columns, reference.table, reference.columns,
                                    reference.on_delete, name, self._enabled(state))

    # --- DROP / ALTER / TRUNCATE ----------------------------------------------------------

    def drop_table(
        self, loc: Loc, if_exists: bool | None, name: tuple[str, ...],
        cascade_constraints: bool | None, purge: Token | None,
    ) -> Statement:
        return DropTable(name, bool(if_exists), purge is not None, bool(cascade_constraints),
                         span=span_of(loc))

    def cascade_constraints(self, loc: Loc, cascade: Token) -> bool:
        return True

    def alter_table(self, loc: Loc, name: tuple[str, ...],
                    *actions: AlterAction | tuple[AlterAction, ...]) -> Statement:
        # ADD (a ..., b ...), MODIFY (...) and DROP (a, b) stand for one action per column.
        flat = [a for item in actions for a in (item if isinstance(item, tuple) else (item,))]
        return AlterTable(name, tuple(flat), span=span_of(loc))

    def add_column(self, loc: Loc, column: ColumnDef) -> AlterAction:
        return AddColumn(column)

    def add_elements(self, loc: Loc, *elements: ColumnDef | TableConstraint
                     ) -> tuple[AlterAction, ...]:
        """``ADD (c1 type ..., CONSTRAINT x ...)``: a column action per column, in order,
        and the constraints together after them (they may name the new columns)."""
        columns = tuple(AddColumn(e) for e in elements if isinstance(e, ColumnDef))
        constraints = tuple(e for e in elements if not isinstance(e, ColumnDef))
        return columns + ((AddConstraint(constraints),) if constraints else ())

    def modify_column(self, loc: Loc, change: ModifyColumn) -> AlterAction:
        return change

    def modify_columns(self, loc: Loc, *changes: ModifyColumn) -> tuple[AlterAction, ...]:
        return changes

    def column_change(self, loc: Loc, name: str, type_: TypeName | None,
                      *constraints: _ColumnConstraint) -> ModifyColumn:
        kinds = [c.kind for c in constraints]
        refused = sorted({k for k in kinds if k in ("primary_key", "unique", "check")})
        if refused:
            self._fail(loc, f"MODIFY {name} can change its type, DEFAULT and NULL / NOT NULL; "
                            f"add a {refused[0].replace('_', ' ').upper()} constraint with "
                            "ALTER TABLE ... ADD CONSTRAINT")
        if "not_null" in kinds and "nullable" in kinds:
            self._fail(loc, f"column {name} is declared both NULL and NOT NULL")
        defaults = [c.value for c in constraints if c.kind == "default"]
        if len(defaults) > 1:
            self._fail(loc, f"column {name} has more than one DEFAULT")
        if type_ is None and not defaults and not {"not_null", "nullable"} & set(kinds):
            self._fail(loc, f"MODIFY {name} changes nothing: give a type, DEFAULT, NULL or "
                            "NOT NULL")
        nullable = False if "not_null" in kinds else True if "nullable" in kinds else None
        default = defaults[0] if defaults else None
        return ModifyColumn(name, type_, default if isinstance(default, Expr) else None,
                            nullable, span=span_of(loc))

    def drop_column(self, loc: Loc, name: str) -> AlterAction:
        return DropColumn(name)

    def drop_columns(self, loc: Loc, names: tuple[str, ...]) -> tuple[AlterAction, ...]:
        return tuple(DropColumn(n) for n in names)

    def set_unused(self, loc: Loc, names: str | tuple[str, ...]) -> tuple[AlterAction, ...]:
        # An unused column can never be used again: heliosql drops it at once (its
        # history values stay readable as for DROP COLUMN).
        return tuple(DropColumn(n) for n in ((names,) if isinstance(names, str) else names))

    def drop_unused_columns(self, loc: Loc) -> AlterAction:
        return DropUnusedColumns()

    def rename_column(self, loc: Loc, old: str, new: str) -> AlterAction:
        return RenameColumn(old, new, _quoted(loc.last))

    def rename_table(self, loc: Loc, new_name: _ObjectName) -> AlterAction:
        return RenameTable(new_name.parts, new_name.quoted)

    def rename_object(self, loc: Loc, old: tuple[str, ...], new: _ObjectName) -> Statement:
        return RenameObject(old, new.parts, new.quoted, span=span_of(loc))

    def comment_on_table(self, loc: Loc, table: tuple[str, ...], text: Token) -> Statement:
        return CommentOn(table, None, unquote_string(text), span=span_of(loc))

    def comment_on_column(self, loc: Loc, name: tuple[str, ...], text: Token) -> Statement:
        if len(name) < 2:
            self._fail(loc, "COMMENT ON COLUMN names the column as table.column")
        return CommentOn(name[:-1], name[-1], unquote_string(text), span=span_of(loc))

    def add_versioning(self, loc: Loc) -> AlterAction:
        return SetSystemVersioning(True)

    def drop_versioning(self, loc: Loc) -> AlterAction:
        return SetSystemVersioning(False)

    def set_flashback_archive(self, loc: Loc, name: str | None) -> AlterAction:
        return SetFlashbackArchive(FlashbackArchiveClause(name))

    def no_flashback_archive(self, loc: Loc) -> AlterAction:
        return SetFlashbackArchive(None)

    def enable_row_movement(self, loc: Loc) -> AlterAction:
        return SetRowMovement(True)

    def disable_row_movement(self, loc: Loc) -> AlterAction:
        return SetRowMovement(False)

    def add_constraint(self, loc: Loc, *constraints: TableConstraint) -> AlterAction:
        return AddConstraint(constraints)

    def drop_constraint(self, loc: Loc, name: str, cascade: Token | None) -> AlterAction:
        return DropConstraint(name, cascade is not None)

    def drop_primary_key(self, loc: Loc, cascade: Token | None) -> AlterAction:
        return DropConstraint(None, cascade is not None)

    def set_constraint_state(
        self, loc: Loc, state: _ColumnConstraint, name: str, cascade: Token | None
    ) -> AlterAction:
        return SetConstraintState(name, bool(state.value), cascade is not None)

    def modify_constraint_state(
        self, loc: Loc, name: str, state: _ColumnConstraint, cascade: Token | None
    ) -> AlterAction:
        return SetConstraintState(name, bool(state.value), cascade is not None)

    def set_primary_key_state(
        self, loc: Loc, state: _ColumnConstraint, cascade: Token | None
    ) -> AlterAction:
        return SetConstraintState(None, bool(state.value), cascade is not None)

    def rename_constraint(self, loc: Loc, old: str, new: str) -> AlterAction:
        return RenameConstraint(old, new)

    def truncate(self, loc: Loc, name: tuple[str, ...]) -> Statement:
        return Truncate(name, span=span_of(loc))

    # --- views and indexes ----------------------------------------------------------------

    def create_view(
        self,
        loc: Loc,
        or_replace: bool | None,
        force: Token | None,
        name: _ObjectName,
        columns: tuple[str, ...] | None,
        query: Query,
        restriction: str | None,
    ) -> Statement:
        return CreateView(name.parts, query, columns or (), bool(or_replace), force is not None,
                          name.quoted, restriction == "check", restriction == "read only",
                          span=span_of(loc))

    def with_check_option(self, loc: Loc, words: Token, name: str | None) -> str:
        return "check"  # a constraint name is accepted and not kept

    def with_read_only(self, loc: Loc, words: Token, name: str | None) -> str:
        return "read only"

    def or_replace(self, loc: Loc) -> bool:
        return True

    def drop_view(self, loc: Loc, if_exists: bool | None, name: tuple[str, ...]) -> Statement:
        return DropView(name, bool(if_exists), span=span_of(loc))

    def create_index(
        self,
        loc: Loc,
        unique: Token | None,
        if_not_exists: bool | None,
        name: tuple[str, ...],
        table: tuple[str, ...],
        *keys: Expr | None,
    ) -> Statement:
        # Storage options after the key list (TABLESPACE, COMPUTE STATISTICS ...) are None.
        return CreateIndex(name, table, tuple(k for k in keys if k is not None),
                           unique is not None, bool(if_not_exists), span=span_of(loc))

    def index_key(self, loc: Loc, key: Expr, order: Token | None) -> Expr:
        return key  # ASC / DESC: a DuckDB index serves both orders

    def drop_index(self, loc: Loc, if_exists: bool | None, name: tuple[str, ...]) -> Statement:
        return DropIndex(name, bool(if_exists), span=span_of(loc))
