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

from . import dml, integrity, relations
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
                      keys: list[Any] | None = None, check_constraints: bool = True
                      ) -> RestoreResult:
        """Make ``table`` (or only ``key``/``keys``) equal to its state at ``scn`` or ``timestamp``.

        Errors as for ``AS OF``: ``InvalidScn``, ``InvalidTimestamp``,
        ``DefinitionChanged`` before the table existed, ``SnapshotTooOld``; and the
        constraints' errors (ORA-02291, ORA-02292, ORA-02290, ...) when the restored
        rows would break one, which undo the restore. ``check_constraints=False``
        leaves that to the caller (several tables restored together).
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
                # A whole versioned table needs only the rows changed since the
                # target: their images then are exactly the history versions valid
                # at the target, a small part of the table after a typical round.
                delta = info.versioned and not where
                state = _changed_since(info, target) if delta else relations.as_of(
                    info, target, where)
                cur.execute(f"CREATE TEMP TABLE {temp} AS SELECT * FROM ({state})",
                            params_used(state, params))
                try:
                    apply = _apply_delta if delta else _apply
                    result = apply(cur, tx, info, temp, where, params, scn_now, target)
                    if check_constraints:
                        integrity.check_rewritten(tx, cur, [info], scn_now)
                finally:
                    # After a failed statement DuckDB refuses this (the rollback drops
                    # the table anyway); the statement's own error is the one to raise.
                    with contextlib.suppress(duckdb.Error):
                        cur.execute(f"DROP TABLE IF EXISTS {temp}")
                tx.changed_tables.add(info.object_id)
                return result

            return tx.run(f"restore {info.name}", restore, table=info)


def _differs(info: Any) -> str:
    """SQL true when the current row and the target image ``t`` differ in a user column."""
    return " OR ".join(
        f"{info.current}.{quote_ident(c)} IS DISTINCT FROM t.{quote_ident(c)}"
        for c in info.column_names
    ) or "FALSE"


def _apply(cur: Any, tx: Any, info: Any, temp: str, where: str, params: Any, scn: int,
           target: int) -> RestoreResult:
    cols = info.column_names
    current = info.current
    differs = _differs(info)
    same_row = f"t.__rowid = {current}.__rowid"
    changed = f"EXISTS (SELECT 1 FROM {temp} AS t WHERE {same_row} AND ({differs}))"
    gone = f"NOT EXISTS (SELECT 1 FROM {temp} AS t WHERE t.__rowid = {current}.__rowid)"
    if where:
        gone = f"({where}) AND {gone}"
    deleted = tx.delete_rows(cur, info, gone, params, scn)
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


def _changed_since(info: Any, target: int) -> str:
    """The images at ``target`` of every row changed or deleted since (history valid then)."""
    return (f"SELECT {column_list(info.column_names)}, __rowid FROM {info.history} "
            f"WHERE __start_scn <= {target} AND __end_scn > {target}")


def _apply_delta(cur: Any, tx: Any, info: Any, temp: str, where: str, params: Any, scn: int,
                 target: int) -> RestoreResult:
    """``_apply`` for a whole versioned table, ``temp`` holding only ``_changed_since``.

    The same diff, narrowed: a current row with ``__start_scn <= target`` is its
    own image at the target; one created after the target did not exist then
    (deleted); one started after it was changed since (updated from ``temp`` if
    it differs); a ``temp`` row no longer current was deleted since (inserted).
    """
    cols = info.column_names
    current = info.current
    differs = _differs(info)
    since = f"{current}.__start_scn > {target}"
    same_row = f"t.__rowid = {current}.__rowid"
    deleted = tx.delete_rows(cur, info, f"__created_scn > {target}", None, scn)
    changed = f"{since} AND EXISTS (SELECT 1 FROM {temp} AS t WHERE {same_row} AND ({differs}))"
    dml.close_versions(cur, info, changed, None, scn, deleted=False)
    # DuckDB rewrites an UPDATE that sets an indexed column as delete + insert of
    # the row: set the key columns only where they differ, in a second statement.
    keys = {k.lower() for k in info.key_columns}
    values = [c for c in cols if c.lower() not in keys]
    sets = "".join(f"{quote_ident(c)} = t.{quote_ident(c)}, " for c in values)
    updated = cur.execute(
        f"UPDATE {current} SET {sets}__start_scn = {scn} FROM {temp} AS t "
        f"WHERE {since} AND {same_row} AND ({differs})"
    ).fetchone()[0]
    if keys:
        key_cols = [c for c in cols if c.lower() in keys]
        key_sets = ", ".join(f"{quote_ident(c)} = t.{quote_ident(c)}" for c in key_cols)
        key_differs = " OR ".join(
            f"{current}.{quote_ident(c)} IS DISTINCT FROM t.{quote_ident(c)}" for c in key_cols)
        cur.execute(f"UPDATE {current} SET {key_sets} FROM {temp} AS t "
                    f"WHERE {current}.__start_scn = {scn} AND {same_row} AND ({key_differs})")
    base = tx.take_rowids(info, 0)
    missing = (f"SELECT {column_list(cols)} FROM {temp} AS t WHERE NOT EXISTS "
               f"(SELECT 1 FROM {current} AS c WHERE c.__start_scn > {target} "
               f"AND c.__rowid = t.__rowid)")
    inserted = dml.insert_select(cur, info, missing, cols, None, scn, base)
    tx.used_rowids(info, base, inserted)
    return RestoreResult(target, updated, deleted, inserted)
