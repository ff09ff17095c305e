"""The comment dictionary views: USER_TAB_COMMENTS and USER_COL_COMMENTS, with ALL_ and
DBA_ forms that add OWNER (heliosql has one schema, so they show the same rows).

Every live table and view is listed, with NULL COMMENTS where none was set.
Names follow Oracle's dictionary rule: a name created in double quotes as
written, any other upper-cased. Tables and their columns are read from the
catalog tables in the statement's own snapshot (a transaction sees its own
DDL); a view's columns are found by compiling it (a view that no longer
compiles lists none).
"""

from __future__ import annotations

import duckdb

from heliosql.storage import TemporalEngine
from heliosql.storage.errors import HeliosError
from heliosql.system_views import register
from heliosql.view_columns import view_columns
from heliosql.views_archives import literal_rows

View = tuple[str, tuple[str, ...]]


def dictionary_name(name: str, quoted: str) -> str:
    """SQL for the name Oracle's dictionary shows: as written if ``quoted`` holds, else
    upper-cased (``name`` and ``quoted`` are SQL expressions)."""
    return f"CASE WHEN {quoted} THEN {name} ELSE upper({name}) END"


_TABLES = f"""SELECT {dictionary_name('t.name', 't.quoted')} AS table_name,
    'TABLE' AS table_type, c.comment AS comments
FROM helios.tables t
LEFT JOIN helios.comments c ON c.object_id = t.object_id AND c.column_name IS NULL
WHERE t.dropped_scn IS NULL
UNION ALL
SELECT {dictionary_name('v.name', 'v.quoted')}, 'VIEW', c.comment
FROM helios.views v
LEFT JOIN helios.comments c ON lower(c.view_name) = lower(v.name) AND c.column_name IS NULL"""

_COLUMNS = f"""SELECT {dictionary_name('t.name', 't.quoted')} AS table_name,
    {dictionary_name('c.name', 'c.quoted')} AS column_name, m.comment AS comments
FROM helios.tables t
JOIN helios.columns c ON c.object_id = t.object_id AND c.dropped_scn IS NULL
LEFT JOIN helios.comments m ON m.object_id = t.object_id
    AND lower(m.column_name) = lower(c.name)
WHERE t.dropped_scn IS NULL"""

_VIEW_COLUMNS = (("view_name", "VARCHAR"), ("table_name", "VARCHAR"), ("column_name", "VARCHAR"))


def _view_columns(engine: TemporalEngine) -> str:
    """The columns of every view with their comments (views are compiled to find them)."""
    rows = []
    for view in engine.visible_views().values():
        try:
            names = view_columns(engine, view)
        except (HeliosError, duckdb.Error):  # a view that no longer compiles lists none
            continue
        shown = view.name if view.quoted else view.name.upper()
        rows += [(view.name, shown, column.upper()) for column in names]
    return (f"SELECT v.table_name, v.column_name, m.comment AS comments "
            f"FROM ({literal_rows(_VIEW_COLUMNS, rows)}) v "
            "LEFT JOIN helios.comments m ON lower(m.view_name) = lower(v.view_name) "
            "AND lower(m.column_name) = lower(v.column_name)")


def _owned(engine: TemporalEngine, sql: str, columns: tuple[str, ...]) -> View:
    owner = engine.user.upper().replace("'", "''")
    return f"SELECT '{owner}' AS owner, * FROM ({sql})", ("owner", *columns)


@register("user_tab_comments")
def tab_comments(engine: TemporalEngine) -> View:
    return _TABLES, ("table_name", "table_type", "comments")


@register("all_tab_comments")
@register("dba_tab_comments")
def owned_tab_comments(engine: TemporalEngine) -> View:
    return _owned(engine, *tab_comments(engine))


@register("user_col_comments")
def col_comments(engine: TemporalEngine) -> View:
    return (f"{_COLUMNS} UNION ALL {_view_columns(engine)}",
            ("table_name", "column_name", "comments"))


@register("all_col_comments")
@register("dba_col_comments")
def owned_col_comments(engine: TemporalEngine) -> View:
    return _owned(engine, *col_comments(engine))
