"""The engine's schema API: tables, columns, views, indexes, the recycle bin.

Every method joins the calling thread's open transaction, or runs in a
transaction of its own that commits before the method returns. Schema changes
keep history readable (docs/semantics.md, "Schema changes").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

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
    NotSupportedError,
    ProgrammingError,
    TableExists,
    TransactionError,
)
from .names import is_quoted
from .retention import RetentionPolicy
from .sequences import IDENTITY_PREFIX, default_sequence, nextval_default
from .sqltext import quote_ident
from .table import RESERVED_PREFIX, Column, Identity, TemporalTable
from .temporary import refuse_in_use
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



_NUMERIC = re.compile(r"(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|"
                      r"UINTEGER|UBIGINT|UHUGEINT|DECIMAL|NUMERIC|DOUBLE|FLOAT|REAL)\b",
                      re.IGNORECASE)


def _check_identity(columns: Sequence[Column]) -> None:
    """Oracle's rules for identity columns: one per table, of a numeric type."""
    identities = [c for c in columns if c.identity is not None]
    if len(identities) > 1:
        raise ProgrammingError("table can have only one identity column", code="ORA-30669")
    if identities and not _NUMERIC.match(identities[0].type.strip()):
        raise ProgrammingError(f"identity column {identities[0].name!r} must be a numeric type",
                               code="ORA-30675")


