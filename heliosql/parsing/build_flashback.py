"""Transformer rules for the flashback operations (issue 4)."""

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

    def flashback_table(self, meta: Loc, *rest: Any) -> Statement:
        *tables, target = rest
        if isinstance(target, ToBeforeDrop) and len(tables) != 1:
            self._fail(meta, "FLASHBACK TABLE ... TO BEFORE DROP takes exactly one table")
        return FlashbackTable(tuple(tables), target, span=span_of(meta))

    def to_point(self, meta: Loc, kind: TemporalKind, expr: Expr) -> AsOf:
        return AsOf(kind, expr, span=span_of(meta))

    def to_restore_point(self, meta: Loc, name: str) -> ToRestorePoint:
        return ToRestorePoint(name)

    def to_before_drop(self, meta: Loc, rename_to: tuple[str, ...] | None) -> ToBeforeDrop:
        return ToBeforeDrop(rename_to)

    def create_restore_point(
        self, meta: Loc, name: str, kind: TemporalKind | None, expr: Expr | None
    ) -> Statement:
        as_of = AsOf(kind, expr) if kind is not None and expr is not None else None
        return CreateRestorePoint(name, as_of, span=span_of(meta))

    def drop_restore_point(self, meta: Loc, name: str) -> Statement:
        return DropRestorePoint(name, span=span_of(meta))

    def purge_table(self, meta: Loc, name: tuple[str, ...]) -> Statement:
        return PurgeTable(name, span=span_of(meta))

    def purge_recyclebin(self, meta: Loc) -> Statement:
        return PurgeRecycleBin(span=span_of(meta))

    def purge_dba_recyclebin(self, meta: Loc) -> Statement:
        return PurgeRecycleBin(dba=True, span=span_of(meta))

    def flashback_transaction(self, meta: Loc, xid: Expr, mode: BackoutMode | None) -> Statement:
        return FlashbackTransaction(xid, mode or BackoutMode.NOCASCADE, span=span_of(meta))

    def backout_mode(self, meta: Loc, token: Token) -> BackoutMode:
        return BackoutMode(token.upper())

    # --- flashback archives ---------------------------------------------------------------

    def create_archive(
        self,
        meta: Loc,
        default: Token | None,
        name: str,
        tablespace: str | None,
        quota: Quota | None,
        retention: Retention,
    ) -> Statement:
        return CreateFlashbackArchive(
            name, retention, default is not None, tablespace, quota, span=span_of(meta)
        )

    def alter_archive(self, meta: Loc, name: str, action: ArchiveAction) -> Statement:
        return AlterFlashbackArchive(name, action, span=span_of(meta))

    def drop_archive(self, meta: Loc, name: str) -> Statement:
        return DropFlashbackArchive(name, span=span_of(meta))

    def archive_set_default(self, meta: Loc) -> ArchiveAction:
        return ArchiveSetDefault()

    def archive_modify_retention(self, meta: Loc, retention: Retention) -> ArchiveAction:
        return ArchiveModifyRetention(retention)

    def archive_add_tablespace(self, meta: Loc, name: str, quota: Quota | None) -> ArchiveAction:
        return ArchiveTablespace("ADD", name, quota)

    def archive_modify_tablespace(self, meta: Loc, name: str, quota: Quota | None) -> ArchiveAction:
        return ArchiveTablespace("MODIFY", name, quota)

    def archive_remove_tablespace(self, meta: Loc, name: str) -> ArchiveAction:
        return ArchiveTablespace("REMOVE", name)

    def archive_purge_all(self, meta: Loc) -> ArchiveAction:
        return ArchivePurge()

    def archive_purge_before(self, meta: Loc, kind: TemporalKind, expr: Expr) -> ArchiveAction:
        return ArchivePurge(AsOf(kind, expr, span=span_of(meta)))

    def quota(self, meta: Loc, amount: Token, unit: Token | None) -> Quota:
        return Quota(self._whole_number(meta, amount), unit.upper() if unit else None)

    def retention(self, meta: Loc, amount: Token, unit: Token) -> Retention:
        field = interval_field(unit).value
        if field not in RetentionUnit.__members__:
            self._fail(meta, f"a retention is given in DAY, MONTH or YEAR, not {unit}")
        number = self._whole_number(meta, amount)
        if number <= 0:
            self._fail(meta, "a retention must be positive")
        return Retention(number, RetentionUnit(field))

    def _whole_number(self, meta: Loc, token: Token) -> int:
        if not str(token).isdigit():
            self._fail(meta, f"expected a whole number, found {token}")
        return int(token)
