"""FLASHBACK TABLE in storage: ``flashback_tables`` (several tables, all or nothing), the
set-based restore it runs on, restore points and the recycle bin's whole-bin operations."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from heliosql.storage import (
    DefinitionChanged,
    DuplicateKey,
    FlashbackQuery,
    InvalidScn,
    InvalidTimestamp,
    NoSnapshot,
    NoSuchRestorePoint,
    NoSuchTable,
    ProgrammingError,
    RecycleBinObject,
    RestorePoint,
    RestorePointExists,
    RestoreResult,
    RetentionPolicy,
    SnapshotTooOld,
    TemporalEngine,
    TemporalTable,
    TransactionError,
)

from .conftest import FakeClock, db_state, fails_cleanly


def rows(engine: TemporalEngine, table: str, scn: int | None = None) -> dict:
    """``{key: columns}`` of ``table`` now or AS OF ``scn``."""
    scn = engine.current_scn() if scn is None else scn
    result = engine.execute_flashback(table, FlashbackQuery.AsOfScn(scn, table))
    return {r.key: r.columns for r in result.rows}


def physical(engine: TemporalEngine, table: str, scn: int) -> set[tuple]:
    """The rows of ``table`` at ``scn`` with their hidden row ids (identity included)."""
    info = engine.table_info(table)
    cols = ", ".join(f'"{c}"' for c in info.column_names)
    return set(engine.fetch(
        f"SELECT {cols}, __rowid FROM {info.current} WHERE __start_scn <= {scn} UNION ALL "
        f"SELECT {cols}, __rowid FROM {info.history} "
        f"WHERE __start_scn <= {scn} AND __end_scn > {scn}"))


@pytest.fixture
def two(engine: TemporalEngine, clock: FakeClock) -> int:
    """Tables a and b, changed after SCN s1 (returned)."""
    for name in ("a", "b"):
        engine.create_temporal_table(TemporalTable(
            name, {"id": "INTEGER", "v": "VARCHAR"}, primary_key="id"))
        engine.insert_batch(name, [{"id": i, "v": f"{name}{i}"} for i in range(1, 4)])
    s1 = engine.current_scn()
    clock.advance(minutes=1)
    engine.update("a", 1, {"v": "changed"})
    engine.delete("b", 2)
    engine.insert("b", {"id": 9, "v": "new"})
    clock.advance(minutes=1)
    return s1


def test_flashback_tables_in_one_transaction(engine: TemporalEngine, two: int) -> None:
    before = engine.current_scn()
    states = {t: rows(engine, t, before) for t in ("a", "b")}
    results = engine.flashback_tables(["a", "B"], scn=two)
    assert results == {"a": RestoreResult(two, 1, 0, 0), "b": RestoreResult(two, 0, 1, 1)}
    assert engine.current_scn() == before + 1
    for table in ("a", "b"):
        assert rows(engine, table) == rows(engine, table, two)
        assert rows(engine, table, before) == states[table]  # history kept


def test_flashback_tables_targets(engine: TemporalEngine, clock: FakeClock, two: int) -> None:
    engine.create_restore_point("rp", two)
    engine.flashback_tables(["a"], restore_point="RP")
    assert rows(engine, "a") == rows(engine, "a", two)
    engine.update("a", 2, {"v": "again"})
    engine.flashback_tables(["a"], timestamp=engine.scn_to_timestamp(two) + timedelta(seconds=1))
    assert rows(engine, "a") == rows(engine, "a", two)


@pytest.mark.parametrize("call, error, code", [
    (lambda e, s: e.flashback_tables(["a", "late"], scn=s), DefinitionChanged, "ORA-01466"),
    (lambda e, s: e.flashback_tables(["a", "nope"], scn=s), NoSuchTable, "ORA-00942"),
    (lambda e, s: e.flashback_tables(["a"], scn=e.current_scn() + 1), InvalidScn, "ORA-08181"),
    (lambda e, s: e.flashback_tables(["a"], restore_point="nope"), NoSuchRestorePoint,
     "ORA-38780"),
    (lambda e, s: e.flashback_tables(["a"], timestamp=e.scn_to_timestamp(1)
                                     - timedelta(days=1)), NoSnapshot, "ORA-08180"),
    (lambda e, s: e.flashback_tables(["a"], timestamp=e.backend.clock()
                                     + timedelta(days=1)), InvalidTimestamp, "ORA-08186"),
    (lambda e, s: e.flashback_tables(["a", "A"], scn=s), ProgrammingError, None),
    (lambda e, s: e.flashback_tables([], scn=s), ProgrammingError, None),
    (lambda e, s: e.flashback_tables("a", scn=s), ProgrammingError, None),
    (lambda e, s: e.flashback_tables(["a"], scn=s, restore_point="x"), ProgrammingError, None),
])
def test_flashback_tables_refuses_and_changes_nothing(engine: TemporalEngine, two: int,
                                                     call: object, error: type,
                                                     code: str | None) -> None:
    engine.create_temporal_table(TemporalTable("late", {"id": "INTEGER"}))
    with fails_cleanly(engine, error, code):
        call(engine, two)  # type: ignore[operator]


def _duplicates_then_unique_index(engine: TemporalEngine) -> int:
    """Give a's v a duplicate at the returned SCN, then remove it and index v uniquely."""
    engine.update("a", 2, {"v": "a1"})
    engine.update("a", 3, {"v": "a1"})
    s2 = engine.current_scn()
    engine.update("a", 3, {"v": "a3"})
    engine.update("b", 1, {"v": "after s2"})
    engine.create_index("a", "a_v", ["v"], unique=True)
    return s2


