"""Oracle's fixed views and pseudo-tables: ``DUAL``, ``V$DATABASE`` and friends.

Each entry maps a lower-case name to a function that returns the view's SQL
(over the engine's catalog, evaluated when the statement is compiled) and its
column names. A flashback clause on one of these names is refused. A view
registered with a ``probe`` column also receives the value a WHERE conjunct
``column = value`` gives it (or None), to read only what can match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
VIEW_PROBES: dict[str, str] = {}  # view name -> the column its probe value is for


def register(name: str, probe: str | None = None) -> Callable[[Any], Any]:
    """Add a system view under ``name`` (a decorator); see the module text for ``probe``."""
    def add(view: Any) -> Any:
        SYSTEM_VIEWS[name.lower()] = view
        if probe is not None:
            VIEW_PROBES[name.lower()] = probe
        return view
    return add


import heliosql.views_archives  # noqa: E402
import heliosql.views_comments  # noqa: E402
import heliosql.views_constraints  # noqa: E402
import heliosql.views_dictionary  # noqa: E402
import heliosql.views_flashback_table  # noqa: E402
import heliosql.views_sequences  # noqa: E402
import heliosql.views_transactions  # noqa: E402, F401
