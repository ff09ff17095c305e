"""Oracle's data dictionary of constraints and indexes: ``USER_CONSTRAINTS``,
``USER_CONS_COLUMNS``, ``USER_INDEXES``, ``USER_IND_COLUMNS`` (and their ``ALL_`` /
``DBA_`` forms, see views_dictionary.py).

Constraints come from the catalog (storage/constraints.py). NOT NULL constraints
are type ``C`` with the search condition ``"COL" IS NOT NULL``, as in Oracle. An
enabled primary or unique key has an index of the same name, as Oracle makes
one (disabling the key drops it); indexes made by CREATE INDEX are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from heliosql.storage import TableInfo, TemporalEngine
from heliosql.storage.constraints import CHECK, FOREIGN, NOT_NULL, PRIMARY, UNIQUE, ConstraintInfo
from heliosql.storage.names import dictionary_name
from heliosql.views_dictionary import dictionary_view, live_tables, owner, table_name


def _name(c: ConstraintInfo) -> str:
    return dictionary_name(c.name, c.quoted)


def _column(info: TableInfo, column: str) -> str:
    col = info.find_column(column)
    return dictionary_name(col.name, col.quoted) if col is not None else column


@dictionary_view("constraints", (
    ("owner", "VARCHAR"), ("constraint_name", "VARCHAR"), ("constraint_type", "VARCHAR"),
    ("table_name", "VARCHAR"), ("search_condition", "VARCHAR"),
    ("search_condition_vc", "VARCHAR"), ("r_owner", "VARCHAR"),
    ("r_constraint_name", "VARCHAR"), ("delete_rule", "VARCHAR"), ("status", "VARCHAR"),
    ("deferrable", "VARCHAR"), ("deferred", "VARCHAR"), ("validated", "VARCHAR"),
    ("generated", "VARCHAR"), ("bad", "VARCHAR"), ("rely", "VARCHAR"),
    ("last_change", "TIMESTAMPTZ"), ("index_owner", "VARCHAR"), ("index_name", "VARCHAR"),
    ("invalid", "VARCHAR"), ("view_related", "VARCHAR")), owner_column=None)
def constraints(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    user = owner(engine)
    tables = engine.visible_tables()
    rows = []
    for info in live_tables(engine):
        for c in info.constraints:
            parent = tables.get(c.ref_object_id or -1) if c.kind == FOREIGN else None
            key = next((k for k in parent.constraints if k.name == c.ref_constraint), None) \
                if parent is not None else None
            indexed = c.kind in (PRIMARY, UNIQUE) and c.enabled
            rows.append((
                user, _name(c), CHECK if c.kind == NOT_NULL else c.kind, table_name(info),
                c.search_condition, c.search_condition, user if key else None,
                _name(key) if key else None, c.delete_rule if c.kind == FOREIGN else None,
                "ENABLED" if c.enabled else "DISABLED", "NOT DEFERRABLE", "IMMEDIATE",
                "VALIDATED" if c.enabled else "NOT VALIDATED",
                "GENERATED NAME" if c.generated else "USER NAME", None, None, None,
                user if indexed else None, _name(c) if indexed else None, None, None))
    return rows


@dictionary_view("cons_columns", (
    ("owner", "VARCHAR"), ("constraint_name", "VARCHAR"), ("table_name", "VARCHAR"),
    ("column_name", "VARCHAR"), ("position", "BIGINT")), owner_column=None)
def cons_columns(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    # A CHECK constraint lists the columns it reads, without positions (Oracle's rule).
    user = owner(engine)
    return [(user, _name(c), table_name(info), _column(info, column),
             position if c.kind not in (CHECK, NOT_NULL) else None)
            for info in live_tables(engine) for c in info.constraints
            for position, column in enumerate(c.columns, 1)]


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
    found = [IndexRow(_name(c), info, c.columns, True, c.generated, True, c.created_scn)
             for info in tables for c in info.constraints
             if c.kind in (PRIMARY, UNIQUE) and c.enabled]
    by_id = {t.object_id: t for t in tables}
    for name, quoted, oid, columns, unique, scn in engine.fetch(
            "SELECT name, quoted, object_id, columns, is_unique, created_scn "
            "FROM helios.indexes ORDER BY name", doing="read the indexes"):
        if oid in by_id:
            found.append(IndexRow(dictionary_name(name, quoted), by_id[oid], tuple(columns),
                                  unique, False, False, scn))
    return sorted(found, key=lambda i: i.name)


@dictionary_view("indexes", (
    ("index_name", "VARCHAR"), ("index_type", "VARCHAR"), ("table_owner", "VARCHAR"),
    ("table_name", "VARCHAR"), ("table_type", "VARCHAR"), ("uniqueness", "VARCHAR"),
    ("tablespace_name", "VARCHAR"), ("status", "VARCHAR"), ("generated", "VARCHAR"),
    ("constraint_index", "VARCHAR"), ("visibility", "VARCHAR"), ("dropped", "VARCHAR")))
def indexes(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    user = owner(engine)
    return [(i.name, "NORMAL", user, table_name(i.table), "TABLE",
             "UNIQUE" if i.unique else "NONUNIQUE", "USERS", "VALID",
             "Y" if i.generated else "N", "YES" if i.constraint else "NO", "VISIBLE", "NO")
            for i in index_rows(engine)]


@dictionary_view("ind_columns", (
    ("index_name", "VARCHAR"), ("table_name", "VARCHAR"), ("column_name", "VARCHAR"),
    ("column_position", "BIGINT"), ("column_length", "BIGINT"), ("char_length", "BIGINT"),
    ("descend", "VARCHAR")), owner_column="index_owner")
def ind_columns(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    return [(i.name, table_name(i.table), _column(i.table, column), position, None, None,
             "ASC") for i in index_rows(engine) for position, column in enumerate(i.columns, 1)]
