"""Plain data the storage API takes and returns: rows, column definitions, versions."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import DataError


def as_bytes(value: Any) -> bytes | None:
    """Normalise a key/column value of a key/columns table: bytes stay, str is UTF-8 encoded."""
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    # DataError, not TypeError: a bad value is a user error under the one error root.
    raise DataError(f"key/columns tables store bytes or str, not {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class Row:
    """A row as the seed's API passes it: a key and named column values.

    For a key/columns table the key and values are bytes (``str`` is accepted and
    stored UTF-8 encoded). For a typed table the key is the primary-key value (a
    tuple for a composite key) and ``columns`` maps the other columns to values.
    """

    key: Any
    columns: Mapping[str, Any] = field(default_factory=dict)

    @staticmethod
    def new(key: Any, columns: Mapping[str, Any]) -> Row:
        """The seed's ``Row::new``."""
        return Row(key, columns)


class VersionOperation(enum.Enum):
    """What the transaction that produced a version did to the row."""

    INSERT = "I"
    UPDATE = "U"
    DELETE = "D"

    def code(self) -> str:
        """The one-letter code Oracle's VERSIONS_OPERATION shows: ``I``, ``U`` or ``D``."""
        return self.value


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One version of a row, as the temporal queries return it.

    ``valid_to``/``end_scn`` are None while the version is current. A delete
    marker (``operation`` DELETE) carries the deleted row's last committed values,
    its ``valid_from``/``start_scn`` are the delete's commit, and it has no end.
    """

    key: Any
    columns: dict[str, Any]
    valid_from: datetime
    valid_to: datetime | None
    start_scn: int
    end_scn: int | None
    xid: int | None
    operation: VersionOperation


@dataclass(frozen=True, slots=True)
class TableStats:
    """What ``get_stats`` reports about one table's current rows and history."""

    table: str
    current_rows: int
    history_rows: int
    oldest_retained_scn: int
    oldest_retained_time: datetime | None
    approx_bytes: int
    last_cleanup: datetime | None
