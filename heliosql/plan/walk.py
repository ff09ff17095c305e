"""Walking a plan: every node under a node, depth first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass, replace
from operator import attrgetter
from typing import Any

_FIELDS: dict[type, tuple[str, ...] | None] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """The fields of a plan node class other than ``span``, in order (cached per class)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.name != "span")
    return names


# Per class: a function giving a node's field values as a tuple, in order (None: not a
# plan node). One attrgetter per class reads them all at once.
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    if cls in _GETTERS:
        return _GETTERS[cls]
    getter: Callable[[Any], tuple[Any, ...]] | None = None
    if is_dataclass(cls):
        names = field_names(cls)
        if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
            one = attrgetter(names[0])

            def getter(node: Any) -> tuple[Any, ...]:
                return (one(node),)
        else:
            getter = attrgetter(*names) if names else _no_fields
    _GETTERS[cls] = getter
    return getter


def _no_fields(node: Any) -> tuple[Any, ...]:
    return ()


def walk(node: Any, stop: Callable[[Any], bool] | None = None) -> Iterator[Any]:
    """``node`` and every plan node below it; below a node for which ``stop`` is true,
    nothing is visited (the node itself is)."""
    stack = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        cls = type(item)
        if cls is tuple:
            extend(reversed(item))
            continue
        getter = _GETTERS[cls] if cls in _GETTERS else _getter(cls)
        if getter is None:
            continue  # a str, int, enum...: not a node
        yield item
        if stop is None or not stop(item):
            extend(reversed(getter(item)))


def rewrite(node: Any, change: Callable[[Any], Any],
            stop: Callable[[Any], bool] | None = None) -> Any:
    """``node`` with the plan nodes under it that ``change`` maps to a replacement (not
    None) replaced, rebuilding only the nodes above a change; below a node for which
    ``stop`` is true nothing changes."""
    if isinstance(node, tuple):
        parts = tuple(rewrite(n, change, stop) for n in node)
        return parts if any(a is not b for a, b in zip(parts, node, strict=True)) else node
    if not is_dataclass(node) or isinstance(node, type) or (stop is not None and stop(node)):
        return node
    replaced = change(node)
    if replaced is not None:
        return replaced
    values = {f: rewrite(getattr(node, f), change, stop) for f in field_names(type(node))}
    if all(values[f] is getattr(node, f) for f in values):
        return node
    return replace(node, **values)
