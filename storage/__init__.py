"""heliosql.storage: the temporal storage engine over DuckDB and its Python API.

>>> from heliosql.storage import TemporalEngine, TemporalTable, Row, FlashbackQuery
>>> engine = TemporalEngine(":memory:")
>>> _ = engine.create_temporal_table(TemporalTable("orders"))
>>> engine.insert("orders", Row(b"order_123", {"status": b"pending"}))
>>> scn = engine.current_scn()
>>> engine.update("orders", b"order_123", Row(b"order_123", {"status": b"shipped"}))
>>> result = engine.execute_flashback("orders", FlashbackQuery.AsOfScn(scn, "orders"))
>>> result.rows[0].columns["status"]
b'pending'
"""

from .aio import AsyncTemporalEngine
from .catalog import TableInfo
from .column_changes import ColumnChange, Refusal, TypeChange
from .constraints import Constraint, ConstraintInfo
from .engine import TemporalEngine
from .errors import (
    BadReference,
    CannotBeNull,
    CheckViolated,
    ChildRecordFound,
    ConstraintDependency,
    ConstraintExists,
    ConstraintNotValidated,
    ConstraintViolation,
    DatabaseError,
    DataError,
    DefinitionChanged,
    DuplicateKey,
    Error,
    HeliosError,
    IntegrityError,
    InterfaceError,
    InternalError,
    InvalidScn,
    InvalidTimestamp,
    InvalidVersionRange,
    KeyNotFound,
    NameInUse,
    NoSnapshot,
    NoSuchColumn,
    NoSuchConstraint,
    NoSuchRestorePoint,
    NoSuchTable,
    NotInRecycleBin,
    NotSupportedError,
    OperationalError,
    ParentKeyNotFound,
    ProgrammingError,
    RecycleBinObject,
    RestorePointExists,
    SnapshotTooOld,
    StorageError,
    TableExists,
    TransactionError,
    ValueTooLarge,
)
from .merge import MergeResult, MergeSpec, WhenMatched, WhenNotMatched
from .model import Row, TableStats, VersionOperation, VersionRow
from .multi_insert import MultiInsertSpec, MultiInsertTarget
from .queries import FlashbackQuery, FlashbackResult, TemporalQuery, VersionInfo, VersionsResult
from .recovery import RestoreResult
from .restore_points import RestorePoint
from .retention import CleanupStrategy, RetentionPolicy
from .schema import RecycleBinEntry
from .staging import Batch
from .table import Column, TemporalTable
from .transaction import Transaction
from .writes import UpsertResult

__all__ = [
    "AsyncTemporalEngine",
    "BadReference",
    "Batch",
    "CannotBeNull",
    "CheckViolated",
    "ChildRecordFound",
    "CleanupStrategy",
    "Column",
    "ColumnChange",
    "Constraint",
    "ConstraintDependency",
    "ConstraintExists",
    "ConstraintInfo",
    "ConstraintNotValidated",
    "ConstraintViolation",
    "DataError",
    "DatabaseError",
    "DefinitionChanged",
    "DuplicateKey",
    "Error",
    "FlashbackQuery",
    "FlashbackResult",
    "HeliosError",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "InvalidScn",
    "InvalidTimestamp",
    "InvalidVersionRange",
    "KeyNotFound",
    "MergeResult",
    "MergeSpec",
    "MultiInsertSpec",
    "MultiInsertTarget",
    "NameInUse",
    "NoSnapshot",
    "NoSuchColumn",
    "NoSuchConstraint",
    "NoSuchRestorePoint",
    "NoSuchTable",
    "NotInRecycleBin",
    "NotSupportedError",
    "OperationalError",
    "ParentKeyNotFound",
    "ProgrammingError",
    "RecycleBinEntry",
    "RecycleBinObject",
    "Refusal",
    "RestorePoint",
    "RestorePointExists",
    "RestoreResult",
    "RetentionPolicy",
    "Row",
    "SnapshotTooOld",
    "StorageError",
    "TableExists",
    "TableInfo",
    "TableStats",
    "TemporalEngine",
    "TemporalQuery",
    "TemporalTable",
    "Transaction",
    "TransactionError",
    "TypeChange",
    "UpsertResult",
    "ValueTooLarge",
    "VersionInfo",
    "VersionOperation",
    "VersionRow",
    "VersionsResult",
    "WhenMatched",
    "WhenNotMatched",
]