def test_unique_clash_restores_no_table(engine: TemporalEngine, two: int) -> None:
    s2 = _duplicates_then_unique_index(engine)
    with fails_cleanly(engine, DuplicateKey, "ORA-00001"):
        engine.flashback_tables(["b", "a"], scn=s2)  # b, listed first, is not restored


def test_errors_inside_an_open_transaction(engine: TemporalEngine, two: int) -> None:
    engine.create_temporal_table(TemporalTable("late", {"id": "INTEGER"}))
    with engine.transaction():
        engine.update("b", 1, {"v": "kept"})
        with pytest.raises(DefinitionChanged):
            engine.flashback_tables(["a", "late"], scn=two)
        engine.update("b", 3, {"v": "kept too"})  # checked before writing: still usable
    assert rows(engine, "b")[1] == {"v": "kept"} and rows(engine, "b")[3] == {"v": "kept too"}
    assert rows(engine, "a")[1] == {"v": "changed"}


def test_write_error_aborts_the_open_transaction(engine: TemporalEngine, two: int) -> None:
    s2 = _duplicates_then_unique_index(engine)
    before = db_state(engine)
    tx = engine.transaction()
    with pytest.raises(DuplicateKey), tx:
        engine.update("b", 3, {"v": "lost"})
        engine.flashback_tables(["b", "a"], scn=s2)
    assert db_state(engine) == before
    with pytest.raises(TransactionError):
        tx.commit()


def test_restore_in_a_transaction_that_changed_the_table(engine: TemporalEngine,
                                                         two: int) -> None:
    with engine.transaction():
        engine.update("a", 2, {"v": "in tx"})
        engine.insert("a", {"id": 7, "v": "in tx"})
        engine.delete("a", 3)
        engine.flashback_tables(["a"], scn=two)
    assert rows(engine, "a") == rows(engine, "a", two)


def test_below_the_retention_floor(engine: TemporalEngine, clock: FakeClock, two: int) -> None:
    engine.set_retention_policy("a", RetentionPolicy(timedelta(minutes=1), timedelta(days=30)))
    engine.update("a", 1, {"v": "again"})
    clock.advance(hours=1)
    engine.update("a", 2, {"v": "later"})
    assert engine.cleanup_history("a") > 0
    with fails_cleanly(engine, SnapshotTooOld, "ORA-01555"):
        engine.flashback_tables(["b", "a"], scn=two)


