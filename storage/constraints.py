"""Constraints: what a table declares, and how the catalog keeps it.

Every constraint lives in ``helios.constraints`` (changed in the same DuckDB
transaction as the data), one row per constraint with its table's object id.
Kinds are Oracle's letters: ``P`` primary key, ``U`` unique, ``R`` foreign key
(referential), ``C`` check; a NOT NULL constraint is kept as ``N`` and shown as
``C`` by the dictionary, as Oracle does. How each kind is enforced:

* ``P`` and ``U`` (enabled): DuckDB's PRIMARY KEY / UNIQUE on the current table,
  so keys keep their index; changing them rebuilds that table (``native_keys.py``).
* ``N`` (enabled): DuckDB's NOT NULL on the column (``ColumnInfo.not_null``).
* ``C`` and ``R``: checked by heliosql after each statement, set-based
  (``integrity.py``); ``R`` also cascades deletes.

A constraint without a name gets Oracle's system name ``SYS_Cnnnnnn`` from a
counter in ``helios.meta``; numbers are never reused, and they order a table's
constraints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import duckdb
import sqlglot
from sqlglot import exp

from .errors import ProgrammingError
from .names import is_quoted

PRIMARY, UNIQUE, FOREIGN, CHECK, NOT_NULL = "P", "U", "R", "C", "N"
DELETE_RULES = ("NO ACTION", "CASCADE", "SET NULL")

CONSTRAINTS_DDL = """CREATE TABLE IF NOT EXISTS helios.constraints(
    object_id BIGINT NOT NULL, number BIGINT NOT NULL, name VARCHAR NOT NULL,
    quoted BOOLEAN NOT NULL, generated BOOLEAN NOT NULL, kind VARCHAR NOT NULL,
    columns VARCHAR[] NOT NULL, search_condition VARCHAR, check_sql VARCHAR,
    ref_object_id BIGINT, ref_constraint VARCHAR, ref_columns VARCHAR[], delete_rule VARCHAR,
    enabled BOOLEAN NOT NULL, created_scn BIGINT NOT NULL)"""

_FIELDS = ("number, name, quoted, generated, kind, columns, search_condition, check_sql, "
           "ref_object_id, ref_constraint, ref_columns, delete_rule, enabled, created_scn")


@dataclass(frozen=True, slots=True)
class Constraint:
    """A constraint to create (``TemporalTable(constraints=...)``, ``add_constraint``).

    Build one with the class methods: ``Constraint.primary_key("id")``,
    ``Constraint.foreign_key(["dept"], "dept", on_delete="CASCADE", name="fk")``,
    ``Constraint.check("amount > 0")`` (DuckDB SQL over the table's columns).
    ``name`` None gives a system name. ``condition`` is the text the dictionary
    shows for a CHECK (default: its SQL).
    """

    kind: str
    columns: tuple[str, ...] = ()
    name: str | None = None
    check_sql: str | None = None
    condition: str | None = None
    references: str | None = None
    ref_columns: tuple[str, ...] = ()
    on_delete: str = "NO ACTION"
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.kind not in (PRIMARY, UNIQUE, FOREIGN, CHECK, NOT_NULL):
            raise ProgrammingError(f"unknown constraint kind {self.kind!r}")
        if self.on_delete not in DELETE_RULES:
            raise ProgrammingError(f"ON DELETE must be one of {', '.join(DELETE_RULES)}")

    @classmethod
    def primary_key(cls, *columns: str, name: str | None = None) -> Constraint:
        return cls(PRIMARY, tuple(columns), name)

    @classmethod
    def unique(cls, *columns: str, name: str | None = None) -> Constraint:
        return cls(UNIQUE, tuple(columns), name)

    @classmethod
    def not_null(cls, column: str, name: str | None = None) -> Constraint:
        return cls(NOT_NULL, (column,), name)

    @classmethod
    def check(cls, sql: str, name: str | None = None, condition: str | None = None
              ) -> Constraint:
        return cls(CHECK, (), name, check_sql=sql, condition=condition)

    @classmethod
    def foreign_key(cls, columns: Sequence[str], references: str,
                    ref_columns: Sequence[str] = (), *, on_delete: str = "NO ACTION",
                    name: str | None = None) -> Constraint:
        return cls(FOREIGN, tuple(columns), name, references=references,
                   ref_columns=tuple(ref_columns), on_delete=on_delete)

    def with_state(self, enabled: bool) -> Constraint:
        return replace(self, enabled=enabled)


@dataclass(frozen=True, slots=True)
class ConstraintInfo:
    """A constraint of a table as the catalog keeps it."""

    number: int
    name: str
    kind: str
    columns: tuple[str, ...]
    enabled: bool = True
    quoted: bool = False
    generated: bool = False
    search_condition: str | None = None
    check_sql: str | None = None
    ref_object_id: int | None = None
    ref_constraint: str | None = None
    ref_columns: tuple[str, ...] = ()
    delete_rule: str | None = None
    created_scn: int = 0
    # Lower-case column names, for the checks made on every write.
    lowered: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lowered", frozenset(c.lower() for c in self.columns))

    @property
    def is_key(self) -> bool:
        """A primary or unique key (what a foreign key may reference)."""
        return self.kind in (PRIMARY, UNIQUE)

    def same_columns(self, columns: Iterable[str]) -> bool:
        """Whether ``columns`` are this constraint's columns, in order (case-insensitive)."""
        return [c.lower() for c in columns] == [c.lower() for c in self.columns]

    def with_changes(self, **changes: object) -> ConstraintInfo:
        return replace(self, **changes)


def system_name(number: int) -> str:
    """Oracle's name for a constraint created without one."""
    return f"SYS_C{number:06d}"


def next_number(cur: duckdb.DuckDBPyConnection) -> int:
    """The next constraint number (the counter lives in ``helios.meta``; never reused)."""
    row = cur.execute(
        "INSERT INTO helios.meta VALUES ('constraint_number', '1') ON CONFLICT (key) "
        "DO UPDATE SET value = (value::BIGINT + 1)::VARCHAR RETURNING value").fetchone()
    return int(row[0])


def named(definition: Constraint, number: int, scn: int, **fields: object) -> ConstraintInfo:
    """The catalog entry for ``definition`` numbered ``number`` (its name, or a system name)."""
    name = definition.name
    return ConstraintInfo(
        number=number, name=name or system_name(number), kind=definition.kind,
        columns=definition.columns, enabled=definition.enabled,
        quoted=name is not None and is_quoted(name), generated=name is None,
        created_scn=scn, **fields)  # type: ignore[arg-type]


def load_constraints(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[ConstraintInfo, ...]]:
    """Every table's constraints, by object id, in creation order."""
    found: dict[int, list[ConstraintInfo]] = {}
    for row in con.execute(f"SELECT object_id, {_FIELDS} FROM helios.constraints "
                           "ORDER BY object_id, number").fetchall():
        (oid, number, name, quoted, generated, kind, columns, condition, check_sql, ref_oid,
         ref_name, ref_columns, rule, enabled, scn) = row
        found.setdefault(oid, []).append(ConstraintInfo(
            number, name, kind, tuple(columns), enabled, quoted, generated, condition,
            check_sql, ref_oid, ref_name, tuple(ref_columns or ()), rule, scn))
    return {oid: tuple(items) for oid, items in found.items()}


def save_constraints(cur: duckdb.DuckDBPyConnection, object_id: int,
                     constraints: Sequence[ConstraintInfo]) -> None:
    """Replace the catalog rows of a table's constraints."""
    cur.execute("DELETE FROM helios.constraints WHERE object_id = ?", [object_id])
    for c in constraints:
        cur.execute(
            f"INSERT INTO helios.constraints (object_id, {_FIELDS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [object_id, c.number, c.name, c.quoted, c.generated, c.kind, list(c.columns),
             c.search_condition, c.check_sql, c.ref_object_id, c.ref_constraint,
             list(c.ref_columns), c.delete_rule, c.enabled, c.created_scn])


