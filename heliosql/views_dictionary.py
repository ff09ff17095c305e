"""Oracle's data dictionary: tables, columns, views and objects (constraints and indexes
are in views_constraints.py), and what those views share.

Each view is written once, as its ``USER_`` form: a function of the engine giving
rows. ``dictionary_view`` registers it under ``USER_<name>``, ``ALL_<name>`` and
``DBA_<name>``; the last two add the owner's column first (heliosql has one schema,
so all three show the same objects, owned by the engine's user). New dictionary
views (comments, sequences) are added the same way, from their own module.

Rows come from the catalog as the statement sees it (``engine.visible_tables()``,
a transaction's own DDL included) and reach DuckDB as one ``VALUES`` list; system
views are built again at each execution. Names follow Oracle's rule
(storage/names.py): upper-cased unless they were quoted when created.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heliosql.parser import parse
from heliosql.storage import TableInfo, TemporalEngine
from heliosql.storage.names import dictionary_name
from heliosql.storage.oracle_types import dictionary_type
from heliosql.system_views import register

View = tuple[str, tuple[str, ...]]
Columns = Sequence[tuple[str, str]]  # (name, DuckDB type) of each column
Rows = Callable[[TemporalEngine], list[tuple[Any, ...]]]


def columns(spec: str) -> Columns:
    """Columns from ``"name name:BIGINT ..."`` (VARCHAR unless a type follows a colon)."""
    return tuple((word.partition(":")[0], word.partition(":")[2] or "VARCHAR")
                 for word in spec.split())


def sql_value(value: Any) -> str:
    """A Python value as a SQL literal (its type comes from the column's CAST)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text.replace("'", "''") + "'"


def values_relation(columns: Columns, rows: Sequence[Sequence[Any]]) -> str:
    """SQL for ``rows`` as a relation with typed, named columns (empty for no rows)."""
    inner = [f"c{i}" for i in range(len(columns))]
    picked = ", ".join(f'CAST({c} AS {t}) AS "{n}"'
                       for c, (n, t) in zip(inner, columns, strict=True))
    if not rows:
        nulls = ", ".join(f'CAST(NULL AS {t}) AS "{n}"' for n, t in columns)
        return f"SELECT {nulls} WHERE false"
    values = ", ".join("(" + ", ".join(sql_value(v) for v in row) + ")" for row in rows)
    return f"SELECT {picked} FROM (VALUES {values}) AS v({', '.join(inner)})"


def owner(engine: TemporalEngine) -> str:
    """The owner of every object: the engine's user (one schema)."""
    return engine.user.upper()


def dictionary_view(name: str, columns: Columns, owner_column: str | None = "owner"
                    ) -> Callable[[Rows], Rows]:
    """Register ``USER_<name>`` (the decorated function's rows with ``columns``) and its
    ``ALL_`` and ``DBA_`` forms, which add ``owner_column`` first (None: the
    ``USER_`` form has the owner already)."""
    names = tuple(n for n, _ in columns)

    def add(rows: Rows) -> Rows:
        def user_view(engine: TemporalEngine) -> View:
            return values_relation(columns, rows(engine)), names

        def all_view(engine: TemporalEngine) -> View:
            if owner_column is None:
                return user_view(engine)
            quoted = sql_value(owner(engine))
            return (f'SELECT {quoted} AS "{owner_column}", * FROM ({user_view(engine)[0]})',
                    (owner_column, *names))

        register(f"user_{name}")(user_view)
        register(f"all_{name}")(all_view)
        register(f"dba_{name}")(all_view)
        return rows

    return add


def live_tables(engine: TemporalEngine) -> list[TableInfo]:
    """The live tables, by their dictionary names."""
    return sorted((t for t in engine.visible_tables().values() if t.dropped_scn is None),
                  key=lambda t: dictionary_name(t.name, t.quoted))


def table_name(info: TableInfo) -> str:
    return dictionary_name(info.name, info.quoted)


def created(engine: TemporalEngine, scn: int) -> datetime | None:
    """The commit time of ``scn`` (None while it is not committed: the reader's own DDL)."""
    return engine.scn_log.time_of(scn) if scn <= engine.committed_scn else None


@dataclass(frozen=True, slots=True)
class IndexRow:
    """An index as the dictionary shows it."""

    name: str
    table: TableInfo
    columns: tuple[str, ...]
    unique: bool
    generated: bool  # named by the system (a key's index takes its constraint's name)
    constraint: bool  # made for a primary or unique key
    created_scn: int


def index_rows(engine: TemporalEngine) -> list[IndexRow]:
    """Every index of a live table: those of enabled keys, then those of CREATE INDEX."""
    tables = live_tables(engine)
    found = [IndexRow(dictionary_name(c.name, c.quoted), info, c.columns, True, c.generated,
                      True, c.created_scn)
             for info in tables for c in info.constraints if c.is_key and c.enabled]
    by_id = {t.object_id: t for t in tables}
    for name, quoted, oid, columns, unique, scn in engine.fetch(
            "SELECT name, quoted, object_id, columns, is_unique, created_scn "
            "FROM helios.indexes ORDER BY name", doing="read the indexes"):
        if oid in by_id:
            found.append(IndexRow(dictionary_name(name, quoted), by_id[oid], tuple(columns),
                                  unique, False, False, scn))
    return sorted(found, key=lambda i: i.name)


@dictionary_view("tables", columns(
    "table_name tablespace_name status num_rows:BIGINT temporary dropped read_only "
    "row_movement partitioned nested iot_type logging"))
def tables(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    # Row movement is always enabled (docs/semantics.md); NUM_ROWS is a statistic
    # heliosql does not gather.
    return [(table_name(t), "USERS", "VALID", None, "N", "NO", "NO", "ENABLED", "NO", "NO",
             None, "YES") for t in live_tables(engine)]


_COLUMNS = columns(
    "table_name column_name data_type data_type_mod data_type_owner data_length:BIGINT "
    "data_precision:BIGINT data_scale:BIGINT nullable column_id:BIGINT default_length:BIGINT "
    "data_default char_length:BIGINT char_used")
_HIDDEN = columns("hidden_column virtual_column segment_column_id:BIGINT "
                  "internal_column_id:BIGINT user_generated")


def _column_rows(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    rows = []
    for info in live_tables(engine):
        keys = {k.lower() for k in info.key_columns}
        for position, col in enumerate(info.columns, 1):
            shown = dictionary_type(col.declared, col.type)
            default = col.default_text if col.default_text is not None else col.default
            rows.append((
                table_name(info), dictionary_name(col.name, col.quoted), shown.data_type, None,
                None, shown.length, shown.precision, shown.scale,
                "N" if col.not_null or col.name.lower() in keys else "Y", position,
                len(default) if default is not None else None, default,
                shown.char_length or 0, shown.char_used))
    return rows


@dictionary_view("tab_columns", _COLUMNS)
def tab_columns(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    return _column_rows(engine)


@dictionary_view("tab_cols", (*_COLUMNS, *_HIDDEN))
def tab_cols(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    # heliosql's own hidden columns (row id, SCNs) are not user columns: not listed.
    return [(*row, "NO", "NO", row[9], row[9], "YES") for row in _column_rows(engine)]


def view_text(query: str) -> str:
    """The query of a view's CREATE VIEW text (what Oracle's TEXT column holds): from
    after the AS that precedes it (its span starts after its first keyword)."""
    span = parse(query)[0].query.span
    if span is None:
        return query
    before = list(re.finditer(r"\bas\b", query[:span.start], re.IGNORECASE))
    start = before[-1].end() if before else span.start
    return query[start:span.end].strip()


@dictionary_view("views", columns(
    "view_name text_length:BIGINT text text_vc type_text oid_text read_only"))
def views(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    rows = []
    for view in engine.visible_views().values():
        text = view_text(view.query)
        rows.append((dictionary_name(view.name, view.quoted), len(text), text, text, None,
                     None, "N"))
    return sorted(rows)


@dictionary_view("objects", columns(
    "object_name subobject_name object_id:BIGINT data_object_id:BIGINT object_type "
    "created:TIMESTAMPTZ last_ddl_time:TIMESTAMPTZ timestamp status temporary generated "
    "secondary"))
def objects(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    found: list[tuple[str, int | None, str, int, str]] = []
    for info in live_tables(engine):
        found.append((table_name(info), info.object_id, "TABLE", info.created_scn, "N"))
    for view in engine.visible_views().values():
        found.append((dictionary_name(view.name, view.quoted), None, "VIEW", view.created_scn,
                      "N"))
    for index in index_rows(engine):
        found.append((index.name, None, "INDEX", index.created_scn,
                      "Y" if index.generated else "N"))
    rows = []
    for name, object_id, kind, scn, generated in sorted(found, key=lambda o: (o[0], o[2])):
        when = created(engine, scn)
        stamp = when.strftime("%Y-%m-%d:%H:%M:%S") if when is not None else None
        rows.append((name, None, object_id, object_id, kind, when, when, stamp, "VALID", "N",
                     generated, "N"))
    return rows
