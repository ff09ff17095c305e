"""Point-in-time recovery: put a table (or some keys) back as it was at an SCN or time.

Recovery is one transaction that computes, inside DuckDB, the difference
between the target state (``AS OF`` the target) and the current rows by row
identity, then writes it as new versions: rows that changed are updated (``U``),
rows that did not exist then are deleted (``D``), rows that existed then but
were deleted since are inserted again with a new row id (``I``). History is
never rewritten, so the state before the recovery stays queryable.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import duckdb

from . import dml, relations
from .errors import ProgrammingError
from .sqltext import column_list, params_used, quote_ident
from .transaction import autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine

_names = itertools.count()


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a recovery changed, and the SCN it restored to."""

    target_scn: int
    updated: int
    deleted: int
    inserted: int


class RecoveryMixin:
    """Point-in-time recovery methods of ``TemporalEngine``."""

    def restore_table(self: TemporalEngine, table: str, *, scn: int | None = None,
                      timestamp: datetime | None = None, key: Any = None,
                      keys: list[Any] | None = None) -> RestoreResult:
        """Make ``table`` (or only ``key``/``keys``) equal to its state at ``scn`` or ``timestamp``.

        Errors as for ``AS OF``: ``InvalidScn``, ``InvalidTimestamp``,
        ``DefinitionChanged`` before the table existed, ``SnapshotTooOld``.
        """
        if (scn is None) == (timestamp is None):
            raise ProgrammingError("restore_table needs exactly one of scn= or timestamp=")
        with autocommit(self) as tx:
            info = tx.table(table)
            if scn is None:
                assert timestamp is not None
                target = self._state_scn(timestamp)
            else:
                target = self._check_scn(scn)
            self._check_table_at(info, target)
            selected = keys if keys is not None else (None if key is None else [key])
            where, params = self._keys_filter(info, selected)

            def restore(cur: Any, scn_now: int) -> RestoreResult:
                temp = f"__helios_restore_{next(_names)}"
                state = relations.as_of(info, target, where)
                cur.execute(f"CREATE TEMP TABLE {temp} AS SELECT * FROM ({state})",
                            params_used(state, params))
                try:
                    result = _apply(cur, tx, info, temp, where, params, scn_now, target)
                finally:
                    # After a failed statement DuckDB refuses this (the rollback drops
                    # the table anyway); the statement's own error is the one to raise.
                    with contextlib.suppress(duckdb.Error):
                        cur.execute(f"DROP TABLE IF EXISTS {temp}")
                tx.changed_tables.add(info.object_id)
                return result

            return tx.run(f"restore {info.name}", restore)


def _apply(cur: Any, tx: Any, info: Any, temp: str, where: str, params: Any, scn: int,
           target: int) -> RestoreResult:
    cols = info.column_names
    current = info.current
    differs = " OR ".join(
        f"{current}.{quote_ident(c)} IS DISTINCT FROM t.{quote_ident(c)}" for c in cols
    ) or "FALSE"
    same_row = f"t.__rowid = {current}.__rowid"
    changed = f"EXISTS (SELECT 1 FROM {temp} AS t WHERE {same_row} AND ({differs}))"
    gone = f"NOT EXISTS (SELECT 1 FROM {temp} AS t WHERE t.__rowid = {current}.__rowid)"
    if where:
        gone = f"({where}) AND {gone}"
    deleted = dml.delete(cur, info, gone, params, scn, info.object_id in tx.changed_tables)
    if info.versioned:
        dml.close_versions(cur, info, changed, None, scn, deleted=False)
    sets = ", ".join(f"{quote_ident(c)} = t.{quote_ident(c)}" for c in cols)
    updated = cur.execute(
        f"UPDATE {current} SET {sets}, __start_scn = {scn} FROM {temp} AS t "
        f"WHERE t.__rowid = {current}.__rowid AND ({differs})"
    ).fetchone()[0]
    base = tx.take_rowids(info, 0)
    missing = (f"SELECT {column_list(cols)} FROM {temp} AS t WHERE NOT EXISTS "
               f"(SELECT 1 FROM {current} AS c WHERE c.__rowid = t.__rowid)")
    inserted = dml.insert_select(cur, info, missing, cols, None, scn, base)
    tx.used_rowids(info, base, inserted)
    return RestoreResult(target, updated, deleted, inserted)
