"""Constraint DDL: adding, dropping, enabling and disabling constraints.

A constraint definition (``Constraint``) is checked against the catalog and made a
catalog entry (``ConstraintInfo``) by ``resolve``; adding or enabling one first
validates the existing rows (``validate``: ORA-02293, 02296, 02298, 02299, 02437,
01449), as Oracle does. Primary and unique keys and NOT NULL are DuckDB's to
enforce, so a change of them rebuilds the current table with the new set
(``ddl.rebuild_current``); CHECK and foreign keys are heliosql's (``integrity.py``)
and only change the catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import duckdb

from . import ddl
from .catalog import TableInfo
from .constraints import (
    CHECK,
    FOREIGN,
    NOT_NULL,
    PRIMARY,
    UNIQUE,
    Constraint,
    ConstraintInfo,
    check_columns,
    named,
    next_number,
    system_name,
)
from .errors import (
    BadReference,
    ConstraintDependency,
    ConstraintExists,
    ConstraintNotValidated,
    NoSuchColumn,
    NoSuchConstraint,
    NoSuchTable,
    ProgrammingError,
)
from .integrity import constraint_label
from .names import dictionary_name, is_quoted
from .sqltext import column_list, quote_ident
from .transaction import Transaction, autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine

#: Kinds DuckDB enforces on the current table: changing them rebuilds it.
NATIVE = (PRIMARY, UNIQUE, NOT_NULL)


def live_constraint_names(tables: dict[int, TableInfo]) -> set[str]:
    """Lower-case names of every constraint of a live table (one namespace, as in Oracle)."""
    return {c.name.lower() for t in tables.values() if t.dropped_scn is None
            for c in t.constraints}


def resolve(cur: duckdb.DuckDBPyConnection, tables: dict[int, TableInfo], owner: TableInfo,
            definition: Constraint, scn: int) -> ConstraintInfo:
    """The catalog entry for ``definition`` on ``owner`` (which may be a table being
    created, not yet in ``tables``); refuses what Oracle refuses."""
    taken = live_constraint_names(tables) | {c.name.lower() for c in owner.constraints}
    if definition.name is not None and definition.name.lower() in taken:
        raise ConstraintExists("name already used by an existing constraint: "
                               f"{dictionary_name(definition.name, is_quoted(definition.name))}")
    columns = tuple(_column(owner, c) for c in definition.columns)
    definition = replace(definition, columns=columns)
    kind = definition.kind
    fields: dict[str, Any] = {}
    if kind in (PRIMARY, UNIQUE):
        _check_new_key(owner, kind, columns)
    elif kind == NOT_NULL:
        if len(columns) != 1:
            raise ProgrammingError("a NOT NULL constraint has exactly one column")
        col = owner.find_column(columns[0])
        assert col is not None
        fields["search_condition"] = f'"{dictionary_name(col.name, col.quoted)}" IS NOT NULL'
    elif kind == CHECK:
        sql = definition.check_sql or ""
        definition = replace(definition, columns=check_columns(sql, owner.column_names))
        fields.update(check_sql=sql, search_condition=definition.condition or sql)
    else:
        fields.update(_reference(tables, owner, definition))
    number = next_number(cur)
    while definition.name is None and system_name(number).lower() in taken:
        number = next_number(cur)  # a user named a constraint like a system name
    return named(definition, number, scn, **fields)


def _column(info: TableInfo, name: str) -> str:
    col = info.find_column(name)
    if col is None:
        raise NoSuchColumn(f"{name}: invalid identifier (no such column in "
                           f"{dictionary_name(info.name, info.quoted)})", name=name)
    return col.name


def _check_new_key(owner: TableInfo, kind: str, columns: tuple[str, ...]) -> None:
    if not columns:
        raise ProgrammingError("a key needs at least one column")
    for c in owner.constraints:
        if kind == PRIMARY and c.kind == PRIMARY:
            raise ConstraintExists("table can have only one primary key", code="ORA-02260")
        if c.is_key and {k.lower() for k in c.columns} == {k.lower() for k in columns}:
            raise ConstraintExists("such unique or primary key already exists in the table",
                                   code="ORA-02261")


def _reference(tables: dict[int, TableInfo], owner: TableInfo, definition: Constraint
               ) -> dict[str, Any]:
    """The parent table and key a foreign key references."""
    wanted = (definition.references or "").lower()
    parent = owner if owner.name.lower() == wanted else next(
        (t for t in tables.values() if t.dropped_scn is None and t.name.lower() == wanted), None)
    if parent is None:
        raise NoSuchTable(f"table or view does not exist: {definition.references}")
    if definition.ref_columns:
        wanted_cols = {c.lower() for c in definition.ref_columns}
        key = next((c for c in parent.constraints
                    if c.is_key and {k.lower() for k in c.columns} == wanted_cols), None)
        if key is None:
            raise BadReference("no matching unique or primary key for this column-list")
        ref_columns = tuple(_column(parent, c) for c in definition.ref_columns)
    else:
        key = next((c for c in parent.constraints if c.kind == PRIMARY), None)
        if key is None:
            raise BadReference("referenced table does not have a primary key",
                               code="ORA-02268")
        ref_columns = key.columns
    if len(ref_columns) != len(definition.columns):
        raise BadReference("number of referencing columns must match referenced columns",
                           code="ORA-02256")
    if definition.enabled and not key.enabled:
        raise BadReference(f"the referenced key ({constraint_label(key)}) is disabled")
    return {"ref_object_id": parent.object_id, "ref_constraint": key.name,
            "ref_columns": ref_columns, "delete_rule": definition.on_delete}


def validate(cur: duckdb.DuckDBPyConnection, tables: dict[int, TableInfo], info: TableInfo,
             c: ConstraintInfo) -> None:
    """Refuse to add or enable ``c`` while existing rows of ``info`` break it."""
    label = constraint_label(c)
    cols = column_list(c.columns)
    if c.kind in (PRIMARY, NOT_NULL):
        nulls = " OR ".join(f"{quote_ident(k)} IS NULL" for k in c.columns)
        if _any(cur, f"SELECT 1 FROM {info.current} WHERE {nulls} LIMIT 1"):
            if c.kind == NOT_NULL:
                raise ConstraintNotValidated(f"cannot enable ({label}) - null values found",
                                             code="ORA-02296")
            raise ConstraintNotValidated("column contains NULL values; cannot alter to NOT "
                                         "NULL", code="ORA-01449")
    if c.kind in (PRIMARY, UNIQUE):
        present = " AND ".join(f"{quote_ident(k)} IS NOT NULL" for k in c.columns)
        if _any(cur, f"SELECT 1 FROM {info.current} WHERE {present} GROUP BY {cols} "
                     "HAVING count(*) > 1 LIMIT 1"):
            if c.kind == PRIMARY:
                raise ConstraintNotValidated(f"cannot validate ({label}) - primary key "
                                             "violated", code="ORA-02437")
            raise ConstraintNotValidated(f"cannot validate ({label}) - duplicate keys found",
                                         code="ORA-02299")
    elif c.kind == CHECK:
        if _any(cur, f"SELECT 1 FROM {info.current} WHERE NOT coalesce(({c.check_sql}), TRUE) "
                     "LIMIT 1"):
            raise ConstraintNotValidated(f"cannot validate ({label}) - check constraint "
                                         "violated", code="ORA-02293")
    elif c.kind == FOREIGN:
        parent = info if c.ref_object_id == info.object_id else tables[c.ref_object_id or -1]
        present = " AND ".join(f"c.{quote_ident(k)} IS NOT NULL" for k in c.columns)
        match = " AND ".join(f"p.{quote_ident(r)} = c.{quote_ident(k)}"
                             for k, r in zip(c.columns, c.ref_columns, strict=True))
        if _any(cur, f"SELECT 1 FROM {info.current} AS c WHERE {present} AND NOT EXISTS "
                     f"(SELECT 1 FROM {parent.current} AS p WHERE {match}) LIMIT 1"):
            raise ConstraintNotValidated(f"cannot validate ({label}) - parent keys not found",
                                         code="ORA-02298")


def _any(cur: duckdb.DuckDBPyConnection, sql: str) -> bool:
    return cur.execute(sql).fetchone() is not None


def apply(tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo,
          constraints: tuple[ConstraintInfo, ...]) -> TableInfo:
    """Give ``info`` the constraints ``constraints``: catalog rows, the columns' NOT NULL and
    the primary key it implies, and a rebuilt current table when DuckDB's keys change."""
    not_null = {c.columns[0].lower() for c in constraints if c.kind == NOT_NULL and c.enabled}
    columns = tuple(col if col.not_null == (col.name.lower() in not_null)
                    else replace(col, not_null=not col.not_null) for col in info.columns)
    keys = next((c.columns for c in constraints if c.kind == PRIMARY and c.enabled), ())
    native = {(c.kind, c.columns, c.enabled) for c in info.constraints if c.kind in NATIVE}
    changed = tx.put_constraints(info.with_changes(columns=columns, key_columns=keys),
                                 constraints)
    for col in columns:
        if col not in info.columns:
            cur.execute("UPDATE helios.columns SET not_null = ? WHERE object_id = ? "
                        "AND name = ? AND dropped_scn IS NULL",
                        [col.not_null, info.object_id, col.name])
    if keys != info.key_columns:
        tx.put_table(changed)
    if native != {(c.kind, c.columns, c.enabled) for c in constraints if c.kind in NATIVE}:
        ddl.rebuild_current(cur, changed)
    return changed


