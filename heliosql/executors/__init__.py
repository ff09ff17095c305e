"""Statement handlers: one ``run_<PlanNode>`` function per statement kind.

Each module handles one family of statements; ``HANDLERS`` maps a plan node's
class name to its handler. Queries compile to DuckDB SQL and run on the
session's view of the database; DML and DDL go through the storage engine,
which writes history set-based.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from heliosql.executors import (
    archives,
    comments,
    ddl,
    dml,
    flashback_table,
    flashback_transaction,
    merge,
    multi_insert,
    queries,
    recyclebin,
    restore_points,
    sequences,
    session_flashback,
    session_settings,
    transactions,
    utility,
)

MODULES: tuple[ModuleType, ...] = (queries, dml, merge, ddl, transactions, utility, archives,
                                   flashback_transaction, flashback_table, recyclebin,
                                   restore_points, session_flashback, sequences, multi_insert,
                                   comments, session_settings)

HANDLERS: dict[str, Callable[..., object]] = {
    name.removeprefix("run_"): fn
    for module in MODULES for name, fn in vars(module).items()
    if name.startswith("run_") and callable(fn) and fn.__module__ == module.__name__
}
