"""The engine's catalog: which temporal tables exist, their columns and settings.

Everything lives in DuckDB next to the data, in schema ``helios``, so that a
catalog change commits or rolls back in the same DuckDB transaction as the data
it describes. Each table object has an id; its current rows live in
``helios_data.t<id>`` and its closed versions in ``helios_data.h<id>``, and a view
named like the table in ``main`` shows the current rows without the hidden
columns. Renaming, dropping to the recycle bin and restoring only touch the view
and the catalog, so history follows the object, not the name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import duckdb

from .constraints import CONSTRAINTS_DDL, ConstraintInfo, load_constraints
from .names import is_quoted
from .retention import CleanupStrategy, RetentionPolicy
from .sqltext import column_list, quote_ident

FORMAT_VERSION = "1"

CATALOG_DDL = (
    "CREATE SCHEMA IF NOT EXISTS helios",
    "CREATE SCHEMA IF NOT EXISTS helios_data",
    "CREATE TABLE IF NOT EXISTS helios.meta(key VARCHAR PRIMARY KEY, value VARCHAR)",
    # One row per SCN: its exact commit time and, for a data-writing
    # transaction, its XID, the user who ran it and the application's tag.
    """CREATE TABLE IF NOT EXISTS helios.scn_log(
        scn BIGINT PRIMARY KEY, commit_time TIMESTAMPTZ NOT NULL, xid BIGINT,
        kind VARCHAR NOT NULL, username VARCHAR, tag VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS helios.tables(
        object_id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, keyed BOOLEAN NOT NULL,
        key_columns VARCHAR[] NOT NULL, versioned BOOLEAN NOT NULL, created_scn BIGINT NOT NULL,
        next_rowid BIGINT NOT NULL, history_floor_scn BIGINT NOT NULL,
        retention_max_age_s DOUBLE, retention_interval_s DOUBLE, retention_size_limit BIGINT,
        retention_entry_limit BIGINT, retention_strategy VARCHAR, last_cleanup TIMESTAMPTZ,
        dropped_scn BIGINT, bin_name VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS helios.columns(
        object_id BIGINT NOT NULL, position INTEGER NOT NULL, name VARCHAR NOT NULL,
        type VARCHAR NOT NULL, not_null BOOLEAN NOT NULL, default_sql VARCHAR,
        added_scn BIGINT NOT NULL, dropped_scn BIGINT, history_name VARCHAR NOT NULL)""",
    # Views keep their defining SQL text (the dialect's, not DuckDB's): it is
    # compiled at each use, so that AS OF on the view reaches its tables.
    """CREATE TABLE IF NOT EXISTS helios.views(
        name VARCHAR PRIMARY KEY, query VARCHAR NOT NULL, columns VARCHAR[] NOT NULL,
        created_scn BIGINT NOT NULL)""",
    # Flashback archives (storage/archives.py): no key constraints, so that rows can
    # be deleted and re-inserted in one DuckDB transaction; names are checked in Python.
    """CREATE TABLE IF NOT EXISTS helios.flashback_archives(
        name VARCHAR NOT NULL, number BIGINT NOT NULL, retention_days INTEGER NOT NULL,
        is_default BOOLEAN NOT NULL, owner VARCHAR, created_scn BIGINT NOT NULL,
        last_purge_scn BIGINT)""",
    """CREATE TABLE IF NOT EXISTS helios.flashback_archive_ts(
        archive VARCHAR NOT NULL, tablespace VARCHAR NOT NULL, quota_bytes BIGINT,
        position INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS helios.flashback_archive_tables(
        object_id BIGINT NOT NULL, created_scn BIGINT NOT NULL, archive VARCHAR NOT NULL,
        enabled_scn BIGINT NOT NULL)""",
    # Restore points (storage/restore_points.py): names for SCNs. No key constraint,
    # so a point can be dropped and made again in one transaction; names are checked
    # in Python.
    """CREATE TABLE IF NOT EXISTS helios.restore_points(
        name VARCHAR NOT NULL, scn BIGINT NOT NULL, created TIMESTAMPTZ NOT NULL,
        as_of_time TIMESTAMPTZ)""",
    # Sequences (storage/sequence_schema.py): definitions, changed by DDL in the user's
    # transaction; names are checked in Python. HUGEINT: Oracle's numbers have 28 digits.
    """CREATE TABLE IF NOT EXISTS helios.sequences(
        name VARCHAR NOT NULL, token BIGINT NOT NULL, start_value HUGEINT NOT NULL,
        increment_by HUGEINT NOT NULL, min_value HUGEINT NOT NULL, max_value HUGEINT NOT NULL,
        cycle BOOLEAN NOT NULL, cache_size BIGINT NOT NULL, ordered BOOLEAN NOT NULL,
        owner VARCHAR, identity_table BIGINT, generation VARCHAR, created_scn BIGINT NOT NULL)""",
    # Each sequence's first number not yet reserved (storage/sequence_counters.py), written
    # only in transactions of its own: numbers are not transactional.
    """CREATE TABLE IF NOT EXISTS helios.sequence_marks(
        token BIGINT PRIMARY KEY, last_number HUGEINT NOT NULL)""",
    # COMMENT ON TABLE / COLUMN: a table's by object id (column NULL for the table's own),
    # a view's by name. Only the dictionary views read them.
    """CREATE TABLE IF NOT EXISTS helios.comments(
        object_id BIGINT, view_name VARCHAR, column_name VARCHAR, comment VARCHAR NOT NULL)""",
    CONSTRAINTS_DDL,
    # Indexes made by CREATE INDEX, for the dictionary (DuckDB keeps the index itself).
    """CREATE TABLE IF NOT EXISTS helios.indexes(
        name VARCHAR NOT NULL, quoted BOOLEAN NOT NULL, object_id BIGINT NOT NULL,
        columns VARCHAR[] NOT NULL, is_unique BOOLEAN NOT NULL, created_scn BIGINT NOT NULL)""",
    # Added after the first release; a database made before gets them when opened.
    # `quoted`: the name was written in double quotes (names.py: the dictionary shows it
    # as written, other names upper-cased). `temporary`: a global temporary table's ON
    # COMMIT rule (DELETE or PRESERVE). `declared_type`: the type as written
    # (oracle_types.py); `default_text`: the DEFAULT as written.
    "ALTER TABLE helios.tables ADD COLUMN IF NOT EXISTS quoted BOOLEAN DEFAULT false",
    "ALTER TABLE helios.tables ADD COLUMN IF NOT EXISTS temporary VARCHAR",
    "ALTER TABLE helios.columns ADD COLUMN IF NOT EXISTS declared_type VARCHAR",
    "ALTER TABLE helios.columns ADD COLUMN IF NOT EXISTS quoted BOOLEAN DEFAULT false",
    "ALTER TABLE helios.columns ADD COLUMN IF NOT EXISTS default_text VARCHAR",
    "ALTER TABLE helios.views ADD COLUMN IF NOT EXISTS quoted BOOLEAN DEFAULT false",
    "ALTER TABLE helios.restore_points ADD COLUMN IF NOT EXISTS quoted BOOLEAN DEFAULT FALSE",
)

#: Hidden columns of a history table, after the user columns.
HISTORY_SYSTEM_COLUMNS = ("__rowid", "__start_scn", "__end_scn", "__created_scn", "__deleted")


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """A live user column of a table: ``type`` is DuckDB's, ``declared`` the type as the
    user wrote it (None when given as a DuckDB type)."""

    name: str
    type: str
    not_null: bool
    default: str | None
    added_scn: int
    declared: str | None = None  # the type as declared in SQL (VARCHAR2(10)), for limits
    quoted: bool = False  # the name was quoted (names.py)
    default_text: str | None = None  # the DEFAULT as written in SQL (the dictionary's)

    def with_changes(self, **changes: object) -> ColumnInfo:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class TableInfo:
    """Everything the engine knows about one table object."""

    object_id: int
    name: str
    keyed: bool
    key_columns: tuple[str, ...]
    columns: tuple[ColumnInfo, ...]
    versioned: bool
    created_scn: int
    history_floor_scn: int
    retention: RetentionPolicy | None
    last_cleanup: datetime | None
    dropped_scn: int | None = None
    bin_name: str | None = None
    quoted: bool = False  # the name was quoted (names.py)
    constraints: tuple[ConstraintInfo, ...] = ()
    # A global temporary table: "DELETE" or "PRESERVE" (its ON COMMIT rule), else None.
    temporary: str | None = None
    # Set on a global temporary table's info for the session whose rows it reads and
    # writes (never stored): ``current`` is then that session's own table.
    session: int | None = None

    @property
    def current(self) -> str:
        """Qualified name of the table holding the current rows."""
        if self.session is not None:
            return f"helios_data.t{self.object_id}_s{self.session}"
        return f"helios_data.t{self.object_id}"

    @property
    def history(self) -> str:
        """Qualified name of the table holding closed versions."""
        return f"helios_data.h{self.object_id}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def find_column(self, name: str) -> ColumnInfo | None:
        """The column called ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((c for c in self.columns if c.name.lower() == wanted), None)

    def with_changes(self, **changes: object) -> TableInfo:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """A view: its name, its defining query text in the SQL dialect, its column names."""

    name: str
    query: str
    columns: tuple[str, ...]
    created_scn: int
    quoted: bool = False  # the name was quoted (names.py)


def load_views(con: duckdb.DuckDBPyConnection) -> dict[str, ViewInfo]:
    """Every view by lower-case name."""
    rows = con.execute(
        "SELECT name, query, columns, created_scn, quoted FROM helios.views").fetchall()
    return {name.lower(): ViewInfo(name, query, tuple(cols), scn, bool(quoted))
            for name, query, cols, scn, quoted in rows}


def create_catalog(con: duckdb.DuckDBPyConnection) -> None:
    """Create the catalog tables if this database has none yet."""
    for statement in CATALOG_DDL:
        con.execute(statement)
    con.execute(
        "INSERT INTO helios.meta VALUES ('format', ?) ON CONFLICT DO NOTHING", [FORMAT_VERSION]
    )


def _retention(row: tuple) -> RetentionPolicy | None:
    max_age, interval, size_limit, entry_limit, strategy = row
    if max_age is None:
        return None
    return RetentionPolicy(
        timedelta(seconds=max_age), timedelta(seconds=interval), size_limit, entry_limit,
        CleanupStrategy(strategy),
    )


def load_tables(con: duckdb.DuckDBPyConnection) -> dict[int, TableInfo]:
    """Every table object (live or in the recycle bin) by object id."""
    columns: dict[int, list[ColumnInfo]] = {}
    for oid, name, type_, not_null, default, added, declared, quoted, text in con.execute(
        "SELECT object_id, name, type, not_null, default_sql, added_scn, declared_type, quoted, "
        "default_text FROM helios.columns WHERE dropped_scn IS NULL ORDER BY object_id, position"
    ).fetchall():
        columns.setdefault(oid, []).append(
            ColumnInfo(name, type_, not_null, default, added, declared, bool(quoted), text))
    constraints = load_constraints(con)
    tables = {}
    for row in con.execute(
        "SELECT object_id, name, keyed, key_columns, versioned, created_scn, history_floor_scn, "
        "retention_max_age_s, retention_interval_s, retention_size_limit, "
        "retention_entry_limit, retention_strategy, last_cleanup, dropped_scn, bin_name, "
        "quoted, temporary FROM helios.tables"
    ).fetchall():
        oid = row[0]
        tables[oid] = TableInfo(
            object_id=oid, name=row[1], keyed=row[2], key_columns=tuple(row[3]),
            columns=tuple(columns.get(oid, ())), versioned=row[4], created_scn=row[5],
            history_floor_scn=row[6], retention=_retention(row[7:12]), last_cleanup=row[12],
            dropped_scn=row[13], bin_name=row[14], quoted=bool(row[15]), temporary=row[16],
            constraints=constraints.get(oid, ()),
        )
    return tables


def save_table(con: duckdb.DuckDBPyConnection, info: TableInfo) -> None:
    """Insert or update the catalog row of ``info`` (not its columns)."""
    policy = info.retention
    con.execute(
        "INSERT OR REPLACE INTO helios.tables(object_id, name, keyed, key_columns, versioned, "
        "created_scn, next_rowid, history_floor_scn, retention_max_age_s, retention_interval_s, "
        "retention_size_limit, retention_entry_limit, retention_strategy, last_cleanup, "
        "dropped_scn, bin_name, quoted, temporary) VALUES (?, ?, ?, ?, ?, ?, "
        "COALESCE((SELECT next_rowid FROM helios.tables WHERE object_id = ?), 1), "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            info.object_id, info.name, info.keyed, list(info.key_columns), info.versioned,
            info.created_scn, info.object_id, info.history_floor_scn,
            policy.max_age.total_seconds() if policy else None,
            policy.cleanup_interval.total_seconds() if policy else None,
            policy.size_limit if policy else None, policy.entry_limit if policy else None,
            policy.strategy.value if policy else None, info.last_cleanup, info.dropped_scn,
            info.bin_name, info.quoted, info.temporary,
        ],
    )


def add_column_row(con: duckdb.DuckDBPyConnection, oid: int, column: ColumnInfo) -> None:
    """Record a new live column at the end of the table's column list."""
    con.execute(
        "INSERT INTO helios.columns (object_id, position, name, type, not_null, default_sql, "
        "added_scn, dropped_scn, history_name, quoted, declared_type, default_text) "
        "SELECT ?, COALESCE(max(position), 0) + 1, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ? "
        "FROM helios.columns WHERE object_id = ?",
        [oid, column.name, column.type, column.not_null, column.default, column.added_scn,
         column.name, column.quoted, column.declared, column.default_text, oid],
    )


def view_sql(info: TableInfo) -> str:
    """The ``main`` view that shows a table's current rows without hidden columns."""
    return (
        f"CREATE OR REPLACE VIEW main.{quote_ident(info.name)} AS "
        f"SELECT {column_list(info.column_names)} FROM {info.current}"
    )


def record_index(con: duckdb.DuckDBPyConnection, name: str, info: TableInfo,
                 columns: list[str], unique: bool, scn: int) -> None:
    """Note an index made by CREATE INDEX (once: IF NOT EXISTS may meet it again)."""
    con.execute(
        "INSERT INTO helios.indexes SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM helios.indexes WHERE lower(name) = lower(?))",
        [name, is_quoted(name), info.object_id, columns, unique, scn, name])


def forget_index(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute("DELETE FROM helios.indexes WHERE lower(name) = lower(?)", [name])
