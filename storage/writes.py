"""The engine's data API: DML, set-based and history-keeping.

Every method joins the calling thread's open transaction, or runs in a
transaction of its own that commits before the method returns.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import dml, integrity, merge
from .catalog import ColumnInfo, TableInfo
from .dml import Counted
from .errors import (
    ConstraintDependency,
    DataError,
    KeyNotFound,
    NoSuchColumn,
    ProgrammingError,
)
from .journal import unrepeatable
from .merge import MergeResult, MergeSpec, WhenMatched
from .model import Row, VersionRow, as_bytes
from .multi_insert import MultiInsertSpec, insert_multi
from .sqltext import params_used, quote_ident
from .staging import (
    Batch,
    Source,
    fetch_arrow,
    materialize,
    stage_arrow,
    stage_batch,
    stage_records,
)
from .table import KEY_COLUMN
from .temporary import drop_copies
from .transaction import Transaction, autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """How many rows an upsert updated and inserted."""

    updated: int
    inserted: int


def key_predicate(info: TableInfo, key: Any, prefix: str = "k") -> tuple[str, dict[str, Any]]:
    """SQL selecting the row(s) with ``key`` and its parameters.

    The key is the primary key value (a tuple for a composite key); a table
    without a primary key is keyed by its hidden row id.
    """
    if info.keyed:
        return f"{quote_ident(info.key_columns[0])} = ${prefix}0", {f"{prefix}0": as_bytes(key)}
    if not info.key_columns:
        return f"__rowid = ${prefix}0", {f"{prefix}0": key}
    parts = key if isinstance(key, tuple) else (key,)
    if len(parts) != len(info.key_columns):
        raise DataError(f"table {info.name!r} has a key of {len(info.key_columns)} columns, "
                        f"got {len(parts)} values")
    sql = " AND ".join(f"{quote_ident(c)} = ${prefix}{i}" for i, c in enumerate(info.key_columns))
    return sql, {f"{prefix}{i}": v for i, v in enumerate(parts)}


class WriteMixin:
    """DML methods of ``TemporalEngine``."""

    # --- DML ---------------------------------------------------------------------------

    def insert(self: TemporalEngine, table: str, row: Row | Mapping[str, Any]) -> None:
        """Insert one row; ``DuplicateKey`` if its key exists."""
        self.insert_batch(table, [row])

    def insert_batch(self: TemporalEngine, table: str, rows: Any) -> int:
        """Insert many rows in one statement: a list of ``Row``/mappings, an Arrow table or a
        pandas DataFrame. Returns the number of rows inserted."""
        with autocommit(self) as tx:
            info = tx.rows_table(table)
            if isinstance(rows, list | tuple) and not rows:
                return 0  # nothing to insert (and no column list to build SQL from)

            def insert(cur: Any, scn: int) -> int:
                with self._stage(tx, info, rows) as (source, targets, fresh):
                    tx.pin_statement_time(*fresh.columns)
                    base = tx.take_rowids(fresh, source.rows)
                    count = dml.insert(cur, fresh, source, targets, scn, base)
                integrity.check_written(cur, tx.tables, fresh, integrity.inserted(base))
                tx.changed_tables.add(info.object_id)
                return count

            return tx.run(f"insert into {info.name}", insert, data_only=True, table=info)

    def insert_select(self: TemporalEngine, table: str, select_sql: str, columns: Sequence[str],
                      params: Mapping[str, Any] | None = None, *,
                      returning: str | None = None, counted: Counted | None = None) -> Any:
        """``INSERT INTO table (columns) <select_sql>``; the SELECT runs inside DuckDB.

        Returns the row count, or with ``returning`` (SQL over the table's
        columns) a ``Returned`` holding the inserted rows' values. ``counted``
        (for sequence numbers the SELECT computes) is called with the number of
        rows once they are computed, before any is inserted.
        """
        with autocommit(self) as tx:
            info = tx.rows_table(table)
            targets = [self._column(info, c).name for c in columns]

            def insert(cur: Any, scn: int) -> Any:
                tx.pin_statement_time(*info.columns)
                base = tx.take_rowids(info, 0)
                if counted is not None or (tx.statement_rollback and unrepeatable(select_sql)):
                    # Random values (SYS_GUID, random()) and sequence numbers are drawn
                    # once, here: the journal keeps the rows, so a rebuild inserts the same.
                    data = materialize(tx.read(select_sql, params_used(select_sql, params)))
                    if counted is not None:
                        counted(data.num_rows)
                    with stage_arrow(cur, data) as source:
                        result = dml.insert_select(cur, info, source.sql, targets, {}, scn,
                                                   base, returning)
                else:
                    result = dml.insert_select(cur, info, select_sql, targets, params, scn,
                                               base, returning)
                count = len(result.rows) if returning else result
                tx.used_rowids(info, base, count)
                integrity.check_written(cur, tx.tables, info, integrity.inserted(base))
                tx.changed_tables.add(info.object_id)
                return result

            return tx.run(f"insert into {info.name}", insert, data_only=True, table=info)

    def update(self: TemporalEngine, table: str, key: Any,
               row: Row | VersionRow | Mapping[str, Any]) -> None:
        """Give the row with ``key`` new values; ``KeyNotFound`` if there is no such row.

        For a key/columns table ``row`` is the whole new image (as in the seed:
        columns it does not name become NULL, and ``row.key`` may change the
        key). For a typed table only the columns given change.
        """
        with autocommit(self) as tx:
            record = self._record(tx, tx.table(table), row)
            info = tx.rows_table(table)  # a key/columns table may have grown columns
            if info.keyed:
                names = info.column_names
                assignments = {c: (f"$v{i}" if c in record else "NULL")
                               for i, c in enumerate(names)}
                values = {f"v{i}": record[c] for i, c in enumerate(names) if c in record}
            else:
                assignments = {c: f"$v{i}" for i, c in enumerate(record)}
                values = {f"v{i}": v for i, v in enumerate(record.values())}
            where, params = key_predicate(info, key)
            count = self._update(tx, info, assignments, where, {**params, **values})
            if count == 0:
                raise KeyNotFound(f"no row with key {key!r} in {info.name!r}")

    def update_where(self: TemporalEngine, table: str, assignments: Mapping[str, str],
                     where: str | None = None, params: Mapping[str, Any] | None = None, *,
                     alias: str | None = None, returning: str | None = None,
                     batch: Batch | None = None, counted: Counted | None = None) -> Any:
        """``UPDATE table [AS alias] SET col = <sql expr>, ... WHERE <sql>``; returns the count
        (or, with ``returning``, a ``Returned`` with the updated rows' new values).

        Expressions and predicate are DuckDB SQL over the table's columns (which
        they may qualify with ``alias``), with ``$name`` parameters from ``params``.
        With ``batch``, they may also read its rows (as ``batch.alias``), which the
        predicate must match to at most one row each: one statement stands for an
        UPDATE per row of the batch. With ``counted`` the rows to update are
        numbered 1..n first (expressions read a row's number from the relation
        ``dml.NUMBERED``: ``__rowid``, ``__n``) and ``counted(n)`` is called before
        anything is written (sequence numbers).
        """
        with autocommit(self) as tx:
            info = tx.rows_table(table)
            resolved = {self._column(info, c).name: expr for c, expr in assignments.items()}
            return self._update(tx, info, resolved, where, params, alias, returning, batch,
                                counted)

    def _update(self: TemporalEngine, tx: Transaction, info: TableInfo,
                assignments: Mapping[str, str], where: str | None,
                params: Mapping[str, Any] | None, alias: str | None = None,
                returning: str | None = None, batch: Batch | None = None,
                counted: Counted | None = None) -> Any:
        def update(cur: Any, scn: int) -> Any:
            tx.pin_statement_time(*info.columns)  # for SET c = DEFAULT
            tx.changed_tables.add(info.object_id)
            if counted is None:
                with stage_batch(cur, batch) as using:
                    result = dml.update(cur, info, assignments, where, params, scn, alias,
                                        returning, using)
                # The rows a batch wrote are read with the batch: check all the written.
                rows = (integrity.changed(scn) if batch is not None
                        else integrity.updated(where, assignments, params, alias, scn))
            else:
                if batch is not None:
                    raise ProgrammingError("a batch of updates cannot draw sequence numbers")
                # The rows' numbers are read once and kept as data (see insert_select).
                name = alias or info.name
                numbering = dml.numbering_sql(info, where, name)
                data = fetch_arrow(tx.read(numbering, params_used(numbering, params)))
                counted(data.num_rows)
                cur.register(dml.NUMBERED, data)
                try:
                    result = dml.update(cur, info, assignments, dml.numbered_rows(name),
                                        params, scn, name, returning)
                finally:
                    cur.unregister(dml.NUMBERED)
                rows = integrity.changed(scn)
            if result:  # a count, or the RETURNING rows
                integrity.check_written(cur, tx.tables, info, rows, assignments)
                integrity.changed_keys(tx, cur, info, assignments, scn)
            return result

        return tx.run(f"update {info.name}", update, data_only=True, table=info)

    def delete(self: TemporalEngine, table: str, key: Any) -> None:
        """Delete the row with ``key``; ``KeyNotFound`` if there is none."""
        with autocommit(self) as tx:
            info = tx.rows_table(table)
            where, params = key_predicate(info, key)
            if self._delete(tx, info, where, params) == 0:
                raise KeyNotFound(f"no row with key {key!r} in {info.name!r}")

    def delete_where(self: TemporalEngine, table: str, where: str | None = None,
                     params: Mapping[str, Any] | None = None, *, alias: str | None = None,
                     returning: str | None = None, batch: Batch | None = None) -> Any:
        """``DELETE FROM table [AS alias] WHERE <sql>`` (all rows without ``where``); the count
        (or, with ``returning``, a ``Returned`` with the deleted rows' values). ``batch``
        as for ``update_where``."""
        with autocommit(self) as tx:
            return self._delete(tx, tx.rows_table(table), where, params, alias, returning,
                                batch)

    def truncate(self: TemporalEngine, table: str) -> int:
        """Delete every row, keeping history (each row gets a delete marker). On a global
        temporary table only the session's rows go, and the session is free of the table
        (its copy is dropped: DDL on the table no longer waits for it).

        ``ConstraintDependency`` (ORA-02266) while enabled foreign keys of other tables
        reference it (Oracle's rule; a key referencing its own table does not count).
        """
        with autocommit(self) as tx:
            info = tx.table(table)
            if any(child.object_id != info.object_id
                   for child, _ in integrity.referencing(tx.tables, info)):
                raise ConstraintDependency("unique/primary keys in table referenced by "
                                           "enabled foreign keys", code="ORA-02266")
            if info.temporary is None:
                return self.delete_where(table)
            tx.run(f"truncate {info.name}", lambda cur, scn: drop_copies(
                cur, {info.object_id: info}, (info.object_id,), tx.session, info.temporary))
            return 0

    def _delete(self: TemporalEngine, tx: Transaction, info: TableInfo, where: str | None,
                params: Mapping[str, Any] | None, alias: str | None = None,
                returning: str | None = None, batch: Batch | None = None) -> Any:
        def delete(cur: Any, scn: int) -> Any:
            with stage_batch(cur, batch) as using:
                result = integrity.delete(tx, cur, info, where, params, scn, alias, returning,
                                          using)
            tx.changed_tables.add(info.object_id)
            return result

        return tx.run(f"delete from {info.name}", delete, data_only=True, table=info)

    def upsert_select(self: TemporalEngine, table: str, select_sql: str,
                      columns: Sequence[str], params: Mapping[str, Any] | None = None, *,
                      keys: Sequence[str] = (), assignments: Mapping[str, str] | None = None,
                      where: str | None = None, alias: str | None = None,
                      batch: Batch | None = None) -> UpsertResult:
        """``INSERT INTO table (columns) <select> ON CONFLICT (keys) DO UPDATE SET ...``.

        Rows whose ``keys`` (default: the primary key) match a current row update
        it with ``assignments`` (SQL seeing the new row as ``excluded`` and the
        table as ``alias``), if ``where`` holds; with no assignments they are
        skipped (DO NOTHING). The other rows are inserted. ``select_sql`` may read
        ``batch`` as ``BATCH_RELATION AS batch.alias``.
        """
        with autocommit(self) as tx:
            info = tx.rows_table(table)
            targets = [self._column(info, c).name for c in columns]
            conflict = [self._column(info, k).name for k in keys] or list(info.key_columns)
            if not conflict:
                raise ProgrammingError(f"ON CONFLICT needs a key; {info.name!r} has none")
            resolved = {self._column(info, c).name: e for c, e in (assignments or {}).items()}
            names = ", ".join(quote_ident(t) for t in targets)

            def merge(cur: Any, scn: int) -> UpsertResult:
                tx.pin_statement_time(*info.columns)
                staged = f"__helios_upsert_{scn}"
                with stage_batch(cur, batch):
                    cur.execute(f"CREATE OR REPLACE TEMP TABLE {staged} AS SELECT * FROM "
                                f"({select_sql}) AS s({names})",
                                params_used(select_sql, params))
                base = tx.take_rowids(info, 0)
                updated, inserted = dml.merge_select(
                    cur, info, staged, targets, conflict, resolved, where, params, scn, base,
                    alias or info.name)
                tx.used_rowids(info, base, inserted)
                cur.execute(f"DROP TABLE {staged}")
                integrity.check_written(cur, tx.tables, info, integrity.changed(scn))
                integrity.changed_keys(tx, cur, info, resolved, scn)
                tx.changed_tables.add(info.object_id)
                return UpsertResult(updated, inserted)

            return tx.run(f"upsert into {info.name}", merge, data_only=True, table=info)

    def upsert(self: TemporalEngine, table: str, rows: Any) -> UpsertResult:
        """Insert rows whose key is new and update those whose key exists, in one pass."""
        with autocommit(self) as tx:
            info = tx.rows_table(table)
            if not info.key_columns:
                raise ProgrammingError(f"upsert needs a primary key; {info.name!r} has none")

            def upsert(cur: Any, scn: int) -> UpsertResult:
                with self._stage(tx, info, rows) as (source, targets, fresh):
                    missing = [k for k in fresh.key_columns if k not in targets]
                    if missing:
                        raise DataError(f"upsert rows must give the key columns {missing}")
                    tx.pin_statement_time(*fresh.columns)
                    base = tx.take_rowids(fresh, source.rows)
                    updated, inserted = dml.upsert(cur, fresh, source, targets, scn, base)
                integrity.check_written(cur, tx.tables, fresh, integrity.changed(scn))
                integrity.changed_keys(tx, cur, fresh, targets, scn)
                tx.changed_tables.add(info.object_id)
                return UpsertResult(updated, inserted)

            return tx.run(f"upsert into {info.name}", upsert, data_only=True, table=info)

    def merge(self: TemporalEngine, table: str, spec: MergeSpec,
              params: Mapping[str, Any] | None = None, *,
              batch: Batch | None = None, counted: Counted | None = None) -> MergeResult:
        """``MERGE INTO table USING <spec.source> ON <spec.on> WHEN ...``: one write.

        Source rows matched by ``spec.on`` take the first ``WhenMatched`` clause
        whose condition holds, the others the first such ``WhenNotMatched``
        clause. Every source row is matched against the table as it was before
        the statement; a target row that two source rows would change is
        ORA-30926 and nothing changes. ``spec.source`` may read ``batch`` as
        ``BATCH_RELATION AS batch.alias``. ``counted`` (sequence numbers computed
        with ``row_number() OVER ()`` over the source rows) is called with the
        highest row number staged, before anything is written.
        """
        with autocommit(self) as tx:
            info = tx.rows_table(table)
            spec = replace(spec, clauses=tuple(self._merge_clause(info, c) for c in spec.clauses))

            def run(cur: Any, scn: int) -> MergeResult:
                tx.pin_statement_time(*info.columns)
                base = tx.take_rowids(info, 0)
                with stage_batch(cur, batch):  # the source may read it
                    result = merge.merge(tx, cur, info, spec, params, scn, base, counted)
                tx.used_rowids(info, base, result.inserted)
                integrity.check_written(cur, tx.tables, info, integrity.changed(scn))
                written = {c for clause in spec.clauses if isinstance(clause, WhenMatched)
                           for c in clause.assignments}
                integrity.changed_keys(tx, cur, info, written, scn, deleted=result.deleted > 0)
                tx.changed_tables.add(info.object_id)
                return result

            return tx.run(f"merge into {info.name}", run, data_only=True, table=info)

    def insert_multi(self: TemporalEngine, spec: MultiInsertSpec,
                     params: Mapping[str, Any] | None = None) -> int:
        """Oracle's multitable INSERT (``storage/multi_insert.py``): one write, one SCN;
        the number of rows inserted into all the targets."""
        with autocommit(self) as tx:
            infos = {t.table: tx.table(t.table) for t in spec.targets}
            spec = replace(spec, targets=tuple(
                replace(t, table=infos[t.table].name, columns=tuple(
                    self._column(infos[t.table], c).name for c in t.columns))
                for t in spec.targets))
            infos = {info.name: info for info in infos.values()}

            def run(cur: Any, scn: int) -> int:
                return insert_multi(tx, cur, infos, spec, params, scn)

            return tx.run("insert all", run, data_only=True)

    def _merge_clause(self: TemporalEngine, info: TableInfo,
                      clause: merge.MergeClause) -> merge.MergeClause:
        """``clause`` with the table's spelling of every column it writes."""
        if isinstance(clause, WhenMatched):
            return replace(clause, assignments={
                self._column(info, c).name: e for c, e in clause.assignments.items()})
        return replace(clause, columns=tuple(self._column(info, c).name for c in clause.columns))

    # --- helpers -----------------------------------------------------------------------

    def _column(self: TemporalEngine, info: TableInfo, name: str) -> ColumnInfo:
        col = info.find_column(name)
        if col is None:
            raise NoSuchColumn(f"column {name!r} does not exist in {info.name!r}"
                               + self.suggest(name, info.column_names))
        return col

    def _record(self: TemporalEngine, tx: Transaction, info: TableInfo,
                row: Row | VersionRow | Mapping[str, Any]) -> Record:
        """A row as column -> value with the table's spelling of each column.

        New columns of a key/columns table are created here (as BLOB).
        """
        # A query result (VersionRow) is accepted too: the seed restores rows by
        # passing query results straight back to update().
        if isinstance(row, Row | VersionRow):
            if info.keyed:
                if any(k.lower() == KEY_COLUMN for k in row.columns):
                    raise DataError(f"{KEY_COLUMN!r} is the key of a key/columns table; "
                                    "it cannot also be a column name")
                values = {k: as_bytes(v) for k, v in row.columns.items()}
            else:
                values = dict(row.columns)
            if row.key is not None and info.key_columns:
                parts = row.key if isinstance(row.key, tuple) else (row.key,)
                for col, part in zip(info.key_columns, parts, strict=False):
                    values[col] = as_bytes(part) if info.keyed else part
        elif isinstance(row, Mapping):
            values = dict(row)
        else:
            raise DataError(f"a row is a Row or a mapping of column values, not {type(row)}")
        if not values:
            raise DataError(f"a row for {info.name!r} needs at least one column value")
        if info.keyed:  # an earlier row of the same batch may have added columns
            info = tx.table(info.name)
        record: Record = {}
        for name, value in values.items():
            col = info.find_column(name)
            if col is None and info.keyed:
                self.add_column(info.name, name, "BLOB")
                info = tx.table(info.name)
                col = info.find_column(name)
            if col is None:
                raise NoSuchColumn(f"column {name!r} does not exist in {info.name!r}"
                                   + self.suggest(name, info.column_names))
            record[col.name] = as_bytes(value) if info.keyed else value
        return record

    @contextmanager
    def _stage(self: TemporalEngine, tx: Transaction, info: TableInfo, rows: Any
               ) -> Iterator[tuple[Source, list[str], TableInfo]]:
        """Stage ``rows``: yields the source, the target column names and the table's info
        (a key/columns table may have grown columns while its rows were read)."""
        assert tx.cursor is not None
        if isinstance(rows, list | tuple):
            records = [self._record(tx, info, r) for r in rows]
            fresh = tx.table(info.name) if info.keyed else info
            if fresh.keyed:  # rows of one batch may name different columns
                names = list(dict.fromkeys(c for r in records for c in r))
                records = [{c: r.get(c) for c in names} for r in records]
            with stage_records(tx.cursor, records) as source:
                yield source, [self._column(fresh, c).name for c in source.columns], fresh
            return
        with stage_arrow(tx.cursor, rows) as source:
            yield source, [self._column(info, c).name for c in source.columns], info


__all__ = ["UpsertResult", "WriteMixin", "key_predicate"]
