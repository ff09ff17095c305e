"""Set-based DML that keeps history: each change is a few SQL statements over
all matching rows, run inside the caller's DuckDB transaction at SCN ``scn``.

How a transaction collapses its changes into one version per row: a row's
pre-transaction image is copied to history only when the row is first changed
in the transaction (``__start_scn <> scn``); later changes in the same
transaction update the current row in place. A row inserted in the transaction
keeps ``__created_scn = scn``, so it stays an ``I`` version however often it is
updated, and vanishes without trace if it is deleted again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from .catalog import HISTORY_SYSTEM_COLUMNS, TableInfo
from .errors import DataError
from .oracle_types import integer_digits
from .sqltext import column_list, params_used, quote_ident
from .staging import Source

Params = Mapping[str, Any] | None
#: Told how many rows a statement computed, before it writes them (sequence draws).
Counted = Callable[[int], object]
#: The relation numbering the rows of an UPDATE that draws sequence numbers.
NUMBERED = "__helios_numbered"


@dataclass(frozen=True, slots=True)
class Returned:
    """The rows a statement's RETURNING clause produced, with their column names."""

    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: list[tuple]


def run_sql(cur: duckdb.DuckDBPyConnection, sql: str, params: Params,
         returning: str | None = None) -> Any:
    """Execute; the affected row count DuckDB reports, or the RETURNING rows."""
    if returning:
        cur.execute(f"{sql} RETURNING {returning}", params_used(sql + returning, params))
        description = cur.description or ()
        return Returned(tuple(d[0] for d in description), tuple(str(d[1]) for d in description),
                        cur.fetchall())
    row = cur.execute(sql, params_used(sql, params)).fetchone()
    return int(row[0]) if row else 0


def stored(info: TableInfo, column: str, sql: str) -> str:
    """SQL writing ``sql`` into ``column``: a ``NUMBER(p)`` column (stored as BIGINT) takes
    it through ``DECIMAL(p,0)``, which rounds half away from zero and refuses a value of
    more than p digits (ORA-01438), as Oracle does; DuckDB's cast to BIGINT would round
    a DOUBLE's halves to even and take any value."""
    col = info.find_column(column)
    digits = integer_digits(col.declared, col.type) if col is not None else None
    return sql if digits is None else f"CAST(({sql}) AS DECIMAL({digits},0))"


def _check_stable(cur: duckdb.DuckDBPyConnection, relation: str, keys: Sequence[str],
                  params: Params) -> None:
    """ORA-30926 when a key occurs twice among the new rows of an upsert: which one
    should win would be arbitrary."""
    sql = (f"SELECT {', '.join(keys)} FROM {relation} GROUP BY ALL "
           "HAVING count(*) > 1 LIMIT 1")
    duplicate = cur.execute(sql, params_used(sql, params)).fetchone()
    if duplicate is not None:
        raise DataError(f"unable to get a stable set of rows: key {duplicate!r} occurs more "
                        "than once in the rows to upsert", code="ORA-30926")


def _target(info: TableInfo, alias: str | None) -> str:
    """The current table, under the name the statement's expressions use for it."""
    return f"{info.current} AS {quote_ident(alias)}" if alias else info.current


def _from(info: TableInfo, alias: str | None, using: str | None) -> str:
    """The current table, and the relation ``using`` beside it when the predicate joins
    one (the rows of a batch, at most one per current row)."""
    return f"{_target(info, alias)}, {using}" if using else _target(info, alias)


def close_versions(cur: duckdb.DuckDBPyConnection, info: TableInfo, pred: str,
                   params: Params, scn: int, deleted: bool, alias: str | None = None,
                   using: str | None = None) -> None:
    """Close the current versions matching ``pred`` that this transaction has not changed yet."""
    cols = column_list(info.column_names)
    picked = ", ".join(f"{_qualified(info, alias)}.{quote_ident(c)}" for c in info.column_names)
    sql = (
        f"INSERT INTO {info.history} ({cols}, {column_list(HISTORY_SYSTEM_COLUMNS)}) "
        f"SELECT {picked}, __rowid, __start_scn, {scn}, __created_scn, "
        f"{str(deleted).upper()} FROM {_from(info, alias, using)} "
        f"WHERE ({pred}) AND __start_scn <> {scn}"
    )
    cur.execute(sql, params_used(sql, params))


