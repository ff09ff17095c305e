"""The constraints heliosql checks itself, after each statement and set-based: CHECK,
FOREIGN KEY (with ON DELETE CASCADE and SET NULL) and the limits of declared types.

Oracle checks a constraint when a statement ends, so one statement may pass
through states that break it: a multi-row INSERT whose rows reference each
other, ``DELETE FROM emp`` removing managers together with their employees.
heliosql does the same. A write statement runs; then one query per table and
constraint looks for a row that breaks it; an error undoes the statement (the
transaction goes on, see transaction.py). Nothing loops over rows in Python.

* Rows a statement wrote: the CHECK constraints and type limits over the
  columns it wrote (one query for all of them), then each foreign key over the
  columns it wrote: a new value without a parent row is ORA-02291.
* Parent keys a statement removed: a DELETE of a table that enabled foreign
  keys reference first stages the referenced values of the rows it deletes (one
  query), then, per referencing key, deletes the child rows (CASCADE, whose own
  children follow the same way), sets their keys to NULL (SET NULL), or, after
  every cascade has run, fails if child rows remain (ORA-02292). An UPDATE,
  MERGE or upsert that changes referenced values, a FLASHBACK TABLE and a
  backout look for child rows without a parent in the whole child table, and
  cascade nothing.

Cascaded deletes and updates are ordinary writes of the same transaction, so
they leave history (delete markers, ``U`` versions) at the statement's SCN.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import duckdb
import sqlglot
from sqlglot import exp

from . import dml
from .catalog import TableInfo
from .constraints import CHECK, FOREIGN, ConstraintInfo
from .errors import CheckViolated, ChildRecordFound, ParentKeyNotFound, ValueTooLarge
from .journal import unrepeatable
from .names import dictionary_name
from .oracle_types import Limit, column_limit
from .sqltext import params_used, quote_ident
from .violations import not_null_error

if TYPE_CHECKING:
    from .transaction import Transaction

Params = Mapping[str, Any] | None
Child = tuple[TableInfo, ConstraintInfo]
_names = itertools.count()
# The enabled foreign keys referencing each table, for the last catalog asked about
# (catalog dicts are replaced on change, never mutated, so identity tells).
_index: tuple[object, dict[int, list[Child]]] = (None, {})


def referencing(tables: dict[int, TableInfo], parent: TableInfo) -> list[Child]:
    """The enabled foreign keys of live tables that reference ``parent``, with their tables."""
    global _index
    known, index = _index
    if known is not tables:
        index = {}
        for table in tables.values():
            if table.dropped_scn is None:
                for c in table.constraints:
                    if c.kind == FOREIGN and c.enabled and c.ref_object_id is not None:
                        index.setdefault(c.ref_object_id, []).append((table, c))
        _index = (tables, index)
    return index.get(parent.object_id, [])


def constraint_label(c: ConstraintInfo) -> str:
    """A constraint's name as messages give it (Oracle's dictionary spelling)."""
    return dictionary_name(c.name, c.quoted)


# --- rows a statement wrote ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rows:
    """The rows a statement wrote: SQL over the current table (named ``alias``, if
    given) with its parameters."""

    where: str
    alias: str | None = None
    params: Params = None

    def source(self, info: TableInfo) -> str:
        return f"{info.current} AS {quote_ident(self.alias)}" if self.alias else info.current


def inserted(base: int) -> Rows:
    """The rows an INSERT added: their row ids follow ``base``."""
    return Rows(f"__rowid > {base}")


def changed(scn: int) -> Rows:
    """Every row the transaction wrote (what a statement wrote is among them)."""
    return Rows(f"__start_scn = {scn}")


def updated(where: str | None, assignments: Iterable[str], params: Params, alias: str | None,
            scn: int) -> Rows:
    """The rows an UPDATE wrote: its own predicate, when that reads no column it set and
    draws no random value (so it selects the same rows afterwards, and a key lookup
    stays one), else every row the transaction wrote."""
    if where is None or unrepeatable(where):
        return changed(scn)
    assigned = {c.lower() for c in assignments} | {"__start_scn"}
    read = _columns_read(where)
    if read is None or read & assigned:
        return changed(scn)
    return Rows(where, alias, params)


_read: dict[str, frozenset[str] | None] = {}


def _columns_read(sql: str) -> frozenset[str] | None:
    """Lower-case names of the columns ``sql`` reads (None when it cannot be parsed)."""
    if sql not in _read:
        try:
            tree = sqlglot.parse_one(sql, dialect="duckdb")
            _read[sql] = frozenset(c.name.lower() for c in tree.find_all(exp.Column))
        except sqlglot.errors.ParseError:
            _read[sql] = None
        if len(_read) > 4096:
            _read.clear()
    return _read.get(sql)


def check_written(cur: duckdb.DuckDBPyConnection, tables: dict[int, TableInfo],
                  info: TableInfo, rows: Rows, written: Iterable[str] | None = None) -> None:
    """Check the ``rows`` of ``info`` a statement wrote against the constraints over the
    columns ``written`` (None: every column): type limits, CHECK constraints and
    foreign keys, all in one query.

    The tests are aggregated rather than filtered on, so that the rows' own predicate
    stays the scan's only filter (a key lookup keeps its index). Each foreign key
    reads its parent only for the values written (``key IN (...)``), so a few new
    rows do not scan a large parent's every key; a value with a NULL is not checked.
    """
    columns = None if written is None else frozenset(c.lower() for c in written)
    items = _value_checks(info, columns)
    fks = [(fk, tables[fk.ref_object_id]) for fk in info.constraints
           if fk.kind == FOREIGN and fk.enabled and fk.ref_object_id in tables
           and (columns is None or fk.lowered & columns)]
    if not items and not fks:
        return
    tests = [_violated(item) for item in items]
    which = " ".join(f"WHEN {test} THEN {i}" for i, test in enumerate(tests))
    ctes = [f"__c AS (SELECT * FROM {rows.source(info)} WHERE {rows.where})"]
    counts, joins = [f"min(CASE {which} END)" if items else "NULL"], []
    for j, (fk, parent) in enumerate(fks):
        keys = ", ".join(f"{quote_ident(k)} AS __f{i}" for i, k in enumerate(fk.ref_columns))
        ctes.append(f"__p{j} AS (SELECT {keys} FROM {parent.current} WHERE "
                    f"{quote_ident(fk.ref_columns[0])} IN "
                    f"(SELECT {quote_ident(fk.columns[0])} FROM __c))")
        joins.append(f"LEFT JOIN __p{j} ON " + " AND ".join(
            f"__p{j}.__f{i} = __c.{quote_ident(c)}" for i, c in enumerate(fk.columns)))
        present = " AND ".join(f"__c.{quote_ident(c)} IS NOT NULL" for c in fk.columns)
        counts.append(f"count(CASE WHEN {present} AND __p{j}.__f0 IS NULL THEN 1 END)")
    sql = f"WITH {', '.join(ctes)} SELECT {', '.join(counts)} FROM __c {' '.join(joins)}"
    broken, *orphans = cur.execute(sql, params_used(sql, rows.params)).fetchone()
    if broken is not None:
        _raise_value_error(cur, info, rows, items[broken], tests[broken])
    for (fk, _), count in zip(fks, orphans, strict=True):
        if count:
            raise ParentKeyNotFound(
                f"integrity constraint ({constraint_label(fk)}) violated - parent key not found")


def _value_checks(info: TableInfo, columns: frozenset[str] | None
                  ) -> list[Limit | ConstraintInfo]:
    """The type limits and CHECK constraints over ``columns`` (None: all of them)."""
    items: list[Limit | ConstraintInfo] = []
    for col in info.columns:
        if columns is None or col.name.lower() in columns:
            limit = column_limit(col.name, col.declared)
            if limit is not None:
                items.append(limit)
    items += [c for c in info.constraints if c.kind == CHECK and c.enabled
              and (columns is None or c.lowered & columns)]
    return items


def _violated(item: Limit | ConstraintInfo) -> str:
    """SQL true for a row that breaks ``item`` (a CHECK that is NULL holds)."""
    if isinstance(item, Limit):
        return item.violated
    return f"NOT coalesce(({item.check_sql}), TRUE)"


def _raise_value_error(cur: duckdb.DuckDBPyConnection, info: TableInfo, rows: Rows,
                       item: Limit | ConstraintInfo, test: str) -> NoReturn:
    """ORA-02290 for a CHECK, ORA-12899 with the first bad value's length for a limit."""
    if isinstance(item, ConstraintInfo):
        raise CheckViolated(f"check constraint ({constraint_label(item)}) violated")
    sql = (f"SELECT {quote_ident(item.column)} FROM {rows.source(info)} WHERE ({rows.where}) "
           f"AND {test} LIMIT 1")
    value = cur.execute(sql, params_used(sql, rows.params)).fetchone()[0]
    raise ValueTooLarge(f"value too large for column {column_label(info, item.column)} "
                        f"(actual: {item.actual(value)}, maximum: {item.maximum})")


