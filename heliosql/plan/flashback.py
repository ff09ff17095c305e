"""Flashback operations: FLASHBACK TABLE, restore points, recycle bin,
transaction backout and flashback archives. The nodes only carry the fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from heliosql.plan.base import Expr, Node, Span, Statement
from heliosql.plan.temporal import AsOf


class BackoutMode(Enum):
    """Options of FLASHBACK TRANSACTION ... BACKOUT (Oracle's TRANSACTION_BACKOUT)."""

    NOCASCADE = "NOCASCADE"
    CASCADE = "CASCADE"
    NOCASCADE_FORCE = "NOCASCADE_FORCE"
    NONCONFLICT_ONLY = "NONCONFLICT_ONLY"


class RetentionUnit(Enum):
    """Units of a flashback archive retention."""

    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"


@dataclass(frozen=True, slots=True)
class ToRestorePoint(Node):
    """FLASHBACK TABLE ... TO RESTORE POINT name."""

    name: str


@dataclass(frozen=True, slots=True)
class ToBeforeDrop(Node):
    """FLASHBACK TABLE ... TO BEFORE DROP [RENAME TO new]."""

    rename_to: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class FlashbackTable(Statement):
    """FLASHBACK TABLE t[, u] TO {SCN|TIMESTAMP} expr | RESTORE POINT p | BEFORE DROP."""

    tables: tuple[tuple[str, ...], ...]
    target: AsOf | ToRestorePoint | ToBeforeDrop
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    def __post_init__(self) -> None:
        if isinstance(self.target, ToBeforeDrop) and len(self.tables) != 1:
            raise ValueError("TO BEFORE DROP restores exactly one table")


@dataclass(frozen=True, slots=True)
class CreateRestorePoint(Statement):
    """CREATE RESTORE POINT p [AS OF {SCN|TIMESTAMP} expr]."""

    name: str
    as_of: AsOf | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class DropRestorePoint(Statement):
    """DROP RESTORE POINT p."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class PurgeTable(Statement):
    """PURGE TABLE t: remove a dropped table from the recycle bin for good."""

    name: tuple[str, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class PurgeRecycleBin(Statement):
    """PURGE RECYCLEBIN / PURGE DBA_RECYCLEBIN (``dba``)."""

    dba: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ShowRecycleBin(Statement):
    """SHOW RECYCLEBIN."""

    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class CallProcedure(Statement):
    """CALL / EXEC / EXECUTE package.procedure(args): DBMS_FLASHBACK's session-level flashback."""

    name: tuple[str, ...]
    args: tuple[Expr, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class FlashbackTransaction(Statement):
    """FLASHBACK TRANSACTION xid BACKOUT [mode]: compensate a committed transaction."""

    xid: Expr
    mode: BackoutMode = BackoutMode.NOCASCADE
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Quota(Node):
    """QUOTA n [unit] (unit upper-cased as written, e.g. M, G; None when omitted)."""

    amount: int
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Retention(Node):
    """RETENTION n DAY|MONTH|YEAR."""

    amount: int
    unit: RetentionUnit

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError("a retention must be positive")


@dataclass(frozen=True, slots=True)
class CreateFlashbackArchive(Statement):
    """CREATE FLASHBACK ARCHIVE [DEFAULT] fa [TABLESPACE ts] [QUOTA ..] RETENTION n unit."""

    name: str
    retention: Retention
    default: bool = False
    tablespace: str | None = None
    quota: Quota | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ArchiveSetDefault(Node):
    """ALTER FLASHBACK ARCHIVE fa SET DEFAULT."""


@dataclass(frozen=True, slots=True)
class ArchiveModifyRetention(Node):
    """ALTER FLASHBACK ARCHIVE fa MODIFY RETENTION n unit."""

    retention: Retention


@dataclass(frozen=True, slots=True)
class ArchiveTablespace(Node):
    """ALTER FLASHBACK ARCHIVE fa {ADD|MODIFY|REMOVE} TABLESPACE ts [QUOTA ..]."""

    action: str  # "ADD" | "MODIFY" | "REMOVE"
    tablespace: str
    quota: Quota | None = None

    def __post_init__(self) -> None:
        if self.action not in ("ADD", "MODIFY", "REMOVE"):
            raise ValueError(f"unknown tablespace action {self.action}")


@dataclass(frozen=True, slots=True)
class ArchivePurge(Node):
    """ALTER FLASHBACK ARCHIVE fa PURGE ALL (``before`` None) | PURGE BEFORE {SCN|TIMESTAMP} e."""

    before: AsOf | None = None


ArchiveAction = ArchiveSetDefault | ArchiveModifyRetention | ArchiveTablespace | ArchivePurge


@dataclass(frozen=True, slots=True)
class AlterFlashbackArchive(Statement):
    """ALTER FLASHBACK ARCHIVE fa action."""

    name: str
    action: ArchiveAction
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class DropFlashbackArchive(Statement):
    """DROP FLASHBACK ARCHIVE fa."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)