def _qualified(info: TableInfo, alias: str | None) -> str:
    """How the statement's SQL names the current table."""
    return quote_ident(alias) if alias else info.current


def insert(cur: duckdb.DuckDBPyConnection, info: TableInfo, source: Source,
           targets: Sequence[str], scn: int, rowid_base: int) -> int:
    """Insert every row of ``source``; ``targets`` names the table column of each source column."""
    picked = ", ".join(stored(info, t, f'"c{i}"') for i, t in enumerate(targets))
    sql = (
        f"INSERT INTO {info.current} ({column_list(targets)}, __rowid, __start_scn, "
        f"__created_scn) SELECT {picked}, {rowid_base} + row_number() OVER (), {scn}, {scn} "
        f"FROM ({source.sql}) AS __src"
    )
    return run_sql(cur, sql, source.params)


def insert_select(cur: duckdb.DuckDBPyConnection, info: TableInfo, select_sql: str,
                  targets: Sequence[str], params: Params, scn: int, rowid_base: int,
                  returning: str | None = None) -> Any:
    """Insert the rows of an arbitrary SELECT whose columns are, in order, ``targets``."""
    names = ", ".join(f'"c{i}"' for i in range(len(targets)))
    picked = ", ".join(stored(info, t, f'"c{i}"') for i, t in enumerate(targets))
    sql = (
        f"INSERT INTO {info.current} ({column_list(targets)}, __rowid, __start_scn, "
        f"__created_scn) SELECT {picked}, {rowid_base} + row_number() OVER (), {scn}, {scn} "
        f"FROM ({select_sql}) AS __src({names})"
    )
    return run_sql(cur, sql, params, returning)


def numbering_sql(info: TableInfo, where: str | None, alias: str) -> str:
    """A query numbering the rows ``update`` would change: ``__rowid``, ``__n`` (1..n)."""
    return (f"SELECT {quote_ident(alias)}.__rowid AS __rowid, row_number() OVER () AS __n "
            f"FROM {_target(info, alias)} WHERE {where or 'TRUE'}")


def numbered_rows(alias: str) -> str:
    """The predicate picking the rows ``numbering_sql`` numbered (staged as ``NUMBERED``)."""
    return f"{quote_ident(alias)}.__rowid IN (SELECT __rowid FROM {NUMBERED})"


def update(cur: duckdb.DuckDBPyConnection, info: TableInfo, assignments: Mapping[str, str],
           where: str | None, params: Params, scn: int, alias: str | None = None,
           returning: str | None = None, using: str | None = None) -> Any:
    """``UPDATE table [AS alias] SET col = expr, ... [FROM using] WHERE where`` (expressions
    are SQL; ``using`` is a relation the predicate joins, matching each row at most once)."""
    pred = where or "TRUE"
    if info.versioned:
        close_versions(cur, info, pred, params, scn, deleted=False, alias=alias, using=using)
    sets = ", ".join(f"{quote_ident(col)} = {stored(info, col, expr)}"
                     for col, expr in assignments.items())
    source = f" FROM {using}" if using else ""
    return run_sql(
        cur, f"UPDATE {_target(info, alias)} SET {sets}, __start_scn = {scn}{source} "
        f"WHERE {pred}", params, returning,
    )


def delete(cur: duckdb.DuckDBPyConnection, info: TableInfo, where: str | None, params: Params,
           scn: int, changed_in_transaction: bool, alias: str | None = None,
           returning: str | None = None, using: str | None = None) -> Any:
    """``DELETE FROM table [USING using] WHERE where``, leaving a delete marker per deleted row.

    ``changed_in_transaction`` says whether this transaction already changed the
    table: then rows it updated already have their pre-transaction image in
    history, which now becomes the delete marker.
    """
    pred = where or "TRUE"
    if info.versioned:
        close_versions(cur, info, pred, params, scn, deleted=True, alias=alias, using=using)
        if changed_in_transaction:
            sql = (
                f"UPDATE {info.history} SET __deleted = TRUE WHERE __end_scn = {scn} "
                f"AND __rowid IN (SELECT __rowid FROM {_from(info, alias, using)} "
                f"WHERE ({pred}) AND __start_scn = {scn})"
            )
            cur.execute(sql, params_used(sql, params))
    source = f" USING {using}" if using else ""
    return run_sql(cur, f"DELETE FROM {_target(info, alias)}{source} WHERE {pred}", params,
                   returning)


