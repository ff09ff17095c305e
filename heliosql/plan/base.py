"""Base classes shared by every logical-plan node.

Plan nodes are frozen, slotted dataclasses holding only plain Python values
(str, int, Decimal, enums, tuples and other nodes), so a parsed statement can
be cached and shared between threads and walked by a compiler that dispatches
on ``type(node).__name__`` (``visit_Select``, ``visit_Column``, ...).

A ``span`` locates a node in the statement text. Nodes declare it last, keyword-only,
excluded from equality and ``repr`` so that two parses of differently formatted text compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node came from: character offsets [start, end) and 1-based line/column of start."""

    start: int
    end: int
    line: int
    column: int


class Node:
    """Marker base of every plan node (gives compilers one type to dispatch on)."""

    __slots__ = ()


class Expr(Node):
    """Marker base of scalar expressions."""

    __slots__ = ()


class Relation(Node):
    """Marker base of things that may appear in a FROM clause."""

    __slots__ = ()


class Statement(Node):
    """Marker base of top-level statements."""

    __slots__ = ()
