"""Plan-builder rules for DDL: tables, columns, constraints, views, indexes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, span_of
from heliosql.plan import (
    AddColumn,
    AlterAction,
    AlterTable,
    CheckConstraint,
    ColumnDef,
    CreateIndex,
    CreateTable,
    CreateView,
    DropColumn,
    DropIndex,
    DropTable,
    DropView,
    Expr,
    FlashbackArchiveClause,
    PrimaryKeyConstraint,
    Query,
    RenameColumn,
    RenameTable,
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

    kind: str  # not_null | nullable | default | primary_key | unique | check | name
    value: Expr | str | None = None


@dataclass(frozen=True, slots=True)
class _TableOption:
    """WITH / WITHOUT SYSTEM VERSIONING or FLASHBACK ARCHIVE after a table definition."""

    versioning: bool | None = None
    archive: FlashbackArchiveClause | None = None


class DdlRules(BuilderBase):
    """Rules for CREATE / DROP / ALTER TABLE, views, indexes and TRUNCATE."""

    # --- CREATE TABLE ---------------------------------------------------------------------

    def create_table(
        self,
        loc: Loc,
        temporary: bool | None,
        if_not_exists: bool | None,
        name: tuple[str, ...],
        *rest: ColumnDef | TableConstraint | _TableOption,
    ) -> Statement:
        columns = tuple(item for item in rest if isinstance(item, ColumnDef))
        constraints = tuple(item for item in rest if not isinstance(item, ColumnDef | _TableOption))
        versioning, archive = self._table_options(loc, rest)
        if not columns:
            self._fail(loc, "CREATE TABLE needs at least one column")
        return CreateTable(
            name,
            columns,
            constraints,
            temporary=bool(temporary),
            if_not_exists=bool(if_not_exists),
            system_versioning=versioning,
            flashback_archive=archive,
            span=span_of(loc),
        )

    def create_table_as(
        self,
        loc: Loc,
        temporary: bool | None,
        if_not_exists: bool | None,
        name: tuple[str, ...],
        column_names: tuple[str, ...] | None,
        *rest: Any,
    ) -> Statement:
        *options, query = rest  # the table options, then the query
        versioning, archive = self._table_options(loc, options)
        return CreateTable(
            name,
            as_query=query,
            column_names=column_names or (),
            temporary=bool(temporary),
            if_not_exists=bool(if_not_exists),
            system_versioning=versioning,
            flashback_archive=archive,
            span=span_of(loc),
        )

    def _table_options(
        self, loc: Loc, items: Iterable[object]
    ) -> tuple[bool | None, FlashbackArchiveClause | None]:
        versioning: bool | None = None
        archive: FlashbackArchiveClause | None = None
        for item in items:
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
        return versioning, archive

    def temporary(self, loc: Loc) -> bool:
        return True

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
            span=span_of(loc),
        )

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
        return _ColumnConstraint("check", condition)

    def constraint_name(self, loc: Loc, name: str) -> _ColumnConstraint:
        # Column-level constraint names are accepted for Oracle scripts and not kept.
        return _ColumnConstraint("name", name)

    def primary_key_constraint(
        self, loc: Loc, name: str | None, columns: tuple[str, ...]
    ) -> TableConstraint:
        return PrimaryKeyConstraint(columns, name)

    def unique_constraint(
        self, loc: Loc, name: str | None, columns: tuple[str, ...]
    ) -> TableConstraint:
        return UniqueConstraint(columns, name)

    def check_constraint(self, loc: Loc, name: str | None, condition: Expr) -> TableConstraint:
        return CheckConstraint(condition, name)

    # --- DROP / ALTER / TRUNCATE ----------------------------------------------------------

    def drop_table(
        self, loc: Loc, if_exists: bool | None, name: tuple[str, ...], purge: Token | None
    ) -> Statement:
        return DropTable(name, bool(if_exists), purge is not None, span=span_of(loc))

    def alter_table(self, loc: Loc, name: tuple[str, ...], *actions: AlterAction) -> Statement:
        return AlterTable(name, actions, span=span_of(loc))

    def add_column(self, loc: Loc, column: ColumnDef) -> AlterAction:
        return AddColumn(column)

    def drop_column(self, loc: Loc, name: str) -> AlterAction:
        return DropColumn(name)

    def rename_column(self, loc: Loc, old: str, new: str) -> AlterAction:
        return RenameColumn(old, new)

    def rename_table(self, loc: Loc, new_name: tuple[str, ...]) -> AlterAction:
        return RenameTable(new_name)

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

    def truncate(self, loc: Loc, name: tuple[str, ...]) -> Statement:
        return Truncate(name, span=span_of(loc))

    # --- views and indexes ----------------------------------------------------------------

    def create_view(
        self,
        loc: Loc,
        or_replace: bool | None,
        name: tuple[str, ...],
        columns: tuple[str, ...] | None,
        query: Query,
    ) -> Statement:
        return CreateView(name, query, columns or (), bool(or_replace), span=span_of(loc))

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
        columns: tuple[str, ...],
    ) -> Statement:
        return CreateIndex(
            name, table, columns, unique is not None, bool(if_not_exists), span=span_of(loc)
        )

    def drop_index(self, loc: Loc, if_exists: bool | None, name: tuple[str, ...]) -> Statement:
        return DropIndex(name, bool(if_exists), span=span_of(loc))