# --- CHECK conditions: the columns they read, and renaming a column inside them ---------


def check_columns(sql: str, columns: Sequence[str]) -> tuple[str, ...]:
    """The table columns a CHECK's DuckDB SQL reads, in table order."""
    try:
        tree = sqlglot.parse_one(sql, dialect="duckdb")
    except sqlglot.errors.ParseError as exc:
        raise ProgrammingError(f"cannot read the CHECK condition {sql!r}: {exc}") from exc
    read = {c.name.lower() for c in tree.find_all(exp.Column)}
    return tuple(c for c in columns if c.lower() in read)


def rename_in_check(sql: str, old: str, new: str) -> str:
    """A CHECK's DuckDB SQL with column ``old`` renamed to ``new``."""
    tree = sqlglot.parse_one(sql, dialect="duckdb")
    for column in tree.find_all(exp.Column):
        if column.name.lower() == old.lower():
            column.set("this", exp.to_identifier(new, quoted=True))
    return tree.sql(dialect="duckdb")


# A string, a quoted name or a bare word of the condition's text.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_$#]*")


def rename_in_condition(text: str, old: str, new: str, new_quoted: bool) -> str:
    """A CHECK's text as the user wrote it, with column ``old`` renamed to ``new``
    (strings are left alone; a word after a dot is a qualified name's part too)."""
    spelled = '"' + new.replace('"', '""') + '"' if new_quoted or not new.isidentifier() else new

    def swap(match: re.Match[str]) -> str:
        token = match[0]
        if token.startswith("'"):
            return token
        bare = token[1:-1].replace('""', '"') if token.startswith('"') else token
        return spelled if bare.lower() == old.lower() else token

    return _TOKENS.sub(swap, text)
