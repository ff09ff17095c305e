"""The fixed view FLASHBACK_TRANSACTION_QUERY: what each committed transaction changed.

The view is SQL (compiled with the statement), so ``WHERE xid = :x`` and joins
to ``VERSIONS_XID`` work like on any table: the changes of every live table
that keeps history (``storage.transaction_log.changes``, one UNION ALL branch
per table) joined to the SCN log, plus one BEGIN row per transaction. Rows
are numbered per transaction in undo order: ``UNDO_CHANGE# = 1`` is the change
to undo first and BEGIN gets the highest number (docs/semantics.md).
"""

from __future__ import annotations

from typing import Any

from heliosql.storage import TemporalEngine, transaction_log
from heliosql.storage.names import dictionary_name
from heliosql.storage.transaction_log import UnknownTransaction
from heliosql.system_views import register
from heliosql.undo_sql import string, undo_sql

COLUMNS = (
    "xid", "start_scn", "start_timestamp", "commit_scn", "commit_timestamp", "logon_user",
    "undo_change#", "operation", "table_name", "table_owner", "row_id", "undo_sql",
    "transaction_name",
)

_NO_CHANGES = ("SELECT NULL::BIGINT AS scn, NULL::VARCHAR AS operation, "
               "NULL::VARCHAR AS table_name, NULL::BIGINT AS table_scn, "
               "NULL::BIGINT AS row_id, NULL::VARCHAR AS undo_sql WHERE FALSE")


def changes_sql(engine: TemporalEngine, scns: list[int] | None = None) -> str:
    """Every change of every live history-keeping table, one row per (transaction, row),
    of the transactions committed at ``scns`` (None: all)."""
    parts = [] if scns == [] else [
        f"SELECT c.__scn, c.__op, {string(dictionary_name(info.name, info.quoted))}, "
        f"{info.created_scn}, c.__rowid, "
        f"{undo_sql(info, 'c')} FROM ({transaction_log.changes(info, scns)}) AS c"
        for info in transaction_log.tracked_tables(engine.visible_tables())
    ]
    return " UNION ALL ".join([_NO_CHANGES, *parts])


@register("flashback_transaction_query", probe="xid")
def flashback_transaction_query(engine: TemporalEngine, xid: Any = None
                                ) -> tuple[str, tuple[str, ...]]:
    """The view; with ``xid`` (from ``WHERE xid = ...``) only that transaction is read,
    instead of joining every table's whole history to find it."""
    scns, only = None, ""
    if isinstance(xid, int) and not isinstance(xid, bool):
        try:
            scns = [engine.committed_transaction(xid).scn]
        except UnknownTransaction:
            scns = []
        only = f" AND xid = {xid}"
    rank = transaction_log.UNDO_RANK.format(op="r.operation")
    # Cleanup transactions only remove old history; they changed no row.
    sql = f"""
        WITH log AS (
            SELECT scn, commit_time, xid, username, tag FROM helios.scn_log
            WHERE xid IS NOT NULL AND kind <> 'CLEANUP'{only}),
        rows AS (
            SELECT *, {rank} AS rank FROM ({changes_sql(engine, scns)}) AS r
            UNION ALL SELECT scn, 'BEGIN', NULL, NULL, NULL, NULL, 4 FROM log)
        -- Numbered per XID (one XID, one SCN) so DuckDB can push `xid = ...` below it.
        SELECT l.xid, l.scn - 1 AS start_scn, s.commit_time AS start_timestamp,
            l.scn AS commit_scn, l.commit_time AS commit_timestamp, l.username AS logon_user,
            row_number() OVER (PARTITION BY l.xid ORDER BY r.rank, lower(r.table_name),
                               r.row_id DESC) AS "undo_change#",
            r.operation, r.table_name, o.username AS table_owner, r.row_id, r.undo_sql,
            l.tag AS transaction_name
        FROM rows AS r JOIN log AS l ON l.scn = r.scn
        LEFT JOIN helios.scn_log AS s ON s.scn = l.scn - 1
        LEFT JOIN helios.scn_log AS o ON o.scn = r.table_scn"""
    return sql, COLUMNS
