"""Which FROM item of a query block a column reference belongs to.

Oracle's (+) joins and hierarchical queries sort a block's WHERE conditions by
the FROM items they read. A qualified column names its item by alias; an
unqualified one belongs to the one item that has a column of that name
(ORA-00918 when several have it); a name no item has is left to the enclosing
query (a correlated reference), as DuckDB's binder would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from heliosql.plan.expressions import Column
from heliosql.plan.oracle import OuterJoinColumn, PivotRef, UnpivotRef
from heliosql.plan.relations import Join, Query, SubqueryRef, TableFunctionRef, TableRef
from heliosql.plan.walk import walk
from heliosql.storage.errors import AmbiguousColumn

ColumnsOf = Callable[[Any], "frozenset[str] | None"]


def aliases(item: Any) -> list[str]:
    """The names (aliases) a FROM item's relations are known by, left to right."""
    if isinstance(item, Join):
        return aliases(item.left) + aliases(item.right)
    if isinstance(item, TableRef | TableFunctionRef):
        return [item.alias or item.name[-1]]
    if isinstance(item, SubqueryRef | PivotRef | UnpivotRef):
        return [item.alias] if item.alias else []
    return []


def columns_in(expr: Any) -> Iterator[Column]:
    """The column references of ``expr`` outside its subqueries (marked ones included)."""
    for node in walk(expr, stop=lambda n: isinstance(n, Query | OuterJoinColumn)):
        if isinstance(node, Column):
            yield node
        elif isinstance(node, OuterJoinColumn):
            yield node.column


class FromScope:
    """The FROM items of one block and the column names each one has."""

    def __init__(self, items: tuple[Any, ...], columns_of: ColumnsOf):
        self.items = items
        self._by_alias = {a.lower(): i for i, item in enumerate(items) for a in aliases(item)}
        self._columns = [columns_of(item) for item in items]

    def item_of(self, column: Column) -> int | None:
        """The index of the FROM item ``column`` reads, None for an outer query's column."""
        if column.qualifier:
            return self._by_alias.get(column.qualifier[-1].lower())
        name = column.name.lower()
        owners = [i for i, names in enumerate(self._columns) if names and name in names]
        if len(owners) > 1:
            raise AmbiguousColumn(f"column ambiguously defined: {column.name}",
                                  name=column.name, position=_position(column))
        return owners[0] if owners else None

    def items_read(self, expr: Any) -> set[int]:
        """The FROM items whose columns ``expr`` reads (outside its subqueries)."""
        found = {self.item_of(c) for c in columns_in(expr)}
        found.discard(None)
        return found  # type: ignore[return-value]


def _position(node: Any) -> int | None:
    span = getattr(node, "span", None)
    return span.start if span is not None else None