class SchemaMixin:
    """DDL methods of ``TemporalEngine``."""

    def create_temporal_table(self: TemporalEngine, table: TemporalTable) -> TableInfo:
        """Create ``table``; ``TableExists`` if the name is taken."""
        columns = table.column_defs()
        seen: set[str] = set()
        for col in columns:
            _check_column_name(col.name)
            if col.name.lower() in seen:
                raise ProgrammingError(f"column {col.name!r} is defined twice",
                                       code="ORA-00957")
            seen.add(col.name.lower())
        for key in table.key_columns():
            if key.lower() not in seen:
                raise NoSuchColumn(f"primary key column {key!r} is not a column of {table.name!r}")
        _check_identity(columns)
        with autocommit(self) as tx:
            if tx.find_table(table.name) is not None or table.name.lower() in tx.views:
                raise TableExists(f"table {table.name!r} already exists")
            self.check_name_free(tx, table.name)

            def create(cur: Any, scn: int) -> TableInfo:
                oid = max(tx.tables, default=0) + 1
                not_null = table.not_null_columns()
                info = TableInfo(
                    object_id=oid, name=table.name, keyed=table.keyed,
                    key_columns=table.key_columns(),
                    columns=tuple(self._column_info(tx, cur, scn, oid, c,
                                                    c.name.lower() in not_null)
                                  for c in columns),
                    versioned=table.versioned and not table.temporary, created_scn=scn,
                    history_floor_scn=0, retention=table.retention_policy, last_cleanup=None,
                    quoted=table.quoted or is_quoted(table.name), temporary=table.temporary,
                )
                for definition in table.all_constraints():
                    entry = resolve(cur, tx.tables, info, definition, scn)
                    info = info.with_changes(constraints=(*info.constraints, entry))
                ddl.create_tables(cur, info, table)
                tx.put_constraints(info, info.constraints)
                tx.put_table(info)
                return info

            return tx.run(f"create table {table.name}", create)

    def _column_info(self: TemporalEngine, tx: Transaction, cur: Any, scn: int, oid: int,
                     column: Column, not_null: bool) -> ColumnInfo:
        """A new column's catalog entry; an identity column gets its sequence here."""
        quoted = column.quoted or is_quoted(column.name)
        if column.identity is None:
            return ColumnInfo(column.name, column.type, not_null, column.default, scn,
                              column.declared, quoted, column.default_text)
        sequence = self.create_identity_sequence(tx, cur, scn, oid, column.identity.generation,
                                                 column.identity.options)
        return ColumnInfo(column.name, column.type, True, nextval_default(sequence.name), scn,
                          column.declared, quoted, column.default_text)

    def add_column(self: TemporalEngine, table: str, name: str, type_: str = "BLOB", *,
                   default: str | None = None, not_null: bool | str = False,
                   identity: Identity | None = None, declared: str | None = None,
                   quoted: bool = False, default_text: str | None = None) -> None:
        """Add a column; older versions read NULL in it (or the default, where one is given;
        a sequence's NEXTVAL or an ``identity`` gives each current row a number).

        ``not_null`` adds a NOT NULL constraint (a string names it); ``declared`` is the
        type as written in SQL, whose limits are enforced (``oracle_types.py``), and
        ``default_text`` the DEFAULT as written (both for the dictionary).
        """
        _check_column_name(name)
        if identity is not None:
            _check_identity([Column(name, type_, identity=identity)])
        with autocommit(self) as tx:
            info = tx.table(table)
            if info.find_column(name) is not None:
                raise ProgrammingError(f"column {name!r} already exists in {info.name!r}",
                                       code="ORA-01430")
            refuse_in_use(self.read_cursor(), info, "alter", "ORA-14450")

            def add(cur: Any, scn: int) -> None:
                if not_null and default is None and tx.read(
                        f"SELECT 1 FROM {info.current} LIMIT 1").fetchall():
                    raise ProgrammingError(f"table must be empty to add mandatory (NOT NULL) "
                                           f"column {name!r} without a DEFAULT",
                                           code="ORA-01758")
                column = ColumnInfo(name, type_, bool(not_null), default, scn, declared,
                                    quoted or is_quoted(name), default_text)
                if identity is not None or default_sequence(default) is not None:
                    tx.put_table(self.add_sequence_column(tx, cur, scn, info, column, identity))
                    return
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
            if len(info.columns) == 1:
                raise ProgrammingError(f"cannot drop all columns in a table: {col.name!r} is "
                                       f"the last column of {info.name!r}", code="ORA-12983")
            refuse_in_use(self.read_cursor(), info, "alter", "ORA-14450")
            check_column_drop(tx.tables, info, col)

            def drop(cur: Any, scn: int) -> None:
                fresh = drop_column_constraints(tx, cur, info, col)
                tx.put_table(ddl.drop_column(cur, fresh, col, scn))
                if default_sequence(col.default) == f"{IDENTITY_PREFIX}{info.object_id}":
                    # An identity column's sequence goes with it.
                    cur.execute("DELETE FROM helios.sequences WHERE identity_table = ?",
                                [info.object_id])

            tx.run(f"alter table {info.name} drop column {name}", drop)

    def rename_column(self: TemporalEngine, table: str, old: str, new: str, *,
                      quoted: bool = False) -> None:
        """Rename a column; its history follows it."""
        _check_column_name(new)
        with autocommit(self) as tx:
            info = tx.table(table)
            col = self._column(info, old)
            if info.find_column(new) is not None:
                raise ProgrammingError(f"column {new!r} already exists in {info.name!r}",
                                       code="ORA-00957")
            refuse_in_use(self.read_cursor(), info, "alter", "ORA-14450")

            def rename(cur: Any, scn: int) -> None:
                tx.put_table(ddl.rename_column(cur, info, col, new, quoted))
                rename_column_constraints(tx, info, col.name, new)

            tx.run(f"alter table {info.name} rename column {old}", rename)

    def rename_table(self: TemporalEngine, old: str, new: str, *, quoted: bool = False) -> None:
        """Rename a table; its history follows it."""
        with autocommit(self) as tx:
            info = tx.table(old)
            if tx.find_table(new) is not None or new.lower() in tx.views:
                raise TableExists(f"name {new!r} is already used by an existing object")

            def rename(cur: Any, scn: int) -> None:
                ddl.drop_view(cur, info)
                renamed = info.with_changes(name=new, quoted=quoted or is_quoted(new))
                cur.execute(ddl.view_sql(renamed))
                tx.put_table(renamed)

            tx.run(f"rename table {info.name}", rename)

    def drop_table(self: TemporalEngine, table: str, *, purge: bool = False,
                   cascade_constraints: bool = False) -> None:
        """Drop a table into the recycle bin (or, with ``purge``, for good); a global
        temporary table is always dropped for good (Oracle keeps none in the bin).

        ``ConstraintDependency`` (ORA-02449) while other tables' foreign keys reference
        it, unless ``cascade_constraints`` drops those foreign keys.
        """
        with autocommit(self) as tx:
            info = tx.table(table)
            refuse_in_use(self.read_cursor(), info, "drop", "ORA-14452")
            purge = purge or info.temporary is not None

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
                    *, replace: bool = False, quoted: bool = False) -> ViewInfo:
        """Record a view defined by ``query`` (SQL text of the dialect, compiled at each use)."""
        with autocommit(self) as tx:
            if tx.find_table(name) is not None:
                raise TableExists(f"name {name!r} is already used by a table")
            if name.lower() in tx.views and not replace:
                raise TableExists(f"view {name!r} already exists")
            if self.find_sequence(name) is not None:
                raise TableExists(f"name {name!r} is already used by a sequence")

            def create(cur: Any, scn: int) -> ViewInfo:
                view = ViewInfo(name, query, tuple(columns), scn, quoted or is_quoted(name))
                tx.put_view(view, name)
                return view

            return tx.run(f"create view {name}", create)

    def drop_view(self: TemporalEngine, name: str) -> None:
        """Drop a view (and its comments); ``NoSuchTable`` if there is none."""
        with autocommit(self) as tx:
            if name.lower() not in tx.views:
                raise NoSuchTable(f"view {name!r} does not exist")

            def drop(cur: Any, scn: int) -> None:
                tx.put_view(None, name)
                cur.execute("DELETE FROM helios.comments WHERE lower(view_name) = lower(?)",
                            [name])

            tx.run(f"drop view {name}", drop)

    def rename_view(self: TemporalEngine, old: str, new: str, *, quoted: bool = False) -> None:
        """Rename a view (``RENAME old TO new``); its comments follow it."""
        with autocommit(self) as tx:
            view = tx.views.get(old.lower())
            if view is None:
                raise NoSuchTable(f"view {old!r} does not exist")
            if tx.find_table(new) is not None or (new.lower() in tx.views
                                                  and new.lower() != old.lower()):
                raise TableExists(f"name {new!r} is already used by an existing object")

            def rename(cur: Any, scn: int) -> None:
                tx.put_view(None, view.name)
                tx.put_view(ViewInfo(new, view.query, view.columns, scn, quoted), new)
                cur.execute("UPDATE helios.comments SET view_name = ? "
                            "WHERE lower(view_name) = lower(?)", [new, view.name])

            tx.run(f"rename {view.name}", rename)

    def create_index(self: TemporalEngine, table: str, name: str, columns: Sequence[str] = (),
                     *, unique: bool = False, if_not_exists: bool = False,
                     expressions: Sequence[str] = ()) -> None:
        """Index the current rows of ``table`` on ``columns`` (a DuckDB ART index), or on
        ``expressions``: SQL over the table's columns (a function-based index)."""
        with autocommit(self) as tx:
            info = tx.table(table)
            if info.temporary is not None:
                raise NotSupportedError(f"cannot index {info.name!r}: indexes on global "
                                        "temporary tables are not supported")
            names = [self._column(info, c).name for c in columns]
            keys = [quote_ident(c) for c in names] + [f"({sql})" for sql in expressions]
            sql = (f"CREATE {'UNIQUE ' if unique else ''}INDEX "
                   f"{'IF NOT EXISTS ' if if_not_exists else ''}{quote_ident(name)} "
                   f"ON {info.current} ({', '.join(keys)})")

            def create(cur: Any, scn: int) -> None:
                try:
                    cur.execute(sql)
                except duckdb.TransactionException as exc:
                    if "outstanding updates" not in str(exc):
                        raise
                    raise TransactionError(
                        f"cannot index {info.name!r}: this transaction has updated its rows "
                        "and DuckDB indexes no table with uncommitted updates; commit first"
                    ) from exc
                record_index(cur, name, info, names + list(expressions), unique, scn)

            tx.run(f"create index {name}", create)

    def drop_index(self: TemporalEngine, name: str, *, if_exists: bool = False) -> None:
        """Drop an index made by ``create_index``; ORA-01418 if there is none."""
        sql = f"DROP INDEX {'IF EXISTS ' if if_exists else ''}helios_data.{quote_ident(name)}"

        def drop(cur: Any, scn: int) -> None:
            try:
                cur.execute(sql)
            except duckdb.CatalogException as exc:
                raise ProgrammingError(f"specified index does not exist: {name}",
                                       code="ORA-01418") from exc
            forget_index(cur, name)

        with autocommit(self) as tx:
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