def column_label(info: TableInfo, column: str) -> str:
    """``"T"."C"``: a column as Oracle's messages name it."""
    col = info.find_column(column)
    name = dictionary_name(col.name, col.quoted) if col is not None else column
    return f'"{dictionary_name(info.name, info.quoted)}"."{name}"'


# --- parent keys a statement removed ---------------------------------------------------------


def delete(tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo, where: str | None,
           params: Params, scn: int, alias: str | None = None, returning: str | None = None,
           using: str | None = None) -> Any:
    """DELETE with the foreign keys that reference ``info`` applied (see the module text);
    ``using`` as for ``dml.delete``."""
    children = referencing(tx.tables, info)
    if not children:
        return tx.delete_rows(cur, info, where, params, scn, alias, returning, using=using)
    pred = where or "TRUE"
    # A predicate drawing random values would pick other rows when run again.
    staged = (None if unrepeatable(pred)
              else _stage(cur, info, children, pred, params, alias, using))
    result = tx.delete_rows(cur, info, where, params, scn, alias, returning, using=using)
    tx.changed_tables.add(info.object_id)
    removed(tx, cur, info, scn, staged)
    return result


def removed(tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo, scn: int,
            staged: tuple[str, dict[str, str]] | None = None, cascade: bool = True) -> None:
    """After rows of ``info`` went away, apply each referencing key's rule. ``staged``
    holds the referenced values of the rows removed (else every child row without a
    parent is looked for); without ``cascade`` every rule is NO ACTION."""
    queue = [(info, staged)]
    temps = [staged[0]] if staged else []
    pending: list[tuple[TableInfo, ConstraintInfo, str]] = []
    try:
        while queue:
            parent, keys = queue.pop(0)
            for child, fk in referencing(tx.tables, parent):
                pred = _orphans(child, fk, parent, keys)
                rule = fk.delete_rule if cascade else "NO ACTION"
                if rule == "CASCADE":
                    grandchildren = referencing(tx.tables, child)
                    own = _stage(cur, child, grandchildren, pred, None, None) if grandchildren \
                        else None
                    if own is not None:
                        temps.append(own[0])
                    if tx.delete_rows(cur, child, pred, None, scn) and grandchildren:
                        queue.append((child, own))
                    tx.changed_tables.add(child.object_id)
                elif rule == "SET NULL":
                    _set_null(tx, cur, child, fk, pred, scn)
                else:
                    pending.append((child, fk, pred))
        for child, fk, pred in pending:  # after every cascade: they may remove the children
            if cur.execute(f"SELECT 1 FROM {child.current} WHERE {pred} LIMIT 1").fetchone():
                raise ChildRecordFound(f"integrity constraint ({constraint_label(fk)}) "
                                       "violated - child record found")
    finally:
        for temp in temps:
            # After a failed statement DuckDB refuses this (the rollback drops it anyway).
            with contextlib.suppress(duckdb.Error):
                cur.execute(f"DROP TABLE IF EXISTS {temp}")


