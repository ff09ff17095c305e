"""The column names of a stored view, found by compiling its query."""

from __future__ import annotations

from heliosql.storage import TemporalEngine
from heliosql.storage.catalog import ViewInfo


def view_columns(engine: TemporalEngine, view: ViewInfo) -> tuple[str, ...]:
    """``view``'s columns: its column list, else the names its query gives (its query is
    compiled and described, on the connection this thread reads with)."""
    if view.columns:
        return view.columns
    from heliosql.compile import Compilation  # the compiler imports the system views
    from heliosql.parser import parse_one

    statement = parse_one(view.query)
    compilation = Compilation(engine, statement, None, engine.read_cursor)
    sql = compilation.query(statement.query)  # type: ignore[attr-defined]
    described = engine.read_cursor().execute(f"DESCRIBE {sql}",
                                             compilation.bound_params()).fetchall()
    return tuple(row[0] for row in described)
