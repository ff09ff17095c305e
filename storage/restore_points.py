"""Restore points: names for SCNs, kept in the catalog (``helios.restore_points``).

A restore point is Oracle's *normal* restore point: a label for an SCN, no more.
It does not hold history back from retention, so flashing back to one whose
SCN lies below a table's history floor fails with ORA-01555 like any SCN.
Names are compared case-insensitively and kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .errors import NoSuchRestorePoint, ProgrammingError, RestorePointExists
from .names import is_quoted
from .reads import aware
from .transaction import autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine

_COLUMNS = "name, scn, created, as_of_time"


@dataclass(frozen=True, slots=True)
class RestorePoint:
    """A named SCN: ``created`` is when it was made; ``as_of_time`` the time it was made
    ``AS OF`` (the commit time of its SCN for an SCN), None when made for the current SCN."""

    name: str
    scn: int
    created: datetime
    as_of_time: datetime | None = None


class RestorePointMixin:
    """Restore-point methods of ``TemporalEngine``."""

    def create_restore_point(self: TemporalEngine, name: str, scn: int | None = None, *,
                             timestamp: datetime | None = None) -> RestorePoint:
        """Name the current SCN (or ``scn``, or the SCN of ``timestamp``) ``name``.

        ``RestorePointExists`` (ORA-38778) if the name is taken, ``InvalidScn``
        for an SCN that is not 1 to the current SCN, ``NoSnapshot`` /
        ``InvalidTimestamp`` for a time before the database or in the future.
        """
        if not isinstance(name, str) or not name.strip():
            raise ProgrammingError(f"{name!r} is not a valid restore point name")
        if scn is not None and timestamp is not None:
            raise ProgrammingError("create_restore_point takes scn= or timestamp=, not both")
        with autocommit(self) as tx:
            if timestamp is not None:
                point_scn, as_of = self.timestamp_to_scn(timestamp), aware(timestamp)
            elif scn is not None:
                point_scn = self._check_scn(scn)
                as_of = self.scn_to_timestamp(point_scn)
            else:
                # The last committed SCN: a flashback never sees uncommitted changes,
                # this transaction's own included.
                point_scn, as_of = self.committed_scn, None
            existing = self._find_restore_point(name)
            if existing is not None:
                raise RestorePointExists(f"restore point {existing.name!r} already exists")
            point = RestorePoint(name, point_scn, self.backend.clock(), as_of)

            def create(cur: Any, _scn: int) -> RestorePoint:
                cur.execute(
                    "INSERT INTO helios.restore_points (name, scn, created, as_of_time, quoted) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [point.name, point.scn, point.created, point.as_of_time, is_quoted(name)])
                return point

            return tx.run(f"create restore point {name}", create)

    def drop_restore_point(self: TemporalEngine, name: str) -> None:
        """Forget the restore point ``name``; ``NoSuchRestorePoint`` (ORA-38780) if unknown."""
        with autocommit(self) as tx:
            self.restore_point(name)
            tx.run(f"drop restore point {name}", lambda cur, _scn: cur.execute(
                "DELETE FROM helios.restore_points WHERE lower(name) = lower(?)", [name]))

    def restore_points(self: TemporalEngine) -> list[RestorePoint]:
        """Every restore point, oldest SCN first."""
        rows = self.fetch(f"SELECT {_COLUMNS} FROM helios.restore_points ORDER BY scn, name",
                          doing="list restore points")
        return [RestorePoint(*row) for row in rows]

    def restore_point(self: TemporalEngine, name: str) -> RestorePoint:
        """The restore point ``name``; ``NoSuchRestorePoint`` (ORA-38780) if there is none."""
        point = self._find_restore_point(name)
        if point is None:
            raise NoSuchRestorePoint(f"restore point {name!r} does not exist")
        return point

    def restore_point_scn(self: TemporalEngine, name: str) -> int:
        """The SCN the restore point ``name`` stands for."""
        return self.restore_point(name).scn

    def _find_restore_point(self: TemporalEngine, name: str) -> RestorePoint | None:
        rows = self.fetch(f"SELECT {_COLUMNS} FROM helios.restore_points "
                          "WHERE lower(name) = lower(?)", [name], "find restore point")
        return RestorePoint(*rows[0]) if rows else None
