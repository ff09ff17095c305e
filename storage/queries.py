"""The questions the storage API answers: the seed's ``TemporalQuery`` and ``FlashbackQuery``.

Times are ``datetime`` values; a naive datetime is read in the machine's local
time zone (as ``datetime.timestamp()`` does). Every time is mapped exactly to
the last SCN committed at or before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .model import Row, VersionOperation, VersionRow


class TemporalQuery:
    """Namespace of time-based queries, used as ``TemporalQuery.AsOf(t)``.

    - ``AsOf(t)`` / ``KeyAsOf(key, t)`` / ``KeysAsOf(keys, t)``: the versions valid at ``t``.
    - ``Between(t1, t2)`` / ``KeyBetween(key, t1, t2)``: every version valid at some
      instant of ``[t1, t2]``, plus delete markers committed in it, oldest first.
    - ``From(t)``: every version valid at or after ``t`` (and later delete markers).
    - ``To(t)``: every version valid at or before ``t`` (and earlier delete markers).
    - ``KeyHistory(key)`` / ``KeysHistory(keys)``: all retained versions, oldest first.

    A time before the table existed gives an empty answer; a time older than
    the retained history raises ``SnapshotTooOld``.
    """

    @dataclass(frozen=True, slots=True)
    class AsOf:
        """Every row as it was at ``timestamp``."""

        timestamp: datetime

    @dataclass(frozen=True, slots=True)
    class KeyAsOf:
        """The row with ``key`` as it was at ``timestamp`` (empty if it did not exist)."""

        key: Any
        timestamp: datetime

    @dataclass(frozen=True, slots=True)
    class KeysAsOf:
        """Many keys as of one time, answered in one DuckDB query."""

        keys: Sequence[Any]
        timestamp: datetime

    @dataclass(frozen=True, slots=True)
    class KeyHistory:
        """Every retained version of ``key``, oldest first."""

        key: Any

    @dataclass(frozen=True, slots=True)
    class KeysHistory:
        """Every retained version of many keys, by key then oldest first, in one query."""

        keys: Sequence[Any]

    @dataclass(frozen=True, slots=True)
    class KeyBetween:
        """Versions of ``key`` valid at some instant of ``[start, end]``."""

        key: Any
        start: datetime
        end: datetime

    @dataclass(frozen=True, slots=True)
    class Between:
        """Versions valid at some instant of ``[start, end]``."""

        start: datetime
        end: datetime

    @dataclass(frozen=True, slots=True)
    class From:
        """Versions valid at or after ``timestamp``."""

        timestamp: datetime

    @dataclass(frozen=True, slots=True)
    class To:
        """Versions valid at or before ``timestamp``."""

        timestamp: datetime


class FlashbackQuery:
    """Namespace of SCN-based, Oracle-compatible queries (the seed's ``FlashbackQuery``)."""

    @dataclass(frozen=True, slots=True)
    class AsOfScn:
        """``SELECT * FROM table AS OF SCN scn`` [``WHERE key = filter_key``]."""

        scn: int
        table_name: str
        filter_key: Any = None

    @dataclass(frozen=True, slots=True)
    class VersionsBetweenScn:
        """``VERSIONS BETWEEN SCN start_scn AND end_scn`` [for one key]."""

        start_scn: int
        end_scn: int
        table_name: str
        filter_key: Any = None

    @dataclass(frozen=True, slots=True)
    class FlashbackTransaction:
        """The versions transaction ``transaction_id`` wrote in ``table_name``."""

        transaction_id: int
        table_name: str


@dataclass(frozen=True, slots=True)
class FlashbackResult:
    """Rows of an ``AsOfScn`` query."""

    scn: int
    rows: list[VersionRow]


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One row of a version query, with Oracle's VERSIONS_* pseudocolumns.

    ``version_start_scn``/``_time``, ``version_xid`` and ``version_operation`` are
    None for a version that already existed when the window opened;
    ``version_end_scn``/``_time`` are None for a version still current at the
    query's SCN and for delete markers (operation ``D``).
    """

    version_start_scn: int | None
    version_start_time: datetime | None
    version_end_scn: int | None
    version_end_time: datetime | None
    version_xid: int | None
    version_operation: VersionOperation | None
    row: Row


@dataclass(frozen=True, slots=True)
class VersionsResult:
    """Rows of a ``VersionsBetweenScn`` or ``FlashbackTransaction`` query."""

    versions: list[VersionInfo]
