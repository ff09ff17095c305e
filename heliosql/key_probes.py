"""Key probes: a WHERE clause's ``key = value`` handed to a flashback relation.

DuckDB uses a table's primary-key index only when the key equality is the one
filter of the scan. The SCN filter of an AS OF or VERSIONS relation on the
current table would join it there and turn every key lookup into a full scan
(on a million rows in random key order, about five times slower). Given the
probe, the relation looks the key up first and filters by SCN after it
(``heliosql.storage.relations``). The WHERE clause itself is left as written:
the probe only narrows what the relation reads, so the answer cannot change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from heliosql.plan.expressions import (
    Binary,
    BinaryOp,
    Column,
    Literal,
    Parameter,
    conjoin,
    conjuncts,
)
from heliosql.plan.relations import Select, TableRef
from heliosql.storage import TableInfo


@dataclass(frozen=True, slots=True)
class Probe:
    """A WHERE conjunct ``key = value`` for one table reference.

    ``alone``: the table is the block's only FROM item, so once its relation
    applies the probe to every row, the conjunct can leave the WHERE clause
    (DuckDB would otherwise test it again above the key lookup).
    """

    conjunct: Binary
    value: Literal | Parameter
    alone: bool


def key_probe(block: Select, ref: TableRef, info: TableInfo) -> Probe | None:
    """The top-level ``key = value`` conjunct of ``block``'s WHERE for ``ref``'s key.

    Only a single-column primary key qualifies (DuckDB does not use a composite
    index for lookups), and only a literal or parameter value. The column must
    name ``ref`` by its alias, or be unqualified with ``ref`` the only FROM item.
    A conjunct of WHERE holds for every row the query returns, whatever the
    joins, so every returned row comes from a key that matches the probe.
    """
    if len(info.key_columns) != 1 or info.keyed:
        return None
    return column_probe(block, ref, info.key_columns[0])


def column_probe(block: Select, ref: TableRef, column_name: str) -> Probe | None:
    """The top-level ``column = literal|parameter`` conjunct of ``block``'s WHERE for the
    column ``column_name`` of ``ref`` (see ``key_probe`` for which references count)."""
    if block.where is None:
        return None
    wanted = column_name.lower()
    alias = (ref.alias or ref.name[-1]).lower()
    alone = len(block.from_) == 1 and block.from_[0] is ref
    for conjunct in conjuncts(block.where):
        if not (isinstance(conjunct, Binary) and conjunct.op is BinaryOp.EQ):
            continue
        for column, value in ((conjunct.left, conjunct.right), (conjunct.right, conjunct.left)):
            if (isinstance(column, Column) and column.name.lower() == wanted
                    and _names(column, alias, alone) and _usable(value)):
                return Probe(conjunct, value, alone)
    return None


def without(where: Any, gone: list[Any]) -> Any:
    """``where`` with the conjuncts ``gone`` (by identity) taken out; None when none is left."""
    return conjoin([c for c in conjuncts(where) if not any(c is g for g in gone)])


def _names(column: Column, alias: str, alone: bool) -> bool:
    """Whether ``column`` refers to the table known as ``alias`` in this block."""
    if not column.qualifier:
        return alone
    return column.qualifier[-1].lower() == alias


def _usable(value: Any) -> bool:
    """A literal or parameter; ``key = NULL`` matches nothing and is left to DuckDB."""
    return isinstance(value, Parameter) or (isinstance(value, Literal) and value.value is not None)
