"""Retention: cleanup by age and limits, statistics, the "snapshot too old" horizon."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from heliosql.storage import (
    CleanupStrategy,
    FlashbackQuery,
    InvalidVersionRange,
    RetentionPolicy,
    Row,
    SnapshotTooOld,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
)

from .conftest import FakeClock, db_state, fails_cleanly

DAY = timedelta(days=1)


def make_history(engine: TemporalEngine, clock: FakeClock, policy: RetentionPolicy | None,
                 updates: int = 10, step: timedelta = timedelta(hours=1)) -> list[int]:
    """Table ``t``: key ``a`` inserted, then updated ``updates`` times, one per ``step``.

    Returns the commit SCN of every write. A never-changed row ``b`` is there too.
    """
    table = TemporalTable("t")
    engine.create_temporal_table(table.with_retention_policy(policy) if policy else table)
    clock.advance(step)
    with engine.transaction() as tx:
        engine.insert_batch("t", [Row(b"a", {"v": b"0"}), Row(b"b", {"v": b"b"})])
    scns = [tx.scn]
    for n in range(1, updates + 1):
        clock.advance(step)
        with engine.transaction() as tx:
            engine.update("t", b"a", Row(b"a", {"v": str(n).encode()}))
        scns.append(tx.scn)
    return scns


def state_at(engine: TemporalEngine, scn: int) -> dict:
    rows = engine.execute_flashback("t", FlashbackQuery.AsOfScn(scn, "t")).rows
    return {r.key: r.columns for r in rows}


def a_history(engine: TemporalEngine) -> list[bytes]:
    return [v.columns["v"] for v in engine.query("t", TemporalQuery.KeyHistory(b"a"))]


def test_cleanup_by_age(engine: TemporalEngine, clock: FakeClock) -> None:
    # one cleanup per 30 days, so the automatic one only runs at the first write
    policy = RetentionPolicy(timedelta(hours=4), 30 * DAY)
    scns = make_history(engine, clock, policy)  # updates at t0+2h ... t0+11h
    states = {s: state_at(engine, s) for s in range(scns[0], scns[-1] + 1)}
    clock.advance(minutes=30)  # update n committed 10.5 - n hours ago
    before = engine.get_stats("t")
    assert (before.current_rows, before.history_rows) == (2, 10)
    assert before.oldest_retained_scn == scns[0] - 1  # the table's creation
    assert before.approx_bytes > 0

    removed = engine.cleanup_history("t")
    # versions that ended more than 4 h ago: those ended by updates 1 to 6
    assert removed == 6
    after = engine.get_stats("t")
    assert (after.current_rows, after.history_rows) == (2, 4)
    floor = after.oldest_retained_scn
    assert floor == scns[6]
    assert after.oldest_retained_time == engine.scn_to_timestamp(floor)
    assert after.last_cleanup == clock()
    assert 0 < after.approx_bytes < before.approx_bytes
    assert a_history(engine) == [str(n).encode() for n in range(6, 11)]
    # every state from the floor on is exactly what it was; older ones are refused
    for scn, expected in states.items():
        if scn >= floor:
            assert state_at(engine, scn) == expected
        else:
            with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
                state_at(engine, scn)
    # a second cleanup right away finds nothing more
    assert engine.cleanup_history("t") == 0


def test_queries_below_the_horizon(engine: TemporalEngine, clock: FakeClock) -> None:
    policy = RetentionPolicy(timedelta(hours=4), 30 * DAY)
    scns = make_history(engine, clock, policy)
    clock.advance(minutes=30)
    engine.cleanup_history("t")
    floor = engine.get_stats("t").oldest_retained_scn
    old = engine.scn_to_timestamp(floor - 1)
    horizon = engine.scn_to_timestamp(floor)
    for query in (TemporalQuery.AsOf(old), TemporalQuery.KeyAsOf(b"a", old),
                  TemporalQuery.KeysAsOf([b"a", b"b"], old),
                  TemporalQuery.Between(old, clock()), TemporalQuery.KeyBetween(b"a", old, old),
                  TemporalQuery.From(old), TemporalQuery.To(old)):
        with fails_cleanly(engine, SnapshotTooOld, "ORA-01555", match="retention"):
            engine.query("t", query)
    with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
        engine.execute_flashback("t", FlashbackQuery.AsOfScn(floor - 1, "t", b"a"))
    with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
        engine.restore_table("t", scn=floor - 1)
    for lo in (floor - 1, floor, scns[0]):
        with fails_cleanly(engine, InvalidVersionRange, "ORA-30052"):
            engine.execute_versions("t", FlashbackQuery.VersionsBetweenScn(
                lo, engine.current_scn(), "t"))
    # at and after the horizon everything answers
    assert engine.query("t", TemporalQuery.KeyAsOf(b"a", horizon))[0].columns == {"v": b"6"}
    just_after = horizon + timedelta(microseconds=1)
    assert [v.columns["v"] for v in engine.query(
        "t", TemporalQuery.KeyBetween(b"a", just_after, clock()))] == [b"6", b"7", b"8", b"9",
                                                                        b"10"]
    # A window opening exactly at the horizon would need the delete markers
    # committed at the floor SCN, which cleanup removed (as VERSIONS lo = floor).
    with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
        engine.query("t", TemporalQuery.KeyBetween(b"a", horizon, clock()))
    # MINVALUE means "the oldest retained state" and never raises
    versions = engine.execute_versions("t", FlashbackQuery.VersionsBetweenScn(
        None, None, "t", b"a")).versions
    # (the oldest usable lower bound is floor + 1, where v6 had just ended)
    assert [(v.version_start_scn, v.row.columns["v"]) for v in versions] == [
        (scns[n], str(n).encode()) for n in range(7, 11)]
    assert engine.execute_versions("t", FlashbackQuery.VersionsBetweenScn(
        floor + 1, engine.current_scn(), "t", b"a")).versions == versions
    everything = engine.execute_versions("t", FlashbackQuery.VersionsBetweenScn(
        None, None, "t")).versions
    assert [(v.row.key, v.version_start_scn) for v in everything][-1] == (b"b", None)


def test_entry_limit_removes_the_oldest(engine: TemporalEngine, clock: FakeClock) -> None:
    policy = (RetentionPolicy(365 * DAY, 30 * DAY).with_entry_limit(3)
              .with_cleanup_strategy(CleanupStrategy.TIME_BASED_OLDEST))
    scns = make_history(engine, clock, policy)
    assert engine.get_stats("t").history_rows == 10
    assert engine.cleanup_history("t") == 7
    assert engine.get_stats("t").history_rows == 3
    assert engine.get_stats("t").oldest_retained_scn == scns[7]
    assert a_history(engine) == [b"7", b"8", b"9", b"10"]
    with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
        state_at(engine, scns[7] - 1)


def test_size_limit_removes_the_oldest(engine: TemporalEngine, clock: FakeClock) -> None:
    scns = make_history(engine, clock, None)
    stats = engine.get_stats("t")
    per_row = stats.approx_bytes / stats.history_rows
    limit = int(per_row * 4.5)  # room for four versions
    engine.set_retention_policy("t", RetentionPolicy(365 * DAY, 30 * DAY)
                                .with_size_limit(limit)
                                .with_cleanup_strategy(CleanupStrategy.TIME_BASED_OLDEST))
    assert engine.cleanup_history("t") == 6
    after = engine.get_stats("t")
    assert after.history_rows == 4 and after.approx_bytes <= limit
    assert after.oldest_retained_scn == scns[6]
    assert a_history(engine) == [str(n).encode() for n in range(6, 11)]


def test_age_only_ignores_the_limits(engine: TemporalEngine, clock: FakeClock) -> None:
    policy = (RetentionPolicy(365 * DAY, 30 * DAY).with_entry_limit(1).with_size_limit(1)
              .with_cleanup_strategy(CleanupStrategy.AGE_ONLY))
    make_history(engine, clock, policy)
    assert engine.cleanup_history("t") == 0
    stats = engine.get_stats("t")
    assert stats.history_rows == 10
    assert stats.last_cleanup == clock()
    clock.advance(366 * DAY)
    assert engine.cleanup_history("t") == 10


def test_no_policy_keeps_everything(engine: TemporalEngine, clock: FakeClock) -> None:
    make_history(engine, clock, None)
    clock.advance(3650 * DAY)
    before = db_state(engine)
    assert engine.cleanup_history("t") == 0
    assert db_state(engine) == before
    assert engine.run_due_cleanups() == 0
    assert engine.get_stats("t").history_rows == 10
    assert engine.get_stats("t").last_cleanup is None


def test_automatic_cleanup_once_the_interval_has_passed(engine: TemporalEngine,
                                                        clock: FakeClock) -> None:
    policy = RetentionPolicy(timedelta(hours=1), timedelta(hours=6))
    engine.create_temporal_table(TemporalTable("t").with_retention_policy(policy))
    t0 = clock.advance(minutes=1)
    engine.insert("t", Row(b"a", {"v": b"0"}))
    # The interval runs from the table's creation: the first write does not clean.
    first_cleanup = engine.get_stats("t").last_cleanup
    assert first_cleanup is None
    clock.advance(minutes=1)
    engine.update("t", b"a", Row(b"a", {"v": b"1"}))  # v0 ends at t0+1m
    clock.set(t0 + timedelta(hours=3))
    engine.update("t", b"a", Row(b"a", {"v": b"2"}))
    # v0 is over an hour old, but the interval has not passed: nothing removed
    stats = engine.get_stats("t")
    assert (stats.history_rows, stats.last_cleanup) == (2, first_cleanup)
    assert engine.run_due_cleanups() == 0
    clock.set(t0 + timedelta(hours=6))
    engine.update("t", b"a", Row(b"a", {"v": b"3"}))
    # the commit after the interval cleaned: v0 (ended t0+1m) and v1 (ended t0+3h)
    stats = engine.get_stats("t")
    assert (stats.history_rows, stats.last_cleanup) == (1, t0 + timedelta(hours=6))
    assert a_history(engine) == [b"2", b"3"]
    # a write to another table does not clean this one
    engine.create_temporal_table(TemporalTable("other"))
    clock.set(t0 + timedelta(hours=13))
    engine.insert("other", Row(b"x", {"v": b"x"}))
    assert engine.get_stats("t").last_cleanup == t0 + timedelta(hours=6)
    assert engine.run_due_cleanups() == 1  # v2, ended at t0+6h
    assert engine.get_stats("t").last_cleanup == clock()


def test_automatic_cleanup_failure_does_not_undo_the_commit(
        engine: TemporalEngine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    from heliosql.storage import StorageError

    policy = RetentionPolicy(timedelta(hours=1), timedelta(hours=1))
    engine.create_temporal_table(TemporalTable("t").with_retention_policy(policy))

    def broken(table: str) -> int:
        raise StorageError("disk on fire")

    monkeypatch.setattr(engine, "cleanup_history", broken)
    clock.advance(hours=2)  # the cleanup interval has passed since the table's creation
    with pytest.warns(RuntimeWarning, match="disk on fire"):
        engine.insert("t", Row(b"a", {"v": b"0"}))
    assert engine.query("t", TemporalQuery.KeyHistory(b"a"))[0].columns == {"v": b"0"}


def test_set_and_remove_retention_policy(engine: TemporalEngine, clock: FakeClock) -> None:
    make_history(engine, clock, None)
    policy = RetentionPolicy(timedelta(hours=3), timedelta(hours=1))
    engine.set_retention_policy("t", policy)
    assert engine.table_info("t").retention == policy
    clock.advance(hours=1)
    assert engine.cleanup_history("t") == 7  # ended at least 3 hours ago
    engine.set_retention_policy("t", None)
    clock.advance(days=10)
    assert engine.cleanup_history("t") == 0
    assert engine.get_stats("t").history_rows == 3


def test_retention_policy_values() -> None:
    base = RetentionPolicy(timedelta(days=30), timedelta(hours=6))
    assert (base.size_limit, base.entry_limit) == (None, None)
    built = (base.with_size_limit(10_000_000_000).with_entry_limit(10_000_000)
             .with_cleanup_strategy(CleanupStrategy.AGE_ONLY))
    assert built == RetentionPolicy(timedelta(days=30), timedelta(hours=6), 10_000_000_000,
                                    10_000_000, CleanupStrategy.AGE_ONLY)
    assert base.size_limit is None  # builders return new policies
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.max_age = timedelta(0)  # type: ignore[misc]
    for bad in (lambda: RetentionPolicy(timedelta(days=-1), timedelta(hours=1)),
                lambda: RetentionPolicy(DAY, timedelta(hours=-1)),
                lambda: base.with_entry_limit(-1), lambda: base.with_size_limit(-5)):
        with pytest.raises(ValueError):
            bad()
