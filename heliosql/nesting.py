"""Statements nested deeper than Python's stack allows become a clear error.

Compiling and generating SQL recurse through nested expressions, subqueries and
parentheses; AND/OR chains of any length are compiled in loops, but a thousand
nested levels (``f(f(f(...)))``, ``NOT NOT NOT ...``, ``(a OR (b OR (...)))``)
exhaust Python's stack. The session turns the ``RecursionError`` into this error,
placed at the statement's deepest expression; the statement is undone as any
failed statement is.
"""

from __future__ import annotations

from typing import Any

from heliosql.plan.walk import field_names
from heliosql.storage.errors import ProgrammingError


def too_deeply_nested(statement: Any) -> ProgrammingError:
    """The error for a statement whose nesting exhausted the stack."""
    depth, position = _deepest(statement)
    return ProgrammingError(
        f"expression too deeply nested ({depth} levels): heliosql takes a few hundred levels "
        "of nested expressions, subqueries and parentheses (AND and OR chains of any length)",
        position=position)


def _deepest(statement: Any) -> tuple[int, int | None]:
    """The plan's depth, and the position of its deepest node with a span (a loop, not a
    recursion: the plan is the one that was too deep)."""
    best, position = 0, None
    stack: list[tuple[Any, int]] = [(statement, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, tuple):
            stack.extend((item, depth) for item in node)
            continue
        if not hasattr(type(node), "__dataclass_fields__"):
            continue
        span = getattr(node, "span", None)
        if depth > best and span is not None:
            best, position = depth, span.start
        stack.extend((getattr(node, name), depth + 1) for name in field_names(type(node)))
    return best, position
