"""Oracle's (+) outer joins, rewritten as ANSI joins before a block is compiled.

``WHERE e.deptno(+) = d.deptno``: every WHERE condition with a ``(+)`` column
outer-joins the FROM item that column belongs to (the null-generated one) to
the items its other columns read. The block's FROM items are put in an order
in which each outer-joined item follows the items it is joined to; each
becomes ``LEFT JOIN item ON <its (+) conditions>`` and every other item a
CROSS JOIN, and the conditions without ``(+)`` stay in WHERE (so, as in Oracle,
they filter after the join). Oracle's errors: ORA-01719 for (+) under OR or
IN, ORA-01468 for a condition marking columns of two items, ORA-01416 for two
items outer-joined to each other (or one to itself). See docs/semantics.md.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from heliosql.compiler.from_scope import ColumnsOf, FromScope, aliases, columns_in
from heliosql.plan.expressions import (
    Binary,
    BinaryOp,
    Expr,
    InList,
    InSubquery,
    Star,
    conjoin,
    conjuncts,
)
from heliosql.plan.oracle import OuterJoinColumn
from heliosql.plan.relations import Join, JoinKind, Query, Select, SelectItem
from heliosql.plan.walk import rewrite, walk
from heliosql.storage.errors import ProgrammingError


def _marks(expr: Any) -> list[OuterJoinColumn]:
    return [n for n in walk(expr, stop=lambda n: isinstance(n, Query))
            if isinstance(n, OuterJoinColumn)]


def unmarked(node: Any) -> Any:
    """``node`` with every ``c(+)`` (outside subqueries) replaced by the column ``c``."""
    return rewrite(node, lambda n: n.column if isinstance(n, OuterJoinColumn) else None,
                   lambda n: isinstance(n, Query))


def _error(message: str, code: str, node: Any) -> ProgrammingError:
    span = getattr(node, "span", None)
    return ProgrammingError(message, code=code, position=span.start if span else None)


def rewrite_outer_joins(block: Select, columns_of: ColumnsOf) -> Select:
    """``block`` with its (+) conditions turned into LEFT JOINs (itself if it has none)."""
    if block.where is None or not _marks(block.where):
        return block
    if len(block.from_) < 2:  # nothing to join to: the conditions just filter
        return replace(block, where=unmarked(block.where))
    scope = FromScope(block.from_, columns_of)
    plain: list[Expr] = []
    joined: dict[int, list[Expr]] = {}
    drivers: dict[int, set[int]] = {}
    for term in conjuncts(block.where):
        marks = _marks(term)
        if not marks:
            plain.append(term)
            continue
        _check_operands(term)
        outer = _outer_item(scope, marks)
        read = scope.items_read(unmarked(term)) - {outer}
        if any(scope.item_of(c) == outer for c in columns_in(term)
               if not any(c is m.column for m in marks)):
            raise _error("a table may not be outer joined to itself", "ORA-01416", term)
        joined.setdefault(outer, []).append(unmarked(term))
        drivers.setdefault(outer, set()).update(read)
    order = _join_order(block, drivers)
    tree: Any = block.from_[order[0]]
    for index in order[1:]:
        item = block.from_[index]
        if index in joined:
            tree = Join(JoinKind.LEFT, tree, item, on=conjoin(joined[index]))
        else:
            tree = Join(JoinKind.CROSS, tree, item)
    items = block.items
    if order != sorted(order):  # `*` keeps the FROM order of the columns
        items = _stars_in_from_order(block)
    return replace(block, items=items, from_=(tree,), where=conjoin(plain))


def _check_operands(term: Expr) -> None:
    """ORA-01719: (+) under OR, or in an IN condition."""
    for node in walk(term, stop=lambda n: isinstance(n, Query)):
        if isinstance(node, Binary) and node.op is BinaryOp.OR and _marks(node):
            raise _error("outer join operator (+) not allowed in operand of OR or IN",
                         "ORA-01719", node)
        if isinstance(node, InList | InSubquery) and _marks(node):
            raise _error("outer join operator (+) not allowed in operand of OR or IN",
                         "ORA-01719", node)


def _outer_item(scope: FromScope, marks: list[OuterJoinColumn]) -> int:
    """The one FROM item a condition's (+) columns belong to (ORA-01468 for several)."""
    items = set()
    for mark in marks:
        item = scope.item_of(mark.column)
        if item is None:
            raise _error(f"{mark.column.name}: a column marked (+) must belong to a table "
                         "of this query block's FROM clause", "ORA-01705", mark)
        items.add(item)
    if len(items) > 1:
        raise _error("a predicate may reference only one outer-joined table", "ORA-01468",
                     marks[0])
    return items.pop()


def _join_order(block: Select, drivers: dict[int, set[int]]) -> list[int]:
    """FROM order, except that an outer-joined item waits for the items it is joined to
    (and for at least one item before it); ORA-01416 when two wait for each other."""
    order: list[int] = []
    pending = list(range(len(block.from_)))
    while pending:
        ready = next((i for i in pending
                      if i not in drivers or (order and drivers[i] <= set(order))), None)
        if ready is None:
            raise _error("two tables cannot be outer-joined to each other", "ORA-01416",
                         block.where)
        order.append(ready)
        pending.remove(ready)
    return order


def _stars_in_from_order(block: Select) -> tuple[SelectItem, ...]:
    """The select list with an unqualified ``*`` spelled as each FROM item's ``alias.*``."""
    names = [a for item in block.from_ for a in aliases(item)]
    if len(names) < len(block.from_):  # an item without a name: leave `*` as it is
        return block.items
    out: list[SelectItem] = []
    for item in block.items:
        if isinstance(item.expr, Star) and not item.expr.qualifier:
            out.extend(SelectItem(Star((n,), span=item.expr.span), span=item.span)
                       for n in names)
        else:
            out.append(item)
    return tuple(out)
