"""COMMENT ON TABLE / COLUMN: comments kept in the catalog (``helios.comments``).

A table's comments belong to its object (they follow renames, the recycle bin
and restores); a view's to its name. A column's comment follows the column's
renames and goes with the column. An empty comment removes the comment
(Oracle's empty string is NULL). Comments change in the writing transaction,
like any DDL, and only the dictionary views read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .transaction import autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine


class CommentMixin:
    """``comment`` of ``TemporalEngine``."""

    def comment(self: TemporalEngine, name: str, column: str | None, text: str) -> None:
        """Set (or with ``""`` remove) the comment of table or view ``name``, or of its
        ``column``; ``NoSuchTable`` / ``NoSuchColumn`` for an unknown name."""
        with autocommit(self) as tx:
            view = tx.views.get(name.lower())
            if view is not None:
                key, values = "lower(view_name) = lower(?)", [view.name]
                row = [None, view.name]
            else:
                info = tx.table(name)
                key, values = "object_id = ?", [info.object_id]
                row = [info.object_id, None]
            if column is not None and view is None:
                column = self._column(tx.table(name), column).name
            column_test = "column_name IS NULL" if column is None else \
                "lower(column_name) = lower(?)"

            def comment(cur: Any, scn: int) -> None:
                cur.execute(f"DELETE FROM helios.comments WHERE {key} AND {column_test}",
                            values + ([] if column is None else [column]))
                if text:
                    cur.execute("INSERT INTO helios.comments VALUES (?, ?, ?, ?)",
                                [*row, column, text])

            tx.run(f"comment on {name}", comment)
