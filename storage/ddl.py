"""Physical DDL for temporal tables: the current table, the history table, the view.

Schema changes keep history readable: an added column reads NULL in older
versions; a dropped column disappears from the current table and its history
values are kept under a hidden name; renames only change the catalog and the
view. Dropping a table moves it to the recycle bin (its rows and history stay).
"""

from __future__ import annotations

import duckdb

from .catalog import ColumnInfo, TableInfo, add_column_row, view_sql
from .constraints import PRIMARY, UNIQUE
from .names import is_quoted
from .sequences import default_sequence
from .sqltext import column_list, quote_ident
from .table import TemporalTable

#: Hidden columns of the current table, after the user columns.
CURRENT_SYSTEM_COLUMNS = ("__rowid", "__start_scn", "__created_scn")


def _column_sql(col: ColumnInfo) -> str:
    parts = [quote_ident(col.name), col.type]
    if col.not_null:
        parts.append("NOT NULL")
    if col.default is not None and default_sequence(col.default) is None:
        parts.append(f"DEFAULT {col.default}")  # heliosql fills sequence defaults itself
    return " ".join(parts)


def current_table_sql(info: TableInfo, name: str) -> str:
    """CREATE TABLE for ``info``'s current rows under ``name``: the user columns, the
    hidden ones, and the enabled primary and unique keys (DuckDB enforces those, with
    an index; heliosql checks the other constraints itself, see integrity.py)."""
    keys = [f"{'PRIMARY KEY' if c.kind == PRIMARY else 'UNIQUE'} ({column_list(c.columns)})"
            for c in info.constraints if c.enabled and c.kind in (PRIMARY, UNIQUE)]
    body = ", ".join([_column_sql(c) for c in info.columns]
                     + [f"{c} BIGINT NOT NULL" for c in CURRENT_SYSTEM_COLUMNS] + keys)
    return f"CREATE TABLE {name} ({body})"


def rebuild_current(cur: duckdb.DuckDBPyConnection, info: TableInfo) -> None:
    """Make the current table match ``info``'s keys: DuckDB can neither drop a PRIMARY KEY
    or UNIQUE constraint nor add a UNIQUE one, so the rows move to a new table made
    with the right ones (its indexes made again). Duplicates fail it."""
    indexes = [sql for (sql,) in cur.execute(
        "SELECT sql FROM duckdb_indexes() WHERE schema_name = 'helios_data' "
        "AND table_name = ?", [f"t{info.object_id}"]).fetchall()]
    fresh = f"t{info.object_id}_rebuilt"
    columns = column_list([*info.column_names, *CURRENT_SYSTEM_COLUMNS])
    cur.execute(current_table_sql(info, f"helios_data.{fresh}"))
    cur.execute(f"INSERT INTO helios_data.{fresh} ({columns}) SELECT {columns} FROM {info.current}")
    cur.execute(f"DROP TABLE {info.current}")
    cur.execute(f"ALTER TABLE helios_data.{fresh} RENAME TO t{info.object_id}")
    for sql in indexes:
        cur.execute(sql)


def create_tables(cur: duckdb.DuckDBPyConnection, info: TableInfo, definition: TemporalTable
                  ) -> None:
    """Create the current and history tables, the view, and the catalog rows of ``info``."""
    cur.execute(current_table_sql(info, info.current))
    history_body = ", ".join(
        [f"{quote_ident(c.name)} {c.type}" for c in info.columns]
        + ["__rowid BIGINT NOT NULL", "__start_scn BIGINT NOT NULL", "__end_scn BIGINT NOT NULL",
           "__created_scn BIGINT NOT NULL", "__deleted BOOLEAN NOT NULL"]
    )
    cur.execute(f"CREATE TABLE {info.history} ({history_body})")
    if definition.index_history and info.key_columns and info.versioned:
        cur.execute(f"CREATE INDEX h{info.object_id}_key ON {info.history} "
                    f"({column_list(info.key_columns)})")
    cur.execute(view_sql(info))
    for col in info.columns:
        add_column_row(cur, info.object_id, col)


