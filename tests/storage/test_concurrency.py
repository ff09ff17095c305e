"""Writers serialise on one lock, readers never block, the asyncio facade awaits engine calls."""

from __future__ import annotations

import asyncio
import threading

import pytest

from heliosql.storage import (
    AsyncTemporalEngine,
    FlashbackQuery,
    KeyNotFound,
    Row,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
    TransactionError,
)

from .conftest import FakeClock, db_state


def test_concurrent_writers_serialise(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable("c", {"id": "INT", "n": "INT"}, primary_key="id"))
    engine.insert("c", {"id": 1, "n": 0})
    start = engine.current_scn()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                with engine.transaction():
                    engine.update_where("c", {"n": "n + 1"}, "id = 1")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert engine.current_scn() == start + 100
    history = engine.query("c", TemporalQuery.KeyHistory(1))
    assert [v.columns["n"] for v in history] == list(range(101))
    # SCN order is commit order: consecutive SCNs, distinct XIDs, increasing times
    assert [v.start_scn for v in history] == list(range(start, start + 101))
    assert len({v.xid for v in history}) == 101
    times = [v.valid_from for v in history]
    assert times == sorted(times) and len(set(times)) == 101


def test_a_waiting_writer_times_out_and_leaves_nothing(clock: FakeClock) -> None:
    with TemporalEngine(":memory:", clock=clock, lock_timeout=0.05) as engine:
        engine.create_temporal_table(TemporalTable("orders"))
        engine.insert("orders", Row(b"a", {"v": b"1"}))
        outcome: dict[str, object] = {}

        def other() -> None:
            before = db_state(engine)
            # the other thread reads the committed state, unblocked ...
            outcome["read"] = engine.execute_flashback(
                "orders", FlashbackQuery.AsOfScn(engine.current_scn(), "orders")).rows
            # ... but cannot write while this thread's transaction holds the lock
            try:
                engine.insert("orders", Row(b"c", {"v": b"3"}))
            except TransactionError as exc:
                outcome["error"] = exc
            outcome["unchanged"] = db_state(engine) == before

        with engine.transaction():
            engine.insert("orders", Row(b"b", {"v": b"2"}))
            thread = threading.Thread(target=other)
            thread.start()
            thread.join()
        assert isinstance(outcome["error"], TransactionError)
        assert "write lock" in str(outcome["error"])
        assert outcome["unchanged"] is True
        assert [r.key for r in outcome["read"]] == [b"a"]  # type: ignore[attr-defined]
        # once the lock is free, the other thread writes
        thread = threading.Thread(target=lambda: engine.insert("orders", Row(b"c", {"v": b"3"})))
        thread.start()
        thread.join()
        rows = engine.execute_flashback("orders", FlashbackQuery.AsOfScn(
            engine.current_scn(), "orders")).rows
        assert [r.key for r in rows] == [b"a", b"b", b"c"]


def test_transactions_belong_to_their_thread(orders: TemporalEngine) -> None:
    seen: list[object] = []
    with orders.transaction():
        orders.insert("orders", Row(b"a", {"v": b"1"}))
        thread = threading.Thread(target=lambda: seen.append(orders.current_transaction()))
        thread.start()
        thread.join()
    assert seen == [None]


def test_async_facade(clock: FakeClock) -> None:
    async def main() -> AsyncTemporalEngine:
        async with await AsyncTemporalEngine.new(":memory:", clock=clock) as engine:
            await engine.create_temporal_table(TemporalTable("orders"))
            first = await engine.current_scn()
            clock.advance(seconds=1)
            await asyncio.gather(*(engine.insert("orders", Row(f"k{i}".encode(), {"v": b"1"}))
                                   for i in range(5)))
            assert await engine.current_scn() == first + 5
            rows = await engine.query("orders", TemporalQuery.AsOf(
                await engine.scn_to_timestamp(first + 5)))
            assert sorted(r.key for r in rows) == [f"k{i}".encode() for i in range(5)]
            with pytest.raises(KeyNotFound):
                await engine.delete("orders", b"missing")
            assert engine.backend is engine.engine.backend  # plain attributes pass through
        return engine

    engine = asyncio.run(main())
    assert engine.engine.closed


def test_async_facade_refuses_thread_bound_transactions(clock: FakeClock) -> None:
    async def main() -> None:
        async with await AsyncTemporalEngine.new(":memory:", clock=clock) as engine:
            await engine.create_temporal_table(TemporalTable("orders"))
            before = db_state(engine.engine)
            with pytest.raises(TransactionError, match="bound to a thread"):
                await engine.transaction()
            assert db_state(engine.engine) == before
            # no transaction was left behind on a worker thread: every call commits alone
            first = await engine.current_scn()
            for i in range(20):
                await engine.insert("orders", Row(f"k{i}".encode(), {"v": b"1"}))
            assert await engine.current_scn() == first + 20

    asyncio.run(main())
