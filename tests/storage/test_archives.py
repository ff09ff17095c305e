"""Flashback archives in the storage API: retention by archive, purge, persistence, errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from heliosql.storage import (
    Column,
    DataError,
    FlashbackQuery,
    InvalidScn,
    InvalidVersionRange,
    NoSuchTable,
    SnapshotTooOld,
    TemporalEngine,
    TemporalTable,
)
from heliosql.storage.archives import (
    ARCHIVE_CLEANUP_INTERVAL,
    ArchiveExists,
    ArchiveNotAllowed,
    BadTablespace,
    NoDefaultArchive,
    NoSuchArchive,
)

from .conftest import FakeClock, fails_cleanly

DAY = timedelta(days=1)


def make_table(engine: TemporalEngine, name: str = "t", **options: object) -> None:
    engine.create_temporal_table(TemporalTable(
        name, [Column("id", "INTEGER"), Column("v", "INTEGER")], ["id"], **options))


def value_at(engine: TemporalEngine, scn: int, table: str = "t") -> int:
    rows = engine.execute_flashback(table, FlashbackQuery.AsOfScn(scn, table)).rows
    return rows[0].columns["v"]


def write(engine: TemporalEngine, value: int, table: str = "t") -> int:
    if value == 0:
        engine.insert(table, {"id": 1, "v": 0})
    else:
        engine.update_where(table, {"v": str(value)})
    return engine.current_scn()


def test_member_tables_get_the_archive_policy(engine: TemporalEngine) -> None:
    make_table(engine)
    engine.create_archive("fa", 30, tablespace="ts", quota_bytes=10 << 20)
    engine.assign_archive("t", "FA")  # names are case-insensitive
    policy = engine.table_info("t").retention
    assert policy is not None
    assert (policy.max_age, policy.cleanup_interval, policy.size_limit) == (
        30 * DAY, ARCHIVE_CLEANUP_INTERVAL, 10 << 20)
    assert engine.archive_of("t") == "fa"

    engine.set_archive_retention("fa", 365)
    engine.set_archive_tablespace("fa", "ts2", 1 << 30)
    policy = engine.table_info("t").retention
    assert policy is not None and policy.max_age == 365 * DAY
    assert policy.size_limit == (10 << 20) + (1 << 30)  # the archive's quota is the sum
    engine.set_archive_tablespace("fa", "ts3")  # a tablespace without quota: unlimited
    assert engine.table_info("t").retention.size_limit is None  # type: ignore[union-attr]


def test_retention_removes_old_history_automatically(engine: TemporalEngine,
                                                     clock: FakeClock) -> None:
    engine.create_archive("daily", 1, default=True)
    make_table(engine)
    engine.assign_archive("t")  # the default archive
    old = write(engine, 0)
    clock.advance(hours=1)
    write(engine, 1)
    clock.advance(hours=1)
    kept = write(engine, 2)
    clock.advance(days=2)
    write(engine, 3)  # the cleanup interval has passed: this commit triggers the cleanup
    # Versions that ended more than a day ago are gone; the one this commit closed stays.
    assert engine.get_stats("t").history_rows == 1
    with pytest.raises(SnapshotTooOld):
        value_at(engine, old)
    assert value_at(engine, kept) == 2


def test_purge_history_is_exactly_a_cleanup_to_that_scn(engine: TemporalEngine) -> None:
    make_table(engine)
    scns = [write(engine, n) for n in range(5)]
    removed = engine.purge_history("t", scns[2])
    assert removed == 2  # the versions of values 0 and 1 ended at or before scns[2]
    info = engine.table_info("t")
    assert info.history_floor_scn == scns[2]
    assert value_at(engine, scns[2]) == 2
    with pytest.raises(SnapshotTooOld):
        value_at(engine, scns[1])
    with pytest.raises(InvalidVersionRange) as err:
        engine.execute_versions("t", FlashbackQuery.VersionsBetweenScn(scns[2], scns[4], "t"))
    assert err.value.code == "ORA-30052"
    # At or below the floor nothing is left to do: no transaction, no SCN.
    before = engine.current_scn()
    assert engine.purge_history("t", scns[1]) == 0
    assert engine.current_scn() == before


def test_purge_archive_all_and_only_its_members(engine: TemporalEngine) -> None:
    engine.create_archive("fa", 10)
    make_table(engine, "a")
    make_table(engine, "b")
    engine.assign_archive("a", "fa")
    for n in range(3):
        write(engine, n, "a")
        write(engine, n, "b")
    assert engine.purge_archive("fa") == 2
    assert engine.get_stats("a").history_rows == 0
    assert engine.get_stats("b").history_rows == 2
    assert engine.archive("fa").last_purge_scn == engine.current_scn()


def test_no_archive_keeps_history_without_limit(engine: TemporalEngine) -> None:
    engine.create_archive("fa", 1)
    make_table(engine)
    engine.assign_archive("t", "fa")
    first = write(engine, 0)
    engine.remove_from_archive("t")
    assert engine.table_info("t").retention is None
    assert engine.archive_of("t") is None
    write(engine, 1)
    assert value_at(engine, first) == 0
    before = engine.current_scn()
    engine.remove_from_archive("t")  # not in an archive: nothing happens
    assert engine.current_scn() == before


def test_drop_archive_detaches_members(engine: TemporalEngine) -> None:
    engine.create_archive("fa", 1, default=True)
    make_table(engine)
    engine.assign_archive("t")
    engine.drop_archive("fa")
    assert engine.flashback_archives() == []
    assert engine.table_info("t").retention is None
    assert engine.archive_of("t") is None


def test_moving_to_another_archive(engine: TemporalEngine) -> None:
    engine.create_archive("a1", 1)
    engine.create_archive("a2", 2)
    make_table(engine)
    engine.assign_archive("t", "a1")
    engine.assign_archive("t", "a2")
    assert engine.archive_of("t") == "a2"
    assert [i.name for i in engine.archive_members("a1")] == []
    assert engine.table_info("t").retention.max_age == 2 * DAY  # type: ignore[union-attr]


def test_a_reused_object_id_does_not_inherit_membership(engine: TemporalEngine) -> None:
    engine.create_archive("fa", 1)
    make_table(engine)
    engine.assign_archive("t", "fa")
    engine.drop_table("t", purge=True)
    make_table(engine, "u")  # may get the purged table's object id
    assert engine.archive_of("u") is None
    assert engine.archive_members("fa") == []


def test_archives_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    with TemporalEngine(path) as engine:
        engine.create_archive("fa", 30, default=True, tablespace="ts", quota_bytes=1 << 20)
        make_table(engine)
        engine.assign_archive("t")
        expected = engine.flashback_archives()
    with TemporalEngine(path) as engine:
        assert engine.flashback_archives() == expected
        assert engine.archive_of("t") == "fa"
        policy = engine.table_info("t").retention
        assert policy is not None and policy.max_age == 30 * DAY
        assert policy.size_limit == 1 << 20


def test_rollback_undoes_archive_ddl(engine: TemporalEngine) -> None:
    make_table(engine)
    with pytest.raises(RuntimeError), engine.transaction():
        engine.create_archive("fa", 1)
        engine.assign_archive("t", "fa")
        raise RuntimeError("abort")
    assert engine.flashback_archives() == []
    assert engine.table_info("t").retention is None


def test_errors_change_nothing(engine: TemporalEngine) -> None:
    make_table(engine, versioned=True)
    engine.create_temporal_table(TemporalTable("plain", [Column("a", "INTEGER")],
                                               versioned=False))
    engine.create_archive("fa", 1, tablespace="ts")
    write(engine, 0)
    cases = [
        (lambda: engine.assign_archive("t"), NoDefaultArchive, "ORA-55608"),
        (lambda: engine.assign_archive("t", "nope"), NoSuchArchive, None),
        (lambda: engine.assign_archive("missing", "fa"), NoSuchTable, "ORA-00942"),
        (lambda: engine.assign_archive("plain", "fa"), ArchiveNotAllowed, "ORA-55630"),
        (lambda: engine.create_archive("FA", 2), ArchiveExists, None),
        (lambda: engine.create_archive("fb", 0), DataError, None),
        (lambda: engine.create_archive("fb", 1, quota_bytes=-1), DataError, None),
        (lambda: engine.set_archive_retention("nope", 3), NoSuchArchive, None),
        (lambda: engine.set_archive_tablespace("fa", "ts"), BadTablespace, "ORA-55604"),
        (lambda: engine.set_archive_tablespace("fa", "ts", action="REMOVE"), BadTablespace,
         "ORA-55626"),
        (lambda: engine.drop_archive("nope"), NoSuchArchive, None),
        (lambda: engine.purge_archive("fa", 0), InvalidScn, "ORA-08181"),
        (lambda: engine.purge_archive("fa", engine.current_scn() + 1), InvalidScn, "ORA-08181"),
        (lambda: engine.purge_history("t", engine.current_scn() + 1), InvalidScn, "ORA-08181"),
    ]
    for call, error, code in cases:
        with fails_cleanly(engine, error, code):
            call()
    engine.create_archive("fdefault", 1, default=True)
    with fails_cleanly(engine, ArchiveExists, match="already the default"):
        engine.create_archive("fc", 1, default=True)


def test_a_dropped_member_stays_a_member_when_restored(engine: TemporalEngine) -> None:
    engine.create_archive("fa", 5)
    make_table(engine)
    engine.assign_archive("t", "fa")
    engine.drop_table("t")  # into the recycle bin, with its history
    assert [i.name for i in engine.archive_members("fa")] == ["t"]
    engine.set_archive_retention("fa", 9)  # follows archive changes while in the bin
    engine.restore_dropped_table("t")
    assert engine.archive_of("t") == "fa"
    assert engine.table_info("t").retention.max_age == 9 * DAY  # type: ignore[union-attr]
