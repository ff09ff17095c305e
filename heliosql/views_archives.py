"""Fixed views of flashback archives and of each table's history.

``DBA_FLASHBACK_ARCHIVE``, ``DBA_FLASHBACK_ARCHIVE_TS`` and
``DBA_FLASHBACK_ARCHIVE_TABLES`` (with ``USER_`` aliases: heliosql has one
schema) read the archive catalog tables in the statement's own snapshot, so a
transaction sees its own archive DDL. ``HELIOSQL_HISTORY_STATS`` is built from
``engine.get_stats`` when the statement is compiled (row counts and sizes are
not catalog data), as a list of typed literal rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from heliosql.storage import TemporalEngine
from heliosql.storage.names import dictionary_name, dictionary_name_sql
from heliosql.system_views import register

View = tuple[str, tuple[str, ...]]

_ARCHIVES = """SELECT a.owner AS owner_name, a.name AS flashback_archive_name,
    a.number AS "flashback_archive#", a.retention_days AS retention_in_days,
    c.commit_time AS create_time, p.commit_time AS last_purge_time,
    CASE WHEN a.is_default THEN 'DEFAULT' END AS status
FROM helios.flashback_archives a
LEFT JOIN helios.scn_log c ON c.scn = a.created_scn
LEFT JOIN helios.scn_log p ON p.scn = a.last_purge_scn"""

_TABLESPACES = """SELECT a.name AS flashback_archive_name, a.number AS "flashback_archive#",
    s.tablespace AS tablespace_name, s.quota_bytes / 1048576.0 AS quota_in_mb
FROM helios.flashback_archive_ts s JOIN helios.flashback_archives a ON a.name = s.archive"""

# Members in the recycle bin are not listed (their name is not a table's any more).
_TABLES = f"""SELECT {dictionary_name_sql("t.name", "t.quoted")} AS table_name,
    a.owner AS owner_name,
    a.name AS flashback_archive_name, 'helios_data.h' || t.object_id AS archive_table_name,
    'ENABLED' AS status
FROM helios.flashback_archive_tables m
JOIN helios.tables t ON t.object_id = m.object_id AND t.created_scn = m.created_scn
    AND t.dropped_scn IS NULL
JOIN helios.flashback_archives a ON a.name = m.archive"""

_STATS_COLUMNS = (
    ("table_name", "VARCHAR"), ("current_rows", "BIGINT"), ("history_rows", "BIGINT"),
    ("oldest_retained_scn", "BIGINT"), ("oldest_retained_time", "TIMESTAMPTZ"),
    ("approx_bytes", "BIGINT"), ("last_cleanup", "TIMESTAMPTZ"), ("retention_days", "DOUBLE"),
    ("flashback_archive_name", "VARCHAR"),
)


def _names(sql: str, *names: str) -> View:
    return sql, names


@register("dba_flashback_archive")
@register("user_flashback_archive")
def archives(engine: TemporalEngine) -> View:
    return _names(_ARCHIVES, "owner_name", "flashback_archive_name", "flashback_archive#",
                  "retention_in_days", "create_time", "last_purge_time", "status")


@register("dba_flashback_archive_ts")
@register("user_flashback_archive_ts")
def archive_tablespaces(engine: TemporalEngine) -> View:
    return _names(_TABLESPACES, "flashback_archive_name", "flashback_archive#",
                  "tablespace_name", "quota_in_mb")


@register("dba_flashback_archive_tables")
@register("user_flashback_archive_tables")
def archive_tables(engine: TemporalEngine) -> View:
    return _names(_TABLES, "table_name", "owner_name", "flashback_archive_name",
                  "archive_table_name", "status")


def _literal(value: Any, type_: str) -> str:
    if value is None:
        return f"NULL::{type_}"
    if isinstance(value, datetime):
        return f"'{value.isoformat()}'::{type_}"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + f"'::{type_}"
    return f"{value!r}::{type_}"


def literal_rows(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]]) -> str:
    """SQL for ``rows`` with typed columns (an empty relation of those types for no rows)."""
    def select(row: Sequence[Any]) -> str:
        return "SELECT " + ", ".join(f"{_literal(v, t)} AS {n}"
                                     for v, (n, t) in zip(row, columns, strict=True))
    if not rows:
        return select([None] * len(columns)) + " WHERE false"
    return " UNION ALL ".join(select(row) for row in rows)


@register("heliosql_history_stats")
def history_stats(engine: TemporalEngine) -> View:
    members = {(oid, created): archive for oid, created, archive in engine.fetch(
        "SELECT object_id, created_scn, archive FROM helios.flashback_archive_tables")}
    rows = []
    for info in sorted((t for t in engine.visible_tables().values() if t.dropped_scn is None),
                       key=lambda t: t.name.lower()):
        stats = engine.get_stats(info.name)
        policy = info.retention
        rows.append((
            dictionary_name(info.name, info.quoted), stats.current_rows, stats.history_rows,
            stats.oldest_retained_scn,
            stats.oldest_retained_time, stats.approx_bytes, stats.last_cleanup,
            policy.max_age.total_seconds() / 86400 if policy else None,
            members.get((info.object_id, info.created_scn)),
        ))
    return literal_rows(_STATS_COLUMNS, rows), tuple(n for n, _ in _STATS_COLUMNS)
