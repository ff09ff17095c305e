"""Walking a plan: every node under a node, depth first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any

_FIELDS: dict[type, tuple[str, ...] | None] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """The fields of a plan node class other than ``span``, in order (cached per class)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name != "span")
    return names


def _node_fields(cls: type) -> tuple[str, ...] | None:
    """``field_names`` for a plan node class, None for anything else (cached either way)."""
    if cls in _FIELDS:
        return _FIELDS[cls]
    _FIELDS[cls] = field_names(cls) if is_dataclass(cls) else None
    return _FIELDS[cls]


def walk(node: Any, stop: Callable[[Any], bool] | None = None) -> Iterator[Any]:
    """``node`` and every plan node below it; below a node for which ``stop`` is true,
    nothing is visited (the node itself is)."""
    stack = [node]
    while stack:
        item = stack.pop()
        cls = type(item)
        if cls is tuple:
            stack.extend(reversed(item))
            continue
        names = _node_fields(cls)
        if names is None:
            continue  # a str, int, enum...: not a node
        yield item
        if stop is None or not stop(item):
            stack.extend([getattr(item, name) for name in reversed(names)])