def find(info: TableInfo, name: str | None, code: str = "ORA-02443") -> ConstraintInfo:
    """The constraint ``name`` of ``info`` (None: its primary key), to drop or switch: the
    key of a key/columns table (the seed's) is not a constraint one can."""
    if info.keyed and (name is None or name.lower() in (
            c.name.lower() for c in info.constraints if c.kind == PRIMARY)):
        raise ProgrammingError(f"{info.name!r} is a key/columns table: its key cannot be "
                               "dropped or disabled")
    if name is None:
        found = next((c for c in info.constraints if c.kind == PRIMARY), None)
        if found is None:
            raise NoSuchConstraint("cannot drop nonexistent primary key", code="ORA-02441")
        return found
    found = next((c for c in info.constraints if c.name.lower() == name.lower()), None)
    if found is None:
        shown = dictionary_name(name, is_quoted(name))
        messages = {"ORA-02443": f"Cannot drop constraint - nonexistent constraint: {shown}",
                    "ORA-02430": f"cannot enable constraint ({shown}) - no such constraint",
                    "ORA-02431": f"cannot disable constraint ({shown}) - no such constraint"}
        raise NoSuchConstraint(messages[code], code=code)
    return found


def dependents(tables: dict[int, TableInfo], info: TableInfo, key: ConstraintInfo,
               enabled_only: bool) -> list[tuple[TableInfo, ConstraintInfo]]:
    """The foreign keys of live tables that reference ``key`` of ``info``."""
    return [(t, c) for t in tables.values() if t.dropped_scn is None for c in t.constraints
            if c.kind == FOREIGN and c.ref_object_id == info.object_id
            and (c.enabled or not enabled_only)
            and c.ref_constraint is not None and c.ref_constraint.lower() == key.name.lower()]


