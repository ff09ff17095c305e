"""Table definitions: what ``create_temporal_table`` takes (the seed's ``TemporalTable``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from .constraints import NOT_NULL, PRIMARY, Constraint
from .retention import RetentionPolicy
from .sequences import SequenceOptions

#: Column of a key/columns table that holds the key.
KEY_COLUMN = "key"
#: User column names may not start with this: the engine's hidden columns do.
RESERVED_PREFIX = "__"


@dataclass(frozen=True, slots=True)
class Identity:
    """``GENERATED {ALWAYS | BY DEFAULT [ON NULL]} AS IDENTITY [(options)]``: the column
    takes its values from a sequence of its own (``sequences.GENERATIONS``)."""

    generation: str = "ALWAYS"
    options: SequenceOptions | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """A typed column: name, DuckDB type, nullability and an optional SQL DEFAULT, or an
    identity (then the default is the sequence's NEXTVAL).

    ``declared`` is the type as written in SQL (``VARCHAR2(10)``, ``NUMBER(7,2)``),
    whose limits heliosql enforces (``oracle_types.py``) and the dictionary shows;
    ``quoted`` whether its name was written in double quotes; ``default_text`` the
    DEFAULT as written (the dictionary's DATA_DEFAULT).
    """

    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    identity: Identity | None = None
    declared: str | None = None
    quoted: bool = False
    default_text: str | None = None


ColumnSpec = Mapping[str, str] | Sequence["Column | tuple[str, str]"]


def _columns(spec: ColumnSpec | None) -> tuple[Column, ...] | None:
    if spec is None:
        return None
    if isinstance(spec, Mapping):
        return tuple(Column(name, type_) for name, type_ in spec.items())
    return tuple(c if isinstance(c, Column) else Column(*c) for c in spec)


@dataclass(frozen=True)
class TemporalTable:
    """A table that keeps its history.

    ``TemporalTable("orders")`` (no columns) is the seed's key/columns table: a
    bytes key plus named bytes columns, each column created when a row first
    uses it. With ``columns`` (a mapping name -> DuckDB type, or ``Column``
    values) it is a typed table, with an optional ``primary_key``.
    ``versioned=False`` keeps no history (a plain table); ``temporary`` makes it a
    global temporary table (``"DELETE"`` or ``"PRESERVE"``: its rows at commit),
    whose rows belong to the session that wrote them. ``index_history=True``
    indexes the history by key: single-key history lookups get about 1.4x
    faster, update rounds about 1.25x slower (see the benchmark).
    """

    name: str
    columns: ColumnSpec | None = None
    primary_key: Sequence[str] | str | None = None
    retention_policy: RetentionPolicy | None = None
    unique: Sequence[Sequence[str]] = ()
    checks: Sequence[str] = ()
    versioned: bool = True
    index_history: bool = False
    quoted: bool = False
    temporary: str | None = None
    constraints: Sequence[Constraint] = ()
    _normalised: tuple[Column, ...] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_normalised", _columns(self.columns))
        if isinstance(self.primary_key, str):
            object.__setattr__(self, "primary_key", (self.primary_key,))
        elif self.primary_key is not None:
            object.__setattr__(self, "primary_key", tuple(self.primary_key))
        if self._normalised is None and self.primary_key:
            raise ValueError("a key/columns table (no columns) has the implicit key 'key'")

    @staticmethod
    def new(name: str, columns: ColumnSpec | None = None, primary_key: Sequence[str] | None = None
            ) -> TemporalTable:
        """The seed's ``TemporalTable::new(name, None, None)``."""
        return TemporalTable(name, columns, primary_key)

    @property
    def keyed(self) -> bool:
        """True for the seed's key/columns table."""
        return self._normalised is None

    def column_defs(self) -> tuple[Column, ...]:
        """The user columns, the key column first for a key/columns table."""
        if self._normalised is None:
            return (Column(KEY_COLUMN, "BLOB", nullable=False),)
        return self._normalised

    def key_columns(self) -> tuple[str, ...]:
        """The primary key columns (``("key",)`` for a key/columns table): of the enabled
        primary key among ``all_constraints``."""
        keys = [c.columns for c in self.all_constraints() if c.kind == PRIMARY and c.enabled]
        return keys[0] if keys else ()

    def all_constraints(self) -> tuple[Constraint, ...]:
        """Every constraint the table is created with, in the order they are numbered:
        NOT NULL of the columns, the primary key, ``unique``, ``checks``, ``constraints``."""
        if self._normalised is None:
            return (Constraint.primary_key(KEY_COLUMN),)
        found = [Constraint.not_null(c.name) for c in self._normalised if not c.nullable]
        if self.primary_key:
            found.append(Constraint.primary_key(*self.primary_key))
        found += [Constraint.unique(*cols) for cols in self.unique]
        found += [Constraint.check(sql) for sql in self.checks]
        found += self.constraints
        return tuple(found)

    def not_null_columns(self) -> set[str]:
        """Lower-case names of the columns an enabled NOT NULL constraint covers."""
        return {c.columns[0].lower() for c in self.all_constraints()
                if c.kind == NOT_NULL and c.enabled}

    def with_retention_policy(self, policy: RetentionPolicy) -> TemporalTable:
        """The same definition with a retention policy."""
        return replace(self, retention_policy=policy)
