"""An in-memory mirror of the SCN log, for exact time <-> SCN mapping without a query.

SCNs are dense: every SCN from 1 to the current one was committed exactly once
(a rolled-back transaction never publishes its SCN), so SCN ``n`` sits at index
``n - 1``. Commit times strictly increase with the SCN, so a time maps to an SCN
by bisection. Three compact arrays (24 bytes per transaction) hold the log;
the table ``helios.scn_log`` stays the durable truth and is read back on open.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
_NO_XID = -1


def to_micros(ts: datetime) -> int:
    """Microseconds since the epoch of an aware datetime."""
    return (ts - _EPOCH) // _MICRO


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


class ScnLog:
    """SCN -> commit time and XID; time -> SCN."""

    def __init__(self, rows: Iterable[tuple[int, datetime, int | None]] = ()):
        self._micros = array("q")
        self._xids = array("q")
        for scn, ts, xid in rows:
            self.append(scn, ts, xid)

    def __len__(self) -> int:
        return len(self._micros)

    def append(self, scn: int, ts: datetime, xid: int | None) -> None:
        """Record the next SCN (SCNs must arrive in order, without gaps)."""
        if scn != len(self._micros) + 1:
            raise ValueError(f"SCN log out of order: got {scn} after {len(self._micros)}")
        self._micros.append(to_micros(ts))
        self._xids.append(_NO_XID if xid is None else xid)

    def scn_at(self, ts: datetime) -> int:
        """The last SCN committed at or before ``ts`` (0 if none)."""
        return bisect.bisect_right(self._micros, to_micros(ts))

    def first_at_or_after(self, ts: datetime) -> int:
        """The first SCN committed at or after ``ts`` (current + 1 if none)."""
        return bisect.bisect_left(self._micros, to_micros(ts)) + 1

    def time_of(self, scn: int) -> datetime:
        """The commit time of ``scn`` (1 <= scn <= len)."""
        return from_micros(self._micros[scn - 1])

    def xid_of(self, scn: int) -> int | None:
        xid = self._xids[scn - 1]
        return None if xid == _NO_XID else xid
