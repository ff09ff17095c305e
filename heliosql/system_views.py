"""Oracle's fixed views and pseudo-tables: ``DUAL``, ``V$DATABASE`` and friends.

Each entry maps a lower-case name to a function that returns the view's SQL
(over the engine's catalog, evaluated when the statement is compiled) and its
column names. A flashback clause on one of these names is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from heliosql.storage import TemporalEngine

SystemView = Callable[[TemporalEngine], tuple[str, tuple[str, ...]]]


def _dual(engine: TemporalEngine) -> tuple[str, tuple[str, ...]]:
    return "SELECT 'X' AS dummy", ("dummy",)


def _database(engine: TemporalEngine) -> tuple[str, tuple[str, ...]]:
    return f"SELECT {engine.current_scn()}::BIGINT AS current_scn", ("current_scn",)


SYSTEM_VIEWS: dict[str, SystemView] = {
    "dual": _dual,
    "v$database": _database,
}


def register(name: str) -> Callable[[SystemView], SystemView]:
    """Add a system view under ``name`` (a decorator)."""
    def add(view: SystemView) -> SystemView:
        SYSTEM_VIEWS[name.lower()] = view
        return view
    return add


import heliosql.views_archives  # noqa: E402
import heliosql.views_flashback_table  # noqa: E402
import heliosql.views_transactions  # noqa: E402, F401
