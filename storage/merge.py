"""MERGE: update, delete and insert from one source in one set-based pass.

The source is read once, against the target as it was before the statement:
one query joins it to the current table (``source LEFT JOIN target ON ...``)
and stages, for each source row and the target row it matches (if any), the
clause that applies (the first whose condition holds) and every value that
clause writes. Nothing is written until the staged set is known to be stable
(no target row changed by two source rows, ORA-30926). Then the writes run as
set operations over the staged rows with the same helpers as UPDATE, DELETE
and INSERT, so history is written exactly as for those statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from . import dml
from .catalog import TableInfo
from .dml import Counted
from .errors import DataError
from .sqltext import column_list, params_used, quote_ident
from .staging import fetch_arrow

if TYPE_CHECKING:
    from .transaction import Transaction

Params = Mapping[str, Any] | None

_ROWID = "__merge_rowid"  # the matched target row (NULL: the source row matched none)
_ACTION = "__merge_action"  # the index of the clause that applies
_STAGED = "__merge_staged"  # the staged table's alias in the writes
_NUMBER = "__merge_number"  # the source row's number, when sequence numbers are drawn


@dataclass(frozen=True, slots=True)
class WhenMatched:
    """``WHEN MATCHED [AND condition] THEN UPDATE SET ... [DELETE WHERE ...]``, or
    ``THEN DELETE`` when there are no assignments.

    All SQL sees the target and the source under their aliases; ``delete_where``
    sees the target's values after the update (Oracle's rule).
    """

    assignments: Mapping[str, str] = field(default_factory=dict)
    condition: str | None = None
    delete_where: str | None = None


@dataclass(frozen=True, slots=True)
class WhenNotMatched:
    """``WHEN NOT MATCHED [AND condition] THEN INSERT (columns) VALUES (values)``."""

    columns: tuple[str, ...]
    values: tuple[str, ...]
    condition: str | None = None

    def __post_init__(self) -> None:
        if len(self.columns) != len(self.values):
            raise DataError(f"INSERT of MERGE gives {len(self.values)} values for "
                            f"{len(self.columns)} columns")


MergeClause = WhenMatched | WhenNotMatched


@dataclass(frozen=True, slots=True)
class MergeSpec:
    """What to merge: ``source`` (a SELECT) matched to the target by ``on``, then the
    clauses in order. SQL names the source ``source_alias`` and the target
    ``target_alias`` (default: the table's name)."""

    source: str
    on: str
    clauses: tuple[MergeClause, ...]
    source_alias: str = "__source"
    target_alias: str | None = None


@dataclass(frozen=True, slots=True)
class MergeResult:
    """Rows updated (and still there), deleted and inserted; each changed row counts once
    (a row updated and then removed by DELETE WHERE counts as deleted)."""

    updated: int
    deleted: int
    inserted: int

    @property
    def rowcount(self) -> int:
        """Oracle's count of rows merged."""
        return self.updated + self.deleted + self.inserted


class _Merge:
    """One MERGE at SCN ``scn``: the SQL of its steps, run on ``cur`` in order."""

    def __init__(self, tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo,
                 spec: MergeSpec, params: Params, scn: int, counted: Counted | None = None):
        self.tx = tx
        self.counted = counted
        self.cur, self.info, self.spec, self.params, self.scn = cur, info, spec, params, scn
        self.target = quote_ident(spec.target_alias or info.name)
        self.source = quote_ident(spec.source_alias)
        self.staged = f"__helios_merge_{scn}"
        self.doomed = f"__helios_merge_doomed_{scn}"
        clauses = list(enumerate(spec.clauses))
        self.matched = [(i, c) for i, c in clauses if isinstance(c, WhenMatched)]
        self.inserts = [(i, c) for i, c in clauses if isinstance(c, WhenNotMatched)]
        self.updates = [(i, c) for i, c in self.matched if c.assignments]
        self.set_columns = list(dict.fromkeys(c for _, u in self.updates for c in u.assignments))

    def execute(self, rowid_base: int, changed_in_transaction: bool) -> MergeResult:
        self._stage()
        self._check_stable()
        if self.counted is not None:
            row = self.cur.execute(f"SELECT max({_NUMBER}) FROM {self.staged}").fetchone()
            self.counted(int(row[0] or 0) if row else 0)
        updated = self._update()
        deleted, after_update = self._delete(changed_in_transaction or updated > 0)
        inserted = self._insert(rowid_base)
        self.cur.execute(f"DROP TABLE {self.staged}")
        return MergeResult(updated - after_update, deleted, inserted)

    # --- matching -------------------------------------------------------------------------

    def _stage(self) -> None:
        """Stage every source row that a clause applies to, with that clause's values."""
        action = (f"CASE WHEN {self.target}.__rowid IS NULL THEN {_choose(self.inserts)} "
                  f"ELSE {_choose(self.matched)} END")
        items = [f"{self.target}.__rowid AS {_ROWID}", f"{action} AS {_ACTION}"]
        for k, column in enumerate(self.set_columns):
            whens = " ".join(f"WHEN {i} THEN ({c.assignments[column]})"
                             for i, c in self.updates if column in c.assignments)
            items.append(f"CASE {_ACTION} {whens} END AS __merge_set{k}")
        for i, clause in self.inserts:
            items += [f"CASE WHEN {_ACTION} = {i} THEN ({value}) END AS __merge_ins{i}_{j}"
                      for j, value in enumerate(clause.values)]
        if any(c.delete_where for _, c in self.updates):
            items.append(f"{self.source}.*")  # DELETE WHERE may read the source
        if self.counted is not None:  # sequence numbers: the values number the joined rows
            items.append(f"row_number() OVER () AS {_NUMBER}")
        joined = (f"SELECT {', '.join(items)} FROM ({self.spec.source}) AS {self.source} "
                  f"LEFT JOIN {self.info.current} AS {self.target} ON ({self.spec.on})")
        select = f"SELECT * FROM ({joined}) WHERE {_ACTION} IS NOT NULL"
        if self.counted is None:
            sql = f"CREATE TEMP TABLE {self.staged} AS {select}"
            self.cur.execute(sql, params_used(sql, self.params))
            return
        # Read once and kept as data, so a rebuild of the transaction stages the same
        # numbers for the same rows (journal.py).
        data = fetch_arrow(self.tx.read(select, params_used(select, self.params)))
        self.cur.register(self.staged + "_rows", data)
        self.cur.execute(f"CREATE TEMP TABLE {self.staged} AS SELECT * FROM {self.staged}_rows")
        self.cur.unregister(self.staged + "_rows")

    def _check_stable(self) -> None:
        """ORA-30926 when a target row would be changed by more than one source row:
        which of them should win would be arbitrary."""
        if not self.matched:
            return
        twice = self.cur.execute(
            f"SELECT {_ROWID} FROM {self.staged} WHERE {_ROWID} IS NOT NULL "
            f"GROUP BY {_ROWID} HAVING count(*) > 1 LIMIT 1").fetchone()
        if twice is None:
            return
        keys = self.info.key_columns if not self.info.keyed else ()
        key = self.cur.execute(f"SELECT {column_list(keys) or '__rowid'} FROM "
                               f"{self.info.current} WHERE __rowid = ?", [twice[0]]).fetchone()
        raise DataError(f"unable to get a stable set of rows in the source tables: the row "
                        f"{key!r} of {self.info.name!r} is matched by more than one source row",
                        code="ORA-30926")

    # --- writes ---------------------------------------------------------------------------

    def _update(self) -> int:
        if not self.updates:
            return 0
        chosen = f"{_ACTION} IN ({', '.join(str(i) for i, _ in self.updates)})"
        if self.info.versioned:
            dml.close_versions(self.cur, self.info,
                               f"__rowid IN (SELECT {_ROWID} FROM {self.staged} WHERE {chosen})",
                               None, self.scn, deleted=False)
        sets = []
        for k, column in enumerate(self.set_columns):
            value = f"{_STAGED}.__merge_set{k}"
            by = [i for i, c in self.updates if column in c.assignments]
            if len(by) < len(self.updates):  # another UPDATE clause leaves it as it is
                value = (f"CASE WHEN {_STAGED}.{_ACTION} IN ({', '.join(map(str, by))}) "
                         f"THEN {value} ELSE {self.target}.{quote_ident(column)} END")
            sets.append(f"{quote_ident(column)} = {dml.stored(self.info, column, value)}")
        return dml.run_sql(
            self.cur,
            f"UPDATE {self.info.current} AS {self.target} SET {', '.join(sets)}, "
            f"__start_scn = {self.scn} FROM {self.staged} AS {_STAGED} "
            f"WHERE {self.target}.__rowid = {_STAGED}.{_ROWID} AND {_STAGED}.{chosen}", None)

    def _delete(self, changed_in_transaction: bool) -> tuple[int, int]:
        """Delete the rows of DELETE clauses and the updated rows DELETE WHERE picks (on
        their new values): (rows deleted, of which updated first)."""
        parts = []
        deletes = [i for i, c in self.matched if not c.assignments]
        if deletes:
            parts.append(f"SELECT {_ROWID}, FALSE AS updated FROM {self.staged} "
                         f"WHERE {_ACTION} IN ({', '.join(map(str, deletes))})")
        parts += [
            f"SELECT {self.source}.{_ROWID} AS {_ROWID}, TRUE AS updated "
            f"FROM {self.staged} AS {self.source} "
            f"JOIN {self.info.current} AS {self.target} "
            f"ON {self.target}.__rowid = {self.source}.{_ROWID} "
            f"WHERE {self.source}.{_ACTION} = {i} AND ({c.delete_where})"
            for i, c in self.updates if c.delete_where
        ]
        if not parts:
            return 0, 0
        sql = f"CREATE TEMP TABLE {self.doomed} AS {' UNION ALL '.join(parts)}"
        self.cur.execute(sql, params_used(sql, self.params))
        deleted = self.tx.delete_rows(
            self.cur, self.info, f"__rowid IN (SELECT {_ROWID} FROM {self.doomed})", None,
            self.scn, changed=changed_in_transaction)
        row = self.cur.execute(f"SELECT count(*) FROM {self.doomed} WHERE updated").fetchone()
        self.cur.execute(f"DROP TABLE {self.doomed}")
        return deleted, int(row[0]) if row else 0

    def _insert(self, rowid_base: int) -> int:
        inserted = 0
        for i, clause in self.inserts:
            # Every column may be DEFAULT: then only the system columns are listed.
            columns = "".join(f"{quote_ident(c)}, " for c in clause.columns)
            values = "".join(f"{dml.stored(self.info, c, f'__merge_ins{i}_{j}')}, "
                             for j, c in enumerate(clause.columns))
            inserted += dml.run_sql(
                self.cur,
                f"INSERT INTO {self.info.current} ({columns}__rowid, __start_scn, "
                f"__created_scn) SELECT {values}{rowid_base + inserted} + row_number() "
                f"OVER (), {self.scn}, {self.scn} FROM {self.staged} WHERE {_ACTION} = {i}",
                None)
        return inserted


def _choose(clauses: list[tuple[int, Any]]) -> str:
    """The index of the first clause whose condition holds (NULL if none does)."""
    if not clauses:
        return "NULL"
    whens = " ".join(f"WHEN {f'({c.condition})' if c.condition else 'TRUE'} THEN {i}"
                     for i, c in clauses)
    return f"CASE {whens} END"


def merge(tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo, spec: MergeSpec,
          params: Params, scn: int, rowid_base: int, counted: Counted | None = None
          ) -> MergeResult:
    """Run ``spec`` against ``info`` at ``scn`` in ``tx``; new rows take ids after
    ``rowid_base``. ``counted`` is told the highest source row number staged (the
    rows are numbered by ``row_number() OVER ()``) before anything is written."""
    changed = info.object_id in tx.changed_tables  # before: see ``dml.delete``
    return _Merge(tx, cur, info, spec, params, scn, counted).execute(rowid_base, changed)
