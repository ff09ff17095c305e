"""Oracle's ROWNUM: ``WHERE ROWNUM <= n`` becomes a LIMIT taken before ORDER BY.

ROWNUM numbers the rows a query block produces before its ORDER BY, so
``WHERE ROWNUM <= 3 ORDER BY x`` sorts some three rows, it does not return the
first three by ``x``. A block whose WHERE holds such a condition is compiled
with a LIMIT, and a surrounding ORDER BY is applied to it as a subquery.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from heliosql.plan.expressions import Binary, BinaryOp, Column, Literal, conjoin, conjuncts
from heliosql.plan.relations import Select


def is_rownum(node: object) -> bool:
    return isinstance(node, Column) and not node.qualifier and node.name.lower() == "rownum"


def _limit_of(cond: object) -> int | None:
    """n for ``ROWNUM <= n``, ``ROWNUM < n``, ``ROWNUM = 1`` (either side); else None."""
    if not isinstance(cond, Binary):
        return None
    op, left, right = cond.op, cond.left, cond.right
    if is_rownum(right) and not is_rownum(left):
        flipped = {BinaryOp.GE: BinaryOp.LE, BinaryOp.GT: BinaryOp.LT, BinaryOp.EQ: BinaryOp.EQ}
        if op not in flipped:
            return None
        op, left, right = flipped[op], right, left
    if not is_rownum(left) or not isinstance(right, Literal):
        return None
    value = right.value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    if op is BinaryOp.LE:
        return max(int(value), 0)
    if op is BinaryOp.LT:
        return max(int(value) - 1 if value == int(value) else int(value), 0)
    if op is BinaryOp.EQ:
        if value == 1:
            return 1
        return 0  # ROWNUM = n for n > 1 is never true (Oracle's classic surprise)
    return None


def split_rownum(block: Select) -> tuple[Select, int | None]:
    """``block`` without its ROWNUM conditions, and the row limit they set (None: no limit)."""
    if block.where is None:
        return block, None
    limit: int | None = None
    kept = []
    for cond in conjuncts(block.where):
        n = _limit_of(cond)
        if n is None:
            kept.append(cond)
        else:
            limit = n if limit is None else min(limit, n)
    if limit is None:
        return block, None
    return replace(block, where=conjoin(kept)), limit