def changed_keys(tx: Transaction, cur: duckdb.DuckDBPyConnection, info: TableInfo,
                 written: Iterable[str] | None, scn: int, deleted: bool = False) -> None:
    """After an UPDATE, MERGE or upsert of ``info`` that wrote ``written`` (None: any
    column) and perhaps ``deleted`` rows: ORA-02292 when a referenced value changed
    under child rows; rows a MERGE deleted cascade as a DELETE's would, unless the
    statement also changed referenced values (then every rule is NO ACTION)."""
    children = referencing(tx.tables, info)
    if not children:
        return
    columns = None if written is None else {c.lower() for c in written}
    keys_changed = columns is None or any(
        columns & {k.lower() for k in fk.ref_columns} for _, fk in children)
    if keys_changed or deleted:
        removed(tx, cur, info, scn, cascade=not keys_changed)


def check_rewritten(tx: Transaction, cur: duckdb.DuckDBPyConnection,
                    tables: Iterable[TableInfo], scn: int) -> None:
    """After FLASHBACK TABLE or a backout rewrote ``tables`` (all of them first, so that
    tables flashed back together are checked together): every constraint over the rows
    they wrote, and no child row left without its parent (nothing cascades)."""
    rewritten = list(tables)
    for info in rewritten:
        check_written(cur, tx.tables, info, changed(scn))
    for info in rewritten:
        removed(tx, cur, info, scn, cascade=False)


