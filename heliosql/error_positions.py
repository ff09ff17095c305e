"""Positions for errors DuckDB raises: its messages point into the generated SQL, not
the user's text, so an error that names a plan node gets that node's position."""

from __future__ import annotations

from heliosql.plan.base import Node
from heliosql.plan.relations import TableFunctionRef
from heliosql.plan.walk import walk
from heliosql.storage.errors import HeliosError, NoSuchFunction


def locate(error: HeliosError, statement: Node) -> HeliosError:
    """``error``, given the position of the table function it names if it has none."""
    if not isinstance(error, NoSuchFunction) or error.position is not None:
        return error
    wanted = error.name.lower()
    for node in walk(statement):
        # Only this statement's own calls: one inside a view's body has no position here.
        if isinstance(node, TableFunctionRef) and node.name[-1].lower() == wanted:
            error.position = node.span.start if node.span is not None else None
            break
    return error