# --- the set-based restore against AS OF, on random histories --------------------------


def _random_round(engine: TemporalEngine, rng: random.Random, next_id: list[int]) -> None:
    ids = list(rows(engine, "r"))
    with engine.transaction():
        for _ in range(rng.randint(1, 4)):
            op = rng.choice("iuudkx")
            if op == "i" or not ids:
                engine.insert("r", {"id": next_id[0], "v": rng.choice("abc"), "n": 1})
                next_id[0] += 1
            elif op == "u":
                engine.update_where("r", {"v": f"'{rng.choice('abcd')}'", "n": "n + 1"},
                                    f"id % {rng.randint(2, 5)} = 0")
            elif op == "d":
                engine.delete_where("r", f"id = {rng.choice(ids)}")
            elif op == "k":  # a key change keeps the row (U)
                engine.update_where("r", {"id": f"id + {10_000 + next_id[0]}"},
                                    f"id = {rng.choice(ids)}")
                next_id[0] += 1
            else:  # same values again: no change to restore
                engine.update_where("r", {"v": "v"}, f"id = {rng.choice(ids)}")
            ids = [k for (k,) in engine.fetch("SELECT id FROM r")]


@pytest.mark.parametrize("seed", range(12))
def test_restore_equals_as_of_on_random_histories(engine: TemporalEngine, clock: FakeClock,
                                                  seed: int) -> None:
    rng = random.Random(seed)
    engine.create_temporal_table(TemporalTable(
        "r", {"id": "INTEGER", "v": "VARCHAR", "n": "INTEGER"}, primary_key="id"))
    next_id = [1]
    engine.insert_batch("r", [{"id": i, "v": "a", "n": 0} for i in range(1, 8)])
    next_id[0] = 8
    for _ in range(rng.randint(3, 8)):
        clock.advance(seconds=1)
        _random_round(engine, rng, next_id)
    created = engine.table_info("r").created_scn
    target = rng.randint(created, engine.current_scn())
    before = engine.current_scn()
    old = {s: physical(engine, "r", s) for s in range(created, before + 1)}
    now, then = physical(engine, "r", before), physical(engine, "r", target)
    result = engine.restore_table("r", scn=target)
    after = physical(engine, "r", engine.current_scn())
    # the same rows, values and (for rows that still existed) the same row ids
    strip = {row[:-1] for row in then}
    assert {row[:-1] for row in after} == strip
    kept = {row[-1] for row in now} & {row[-1] for row in then}
    assert {row for row in after if row[-1] in kept} == {row for row in then if row[-1] in kept}
    assert result.deleted == len({row[-1] for row in now} - {row[-1] for row in then})
    assert result.inserted == len({row[-1] for row in then} - {row[-1] for row in now})
    assert result.updated == len({row[-1] for row in then - now} & kept)
    assert {s: physical(engine, "r", s) for s in old} == old  # history is never rewritten


# --- restore points ------------------------------------------------------------------------


