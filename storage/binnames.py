"""Recycle-bin names: find a dropped table by its ``BIN$`` name, refuse changes to it.

Kept apart from ``recyclebin.py`` so that the transaction module can use it
without an import cycle.
"""

from __future__ import annotations

from .catalog import TableInfo
from .errors import RecycleBinObject


def find_in_bin(tables: dict[int, TableInfo], name: str) -> TableInfo | None:
    """The dropped table whose ``BIN$`` name is ``name`` (case-insensitive), or None."""
    wanted = name.lower()
    return next((t for t in tables.values() if t.dropped_scn is not None
                 and t.bin_name is not None and t.bin_name.lower() == wanted), None)


def refuse_bin_object(tables: dict[int, TableInfo], name: str) -> None:
    """``RecycleBinObject`` (ORA-38301) when ``name`` is a ``BIN$`` name: such a table can
    be read, restored or purged, not changed."""
    dropped = find_in_bin(tables, name)
    if dropped is not None:
        raise RecycleBinObject(
            f"cannot change {dropped.bin_name!r}: it is {dropped.name!r} in the recycle bin; "
            "restore it first (FLASHBACK TABLE ... TO BEFORE DROP)")
