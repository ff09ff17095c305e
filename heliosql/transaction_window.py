"""``t FLASHBACK TRANSACTION xid``: the version window of one transaction in one table.

The versions a transaction wrote all start at its commit SCN and its delete
markers carry that SCN, so the clause is a version window from that SCN to
itself: every row shows its start SCN, XID and operation. An XID that names
no committed transaction gives no rows, as the storage API's
``FlashbackQuery.FlashbackTransaction`` does; a transaction older than the
table's retained history is ORA-01555.
"""

from __future__ import annotations

from heliosql.binding import TemporalBinder
from heliosql.plan.temporal import TransactionVersions
from heliosql.storage import TableInfo, TemporalEngine
from heliosql.storage.relations import VersionWindow
from heliosql.storage.transaction_log import UnknownTransaction


def transaction_window(engine: TemporalEngine, binder: TemporalBinder, info: TableInfo,
                       clause: TransactionVersions) -> tuple[VersionWindow, int]:
    """The window of ``clause`` on ``info`` and the SCN its versions start at."""
    vantage = engine.current_scn()
    engine.versions_bounds(info, None, None, vantage)  # refuses a table without history
    xid = binder.xid(clause.xid, "FLASHBACK TRANSACTION")
    try:
        scn = engine.committed_transaction(xid).scn
    except UnknownTransaction:
        return VersionWindow(vantage, start_min=1, start_max=0, marker_min=1, marker_max=0), 1
    if info.history_floor_scn and scn <= info.history_floor_scn:
        engine.check_readable(info, scn)  # SnapshotTooOld
    return VersionWindow(vantage, start_min=scn, start_max=scn, marker_min=scn,
                         marker_max=scn), scn