def test_restore_points(engine: TemporalEngine, clock: FakeClock, two: int) -> None:
    now = engine.current_scn()
    point = engine.create_restore_point("Before")
    assert point == RestorePoint("Before", now, clock(), None)
    assert engine.current_scn() == now + 1  # a catalog change: an SCN of its own
    at = engine.create_restore_point("at", two)
    assert at.as_of_time == engine.scn_to_timestamp(two)
    when = engine.scn_to_timestamp(two) + timedelta(seconds=1)
    assert engine.create_restore_point("t", timestamp=when).scn == two
    assert [p.name for p in engine.restore_points()] == ["at", "t", "Before"]
    assert engine.restore_point_scn("BEFORE") == now
    with fails_cleanly(engine, RestorePointExists, "ORA-38778"):
        engine.create_restore_point("before")
    with fails_cleanly(engine, InvalidScn, "ORA-08181"):
        engine.create_restore_point("x", engine.current_scn() + 1)
    with fails_cleanly(engine, ProgrammingError):
        engine.create_restore_point(" ")
    with fails_cleanly(engine, ProgrammingError):
        engine.create_restore_point("x", 1, timestamp=when)
    engine.drop_restore_point("T")
    with fails_cleanly(engine, NoSuchRestorePoint, "ORA-38780"):
        engine.drop_restore_point("t")
    with fails_cleanly(engine, NoSuchRestorePoint, "ORA-38780"):
        engine.restore_point_scn("t")


def test_restore_points_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "rp.duckdb"
    with TemporalEngine(path) as engine:
        engine.create_temporal_table(TemporalTable("t", {"id": "INTEGER"}))
        engine.insert("t", {"id": 1})
        point = engine.create_restore_point("keep")
        engine.insert("t", {"id": 2})
    with TemporalEngine(path) as engine:
        assert engine.restore_points() == [point]
        engine.flashback_tables(["t"], restore_point="keep")
        assert engine.fetch("SELECT id FROM t") == [(1,)]


def test_restore_point_rolls_back_with_its_transaction(engine: TemporalEngine) -> None:
    with pytest.raises(RuntimeError), engine.transaction():
        engine.create_restore_point("gone")
        assert [p.name for p in engine.restore_points()] == ["gone"]  # its own change
        raise RuntimeError
    assert engine.restore_points() == []


# --- the recycle bin as a whole ------------------------------------------------------------


def test_bin_tables_are_read_only(engine: TemporalEngine, two: int) -> None:
    engine.drop_table("a")
    [entry] = engine.recycle_bin()
    assert engine.readable_table(entry.bin_name.lower()).name == "a"
    assert engine.readable_table("b").name == "b"
    for change in (lambda: engine.insert(entry.bin_name, {"id": 5}),
                   lambda: engine.delete_where(entry.bin_name),
                   lambda: engine.add_column(entry.bin_name, "w", "INTEGER"),
                   lambda: engine.drop_table(entry.bin_name)):
        with fails_cleanly(engine, RecycleBinObject, "ORA-38301"):
            change()
    with fails_cleanly(engine, NoSuchTable, "ORA-00942"):
        engine.readable_table("a")


def test_purge_recycle_bin(engine: TemporalEngine, two: int) -> None:
    engine.drop_table("a")
    engine.drop_table("b")
    scn = engine.current_scn()
    assert engine.purge_recycle_bin() == 2
    assert engine.recycle_bin() == [] and engine.current_scn() == scn + 1
    assert [k for k in db_state(engine)["physical"] if k.startswith("helios_data.")] == []
    assert engine.purge_recycle_bin() == 0
    assert engine.current_scn() == scn + 1  # nothing to purge: no transaction


def test_purge_by_name_takes_the_oldest_and_keeps_the_new_tables_view(
        engine: TemporalEngine) -> None:
    for generation in (1, 2):
        engine.create_temporal_table(TemporalTable("g", {"gen": "INTEGER"}))
        engine.insert("g", {"gen": generation})
        engine.drop_table("g")
    engine.create_temporal_table(TemporalTable("g", {"gen": "INTEGER"}))
    engine.insert("g", {"gen": 3})
    newest, oldest = engine.recycle_bin()
    engine.purge_table("g")
    assert engine.recycle_bin() == [newest] and oldest.dropped_scn < newest.dropped_scn
    # the live table's DuckDB view (main.g) is not the purged object's
    assert engine.backend.cursor().execute("SELECT gen FROM main.g").fetchall() == [(3,)]
    engine.purge_table(newest.bin_name.lower())
    assert engine.recycle_bin() == []
