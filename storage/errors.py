"""The single error hierarchy of heliosql.

The PEP 249 classes live here, in the storage package, so that the storage
engine's errors can be subclasses of them without the engine importing the SQL
front end; ``heliosql`` re-exports the same classes. ``HeliosError`` (the seed's
name) *is* PEP 249's ``Error``.

Every error carries an optional Oracle code (``ORA-08181``) as ``code`` and,
for errors a user can be blamed for in a statement, the character offset as
``position``. Each class names its default code, so ``SnapshotTooOld("...")``
is ``ORA-01555`` without saying so at the raise site.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any


def sql_text(value: Any) -> str:
    """A value as SQL writes it, for messages: ``NULL``, ``2.5``, ``'text'``,
    ``TIMESTAMP '2024-01-02 03:04:05'`` (never Python's ``None`` or ``Decimal('2.5')``);
    a value SQL has no literal for is named by its type. Long texts are cut."""
    text = _sql_text(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _sql_text(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, int | float):
        return str(value)
    return f"a value of type {type(value).__name__}"


class Warning(Exception):
    """Important warnings (PEP 249)."""


class HeliosError(Exception):
    """Root of every heliosql error (PEP 249 ``Error``)."""

    default_code: str | None = None

    def __init__(self, message: str, *, code: str | None = None, position: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.position = position

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code else self.message


Error = HeliosError


class InterfaceError(Error):
    """Misuse of the interface itself (a closed connection or cursor, ...)."""


class DatabaseError(Error):
    """Errors related to the database."""


class DataError(DatabaseError):
    """A value cannot be processed: out of range, wrong type, not a valid SCN."""


class OperationalError(DatabaseError):
    """The database could not do what was asked for a reason outside the statement."""


class IntegrityError(DatabaseError):
    """A constraint would be violated."""


class InternalError(DatabaseError):
    """The engine reached a state it should never be in."""


class ProgrammingError(DatabaseError):
    """The statement or call is wrong: unknown table, syntax error, bad arguments."""


class NotSupportedError(DatabaseError):
    """A feature heliosql does not provide."""


# --- the storage engine's precise errors -----------------------------------------------------


class StorageError(OperationalError):
    """The storage layer failed (the seed's ``HeliosError::Storage``)."""


class KeyNotFound(DatabaseError):
    """No row with that key exists (at the time asked about)."""

    default_code = "ORA-01403"


class NoSuchTable(ProgrammingError):
    """The table does not exist (or was dropped)."""

    default_code = "ORA-00942"


class TableExists(ProgrammingError):
    """The name is already used by another table."""

    default_code = "ORA-00955"


class _NamingError(ProgrammingError):
    """An error about a name: ``name`` is the name as DuckDB or the lookup reported it
    (empty when unknown), which gives the error its position in the statement."""

    def __init__(self, message: str, *, name: str = "", code: str | None = None,
                 position: int | None = None):
        super().__init__(message, code=code, position=position)
        self.name = name


class NoSuchColumn(_NamingError):
    """The column does not exist in the table."""

    default_code = "ORA-00904"


class AmbiguousColumn(_NamingError):
    """An unqualified column name that more than one relation in scope has."""

    default_code = "ORA-00918"


class NoSuchFunction(_NamingError):
    """DuckDB knows no (table) function of that name."""

    default_code = "ORA-00904"


class DuplicateKey(IntegrityError):
    """A row with that key already exists."""

    default_code = "ORA-00001"


class ConstraintViolation(IntegrityError):
    """A NOT NULL, CHECK or other constraint rejected the change."""


class CannotBeNull(ConstraintViolation):
    """A NULL for a column that must have a value: ORA-01400 on insert, ORA-01407 on update."""

    default_code = "ORA-01400"


class CheckViolated(ConstraintViolation):
    """A row fails a CHECK constraint."""

    default_code = "ORA-02290"


class ParentKeyNotFound(ConstraintViolation):
    """A foreign key value has no parent row."""

    default_code = "ORA-02291"


class ChildRecordFound(ConstraintViolation):
    """A parent key that child rows still reference would go away."""

    default_code = "ORA-02292"


class ValueTooLarge(DataError):
    """A value is longer than its column allows (ORA-12899) or has more digits than its
    precision (ORA-01438)."""

    default_code = "ORA-12899"


class ConstraintNotValidated(ConstraintViolation):
    """Existing rows break a constraint being added or enabled (ORA-02293, 02296, 02298,
    02299, 02437, 01449)."""


class ConstraintDependency(ProgrammingError):
    """Foreign keys depend on the table or key (ORA-02266, 02449, 02273, 02297)."""


class NoSuchConstraint(ProgrammingError):
    """No constraint of that name (ORA-02443, 02430, 02431), or no primary key (02441)."""

    default_code = "ORA-02443"


class ConstraintExists(ProgrammingError):
    """The constraint name is taken (ORA-02264), or the key exists (ORA-02260, 02261)."""

    default_code = "ORA-02264"


class BadReference(ProgrammingError):
    """A foreign key names no usable parent key (ORA-02268, 02270, 02256)."""

    default_code = "ORA-02270"


class InvalidScn(DataError):
    """The SCN is negative, not an integer, or beyond the current SCN."""

    default_code = "ORA-08181"


class NoSnapshot(DataError):
    """No snapshot exists for that time: it is older than the first SCN."""

    default_code = "ORA-08180"


class InvalidTimestamp(DataError):
    """The timestamp cannot be used: it lies in the future."""

    default_code = "ORA-08186"


class SnapshotTooOld(OperationalError):
    """The history needed was removed by retention (Oracle's ORA-01555)."""

    default_code = "ORA-01555"


class DefinitionChanged(OperationalError):
    """The time asked about lies before the table existed (ORA-01466)."""

    default_code = "ORA-01466"


class InvalidVersionRange(DataError):
    """A VERSIONS BETWEEN range is unusable (ORA-30052, ORA-30053 or ORA-30054)."""

    default_code = "ORA-30054"


class TransactionError(OperationalError):
    """A transaction cannot be started, continued or committed."""


class NoSuchSavepoint(ProgrammingError):
    """ROLLBACK TO a savepoint this transaction does not have (Oracle's ORA-01086)."""

    default_code = "ORA-01086"

    @classmethod
    def named(cls, name: str, position: int | None = None) -> NoSuchSavepoint:
        return cls(f"savepoint {name!r} never established in this transaction or is invalid",
                   position=position)


class NotInRecycleBin(ProgrammingError):
    """Nothing with that name is in the recycle bin."""

    default_code = "ORA-38305"


class NameInUse(ProgrammingError):
    """The original name of a dropped table is used by another table."""

    default_code = "ORA-38312"


class RecycleBinObject(ProgrammingError):
    """DML or DDL on a table in the recycle bin (it can only be read)."""

    default_code = "ORA-38301"


class RestorePointExists(ProgrammingError):
    """A restore point of that name exists already."""

    default_code = "ORA-38778"


class NoSuchRestorePoint(ProgrammingError):
    """No restore point has that name."""

    default_code = "ORA-38780"



class NoSuchArchive(ProgrammingError):
    """No flashback archive has that name."""


class ArchiveExists(ProgrammingError):
    """A flashback archive with that name (or a second default archive) already exists."""


class NoDefaultArchive(ProgrammingError):
    """``FLASHBACK ARCHIVE`` without a name, and no archive is the default."""

    default_code = "ORA-55608"


class ArchiveNotAllowed(ProgrammingError):
    """The table keeps no history (temporary or WITHOUT SYSTEM VERSIONING)."""

    default_code = "ORA-55630"


class BadTablespace(ProgrammingError):
    """The tablespace is already in the archive, or is not in it (ORA-55604)."""

    default_code = "ORA-55604"


class BackoutConflict(OperationalError):
    """Later transactions depend on the one to back out (NOCASCADE)."""

    default_code = "ORA-55504"


class UnknownTransaction(ProgrammingError):
    """The XID names no committed transaction."""


class NoSuchSequence(ProgrammingError):
    """No sequence has that name."""

    default_code = "ORA-02289"


__all__ = [
    "AmbiguousColumn",
    "ArchiveExists",
    "ArchiveNotAllowed",
    "BackoutConflict",
    "BadReference",
    "BadTablespace",
    "CannotBeNull",
    "CheckViolated",
    "ChildRecordFound",
    "ConstraintDependency",
    "ConstraintExists",
    "ConstraintNotValidated",
    "ConstraintViolation",
    "DataError",
    "DatabaseError",
    "DefinitionChanged",
    "DuplicateKey",
    "Error",
    "HeliosError",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "InvalidScn",
    "InvalidTimestamp",
    "InvalidVersionRange",
    "KeyNotFound",
    "NameInUse",
    "NoDefaultArchive",
    "NoSnapshot",
    "NoSuchArchive",
    "NoSuchColumn",
    "NoSuchConstraint",
    "NoSuchFunction",
    "NoSuchRestorePoint",
    "NoSuchSequence",
    "NoSuchTable",
    "NotInRecycleBin",
    "NotSupportedError",
    "OperationalError",
    "ParentKeyNotFound",
    "ProgrammingError",
    "RecycleBinObject",
    "RestorePointExists",
    "SnapshotTooOld",
    "StorageError",
    "TableExists",
    "TransactionError",
    "UnknownTransaction",
    "ValueTooLarge",
    "Warning",
]
