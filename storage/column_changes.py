"""ALTER TABLE ... MODIFY: a column's type, DEFAULT and NOT NULL, history kept readable.

A type change converts the column in the current table and in the history
table with the same cast, so ``AS OF`` and ``VERSIONS`` read every version in
the new type. The caller (the SQL front end, which knows Oracle's rules) says
what the change needs of the rows: a change Oracle allows only on an empty
column (a new type, a smaller precision) fails on a column holding a value in
a current row, and converts history only if every value there comes back
unchanged through the reverse cast (history is never rewritten); a shorter
length fails when a current value is longer. Indexes on the table are dropped
and made again around the conversion (DuckDB cannot convert an indexed column).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalog import ColumnInfo, TableInfo
from .errors import ConstraintViolation, NotSupportedError, ProgrammingError
from .sqltext import quote_ident
from .temporary import refuse_in_use
from .transaction import Transaction, autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine


@dataclass(frozen=True, slots=True)
class Refusal:
    """An Oracle error a change raises when the rows do not allow it."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class TypeChange:
    """A column's new type and what the change needs of the values it holds.

    ``needs_empty``: raised when a current row holds a value (and then history must
    convert exactly). ``max_length``: raised (ORA-01441) when a current value is
    longer, as measured by ``length_of``.
    """

    type: str
    declared: str | None = None
    needs_empty: Refusal | None = None
    max_length: int | None = None
    length_of: str = "length"


@dataclass(frozen=True, slots=True)
class ColumnChange:
    """What MODIFY changes: None leaves a part as it is; ``default`` is used when
    ``set_default`` is true (None there removes the DEFAULT)."""

    type: TypeChange | None = None
    set_default: bool = False
    default: str | None = None
    not_null: bool | None = None


def _has_row(tx: Transaction, table: str, where: str) -> bool:
    return tx.read(f"SELECT 1 FROM {table} WHERE {where} LIMIT 1").fetchone() is not None


class ColumnChangeMixin:
    """``modify_column`` of ``TemporalEngine``."""

    def modify_column(self: TemporalEngine, table: str, name: str, change: ColumnChange
                      ) -> None:
        """Change a column's type, DEFAULT or nullability (see the module text)."""
        with autocommit(self) as tx:
            info = tx.table(table)
            col = self._column(info, name)
            refuse_in_use(self.read_cursor(), info, "alter", "ORA-14450")

            def modify(cur: Any, scn: int) -> None:
                new = col
                if change.type is not None:
                    new = _retype(tx, cur, info, new, change.type)
                if change.set_default:
                    new = _set_default(cur, info, new, change.default)
                if change.not_null is not None:
                    new = _set_not_null(tx, cur, info, new, change.not_null)
                cur.execute(
                    "UPDATE helios.columns SET type = ?, declared_type = ?, default_sql = ?, "
                    "not_null = ? WHERE object_id = ? AND name = ? AND dropped_scn IS NULL",
                    [new.type, new.declared, new.default, new.not_null, info.object_id,
                     col.name])
                tx.put_table(info.with_changes(
                    columns=tuple(new if c is col else c for c in info.columns)))

            tx.run(f"alter table {info.name} modify {col.name}", modify)


def _retype(tx: Transaction, cur: Any, info: TableInfo, col: ColumnInfo, change: TypeChange
            ) -> ColumnInfo:
    column = quote_ident(col.name)
    refusal = change.needs_empty
    if refusal is not None and _has_row(tx, info.current, f"{column} IS NOT NULL"):
        raise ProgrammingError(f"{refusal.message}: {info.name}.{col.name} holds values",
                               code=refusal.code)
    if change.max_length is not None:
        longest = tx.read(f"SELECT max({change.length_of}({column})) FROM {info.current}"
                          ).fetchone()[0]
        if longest is not None and longest > change.max_length:
            raise ProgrammingError(
                f"cannot decrease column length because some value is too big: "
                f"{info.name}.{col.name} holds a value of length {longest}", code="ORA-01441")
    if change.type.upper() == col.type.upper():
        return col.with_changes(declared=change.declared)
    if col.name.lower() in (k.lower() for k in info.key_columns):
        raise NotSupportedError(f"cannot change the type of {info.name}.{col.name}: it is part "
                                "of the primary key (DuckDB converts no key column)")
    if refusal is not None:
        _check_history_converts(tx, info, col, change, refusal)
    indexes = tx.read("SELECT index_name, sql FROM duckdb_indexes() WHERE schema_name = "
                      "'helios_data' AND table_name = ?", [info.current.split(".")[1]]
                      ).fetchall()
    for index, _ in indexes:
        cur.execute(f"DROP INDEX helios_data.{quote_ident(index)}")
    for physical in (info.current, info.history):
        cur.execute(f"ALTER TABLE {physical} ALTER COLUMN {column} SET DATA TYPE {change.type}")
    for _, sql in indexes:
        cur.execute(sql)
    return col.with_changes(type=change.type, declared=change.declared)


def _check_history_converts(tx: Transaction, info: TableInfo, col: ColumnInfo,
                            change: TypeChange, refusal: Refusal) -> None:
    """Refuse a change that would alter a value kept in history (a change Oracle allows
    only on an empty column may round or reformat values)."""
    column = quote_ident(col.name)
    back = f"TRY_CAST(TRY_CAST({column} AS {change.type}) AS {col.type})"
    if _has_row(tx, info.history, f"{column} IS NOT NULL AND {back} IS DISTINCT FROM {column}"):
        raise ProgrammingError(
            f"{refusal.message}: the history of {info.name}.{col.name} holds values that "
            f"{change.declared or change.type} cannot hold exactly", code=refusal.code)


def _set_default(cur: Any, info: TableInfo, col: ColumnInfo, default: str | None
                 ) -> ColumnInfo:
    column = quote_ident(col.name)
    action = "DROP DEFAULT" if default is None else f"SET DEFAULT {default}"
    cur.execute(f"ALTER TABLE {info.current} ALTER COLUMN {column} {action}")
    return col.with_changes(default=default)


def _set_not_null(tx: Transaction, cur: Any, info: TableInfo, col: ColumnInfo,
                  not_null: bool) -> ColumnInfo:
    column = quote_ident(col.name)
    keyed = col.name.lower() in (k.lower() for k in info.key_columns)
    if not_null:
        if col.not_null or keyed:
            raise ProgrammingError(f"column to be modified to NOT NULL is already NOT NULL: "
                                   f"{info.name}.{col.name}", code="ORA-01442")
        if _has_row(tx, info.current, f"{column} IS NULL"):
            raise ConstraintViolation(f"cannot enable NOT NULL on ({info.name}.{col.name}) - "
                                      "null values found", code="ORA-02296")
        cur.execute(f"ALTER TABLE {info.current} ALTER COLUMN {column} SET NOT NULL")
    else:
        if not col.not_null or keyed:
            raise ProgrammingError(f"column to be modified to NULL cannot be modified to NULL: "
                                   f"{info.name}.{col.name}", code="ORA-01451")
        cur.execute(f"ALTER TABLE {info.current} ALTER COLUMN {column} DROP NOT NULL")
    return col.with_changes(not_null=not_null)