def upsert(cur: duckdb.DuckDBPyConnection, info: TableInfo, source: Source,
           targets: Sequence[str], scn: int, rowid_base: int) -> tuple[int, int]:
    """Update the rows whose key is in ``source`` and insert the others: (updated, inserted)."""
    position = {t.lower(): i for i, t in enumerate(targets)}
    match = " AND ".join(
        f"{info.current}.{quote_ident(k)} IS NOT DISTINCT FROM __src.\"c{position[k.lower()]}\""
        for k in info.key_columns
    )
    keys = {k.lower() for k in info.key_columns}
    values = [(t, i) for i, t in enumerate(targets) if t.lower() not in keys]
    src = f"({source.sql}) AS __src"
    _check_stable(cur, src, [f'__src."c{position[k.lower()]}"' for k in info.key_columns],
                  source.params)
    updated = 0
    if values:
        if info.versioned:
            close_versions(
                cur, info, f"EXISTS (SELECT 1 FROM {src} WHERE {match})", source.params, scn,
                deleted=False,
            )
        sets = ", ".join(f"{quote_ident(t)} = " + stored(info, t, f'__src."c{i}"')
                         for t, i in values)
        updated = run_sql(
            cur,
            f"UPDATE {info.current} SET {sets}, __start_scn = {scn} FROM {src} WHERE {match}",
            source.params,
        )
    picked = ", ".join(stored(info, t, f'__src."c{i}"') for i, t in enumerate(targets))
    inserted = run_sql(
        cur,
        f"INSERT INTO {info.current} ({column_list(targets)}, __rowid, __start_scn, "
        f"__created_scn) SELECT {picked}, {rowid_base} + row_number() OVER (), {scn}, {scn} "
        f"FROM {src} WHERE NOT EXISTS (SELECT 1 FROM {info.current} WHERE {match})",
        source.params,
    )
    return updated, inserted


def merge_select(cur: duckdb.DuckDBPyConnection, info: TableInfo, staged: str,
                 targets: Sequence[str], keys: Sequence[str],
                 assignments: Mapping[str, str] | None, where: str | None, params: Params,
                 scn: int, rowid_base: int, alias: str) -> tuple[int, int]:
    """``INSERT ... ON CONFLICT (keys) DO UPDATE SET ... [WHERE ...] | DO NOTHING``.

    ``staged`` is a table holding the new rows with the columns ``targets``; SQL
    in ``assignments`` and ``where`` sees them as ``excluded`` and the table
    as ``alias``. Returns (updated, inserted).
    """
    target = f"{info.current} AS {quote_ident(alias)}"
    _check_stable(cur, f"{staged} AS excluded", [f"excluded.{quote_ident(k)}" for k in keys],
                  None)
    match = " AND ".join(
        f"{quote_ident(alias)}.{quote_ident(k)} = excluded.{quote_ident(k)}" for k in keys)
    # New rows first, matched against the table as it was: an update that changes a key
    # must not make its own row look new. The update then leaves the new rows alone.
    picked = ", ".join(stored(info, t, f"excluded.{quote_ident(t)}") for t in targets)
    inserted = run_sql(
        cur,
        f"INSERT INTO {info.current} ({column_list(targets)}, __rowid, __start_scn, "
        f"__created_scn) SELECT {picked}, {rowid_base} + row_number() OVER (), {scn}, {scn} "
        f"FROM {staged} AS excluded WHERE NOT EXISTS (SELECT 1 FROM {target} WHERE {match})",
        params,
    )
    updated = 0
    if assignments:
        condition = f"{match} AND {quote_ident(alias)}.__rowid <= {rowid_base}"
        condition += f" AND ({where})" if where else ""
        exists = f"EXISTS (SELECT 1 FROM {staged} AS excluded WHERE {condition})"
        if info.versioned:
            close_versions(cur, info, exists, params, scn, deleted=False, alias=alias)
        sets = ", ".join(f"{quote_ident(c)} = {stored(info, c, e)}"
                         for c, e in assignments.items())
        updated = run_sql(cur, f"UPDATE {target} SET {sets}, __start_scn = {scn} "
                            f"FROM {staged} AS excluded WHERE {condition}", params)
    return updated, inserted
