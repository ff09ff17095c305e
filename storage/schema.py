"""The engine's schema API: tables, columns, views, indexes, the recycle bin.

Every method joins the calling thread's open transaction, or runs in a
transaction of its own that commits before the method returns. Schema changes
keep history readable (docs/semantics.md, "Schema changes").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import ddl
from .catalog import ColumnInfo, TableInfo, ViewInfo, forget_index, record_index
from .constraint_ddl import resolve
from .constraint_lifecycle import (
    check_column_drop,
    drop_column_constraints,
    drop_table_constraints,
    rename_column_constraints,
    restore_table_constraints,
)
from .constraints import Constraint
from .errors import (
    NameInUse,
    NoSuchColumn,
    NoSuchTable,
    NotInRecycleBin,
    ProgrammingError,
    TableExists,
)
from .names import is_quoted
from .retention import RetentionPolicy
from .sqltext import column_list, quote_ident
from .table import RESERVED_PREFIX, TemporalTable
from .transaction import Transaction, autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine

@dataclass(frozen=True, slots=True)
class RecycleBinEntry:
    """A dropped table that can still be restored."""

    bin_name: str
    original_name: str
    dropped_scn: int

def _check_column_name(name: str) -> None:
    if not name or name.startswith(RESERVED_PREFIX):
        raise ProgrammingError(
            f"invalid column name {name!r}: names starting with {RESERVED_PREFIX!r} are reserved"
        )



class SchemaMixin:
    """DDL methods of ``TemporalEngine``."""

    def create_temporal_table(self: TemporalEngine, table: TemporalTable) -> TableInfo:
        """Create ``table``; ``TableExists`` if the name is taken."""
        columns = table.column_defs()
        seen: set[str] = set()
        for col in columns:
            _check_column_name(col.name)
            if col.name.lower() in seen:
                raise ProgrammingError(f"column {col.name!r} is defined twice")
            seen.add(col.name.lower())
        for key in table.key_columns():
            if key.lower() not in seen:
                raise NoSuchColumn(f"primary key column {key!r} is not a column of {table.name!r}")
        with autocommit(self) as tx:
            if tx.find_table(table.name) is not None or table.name.lower() in tx.views:
                raise TableExists(f"table {table.name!r} already exists")

            def create(cur: Any, scn: int) -> TableInfo:
                oid = max(tx.tables, default=0) + 1
                not_null = table.not_null_columns()
                info = TableInfo(
                    object_id=oid, name=table.name, keyed=table.keyed,
                    key_columns=table.key_columns(),
                    columns=tuple(ColumnInfo(c.name, c.type, c.name.lower() in not_null,
                                             c.default, scn, c.declared, is_quoted(c.name),
                                             c.default_text)
                                  for c in columns),
                    versioned=table.versioned, created_scn=scn, history_floor_scn=0,
                    retention=table.retention_policy, last_cleanup=None,
                    quoted=is_quoted(table.name),
                )
                for definition in table.all_constraints():
                    entry = resolve(cur, tx.tables, info, definition, scn)
                    info = info.with_changes(constraints=(*info.constraints, entry))
                ddl.create_tables(cur, info, table)
                tx.put_constraints(info, info.constraints)
                tx.put_table(info)
                return info

            return tx.run(f"create table {table.name}", create)

    def add_column(self: TemporalEngine, table: str, name: str, type_: str = "BLOB", *,
                   default: str | None = None, not_null: bool | str = False,
                   declared: str | None = None, default_text: str | None = None) -> None:
        """Add a column; older versions read NULL in it (or the default, where one is given).

        ``not_null`` adds a NOT NULL constraint (a string names it); ``declared`` is the
        type as written in SQL, whose limits are enforced (``oracle_types.py``), and
        ``default_text`` the DEFAULT as written (both for the dictionary).
        """
        _check_column_name(name)
        with autocommit(self) as tx:
            info = tx.table(table)
            if info.find_column(name) is not None:
                raise ProgrammingError(f"column {name!r} already exists in {info.name!r}")

            def add(cur: Any, scn: int) -> None:
                column = ColumnInfo(name, type_, bool(not_null), default, scn, declared,
                                    is_quoted(name), default_text)
                tx.pin_statement_time(column)  # the current rows get the default
                added = ddl.add_column(cur, info, column)
                if not_null:
                    nn_name = not_null if isinstance(not_null, str) else None
                    entry = resolve(cur, tx.tables, added,
                                    Constraint.not_null(name, nn_name), scn)
                    added = tx.put_constraints(added, (*added.constraints, entry))
                tx.put_table(added)

            tx.run(f"alter table {info.name} add column {name}", add)

    def drop_column(self: TemporalEngine, table: str, name: str) -> None:
        """Drop a column; the past stays readable (without that column)."""
        with autocommit(self) as tx:
            info = tx.table(table)
            col = self._column(info, name)
            if info.keyed and col.name.lower() in (k.lower() for k in info.key_columns):
                raise ProgrammingError(f"cannot drop key column {col.name!r} of {info.name!r}")
            check_column_drop(tx.tables, info, col)

            def drop(cur: Any, scn: int) -> None:
                fresh = drop_column_constraints(tx, cur, info, col)
                tx.put_table(ddl.drop_column(cur, fresh, col, scn))

            tx.run(f"alter table {info.name} drop column {name}", drop)

    def rename_column(self: TemporalEngine, table: str, old: str, new: str) -> None:
        """Rename a column; its history follows it."""
        _check_column_name(new)
        with autocommit(self) as tx:
            info = tx.table(table)
            col = self._column(info, old)
            if info.find_column(new) is not None:
                raise ProgrammingError(f"column {new!r} already exists in {info.name!r}")
            def rename(cur: Any, scn: int) -> None:
                tx.put_table(ddl.rename_column(cur, info, col, new))
                rename_column_constraints(tx, info, col.name, new)

            tx.run(f"alter table {info.name} rename column {old}", rename)

    def rename_table(self: TemporalEngine, old: str, new: str) -> None:
        """Rename a table; its history follows it."""
        with autocommit(self) as tx:
            info = tx.table(old)
            if tx.find_table(new) is not None:
                raise TableExists(f"table {new!r} already exists")

            def rename(cur: Any, scn: int) -> None:
                ddl.drop_view(cur, info)
                renamed = info.with_changes(name=new, quoted=is_quoted(new))
                cur.execute(ddl.view_sql(renamed))
                tx.put_table(renamed)

            tx.run(f"rename table {info.name}", rename)

    def drop_table(self: TemporalEngine, table: str, *, purge: bool = False,
                   cascade_constraints: bool = False) -> None:
        """Drop a table into the recycle bin (or, with ``purge``, for good).

        ``ConstraintDependency`` (ORA-02449) while other tables' foreign keys reference
        it, unless ``cascade_constraints`` drops those foreign keys.
        """
        with autocommit(self) as tx:
            info = tx.table(table)

            def drop(cur: Any, scn: int) -> None:
                drop_table_constraints(tx, cur, info, cascade_constraints)
                if purge:
                    ddl.purge(cur, info)
                    tx.forget_table(info.object_id)
                    return
                ddl.drop_view(cur, info)
                tx.put_table(info.with_changes(dropped_scn=scn,
                                               bin_name=f"BIN${info.object_id}${scn}"))

            tx.run(f"drop table {info.name}", drop)

    def create_view(self: TemporalEngine, name: str, query: str, columns: Sequence[str] = (),
                    *, replace: bool = False) -> ViewInfo:
        """Record a view defined by ``query`` (SQL text of the dialect, compiled at each use)."""
        with autocommit(self) as tx:
            if tx.find_table(name) is not None:
                raise TableExists(f"name {name!r} is already used by a table")
            if name.lower() in tx.views and not replace:
                raise TableExists(f"view {name!r} already exists")

            def create(cur: Any, scn: int) -> ViewInfo:
                view = ViewInfo(name, query, tuple(columns), scn, is_quoted(name))
                tx.put_view(view, name)
                return view

            return tx.run(f"create view {name}", create)

    def drop_view(self: TemporalEngine, name: str) -> None:
        """Drop a view; ``NoSuchTable`` if there is none."""
        with autocommit(self) as tx:
            if name.lower() not in tx.views:
                raise NoSuchTable(f"view {name!r} does not exist")
            tx.run(f"drop view {name}", lambda cur, scn: tx.put_view(None, name))

    def create_index(self: TemporalEngine, table: str, name: str, columns: Sequence[str], *,
                     unique: bool = False, if_not_exists: bool = False) -> None:
        """Index the current rows of ``table`` on ``columns`` (a DuckDB ART index)."""
        with autocommit(self) as tx:
            info = tx.table(table)
            names = [self._column(info, c).name for c in columns]
            sql = (f"CREATE {'UNIQUE ' if unique else ''}INDEX "
                   f"{'IF NOT EXISTS ' if if_not_exists else ''}{quote_ident(name)} "
                   f"ON {info.current} ({column_list(names)})")

            def create(cur: Any, scn: int) -> None:
                cur.execute(sql)
                record_index(cur, name, info, names, unique, scn)

            tx.run(f"create index {name}", create)

    def drop_index(self: TemporalEngine, name: str, *, if_exists: bool = False) -> None:
        """Drop an index made by ``create_index``."""
        sql = f"DROP INDEX {'IF EXISTS ' if if_exists else ''}helios_data.{quote_ident(name)}"
        with autocommit(self) as tx:

            def drop(cur: Any, scn: int) -> None:
                cur.execute(sql)
                forget_index(cur, name)

            tx.run(f"drop index {name}", drop)

    def recycle_bin(self: TemporalEngine) -> list[RecycleBinEntry]:
        """Dropped tables that can be restored, most recently dropped first."""
        entries = [RecycleBinEntry(t.bin_name or "", t.name, t.dropped_scn)
                   for t in self.visible_tables().values() if t.dropped_scn is not None]
        return sorted(entries, key=lambda e: e.dropped_scn, reverse=True)

    def _dropped(self: TemporalEngine, tx: Transaction, name: str, oldest: bool = False
                 ) -> TableInfo:
        wanted = name.lower()
        dropped = [t for t in tx.tables.values() if t.dropped_scn is not None
                   and wanted in (t.name.lower(), (t.bin_name or "").lower())]
        if not dropped:
            raise NotInRecycleBin(f"no table named {name!r} is in the recycle bin")
        return (min if oldest else max)(dropped, key=lambda t: t.dropped_scn or 0)

    def restore_dropped_table(self: TemporalEngine, name: str, new_name: str | None = None
                              ) -> TableInfo:
        """Restore the last dropped table ``name`` (or a ``BIN$`` name) with its history."""
        with autocommit(self) as tx:
            info = self._dropped(tx, name)
            target = new_name or info.name
            if tx.find_table(target) is not None or target.lower() in tx.views:
                raise NameInUse(f"cannot restore {info.name!r}: table {target!r} exists; "
                                "restore it under a new name")
            restored = info.with_changes(name=target, dropped_scn=None, bin_name=None,
                                         quoted=is_quoted(target) if new_name else info.quoted)

            def undrop(cur: Any, scn: int) -> TableInfo:
                cur.execute(ddl.view_sql(restored))
                tx.put_table(restored)
                return restore_table_constraints(tx, cur, restored)

            return tx.run(f"restore table {info.name}", undrop)

    def purge_table(self: TemporalEngine, name: str) -> None:
        """Remove a table from the recycle bin for good: by ``BIN$`` name, or by original
        name the one dropped longest ago (Oracle's rule; restoring takes the newest)."""
        with autocommit(self) as tx:
            info = self._dropped(tx, name, oldest=True)

            def purge(cur: Any, scn: int) -> None:
                ddl.purge(cur, info)
                tx.forget_table(info.object_id)

            tx.run(f"purge table {name}", purge)

    def set_retention_policy(self: TemporalEngine, table: str,
                             policy: RetentionPolicy | None) -> None:
        """Change (or with None, remove) the retention policy of a table."""
        with autocommit(self) as tx:
            info = tx.table(table)
            tx.run(f"alter table {info.name} retention",
                   lambda cur, scn: tx.put_table(info.with_changes(retention=policy)))
