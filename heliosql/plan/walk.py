"""Walking a plan: every node under a node, depth first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any

_FIELDS: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """The fields of a plan node class other than ``span``, in order (cached per class)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name != "span")
    return names


def walk(node: Any, stop: Callable[[Any], bool] | None = None) -> Iterator[Any]:
    """``node`` and every plan node below it; below a node for which ``stop`` is true,
    nothing is visited (the node itself is)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack.extend(reversed(item))
            continue
        if not is_dataclass(item):
            continue
        yield item
        if stop is not None and stop(item):
            continue
        stack.extend(getattr(item, name) for name in reversed(field_names(type(item))))
