"""ALTER TABLE ... MODIFY: a column's new type, DEFAULT or nullability, through the storage
engine (``storage/column_changes.py``) with Oracle's conditions (``heliosql/type_changes.py``)."""

from __future__ import annotations

from heliosql.plan import ddl
from heliosql.plan.expressions import Literal
from heliosql.session import Session
from heliosql.storage import ColumnChange
from heliosql.storage.errors import HeliosError, NoSuchColumn
from heliosql.type_changes import type_change


def modify_column(session: Session, stmt: ddl.AlterTable, table: str,
                  action: ddl.ModifyColumn) -> None:
    """Run one ``MODIFY c ...`` of ``stmt`` on ``table``."""
    engine = session.engine
    try:
        col = engine.table_info(table).find_column(action.name)
        if col is None:
            raise NoSuchColumn(f"{action.name}: invalid identifier (no such column in "
                               f"{table!r})", name=action.name)
        change = ColumnChange(
            type=type_change(col, action.type) if action.type is not None else None,
            set_default=action.default is not None,
            default=_default(session, stmt, action.default),
            not_null=None if action.nullable is None else not action.nullable)
        engine.modify_column(table, col.name, change)
    except HeliosError as exc:
        if exc.position is None and action.span is not None:
            exc.position = action.span.start
        raise


def _default(session: Session, stmt: ddl.AlterTable, value: object) -> str | None:
    """The DEFAULT's SQL; None for ``DEFAULT NULL``, which removes it (as in Oracle)."""
    if value is None or (isinstance(value, Literal) and value.value is None):
        return None
    return session.compilation(stmt, None).definition(value)
