"""A plan as an indented tree, for EXPLAIN.

    >>> from heliosql.parser import parse_one
    >>> print(show(parse_one("SELECT id FROM emp AS OF SCN :s WHERE id = 1").query))
    Query
      body: Select
        items:
          - SelectItem(expr=Column(name='id'))
        from_:
          - TableRef
              name: ('emp',)
              temporal: AsOf(kind=SCN, expr=Parameter(style=NAMED, name='s'))
        where: Binary(op=EQ, left=Column(name='id'), right=Literal(value=1))

A node whose one-line form fits is written on one line; fields left at their
empty default (None, (), False) are not written. A chain of three or more terms
joined by one connector (``a AND b AND c``) is written as ``AND(a, b, c)``, or
as ``AND`` over a list of its terms: flat, however long it is.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from heliosql.plan.expressions import Binary, BinaryOp
from heliosql.plan.walk import field_names

WIDTH = 88
_INDENT = "  "


def show(node: Any) -> str:
    """``node`` as an indented tree (see the module text)."""
    return "\n".join(_lines(node, 0))


def _chain(node: Any) -> list[Any] | None:
    """The terms of an AND or OR chain of three or more, in order (else None)."""
    if (type(node) is not Binary or node.op not in (BinaryOp.AND, BinaryOp.OR)
            or type(node.left) is not Binary or node.left.op is not node.op):
        return None
    terms = []
    below = node
    while type(below) is Binary and below.op is node.op:
        terms.append(below.right)
        below = below.left
    terms.append(below)
    terms.reverse()
    return terms


def _lines(node: Any, depth: int) -> list[str]:
    pad = _INDENT * depth
    inline = _inline(node)
    if len(pad) + len(inline) <= WIDTH or not _is_node(node):
        return [pad + inline]
    terms = _chain(node)
    if terms is not None:
        return [pad + node.op.name, *_field("", tuple(terms), depth)[1:]]
    out = [pad + type(node).__name__]
    for name, value in _fields(node):
        out += _field(name, value, depth + 1)
    return out


def _field(name: str, value: Any, depth: int) -> list[str]:
    pad = _INDENT * depth
    if isinstance(value, tuple) and any(_is_node(v) for v in value):
        out = [f"{pad}{name}:"]
        for item in value:
            first, *rest = _lines(item, depth + 2)
            out += [f"{pad}{_INDENT}- {first.lstrip()}", *rest]
        return out
    inline = _inline(value)
    if len(pad) + len(name) + 2 + len(inline) <= WIDTH or not _is_node(value):
        return [f"{pad}{name}: {inline}"]
    first, *rest = _lines(value, depth)
    return [f"{pad}{name}: {first.lstrip()}", *rest]


def _inline(value: Any) -> str:
    """One-line form: ``Class(field=value, ...)`` with enums by name."""
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, tuple):
        inner = ", ".join(_inline(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if not _is_node(value):
        return repr(value)
    terms = _chain(value)
    if terms is not None:
        return f"{value.op.name}({', '.join(_inline(t) for t in terms)})"
    return f"{type(value).__name__}({', '.join(f'{n}={_inline(v)}' for n, v in _fields(value))})"


def _fields(node: Any) -> list[tuple[str, Any]]:
    """The fields worth writing: those not at an empty default."""
    return [(n, v) for n in field_names(type(node))
            if (v := getattr(node, n)) is not None and v != () and v is not False]


def _is_node(value: Any) -> bool:
    return hasattr(type(value), "__dataclass_fields__")