class ConstraintMixin:
    """Constraint DDL methods of ``TemporalEngine``."""

    def add_constraint(self: TemporalEngine, table: str, constraint: Constraint
                       ) -> ConstraintInfo:
        """Add ``constraint`` to ``table`` (validating the rows unless it is disabled)."""
        with autocommit(self) as tx:
            info = tx.table(table)

            def add(cur: Any, scn: int) -> ConstraintInfo:
                entry = resolve(cur, tx.tables, info, constraint, scn)
                if entry.enabled:
                    validate(cur, tx.tables, info, entry)
                apply(tx, cur, info, (*info.constraints, entry))
                return entry

            return tx.run(f"alter table {info.name} add constraint", add, table=info)

    def drop_constraint(self: TemporalEngine, table: str, name: str | None, *,
                        cascade: bool = False) -> None:
        """Drop constraint ``name`` (None: the primary key); ``cascade`` also drops the
        foreign keys that reference it (else ORA-02273)."""
        with autocommit(self) as tx:
            info = tx.table(table)
            target = find(info, name)
            children = dependents(tx.tables, info, target, enabled_only=False) \
                if target.is_key else []
            if children and not cascade:
                raise ConstraintDependency("this unique/primary key is referenced by some "
                                           "foreign keys", code="ORA-02273")

            def drop(cur: Any, scn: int) -> None:
                self._drop_children(tx, cur, children)
                fresh = tx.table(info.name)
                apply(tx, cur, fresh, tuple(c for c in fresh.constraints if c != target))

            tx.run(f"alter table {info.name} drop constraint", drop, table=info)

    def set_constraint_enabled(self: TemporalEngine, table: str, name: str | None,
                               enabled: bool, *, cascade: bool = False) -> None:
        """ENABLE (validating the rows) or DISABLE constraint ``name`` (None: the primary
        key). Disabling a key that enabled foreign keys reference needs ``cascade``,
        which disables them too (else ORA-02297)."""
        with autocommit(self) as tx:
            info = tx.table(table)
            target = find(info, name, "ORA-02430" if enabled else "ORA-02431")
            if target.enabled == enabled:
                return
            children = dependents(tx.tables, info, target, enabled_only=True) \
                if target.is_key and not enabled else []
            if children and not cascade:
                raise ConstraintDependency(f"cannot disable constraint ({constraint_label(target)})"
                                           " - dependencies exist", code="ORA-02297")
            if enabled and target.kind == FOREIGN:
                parent = tx.tables.get(target.ref_object_id or -1)
                key = next((c for c in (parent.constraints if parent else ())
                            if c.name == target.ref_constraint), None)
                if key is None or not key.enabled:
                    raise BadReference("no matching unique or primary key for this "
                                       "column-list (the referenced key is disabled)")

            def change(cur: Any, scn: int) -> None:
                for child, fk in children:
                    fresh = tx.tables[child.object_id]
                    apply(tx, cur, fresh, tuple(fk.with_changes(enabled=False) if c == fk else c
                                                for c in fresh.constraints))
                fresh = tx.tables[info.object_id]
                switched = target.with_changes(enabled=enabled)
                if enabled:
                    validate(cur, tx.tables, fresh, switched)
                apply(tx, cur, fresh, tuple(switched if c == target else c
                                            for c in fresh.constraints))

            verb = "enable" if enabled else "disable"
            tx.run(f"alter table {info.name} {verb} constraint", change, table=info)

    def rename_constraint(self: TemporalEngine, table: str, old: str, new: str) -> None:
        """Rename constraint ``old`` of ``table``; ORA-02264 if ``new`` is taken."""
        with autocommit(self) as tx:
            info = tx.table(table)
            target = find(info, old)
            if new.lower() != old.lower() and new.lower() in live_constraint_names(tx.tables):
                raise ConstraintExists("name already used by an existing constraint: "
                                       f"{dictionary_name(new, is_quoted(new))}")
            renamed = target.with_changes(name=new, quoted=is_quoted(new), generated=False)

            def rename(cur: Any, scn: int) -> None:
                tx.put_constraints(info, tuple(renamed if c == target else c
                                               for c in info.constraints))
                for child, fk in dependents(tx.tables, info, target, enabled_only=False):
                    fresh = tx.tables[child.object_id]
                    tx.put_constraints(fresh, tuple(
                        c.with_changes(ref_constraint=new) if c == fk else c
                        for c in fresh.constraints))

            tx.run(f"alter table {info.name} rename constraint", rename)

    def _drop_children(self: TemporalEngine, tx: Transaction, cur: Any,
                       children: Sequence[tuple[TableInfo, ConstraintInfo]]) -> None:
        """Drop the foreign keys ``children`` from their tables."""
        for child, fk in children:
            fresh = tx.tables[child.object_id]
            apply(tx, cur, fresh, tuple(c for c in fresh.constraints if c != fk))
