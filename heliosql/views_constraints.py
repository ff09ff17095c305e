"""Oracle's data dictionary of constraints and indexes: ``USER_CONSTRAINTS``,
``USER_CONS_COLUMNS``, ``USER_INDEXES``, ``USER_IND_COLUMNS`` (and their ``ALL_`` /
``DBA_`` forms, see views_dictionary.py).

Constraints come from the catalog (storage/constraints.py). NOT NULL constraints
are type ``C`` with the search condition ``"COL" IS NOT NULL``, as in Oracle. An
enabled primary or unique key has an index of the same name, as Oracle makes
one (disabling the key drops it); indexes made by CREATE INDEX are listed too.
"""

from __future__ import annotations

from typing import Any

from heliosql.storage import TableInfo, TemporalEngine
from heliosql.storage.constraints import CHECK, FOREIGN, NOT_NULL, ConstraintInfo
from heliosql.storage.names import dictionary_name
from heliosql.views_dictionary import (
    columns,
    dictionary_view,
    index_rows,
    live_tables,
    owner,
    table_name,
)


def _name(c: ConstraintInfo) -> str:
    return dictionary_name(c.name, c.quoted)


def _column(info: TableInfo, column: str) -> str:
    col = info.find_column(column)
    return dictionary_name(col.name, col.quoted) if col is not None else column


@dictionary_view("constraints", columns(
    "owner constraint_name constraint_type table_name search_condition search_condition_vc "
    "r_owner r_constraint_name delete_rule status deferrable deferred validated generated bad "
    "rely last_change:TIMESTAMPTZ index_owner index_name invalid view_related"),
    owner_column=None)
def constraints(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    user = owner(engine)
    tables = engine.visible_tables()
    rows = []
    for info in live_tables(engine):
        for c in info.constraints:
            parent = tables.get(c.ref_object_id or -1) if c.kind == FOREIGN else None
            key = next((k for k in parent.constraints if k.name == c.ref_constraint), None) \
                if parent is not None else None
            indexed = c.is_key and c.enabled
            rows.append((
                user, _name(c), CHECK if c.kind == NOT_NULL else c.kind, table_name(info),
                c.search_condition, c.search_condition, user if key else None,
                _name(key) if key else None, c.delete_rule if c.kind == FOREIGN else None,
                "ENABLED" if c.enabled else "DISABLED", "NOT DEFERRABLE", "IMMEDIATE",
                "VALIDATED" if c.enabled else "NOT VALIDATED",
                "GENERATED NAME" if c.generated else "USER NAME", None, None, None,
                user if indexed else None, _name(c) if indexed else None, None, None))
    return rows


@dictionary_view("cons_columns", columns(
    "owner constraint_name table_name column_name position:BIGINT"), owner_column=None)
def cons_columns(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    # A CHECK constraint lists the columns it reads, without positions (Oracle's rule).
    user = owner(engine)
    return [(user, _name(c), table_name(info), _column(info, column),
             position if c.kind not in (CHECK, NOT_NULL) else None)
            for info in live_tables(engine) for c in info.constraints
            for position, column in enumerate(c.columns, 1)]


@dictionary_view("indexes", columns(
    "index_name index_type table_owner table_name table_type uniqueness tablespace_name "
    "status generated constraint_index visibility dropped"))
def indexes(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    user = owner(engine)
    return [(i.name, "NORMAL", user, table_name(i.table), "TABLE",
             "UNIQUE" if i.unique else "NONUNIQUE", "USERS", "VALID",
             "Y" if i.generated else "N", "YES" if i.constraint else "NO", "VISIBLE", "NO")
            for i in index_rows(engine)]


@dictionary_view("ind_columns", columns(
    "index_name table_name column_name column_position:BIGINT column_length:BIGINT "
    "char_length:BIGINT descend"), owner_column="index_owner")
def ind_columns(engine: TemporalEngine) -> list[tuple[Any, ...]]:
    return [(i.name, table_name(i.table), _column(i.table, column), position, None, None,
             "ASC") for i in index_rows(engine) for position, column in enumerate(i.columns, 1)]
