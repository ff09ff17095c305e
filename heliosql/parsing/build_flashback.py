"""Plan-builder rules for the flashback operations."""

from __future__ import annotations

from typing import Any

from lark import Token

from heliosql.parsing.build_expressions import interval_field
from heliosql.parsing.common import BuilderBase, Loc, span_of
from heliosql.plan import (
    AlterFlashbackArchive,
    ArchiveAction,
    ArchiveModifyRetention,
    ArchivePurge,
    ArchiveSetDefault,
    ArchiveTablespace,
    AsOf,
    BackoutMode,
    CallProcedure,
    CreateFlashbackArchive,
    CreateRestorePoint,
    DropFlashbackArchive,
    DropRestorePoint,
    Expr,
    FlashbackTable,
    FlashbackTransaction,
    PurgeRecycleBin,
    PurgeTable,
    Quota,
    Retention,
    RetentionUnit,
    Statement,
    TemporalKind,
    ToBeforeDrop,
    ToRestorePoint,
)


class FlashbackRules(BuilderBase):
    """Rules for FLASHBACK TABLE / TRANSACTION, restore points, recycle bin and archives."""

    def flashback_table(self, loc: Loc, *rest: Any) -> Statement:
        *tables, target = rest
        if isinstance(target, ToBeforeDrop) and len(tables) != 1:
            self._fail(loc, "FLASHBACK TABLE ... TO BEFORE DROP takes exactly one table")
        return FlashbackTable(tuple(tables), target, span=span_of(loc))

    def to_point(self, loc: Loc, kind: TemporalKind, expr: Expr) -> AsOf:
        return AsOf(kind, expr, span=span_of(loc))

    def to_restore_point(self, loc: Loc, name: str) -> ToRestorePoint:
        return ToRestorePoint(name)

    def to_before_drop(self, loc: Loc, rename_to: tuple[str, ...] | None) -> ToBeforeDrop:
        return ToBeforeDrop(rename_to)

    def create_restore_point(
        self, loc: Loc, name: str, kind: TemporalKind | None, expr: Expr | None
    ) -> Statement:
        as_of = AsOf(kind, expr) if kind is not None and expr is not None else None
        return CreateRestorePoint(name, as_of, span=span_of(loc))

    def drop_restore_point(self, loc: Loc, name: str) -> Statement:
        return DropRestorePoint(name, span=span_of(loc))

    def purge_table(self, loc: Loc, name: tuple[str, ...]) -> Statement:
        return PurgeTable(name, span=span_of(loc))

    def purge_recyclebin(self, loc: Loc) -> Statement:
        return PurgeRecycleBin(span=span_of(loc))

    def purge_dba_recyclebin(self, loc: Loc) -> Statement:
        return PurgeRecycleBin(dba=True, span=span_of(loc))

    def flashback_transaction(self, loc: Loc, xid: Expr, mode: BackoutMode | None) -> Statement:
        return FlashbackTransaction(xid, mode or BackoutMode.NOCASCADE, span=span_of(loc))

    def call_procedure(self, loc: Loc, name: tuple[str, ...],
                       args: tuple[Expr, ...] | None) -> Statement:
        return CallProcedure(name, args or (), span=span_of(loc))

    def call_args(self, loc: Loc, *args: Expr) -> tuple[Expr, ...]:
        return args

    def backout_mode(self, loc: Loc, token: Token) -> BackoutMode:
        return BackoutMode(token.upper())

    # --- flashback archives ---------------------------------------------------------------

    def create_archive(
        self,
        loc: Loc,
        default: Token | None,
        name: str,
        tablespace: str | None,
        quota: Quota | None,
        retention: Retention,
    ) -> Statement:
        return CreateFlashbackArchive(
            name, retention, default is not None, tablespace, quota, span=span_of(loc)
        )

    def alter_archive(self, loc: Loc, name: str, action: ArchiveAction) -> Statement:
        return AlterFlashbackArchive(name, action, span=span_of(loc))

    def drop_archive(self, loc: Loc, name: str) -> Statement:
        return DropFlashbackArchive(name, span=span_of(loc))

    def archive_set_default(self, loc: Loc) -> ArchiveAction:
        return ArchiveSetDefault()

    def archive_modify_retention(self, loc: Loc, retention: Retention) -> ArchiveAction:
        return ArchiveModifyRetention(retention)

    def archive_add_tablespace(self, loc: Loc, name: str, quota: Quota | None) -> ArchiveAction:
        return ArchiveTablespace("ADD", name, quota)

    def archive_modify_tablespace(self, loc: Loc, name: str, quota: Quota | None) -> ArchiveAction:
        return ArchiveTablespace("MODIFY", name, quota)

    def archive_remove_tablespace(self, loc: Loc, name: str) -> ArchiveAction:
        return ArchiveTablespace("REMOVE", name)

    def archive_purge_all(self, loc: Loc) -> ArchiveAction:
        return ArchivePurge()

    def archive_purge_before(self, loc: Loc, kind: TemporalKind, expr: Expr) -> ArchiveAction:
        return ArchivePurge(AsOf(kind, expr, span=span_of(loc)))

    def quota(self, loc: Loc, amount: Token, unit: Token | None) -> Quota:
        return Quota(self._whole_number(loc, amount), unit.upper() if unit else None)

    def retention(self, loc: Loc, amount: Token, unit: Token) -> Retention:
        field = interval_field(unit).value
        if field not in RetentionUnit.__members__:
            self._fail(loc, f"a retention is given in DAY, MONTH or YEAR, not {unit}")
        number = self._whole_number(loc, amount)
        if number <= 0:
            self._fail(loc, "a retention must be positive")
        return Retention(number, RetentionUnit(field))

    def _whole_number(self, loc: Loc, token: Token) -> int:
        if not str(token).isdigit():
            self._fail(loc, f"expected a whole number, found {token}")
        return int(token)