def _stage(cur: duckdb.DuckDBPyConnection, info: TableInfo, children: list[Child], pred: str,
           params: Params, alias: str | None, using: str | None = None
           ) -> tuple[str, dict[str, str]]:
    """A temporary table of the distinct referenced values of ``info``'s rows matching
    ``pred`` (which may join ``using``), and the staged name of each referenced column
    (lower-case)."""
    referenced = list(dict.fromkeys(k for _, fk in children for k in fk.ref_columns))
    names = {k.lower(): f"__k{i}" for i, k in enumerate(referenced)}
    temp = f"__helios_keys_{next(_names)}"
    target = f"{info.current} AS {quote_ident(alias)}" if alias else info.current
    if using:
        target += f", {using}"
    table = quote_ident(alias) if alias else info.current
    picked = ", ".join(f"{table}.{quote_ident(k)} AS {names[k.lower()]}" for k in referenced)
    sql = f"CREATE TEMP TABLE {temp} AS SELECT DISTINCT {picked} FROM {target} WHERE {pred}"
    cur.execute(sql, params_used(sql, params))
    return temp, names


def _orphans(child: TableInfo, fk: ConstraintInfo, parent: TableInfo,
             keys: tuple[str, dict[str, str]] | None) -> str:
    """SQL over ``child``'s current table (unaliased) selecting the rows whose key lost
    its parent: those matching a staged value, else those without a parent row."""
    cols = [f"{child.current}.{quote_ident(c)}" for c in fk.columns]
    if keys is not None:
        temp, names = keys
        match = " AND ".join(f"g.{names[k.lower()]} = {c}"
                             for k, c in zip(fk.ref_columns, cols, strict=True))
        return f"EXISTS (SELECT 1 FROM {temp} AS g WHERE {match})"
    present = " AND ".join(f"{c} IS NOT NULL" for c in cols)
    match = " AND ".join(f"p.{quote_ident(k)} = {c}"
                         for k, c in zip(fk.ref_columns, cols, strict=True))
    return f"{present} AND NOT EXISTS (SELECT 1 FROM {parent.current} AS p WHERE {match})"


def _set_null(tx: Transaction, cur: duckdb.DuckDBPyConnection, child: TableInfo,
              fk: ConstraintInfo, pred: str, scn: int) -> None:
    """ON DELETE SET NULL: the orphaned rows' key columns become NULL (``U`` versions)."""
    try:
        dml.update(cur, child, {c: "NULL" for c in fk.columns}, pred, None, scn)
    except duckdb.ConstraintException as exc:
        raise (not_null_error(exc, tx.tables, updating=True) or exc) from exc
    tx.changed_tables.add(child.object_id)
    check_written(cur, tx.tables, child, changed(scn), fk.columns)
