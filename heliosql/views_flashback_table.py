"""Fixed views of FLASHBACK TABLE's objects: V$RESTORE_POINT and the recycle bin
(RECYCLEBIN, USER_RECYCLEBIN, DBA_RECYCLEBIN), with Oracle's column names.

They read the catalog tables in SQL, so a statement sees its own transaction's
drops, purges and restore points. Times in the recycle bin are Oracle's
``'YYYY-MM-DD:HH24:MI:SS'`` strings; a drop not committed yet has no DROPTIME.
"""

from __future__ import annotations

from heliosql.storage import TemporalEngine
from heliosql.storage.names import dictionary_name_sql
from heliosql.system_views import register

_ORACLE_TIME = "'%Y-%m-%d:%H:%M:%S'"

RECYCLEBIN_COLUMNS = (
    "object_name", "original_name", "operation", "type", "createtime", "droptime",
    "dropscn", "can_undrop", "can_purge", "base_object",
)


def recyclebin_sql() -> str:
    """One row per table in the recycle bin, with USER_RECYCLEBIN's columns."""
    return (
        "SELECT t.bin_name AS object_name, "
        f"{dictionary_name_sql('t.name', 't.quoted')} AS original_name, 'DROP' AS operation, "
        "'TABLE' AS type, "
        f"strftime(c.commit_time, {_ORACLE_TIME}) AS createtime, "
        f"strftime(d.commit_time, {_ORACLE_TIME}) AS droptime, "
        "t.dropped_scn AS dropscn, 'YES' AS can_undrop, 'YES' AS can_purge, "
        "t.object_id AS base_object "
        "FROM helios.tables AS t "
        "LEFT JOIN helios.scn_log AS c ON c.scn = t.created_scn "
        "LEFT JOIN helios.scn_log AS d ON d.scn = t.dropped_scn "
        "WHERE t.dropped_scn IS NOT NULL"
    )


@register("recyclebin")
@register("user_recyclebin")
def _recyclebin(engine: TemporalEngine) -> tuple[str, tuple[str, ...]]:
    return recyclebin_sql(), RECYCLEBIN_COLUMNS


@register("dba_recyclebin")
def _dba_recyclebin(engine: TemporalEngine) -> tuple[str, tuple[str, ...]]:
    # One schema, one owner: the engine's user.
    owner = engine.user.upper().replace("'", "''")
    return (f"SELECT '{owner}' AS owner, * FROM ({recyclebin_sql()})",
            ("owner", *RECYCLEBIN_COLUMNS))


@register("v$restore_point")
def _restore_point(engine: TemporalEngine) -> tuple[str, tuple[str, ...]]:
    # Normal restore points only: nothing is guaranteed or preserved, no storage used.
    columns = ("scn", "database_incarnation#", "guarantee_flashback_database", "storage_size",
               "time", "restore_point_time", "preserved", "name")
    return (
        'SELECT scn, 1 AS "database_incarnation#", \'NO\' AS guarantee_flashback_database, '
        "0 AS storage_size, created AS time, as_of_time AS restore_point_time, "
        f"'NO' AS preserved, {dictionary_name_sql('name', 'quoted')} AS name "
        "FROM helios.restore_points",
        columns,
    )
