"""FLASHBACK TABLE over several tables: one target SCN, one transaction, all or nothing.

Every table and the target are checked before anything is written, so a bad
name or a target the tables cannot reach (ORA-01466, ORA-01555) changes
nothing and leaves an enclosing transaction usable. Each table is then restored
with ``restore_table`` in the same transaction; an error while writing (a
unique key clash) aborts the whole transaction, so no table is left restored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from . import integrity
from .errors import ProgrammingError
from .recovery import RestoreResult
from .transaction import autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine


class FlashbackTableMixin:
    """``flashback_tables`` of ``TemporalEngine``."""

    def flashback_tables(self: TemporalEngine, tables: Sequence[str], *, scn: int | None = None,
                         timestamp: datetime | None = None, restore_point: str | None = None
                         ) -> dict[str, RestoreResult]:
        """Make every table in ``tables`` equal to its state at one target, in one transaction.

        The target is ``scn``, ``timestamp`` (the last SCN committed at or before
        it) or the SCN of ``restore_point``. Returns each table's ``RestoreResult``
        by name. Errors: ``InvalidScn``, ``NoSnapshot``/``InvalidTimestamp``,
        ``NoSuchRestorePoint``, ``NoSuchTable``, ``RecycleBinObject``,
        ``DefinitionChanged`` (a table created after the target),
        ``SnapshotTooOld`` (below a table's history floor), ``DuplicateKey``.
        """
        if sum(x is not None for x in (scn, timestamp, restore_point)) != 1:
            raise ProgrammingError(
                "flashback_tables needs exactly one of scn=, timestamp= or restore_point=")
        if isinstance(tables, str) or not tables:
            raise ProgrammingError("flashback_tables needs a list of one or more table names")
        with autocommit(self) as tx:
            if restore_point is not None:
                target = self.restore_point_scn(restore_point)
            elif timestamp is not None:
                target = self.timestamp_to_scn(timestamp)
            else:
                target = self._check_scn(scn)
            infos = [tx.table(name) for name in tables]
            seen: set[int] = set()
            for info in infos:
                if info.object_id in seen:
                    raise ProgrammingError(f"table {info.name!r} is listed more than once")
                seen.add(info.object_id)
                self._check_table_at(info, target)
            # One statement: constraints hold for the tables together, or nothing changes.
            with tx.statement("flashback table"):
                results = {info.name: self.restore_table(info.name, scn=target,
                                                         check_constraints=False)
                           for info in infos}
                tx.run("flashback table", lambda cur, scn: integrity.check_rewritten(
                    tx, cur, infos, scn))
            return results
