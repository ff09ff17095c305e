"""What a committed transaction changed, derived from history (Flashback Transaction Query).

Nothing extra is written by DML: a transaction at SCN ``s`` left, in each table,
the versions it created (``__start_scn = s``, its *after* images) and the
versions it closed (history rows with ``__end_scn = s``, its *before* images).
Joining the two by row id gives one change per row:

========================  ================  ===========
before (ended at s)       after (began at s) operation
========================  ================  ===========
none                      created at s       INSERT
a version                 a version          UPDATE
a delete marker           none               DELETE
purged by retention       not created at s   UNKNOWN
========================  ================  ===========

Several changes of one row in one transaction are one change here (heliosql
keeps one version per row and transaction), where Oracle lists every
row-level change of every statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .catalog import TableInfo
from .errors import UnknownTransaction, sql_text
from .sqltext import column_list, quote_ident

if TYPE_CHECKING:
    from .engine import TemporalEngine

#: Undo order of a change's operation, as SQL over ``{op}``: undoing inserts first and
#: deletes last frees a key the transaction deleted and inserted again before the
#: deleted row is inserted back.
UNDO_RANK = ("CASE {op} WHEN 'INSERT' THEN 1 WHEN 'UPDATE' THEN 2 WHEN 'UNKNOWN' THEN 2 "
             "ELSE 3 END")


@dataclass(frozen=True, slots=True)
class TransactionRecord:
    """A committed write transaction as the SCN log records it."""

    xid: int
    scn: int
    commit_time: datetime
    user: str | None
    name: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row a transaction changed: the images before and after it (None: absent)."""

    table: str
    operation: str
    row_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _scn_filter(column: str, scns: Sequence[int] | None) -> str:
    if scns is None:
        return ""
    if len(scns) == 1:
        return f" WHERE {column} = {int(scns[0])}"
    return f" WHERE {column} IN ({', '.join(str(int(s)) for s in scns)})"


def changes(info: TableInfo, scns: Sequence[int] | None = None) -> str:
    """One row per (transaction, row) change in ``info``, for the given SCNs (None: all).

    Columns: ``__scn`` (the transaction's commit SCN), ``__rowid``, ``__op``
    (``INSERT``/``UPDATE``/``DELETE``/``UNKNOWN``), then the before image as
    ``__b0``, ``__b1``, ... and the after image as ``__a0``, ``__a1``, ... (in the
    order of ``info.column_names``; all NULL for an absent image), then
    ``__has_before`` and ``__has_after``.
    """
    cols = column_list(info.column_names)
    start, end = _scn_filter("__start_scn", scns), _scn_filter("__end_scn", scns)
    after = (f"SELECT {cols}, __rowid, __start_scn AS __scn, __created_scn "
             f"FROM {info.current}{start} UNION ALL "
             f"SELECT {cols}, __rowid, __start_scn, __created_scn FROM {info.history}{start}")
    before = f"SELECT {cols}, __rowid, __end_scn AS __scn, __deleted FROM {info.history}{end}"
    images = ", ".join(
        [f"b.{quote_ident(c)} AS __b{i}" for i, c in enumerate(info.column_names)]
        + [f"a.{quote_ident(c)} AS __a{i}" for i, c in enumerate(info.column_names)])
    # A before image whose successor is gone, or an after image whose predecessor
    # is gone, can only come from retention purging history: Oracle's UNKNOWN.
    op = ("CASE WHEN a.__rowid IS NULL THEN CASE WHEN b.__deleted THEN 'DELETE' "
          "ELSE 'UNKNOWN' END WHEN a.__created_scn = a.__scn THEN 'INSERT' "
          "WHEN b.__rowid IS NULL THEN 'UNKNOWN' ELSE 'UPDATE' END")
    return (
        f"SELECT COALESCE(a.__scn, b.__scn) AS __scn, COALESCE(a.__rowid, b.__rowid) AS __rowid, "
        f"{op} AS __op, {images}, b.__rowid IS NOT NULL AS __has_before, "
        f"a.__rowid IS NOT NULL AS __has_after "
        f"FROM ({after}) AS a FULL JOIN ({before}) AS b "
        f"ON a.__rowid = b.__rowid AND a.__scn = b.__scn"
    )


def tracked_tables(tables: dict[int, TableInfo]) -> list[TableInfo]:
    """The live tables that keep history, by name (only they can say what changed)."""
    return sorted((t for t in tables.values() if t.dropped_scn is None and t.versioned),
                  key=lambda t: (t.name.lower(), t.object_id))


class TransactionLogMixin:
    """Flashback Transaction Query methods of ``TemporalEngine``."""

    def committed_transaction(self: TemporalEngine, xid: Any) -> TransactionRecord:
        """The committed transaction ``xid``; ``UnknownTransaction`` if there is none."""
        if isinstance(xid, bool) or not isinstance(xid, int):
            raise UnknownTransaction(f"{sql_text(xid)} is not a transaction id: XIDs are integers")
        if not 0 < xid < 2**63:  # XIDs are BIGINTs from 1 up
            raise UnknownTransaction(f"no committed transaction has XID {xid}")
        found = self.fetch(
            "SELECT xid, scn, commit_time, username, tag, kind FROM helios.scn_log "
            "WHERE xid = ? AND scn <= ?", [xid, self.committed_scn])
        if not found:
            raise UnknownTransaction(f"no committed transaction has XID {xid}")
        return TransactionRecord(*found[0])

    def transaction_changes(self: TemporalEngine, xid: int) -> list[RowChange]:
        """Every row the committed transaction ``xid`` changed, one entry per row.

        Ordered by table name, then in undo order (inserts, updates, deletes),
        then by row id. ``UnknownTransaction`` for an XID that never committed.
        """
        record = self.committed_transaction(xid)
        out: list[RowChange] = []
        for info in tracked_tables(self.visible_tables()):
            if info.created_scn > record.scn:
                continue
            rank = UNDO_RANK.format(op="__op")
            rows = self.fetch(f"SELECT * FROM ({changes(info, [record.scn])}) "
                              f"ORDER BY {rank}, __rowid", doing="transaction query")
            width = len(info.column_names)
            for row in rows:
                before = dict(zip(info.column_names, row[3:3 + width], strict=True))
                after = dict(zip(info.column_names, row[3 + width:3 + 2 * width], strict=True))
                has_before, has_after = row[3 + 2 * width:]
                out.append(RowChange(info.name, row[2], row[1],
                                     before if has_before else None,
                                     after if has_after else None))
        return out
