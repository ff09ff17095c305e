"""The recycle bin as a whole: reading a dropped table by its ``BIN$`` name, emptying
the bin.

Dropping, restoring and purging one table live in ``writes.py``; a dropped table
keeps its object id, rows and history, so reading it by its ``BIN$`` name is an
ordinary read of that object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import ddl
from .binnames import find_in_bin
from .catalog import TableInfo
from .transaction import autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine


class RecycleBinMixin:
    """Recycle-bin methods of ``TemporalEngine`` beyond drop, restore and purge of one table."""

    def readable_table(self: TemporalEngine, name: str) -> TableInfo:
        """The live table ``name``, or the recycle-bin table whose ``BIN$`` name it is."""
        dropped = find_in_bin(self.visible_tables(), name)
        return dropped if dropped is not None else self.table_info(name)

    def purge_recycle_bin(self: TemporalEngine) -> int:
        """Remove every table in the recycle bin for good; returns how many."""
        with autocommit(self) as tx:
            dropped = [t for t in tx.tables.values() if t.dropped_scn is not None]
            if not dropped:
                return 0  # nothing to do: no transaction, no SCN

            def purge(cur: Any, _scn: int) -> int:
                for info in dropped:
                    ddl.purge(cur, info)
                    tx.forget_table(info.object_id)
                return len(dropped)

            return tx.run("purge recyclebin", purge)
