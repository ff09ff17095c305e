"""DuckDB's errors for the constraints it enforces (PRIMARY KEY, UNIQUE, NOT NULL, DECIMAL
precision), told as Oracle tells them, naming the constraint or the user's table.

DuckDB names the physical table (``t12``) in a NOT NULL error and no table at all
in a duplicate key error, so the catalog is asked: the table that was written,
else every table with a key on the columns the message lists.
"""

from __future__ import annotations

import re

import duckdb

from .catalog import TableInfo
from .constraints import PRIMARY, UNIQUE, ConstraintInfo
from .errors import CannotBeNull, DuplicateKey, HeliosError, ValueTooLarge
from .names import dictionary_name

_NOT_NULL = re.compile(r'NOT NULL constraint failed: t(\d+)\.(.+)$')
_DUPLICATE = re.compile(r'[Dd]uplicate key "(?P<key>.*)" violates (?P<kind>primary key|unique)'
                        r'|(?P<bulk>PRIMARY KEY or UNIQUE) constraint violation: duplicate key '
                        r'"(?P<bulk_key>.*)"')
# A value too large for a DECIMAL(p,s) column (or the DECIMAL(p,0) a NUMBER(p) value
# goes through, see dml.stored); a string that is no number is another error.
_DECIMAL = re.compile(r'(?:Could not cast value \S+ to|Casting value "[^"]*" to type) '
                      r'DECIMAL\(\d+,\s*\d+\)')


def _first_line(exc: duckdb.Error) -> str:
    return re.sub(r"^[A-Za-z ]+ Error: ", "", str(exc).split("\n", 1)[0])


def not_null_error(exc: duckdb.Error, tables: dict[int, TableInfo], updating: bool
                   ) -> HeliosError | None:
    """ORA-01400 (insert) or ORA-01407 (update) for DuckDB's NOT NULL error, or None."""
    match = _NOT_NULL.search(_first_line(exc))
    info = tables.get(int(match[1])) if match else None
    if match is None or info is None:
        return None
    column = match[2].strip('"').replace('""', '"')
    col = info.find_column(column)
    label = (f'"{dictionary_name(info.name, info.quoted)}".'
             f'"{dictionary_name(col.name, col.quoted) if col else column}"')
    if updating:
        return CannotBeNull(f"cannot update ({label}) to NULL", code="ORA-01407")
    return CannotBeNull(f"cannot insert NULL into ({label})")


def _key_columns(key: str, constraint: ConstraintInfo, named: bool) -> bool:
    """Whether DuckDB's key text (``a: 1, b: x``; in a bulk insert's error only the
    values, ``1, x``) fits ``constraint``'s columns."""
    if not named:
        return key.count(", ") + 1 == len(constraint.columns)
    parts = r", ".join(re.escape(c) + r": .*" for c in constraint.columns)
    return re.fullmatch(parts, key, re.IGNORECASE | re.DOTALL) is not None


def duplicate_error(exc: duckdb.Error, tables: dict[int, TableInfo],
                    table: TableInfo | None) -> HeliosError | None:
    """ORA-00001 naming the violated key, or None when DuckDB's error is another one."""
    match = _DUPLICATE.search(_first_line(exc))
    if match is None:
        return None
    key = match["key"] if match["key"] is not None else match["bulk_key"]
    kinds = {"primary key": (PRIMARY,), "unique": (UNIQUE,)}.get(match["kind"] or "",
                                                               (PRIMARY, UNIQUE))
    named = match["key"] is not None
    candidates = [table] if table is not None else []
    if named:  # values alone are only matched against the table written
        candidates += [t for t in tables.values() if t.dropped_scn is None and t is not table]
    for info in candidates:
        fitting = [c for c in info.constraints
                   if c.kind in kinds and c.enabled and _key_columns(key, c, named)]
        if len(fitting) == 1:
            return DuplicateKey(
                f"unique constraint ({dictionary_name(fitting[0].name, fitting[0].quoted)}) "
                f"violated on table {dictionary_name(info.name, info.quoted)} (a row with "
                f"{key} already exists)")
    return DuplicateKey(f"unique constraint violated (a row with {key} already exists)")


def precision_error(exc: duckdb.Error) -> HeliosError | None:
    """ORA-01438 for a value DuckDB could not fit into a DECIMAL column, or None."""
    if _DECIMAL.search(_first_line(exc)) is None:
        return None
    return ValueTooLarge("value larger than specified precision allowed for this column",
                         code="ORA-01438")