def add_column(cur: duckdb.DuckDBPyConnection, info: TableInfo, col: ColumnInfo) -> TableInfo:
    """Add ``col`` to both tables; returns the updated ``info``."""
    cur.execute(f"ALTER TABLE {info.current} ADD COLUMN {_column_sql(col)}")
    cur.execute(f"ALTER TABLE {info.history} ADD COLUMN {quote_ident(col.name)} {col.type}")
    add_column_row(cur, info.object_id, col)
    info = info.with_changes(columns=(*info.columns, col))
    if info.dropped_scn is None:
        cur.execute(view_sql(info))
    return info


def drop_column(cur: duckdb.DuckDBPyConnection, info: TableInfo, col: ColumnInfo, scn: int
                ) -> TableInfo:
    """Drop ``col`` from the current table; history keeps its values under a hidden name."""
    hidden = f"__dropped_{scn}_{col.name}"
    info = info.with_changes(columns=tuple(c for c in info.columns
                                           if c.name.lower() != col.name.lower()))
    cur.execute(view_sql(info))
    cur.execute(f"ALTER TABLE {info.current} DROP COLUMN {quote_ident(col.name)}")
    cur.execute(
        f"ALTER TABLE {info.history} RENAME COLUMN {quote_ident(col.name)} TO {quote_ident(hidden)}"
    )
    cur.execute(
        "UPDATE helios.columns SET dropped_scn = ?, history_name = ? "
        "WHERE object_id = ? AND name = ? AND dropped_scn IS NULL",
        [scn, hidden, info.object_id, col.name],
    )
    cur.execute("DELETE FROM helios.comments WHERE object_id = ? "
                "AND lower(column_name) = lower(?)", [info.object_id, col.name])
    return info


def rename_column(cur: duckdb.DuckDBPyConnection, info: TableInfo, col: ColumnInfo, new: str,
                  quoted: bool = False) -> TableInfo:
    """Rename ``col`` in both tables (``quoted``: the new name was written in quotes)."""
    quoted = quoted or is_quoted(new)
    for physical in (info.current, info.history):
        cur.execute(
            f"ALTER TABLE {physical} RENAME COLUMN {quote_ident(col.name)} TO {quote_ident(new)}"
        )
    cur.execute(
        "UPDATE helios.columns SET name = ?, history_name = ?, quoted = ? "
        "WHERE object_id = ? AND name = ? AND dropped_scn IS NULL",
        [new, new, quoted, info.object_id, col.name],
    )
    cur.execute("UPDATE helios.comments SET column_name = ? WHERE object_id = ? "
                "AND lower(column_name) = lower(?)", [new, info.object_id, col.name])
    renamed = tuple(c.with_changes(name=new, quoted=quoted) if c is col else c
                    for c in info.columns)
    keys = tuple(new if k.lower() == col.name.lower() else k for k in info.key_columns)
    info = info.with_changes(columns=renamed, key_columns=keys)
    cur.execute(view_sql(info))
    return info


def drop_view(cur: duckdb.DuckDBPyConnection, info: TableInfo) -> None:
    cur.execute(f"DROP VIEW IF EXISTS main.{quote_ident(info.name)}")


def purge(cur: duckdb.DuckDBPyConnection, info: TableInfo) -> None:
    """Remove a table object and its history for good."""
    if info.dropped_scn is None:  # a dropped table's name may belong to a new table now
        drop_view(cur, info)
    cur.execute(f"DROP TABLE IF EXISTS {info.current}")
    cur.execute(f"DROP TABLE IF EXISTS {info.history}")
    for catalog in ("columns", "comments", "constraints", "indexes", "tables"):
        cur.execute(f"DELETE FROM helios.{catalog} WHERE object_id = ?", [info.object_id])
    cur.execute("DELETE FROM helios.sequences WHERE identity_table = ?", [info.object_id])
