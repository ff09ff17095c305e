"""Small helpers for the SQL text the engine sends to DuckDB."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

# A `$name` parameter outside quotes; quoted strings and identifiers are matched
# first so that a `$` inside them is skipped.
_PARAM_SCAN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\$([A-Za-z_][A-Za-z0-9_]*)")


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: int | str | datetime | None) -> str:
    """A SQL literal for a value the engine writes itself (never user SQL)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, int | str | datetime):
        raise TypeError(f"no SQL literal for {type(value).__name__}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a commit time must carry its time zone")
        return f"TIMESTAMPTZ '{value.isoformat(sep=' ')}'"
    return "'" + value.replace("'", "''") + "'"


def column_list(names: Iterable[str], prefix: str = "") -> str:
    """A comma-separated list of quoted column names, optionally qualified."""
    return ", ".join(prefix + quote_ident(n) for n in names)


def params_used(sql: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The subset of named ``params`` that ``sql`` references as ``$name``.

    DuckDB rejects unused named parameters, and one predicate is often shared by
    several statements that each use part of the parameters.
    """
    if not params:
        return {}
    used = {m.group(1) for m in _PARAM_SCAN.finditer(sql) if m.group(1)}
    return {k: v for k, v in params.items() if k in used}
