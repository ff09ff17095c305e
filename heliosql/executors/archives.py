"""CREATE / ALTER / DROP FLASHBACK ARCHIVE and a table's FLASHBACK ARCHIVE clause.

An archive is a named retention setting (``heliosql.storage.archives``):
RETENTION n DAY|MONTH|YEAR becomes days (a month is 30 days, a year 365, as
Oracle's RETENTION_IN_DAYS shows them); QUOTA n K|M|G|T|P|E becomes bytes
(powers of 1024; no unit means M).
"""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.executors.common import position
from heliosql.plan import flashback as fb
from heliosql.plan.ddl import FlashbackArchiveClause
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.archives import ArchiveNotAllowed
from heliosql.storage.errors import DataError

_DAYS = {fb.RetentionUnit.DAY: 1, fb.RetentionUnit.MONTH: 30, fb.RetentionUnit.YEAR: 365}
_QUOTA_UNITS = {unit: 1024 ** power for power, unit in enumerate("KMGTPE", start=1)}


def retention_days(retention: fb.Retention) -> int:
    return retention.amount * _DAYS[retention.unit]


def quota_bytes(quota: fb.Quota | None) -> int | None:
    if quota is None:
        return None
    unit = (quota.unit or "M").upper()
    if unit not in _QUOTA_UNITS:
        raise DataError(f"unknown quota unit {quota.unit!r}: use K, M, G, T, P or E",
                        position=position(quota))
    return quota.amount * _QUOTA_UNITS[unit]


def run_CreateFlashbackArchive(session: Session, stmt: fb.CreateFlashbackArchive,
                               params: Params) -> Result:
    session.engine.create_archive(stmt.name, retention_days(stmt.retention),
                                  default=stmt.default, tablespace=stmt.tablespace,
                                  quota_bytes=quota_bytes(stmt.quota))
    return Result(rowcount=0)


def run_AlterFlashbackArchive(session: Session, stmt: fb.AlterFlashbackArchive,
                              params: Params) -> Result:
    engine = session.engine
    action = stmt.action
    if isinstance(action, fb.ArchiveSetDefault):
        engine.set_default_archive(stmt.name)
    elif isinstance(action, fb.ArchiveModifyRetention):
        engine.set_archive_retention(stmt.name, retention_days(action.retention))
    elif isinstance(action, fb.ArchiveTablespace):
        engine.set_archive_tablespace(stmt.name, action.tablespace, quota_bytes(action.quota),
                                      action=action.action)
    else:
        engine.archive(stmt.name)  # an unknown archive is reported before the bound
        before = None
        if action.before is not None:  # bound like AS OF: ORA-08181/08180/08186
            binder = session.compilation(stmt, params).sources.binder
            before = binder.as_of(action.before.kind, action.before.expr)
        engine.purge_archive(stmt.name, before)
    return Result(rowcount=0)


def run_DropFlashbackArchive(session: Session, stmt: fb.DropFlashbackArchive,
                             params: Params) -> Result:
    session.engine.drop_archive(stmt.name)
    return Result(rowcount=0)


def table_archive(session: Session, clause: FlashbackArchiveClause | None,
                  versioned: bool) -> str | None:
    """The archive a new table joins (checked before the table is created), or None."""
    if clause is None:
        return None
    if not versioned:
        raise ArchiveNotAllowed("a table without history (temporary or WITHOUT SYSTEM "
                                "VERSIONING) cannot join a flashback archive",
                                position=position(clause))
    return session.engine.archive(clause.name).name


def join_archive(session: Session, table: str, archive: str | None) -> None:
    """Put a just-created table into ``archive`` (no-op for None)."""
    if archive is not None:
        session.engine.assign_archive(table, archive)


def set_table_archive(session: Session, table: str,
                      clause: FlashbackArchiveClause | None) -> None:
    """ALTER TABLE t FLASHBACK ARCHIVE [fa] (``clause``) or NO FLASHBACK ARCHIVE (None)."""
    if clause is None:
        session.engine.remove_from_archive(table)
    else:
        session.engine.assign_archive(table, clause.name)
