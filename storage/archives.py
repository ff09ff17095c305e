"""Flashback Data Archives: named retention settings that tables join (Oracle's FDA).

Every heliosql table keeps history, so an archive does not switch history on;
it *bounds* it. A table in an archive gets the retention policy the archive
implies (``FlashbackArchive.policy``); changing the archive updates the policy
of every member in the same transaction. Archives, their tablespaces and their
members live in catalog tables of schema ``helios`` and are read from DuckDB at
each use (archive DDL is rare), so a rollback needs no in-memory undo.

A member is recorded by object id *and* creation SCN: object ids of purged
tables can be reused, a creation SCN cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from .catalog import TableInfo
from .errors import (
    ArchiveExists,
    ArchiveNotAllowed,
    BadTablespace,
    DataError,
    NoDefaultArchive,
    NoSuchArchive,
    ProgrammingError,
)
from .retention import RetentionPolicy
from .transaction import Transaction, autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine

#: Automatic cleanup of an archived table runs at most once a day (Oracle purges
#: expired archive data in the background on its own schedule).
ARCHIVE_CLEANUP_INTERVAL = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ArchiveTablespace:
    """A tablespace of an archive and its quota in bytes (None: unlimited)."""

    name: str
    quota_bytes: int | None


@dataclass(frozen=True, slots=True)
class FlashbackArchive:
    """A flashback archive as the catalog records it."""

    name: str
    number: int
    retention_days: int
    is_default: bool
    owner: str | None
    created_scn: int
    last_purge_scn: int | None
    tablespaces: tuple[ArchiveTablespace, ...] = ()

    @property
    def quota_bytes(self) -> int | None:
        """The archive's quota: the sum of its tablespaces' quotas; None if any is unlimited."""
        quotas = [t.quota_bytes for t in self.tablespaces]
        if not quotas or any(q is None for q in quotas):
            return None
        return sum(q for q in quotas if q is not None)

    def policy(self) -> RetentionPolicy:
        """The retention policy of a member table."""
        return RetentionPolicy(timedelta(days=self.retention_days), ARCHIVE_CLEANUP_INTERVAL,
                               size_limit=self.quota_bytes)


def _check_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise DataError(f"a flashback archive retention must be a positive number of days, "
                        f"got {days!r}")
    return days


def _check_quota(quota: int | None) -> int | None:
    if quota is not None and (isinstance(quota, bool) or not isinstance(quota, int) or quota <= 0):
        raise DataError(f"a quota must be a positive number of bytes, got {quota!r}")
    return quota


class ArchiveMixin:
    """Flashback archive methods of ``TemporalEngine``."""

    # --- reading -----------------------------------------------------------------------

    def flashback_archives(self: TemporalEngine) -> list[FlashbackArchive]:
        """Every archive (as this thread's transaction sees them), by number."""
        spaces: dict[str, list[ArchiveTablespace]] = {}
        for archive, name, quota in self.fetch(
            "SELECT archive, tablespace, quota_bytes FROM helios.flashback_archive_ts "
            "ORDER BY position"
        ):
            spaces.setdefault(archive.lower(), []).append(ArchiveTablespace(name, quota))
        return [FlashbackArchive(*row, tablespaces=tuple(spaces.get(row[0].lower(), ())))
                for row in self.fetch(
                    "SELECT name, number, retention_days, is_default, owner, created_scn, "
                    "last_purge_scn FROM helios.flashback_archives ORDER BY number")]

    def find_archive(self: TemporalEngine, name: str) -> FlashbackArchive | None:
        """The archive called ``name`` (case-insensitive), or None."""
        return next((a for a in self.flashback_archives() if a.name.lower() == name.lower()),
                    None)

    def archive(self: TemporalEngine, name: str | None) -> FlashbackArchive:
        """The archive ``name``, or with None the default archive (``NoDefaultArchive``)."""
        if name is None:
            found = next((a for a in self.flashback_archives() if a.is_default), None)
            if found is None:
                raise NoDefaultArchive("no flashback archive is the default; name one, or "
                                       "make one the default with ALTER FLASHBACK ARCHIVE "
                                       "... SET DEFAULT")
            return found
        found = self.find_archive(name)
        if found is None:
            names = [a.name for a in self.flashback_archives()]
            raise NoSuchArchive(f"flashback archive {name!r} does not exist"
                                + self.suggest(name, names))
        return found

    def archive_members(self: TemporalEngine, name: str) -> list[TableInfo]:
        """The table objects in archive ``name`` (live and in the recycle bin)."""
        tables = self.visible_tables()
        return [tables[oid] for oid, created in self.fetch(
            "SELECT object_id, created_scn FROM helios.flashback_archive_tables "
            "WHERE lower(archive) = lower(?) ORDER BY object_id", [name])
            if oid in tables and tables[oid].created_scn == created]

    def archive_of(self: TemporalEngine, table: str) -> str | None:
        """The name of the archive ``table`` is in, or None."""
        info = self.table_info(table)
        rows = self.fetch("SELECT archive FROM helios.flashback_archive_tables "
                          "WHERE object_id = ? AND created_scn = ?",
                          [info.object_id, info.created_scn])
        return rows[0][0] if rows else None

    # --- archive DDL -------------------------------------------------------------------

    def create_archive(self: TemporalEngine, name: str, retention_days: int, *,
                       default: bool = False, tablespace: str | None = None,
                       quota_bytes: int | None = None) -> FlashbackArchive:
        """``CREATE FLASHBACK ARCHIVE [DEFAULT] name [TABLESPACE ts [QUOTA q]] RETENTION n``."""
        _check_days(retention_days)
        _check_quota(quota_bytes)
        with autocommit(self) as tx:
            archives = self.flashback_archives()
            if any(a.name.lower() == name.lower() for a in archives):
                raise ArchiveExists(f"flashback archive {name!r} already exists")
            current_default = next((a for a in archives if a.is_default), None)
            if default and current_default is not None:
                raise ArchiveExists(f"flashback archive {current_default.name!r} is already "
                                    "the default; use ALTER FLASHBACK ARCHIVE ... SET DEFAULT")
            number = max((a.number for a in archives), default=0) + 1

            def create(cur: Any, scn: int) -> None:
                cur.execute("INSERT INTO helios.flashback_archives VALUES (?, ?, ?, ?, ?, ?, NULL)",
                            [name, number, retention_days, default, tx.user, scn])
                if tablespace is not None:
                    cur.execute("INSERT INTO helios.flashback_archive_ts VALUES (?, ?, ?, 1)",
                                [name, tablespace, quota_bytes])

            tx.run(f"create flashback archive {name}", create)
        return self.archive(name)

    def set_default_archive(self: TemporalEngine, name: str) -> None:
        """``ALTER FLASHBACK ARCHIVE name SET DEFAULT`` (the previous default stops being one)."""
        with autocommit(self) as tx:
            archive = self.archive(name)
            tx.run(f"alter flashback archive {archive.name}", lambda cur, scn: cur.execute(
                "UPDATE helios.flashback_archives SET is_default = (name = ?)", [archive.name]))

    def set_archive_retention(self: TemporalEngine, name: str, retention_days: int) -> None:
        """``MODIFY RETENTION``: the new retention applies to every member table at once."""
        _check_days(retention_days)
        with autocommit(self) as tx:
            archive = self.archive(name)

            def modify(cur: Any, scn: int) -> None:
                cur.execute("UPDATE helios.flashback_archives SET retention_days = ? "
                            "WHERE name = ?", [retention_days, archive.name])
                self._apply_archive(tx, archive.name)

            tx.run(f"alter flashback archive {archive.name}", modify)

    def set_archive_tablespace(self: TemporalEngine, name: str, tablespace: str,
                               quota_bytes: int | None = None, *, action: str = "ADD") -> None:
        """``{ADD|MODIFY|REMOVE} TABLESPACE ts [QUOTA q]``; members get the new quota.

        ``BadTablespace`` (ORA-55604) when adding a tablespace the archive has or
        modifying/removing one it lacks; the first tablespace cannot be removed.
        """
        _check_quota(quota_bytes)
        with autocommit(self) as tx:
            archive = self.archive(name)
            names = [t.name.lower() for t in archive.tablespaces]
            present = tablespace.lower() in names
            if action not in ("ADD", "MODIFY", "REMOVE"):
                raise ProgrammingError(f"unknown tablespace action {action!r}")
            if present == (action == "ADD"):
                state = "already" if present else "not"
                raise BadTablespace(f"tablespace {tablespace!r} is {state} used by flashback "
                                    f"archive {archive.name!r}")
            if action == "REMOVE" and names[0] == tablespace.lower():
                raise BadTablespace(f"cannot remove the first tablespace of flashback archive "
                                    f"{archive.name!r}", code="ORA-55626")

            def change(cur: Any, scn: int) -> None:
                if action != "ADD":
                    cur.execute("DELETE FROM helios.flashback_archive_ts WHERE archive = ? AND "
                                "lower(tablespace) = lower(?)", [archive.name, tablespace])
                if action != "REMOVE":
                    position = (names.index(tablespace.lower()) + 1 if present
                                else len(names) + 1)
                    cur.execute("INSERT INTO helios.flashback_archive_ts VALUES (?, ?, ?, ?)",
                                [archive.name, tablespace, quota_bytes, position])
                self._apply_archive(tx, archive.name)

            tx.run(f"alter flashback archive {archive.name}", change)

    def drop_archive(self: TemporalEngine, name: str) -> None:
        """``DROP FLASHBACK ARCHIVE``: members leave it and keep their history, unbounded."""
        with autocommit(self) as tx:
            archive = self.archive(name)
            members = self.archive_members(archive.name)

            def drop(cur: Any, scn: int) -> None:
                for info in members:
                    tx.put_table(info.with_changes(retention=None))
                for table in ("flashback_archive_tables", "flashback_archive_ts"):
                    cur.execute(f"DELETE FROM helios.{table} WHERE archive = ?", [archive.name])
                cur.execute("DELETE FROM helios.flashback_archives WHERE name = ?",
                            [archive.name])

            tx.run(f"drop flashback archive {archive.name}", drop)

    # --- membership ----------------------------------------------------------------------

    def assign_archive(self: TemporalEngine, table: str, archive: str | None = None) -> None:
        """``ALTER TABLE t FLASHBACK ARCHIVE [archive]`` (None: the default archive).

        A table already in another archive moves; its policy becomes the archive's.
        """
        with autocommit(self) as tx:
            info = tx.table(table)
            target = self.archive(archive)
            if not info.versioned:
                raise ArchiveNotAllowed(f"table {info.name!r} keeps no history (temporary or "
                                        "WITHOUT SYSTEM VERSIONING); it cannot join a "
                                        "flashback archive")

            def join(cur: Any, scn: int) -> None:
                # Also forget members purged for good (their catalog rows are gone).
                cur.execute("DELETE FROM helios.flashback_archive_tables m WHERE object_id = ? "
                            "OR NOT EXISTS (SELECT 1 FROM helios.tables t WHERE t.object_id = "
                            "m.object_id AND t.created_scn = m.created_scn)", [info.object_id])
                cur.execute("INSERT INTO helios.flashback_archive_tables VALUES (?, ?, ?, ?)",
                            [info.object_id, info.created_scn, target.name, scn])
                tx.put_table(info.with_changes(retention=target.policy()))

            tx.run(f"alter table {info.name} flashback archive", join)

    def remove_from_archive(self: TemporalEngine, table: str) -> None:
        """``ALTER TABLE t NO FLASHBACK ARCHIVE``: the table keeps its history, without limit.

        On a table in no archive this does nothing (and takes no SCN).
        """
        with autocommit(self) as tx:
            info = tx.table(table)
            if self.archive_of(info.name) is None:
                return

            def leave(cur: Any, scn: int) -> None:
                cur.execute("DELETE FROM helios.flashback_archive_tables WHERE object_id = ?",
                            [info.object_id])
                tx.put_table(info.with_changes(retention=None))

            tx.run(f"alter table {info.name} no flashback archive", leave)

    def _apply_archive(self: TemporalEngine, tx: Transaction, name: str) -> None:
        """Give every member of archive ``name`` the archive's current policy."""
        policy = self.archive(name).policy()
        for info in self.archive_members(name):
            tx.put_table(info.with_changes(retention=policy))

    # --- purging -------------------------------------------------------------------------

    def purge_history(self: TemporalEngine, table: str, before_scn: int) -> int:
        """Remove the history ``table`` needs only for states before ``before_scn``.

        Removes every version that ended at or before ``before_scn`` and raises the
        history floor to it, exactly as a retention cleanup would: afterwards AS OF
        ``before_scn`` still works and an earlier SCN raises ORA-01555. Returns the
        versions removed; a cutoff at or below the floor does nothing (no SCN).
        """
        self._check_scn(before_scn)
        own = self.current_transaction() is None
        info = self.table_info(table)
        if before_scn <= info.history_floor_scn or not info.versioned:
            return 0
        with autocommit(self) as tx:
            if own:
                tx.kind = "CLEANUP"
            return tx.run(f"purge history of {info.name}",
                          lambda cur, scn: self._purge(tx, cur, info.name, before_scn))

    def _purge(self: TemporalEngine, tx: Transaction, cur: Any, table: str, cutoff: int) -> int:
        info = tx.table(table)
        if cutoff <= info.history_floor_scn or not info.versioned:
            return 0
        removed = cur.execute(f"DELETE FROM {info.history} WHERE __end_scn <= {cutoff}"
                              ).fetchone()[0]
        tx.put_table(info.with_changes(history_floor_scn=cutoff,
                                       last_cleanup=self.backend.clock()))
        return removed

    def purge_archive(self: TemporalEngine, name: str, before_scn: int | None = None) -> int:
        """``PURGE BEFORE SCN n`` (``before_scn``) or ``PURGE ALL`` (None: the current SCN)
        for every live member of archive ``name``, in one transaction; versions removed."""
        cutoff = self.current_scn() if before_scn is None else self._check_scn(before_scn)
        with autocommit(self) as tx:
            archive = self.archive(name)
            members = [t for t in self.archive_members(archive.name) if t.dropped_scn is None]

            def purge(cur: Any, scn: int) -> int:
                removed = sum(self._purge(tx, cur, info.name, cutoff) for info in members)
                cur.execute("UPDATE helios.flashback_archives SET last_purge_scn = ? "
                            "WHERE name = ?", [scn, archive.name])
                return removed

            return tx.run(f"purge flashback archive {archive.name}", purge)


__all__ = [
    "ARCHIVE_CLEANUP_INTERVAL",
    "ArchiveExists",
    "ArchiveMixin",
    "ArchiveNotAllowed",
    "ArchiveTablespace",
    "BadTablespace",
    "FlashbackArchive",
    "NoDefaultArchive",
    "NoSuchArchive",
]
