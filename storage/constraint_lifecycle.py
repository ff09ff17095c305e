"""Constraints following the DDL of their tables and columns.

* DROP COLUMN takes the column's single-column constraints with it; a column in
  a multi-column constraint is ORA-12991, one a foreign key references ORA-12992.
* RENAME COLUMN renames it in every constraint that names it (a CHECK's text
  and SQL included) and in the foreign keys that reference it.
* DROP TABLE of a table other tables' foreign keys reference is ORA-02449;
  with CASCADE CONSTRAINTS those foreign keys are dropped. The table's own
  constraints go to the recycle bin with it: they are not enforced and not
  listed there, and their names are free for other tables.
* FLASHBACK TABLE ... TO BEFORE DROP brings them back under their names; one
  whose name a live table's constraint has taken meanwhile gets a new system
  name. A foreign key to another table comes back if that table is live, and
  enabled only if the restored rows still satisfy it (else disabled).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import duckdb

from .catalog import ColumnInfo, TableInfo
from .constraint_ddl import apply, live_constraint_names, validate
from .constraints import (
    CHECK,
    FOREIGN,
    NOT_NULL,
    ConstraintInfo,
    next_number,
    rename_in_check,
    rename_in_condition,
    system_name,
)
from .errors import ConstraintDependency, ConstraintNotValidated, ProgrammingError
from .names import dictionary_name, is_quoted
from .transaction import Transaction


def _referencing_column(tables: dict[int, TableInfo], info: TableInfo, column: str
                        ) -> list[tuple[TableInfo, ConstraintInfo]]:
    """Foreign keys of live tables (``info`` included) that reference ``column``."""
    lowered = column.lower()
    return [(t, c) for t in tables.values() if t.dropped_scn is None for c in t.constraints
            if c.kind == FOREIGN and c.ref_object_id == info.object_id
            and lowered in (r.lower() for r in c.ref_columns)]


def check_column_drop(tables: dict[int, TableInfo], info: TableInfo, col: ColumnInfo) -> None:
    """Refuse to drop ``col`` while a multi-column constraint or a foreign key needs it."""
    lowered = col.name.lower()
    if any(lowered in c.lowered and len(c.columns) > 1 for c in info.constraints):
        raise ProgrammingError("column is referenced in a multi-column constraint",
                               code="ORA-12991")
    if _referencing_column(tables, info, col.name):
        raise ProgrammingError("cannot drop parent key column", code="ORA-12992")


def drop_column_constraints(tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo,
                            col: ColumnInfo) -> TableInfo:
    """``info`` without the constraints on ``col`` (checked by ``check_column_drop``)."""
    lowered = col.name.lower()
    kept = tuple(c for c in info.constraints if lowered not in c.lowered)
    return info if kept == info.constraints else apply(tx, cur, info, kept)


def rename_column_constraints(tx: Transaction, info: TableInfo, old: str, new: str) -> None:
    """Rename column ``old`` of ``info`` to ``new`` in every constraint naming it."""
    lowered = old.lower()

    def renamed(columns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if c.lower() == lowered else c for c in columns)

    for table in list(tx.tables.values()):
        changed = []
        for c in table.constraints:
            if table.object_id == info.object_id and lowered in c.lowered:
                c = replace(c, columns=renamed(c.columns))
                if c.kind == NOT_NULL:
                    c = replace(c, search_condition=f'"{dictionary_name(new, is_quoted(new))}" '
                                                    "IS NOT NULL")
                elif c.kind == CHECK and c.check_sql:
                    c = replace(c, check_sql=rename_in_check(c.check_sql, old, new),
                                search_condition=rename_in_condition(
                                    c.search_condition or "", old, new, is_quoted(new)))
            if c.kind == FOREIGN and c.ref_object_id == info.object_id:
                c = replace(c, ref_columns=renamed(c.ref_columns))
            changed.append(c)
        if tuple(changed) != table.constraints:
            tx.put_constraints(tx.tables[table.object_id], tuple(changed))


def drop_table_constraints(tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo,
                           cascade: bool) -> None:
    """Before ``info`` is dropped: ORA-02449 while other tables' foreign keys reference it;
    with ``cascade`` (CASCADE CONSTRAINTS) they are dropped."""
    children = [(t, c) for t in tx.tables.values() if t.dropped_scn is None
                and t.object_id != info.object_id for c in t.constraints
                if c.kind == FOREIGN and c.ref_object_id == info.object_id]
    if children and not cascade:
        raise ConstraintDependency("unique/primary keys in table referenced by foreign keys",
                                   code="ORA-02449")
    for child, fk in children:
        fresh = tx.tables[child.object_id]
        apply(tx, cur, fresh, tuple(c for c in fresh.constraints if c != fk))


def restore_table_constraints(tx: Transaction, cur: duckdb.DuckDBPyConnection,
                              info: TableInfo) -> TableInfo:
    """The constraints of a table just restored from the recycle bin (see the module text)."""
    taken = live_constraint_names({k: v for k, v in tx.tables.items()
                                   if k != info.object_id})
    kept: list[ConstraintInfo] = []
    for c in info.constraints:
        if c.name.lower() in taken:
            number = next_number(cur)
            c = replace(c, number=number, name=system_name(number), quoted=False, generated=True)
        if c.kind == FOREIGN and c.ref_object_id != info.object_id:
            parent = tx.tables.get(c.ref_object_id or -1)
            if parent is None or parent.dropped_scn is not None:
                continue  # its parent is gone: the key goes too
            if c.enabled:
                c = _still_valid(cur, tx.tables, info, c)
        kept.append(c)
    return tx.put_constraints(info, tuple(kept)) if tuple(kept) != info.constraints else info


def _still_valid(cur: Any, tables: dict[int, TableInfo], info: TableInfo, fk: ConstraintInfo
                 ) -> ConstraintInfo:
    try:
        validate(cur, tables, info, fk)
    except ConstraintNotValidated:
        return replace(fk, enabled=False)
    return fk
