"""Retention: removing old history, and the statistics that drive it.

Cleanup removes whole SCN ranges: every history version that ended at or
before a cutoff SCN ``F``. The table's *history floor* becomes ``F``; from then
on a question about an SCN below ``F`` (a state whose versions may be gone)
raises ``SnapshotTooOld`` instead of returning a silently incomplete answer.

Automatic cleanup is triggered by writes, not by a background thread: after a
transaction that changed a table with a retention policy commits, the table is
cleaned (in a transaction of its own) if its ``cleanup_interval`` has passed
since the last cleanup. ``run_due_cleanups()`` does the same for every table,
for applications that write rarely.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .catalog import TableInfo
from .errors import HeliosError
from .model import TableStats
from .retention import CleanupStrategy
from .sqltext import quote_ident
from .transaction import autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine
    from .transaction import Transaction

_FIXED_WIDTH = {
    "BOOLEAN": 1, "TINYINT": 1, "UTINYINT": 1, "SMALLINT": 2, "USMALLINT": 2, "INTEGER": 4,
    "UINTEGER": 4, "BIGINT": 8, "UBIGINT": 8, "HUGEINT": 16, "FLOAT": 4, "REAL": 4,
    "DOUBLE": 8, "DATE": 4, "TIME": 8, "TIMESTAMP": 8, "TIMESTAMPTZ": 8, "UUID": 16,
}
#: Bytes of the hidden columns of one history row.
_SYSTEM_WIDTH = 4 * 8 + 1


def _width_sql(info: TableInfo) -> str:
    """SQL estimating the stored bytes of one row of ``info``'s history."""
    parts = [str(_SYSTEM_WIDTH)]
    for col in info.columns:
        base = col.type.upper().split("(")[0].strip()
        name = quote_ident(col.name)
        if base in ("BLOB", "BYTEA", "VARBINARY"):
            parts.append(f"coalesce(octet_length({name}), 0)")
        elif base in _FIXED_WIDTH:
            parts.append(str(_FIXED_WIDTH[base]))
        elif base.startswith("DECIMAL") or base.startswith("NUMERIC"):
            parts.append("16")
        else:
            parts.append(f"coalesce(strlen({name}::VARCHAR), 0)")
    return " + ".join(parts)


class RetentionMixin:
    """Retention methods of ``TemporalEngine``."""

    def get_stats(self: TemporalEngine, table: str) -> TableStats:
        """Current rows, history rows, the oldest retained SCN and time, approximate bytes."""
        info = self.table_info(table)
        current = self.fetch(f"SELECT count(*) FROM {info.current}")[0][0]
        history, width = self.fetch(
            f"SELECT count(*), (SELECT avg({_width_sql(info)}) FROM "
            f"(SELECT * FROM {info.history} USING SAMPLE 2048 ROWS)) FROM {info.history}"
        )[0]
        oldest = max(info.created_scn, info.history_floor_scn)
        oldest_time = self.scn_to_timestamp(oldest) if oldest <= self.committed_scn else None
        return TableStats(
            table=info.name, current_rows=current, history_rows=history,
            oldest_retained_scn=oldest, oldest_retained_time=oldest_time,
            approx_bytes=int(history * (width or 0)), last_cleanup=info.last_cleanup,
        )

    def cleanup_history(self: TemporalEngine, table: str) -> int:
        """Apply ``table``'s retention policy now; returns the history versions removed.

        A table without a policy keeps everything (returns 0). When nothing is due
        for removal no transaction runs (no SCN is taken); the attempt is only
        remembered until the engine closes.
        """
        own = self.current_transaction() is None
        info = self.table_info(table)
        policy = info.retention
        if policy is None:
            return 0
        now = self.backend.clock()
        # Versions that ended before the horizon: end SCN <= the last SCN before it.
        cutoff = max(info.history_floor_scn,
                     self.scn_log.scn_at(now - policy.max_age - timedelta(microseconds=1)))
        if policy.strategy is CleanupStrategy.TIME_BASED_OLDEST:
            cutoff = max(cutoff, self._limit_cutoff(self.read_cursor(), info, cutoff))
        if cutoff <= info.history_floor_scn:
            with self._state_lock:
                if self.catalog.get(info.object_id) is info:
                    self.catalog = {**self.catalog,
                                    info.object_id: info.with_changes(last_cleanup=now)}
            return 0
        with autocommit(self) as tx:
            if own:
                tx.kind = "CLEANUP"
            info = tx.table(table)

            def clean(cur: Any, scn: int) -> int:
                removed = cur.execute(
                    f"DELETE FROM {info.history} WHERE __end_scn <= {cutoff}"
                ).fetchone()[0]
                tx.put_table(info.with_changes(history_floor_scn=cutoff, last_cleanup=now))
                return removed

            return tx.run(f"clean up history of {info.name}", clean)

    def _limit_cutoff(self: TemporalEngine, cur: Any, info: TableInfo, cutoff: int) -> int:
        """The smallest end SCN whose removal brings history under the entry and size limits."""
        policy = info.retention
        assert policy is not None
        if policy.entry_limit is None and policy.size_limit is None:
            return 0
        remaining, width = cur.execute(
            f"SELECT count(*), avg({_width_sql(info)}) FROM {info.history} "
            f"WHERE __end_scn > {cutoff}"
        ).fetchone()
        excess = 0
        if policy.entry_limit is not None:
            excess = remaining - policy.entry_limit
        if policy.size_limit is not None and width:
            excess = max(excess, int(remaining - policy.size_limit // width))
        if excess <= 0:
            return 0
        row = cur.execute(
            f"SELECT __end_scn FROM {info.history} WHERE __end_scn > {cutoff} "
            f"ORDER BY __end_scn LIMIT 1 OFFSET {excess - 1}"
        ).fetchone()
        return row[0] if row else 0

    def _cleanup_due(self: TemporalEngine, info: TableInfo, now: datetime) -> bool:
        policy = info.retention
        if policy is None or info.dropped_scn is not None:
            return False
        last = info.last_cleanup
        if last is None:  # never cleaned: the interval runs from the table's creation
            if info.created_scn > self.committed_scn:
                return False
            last = self.scn_log.time_of(info.created_scn)
        return now - last >= policy.cleanup_interval

    def after_commit(self: TemporalEngine, tx: Transaction) -> None:
        """Run the cleanups that ``tx``'s changes made due."""
        if tx.kind == "CLEANUP":
            return
        now = self.backend.clock()
        for oid in tx.changed_tables:
            info = self.catalog.get(oid)
            if info is None or not self._cleanup_due(info, now):
                continue
            try:
                self.cleanup_history(info.name)
            except HeliosError as exc:  # the user's commit succeeded; say so, do not raise
                warnings.warn(f"automatic history cleanup of {info.name!r} failed: {exc}",
                              RuntimeWarning, stacklevel=2)

    def run_due_cleanups(self: TemporalEngine) -> int:
        """Clean every table whose cleanup interval has passed; returns versions removed."""
        now = self.backend.clock()
        due = [t.name for t in self.catalog.values() if self._cleanup_due(t, now)]
        return sum(self.cleanup_history(name) for name in due)
