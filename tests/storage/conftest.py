"""Fixtures for the storage engine's tests: a controllable clock, engines, state snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from heliosql.storage import HeliosError, TemporalEngine, TemporalTable

#: Where every fake clock starts: a fixed, timezone-aware instant.
EPOCH = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    """A clock the test moves by hand: ``clock()`` returns the current fake time."""

    def __init__(self, start: datetime = EPOCH):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` (or ``timedelta(**kwargs)``); returns the new time."""
        self.now += delta if delta is not None else timedelta(**kwargs)
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(clock: FakeClock) -> Iterator[TemporalEngine]:
    """An in-memory engine stamping commits with the fake clock."""
    with TemporalEngine(":memory:", clock=clock) as eng:
        yield eng


@pytest.fixture
def orders(engine: TemporalEngine) -> TemporalEngine:
    """``engine`` with the seed's key/columns table ``orders``."""
    engine.create_temporal_table(TemporalTable("orders", None, None))
    return engine


def db_state(engine: TemporalEngine) -> dict[str, Any]:
    """Everything the engine has stored: counters, catalog, every physical table's rows.

    Two equal states mean that nothing (data, history, SCN log, catalog) changed.
    """
    cur = engine.backend.cursor()
    tables = cur.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_schema IN ('helios', 'helios_data') AND table_type = 'BASE TABLE' "
        "ORDER BY ALL"
    ).fetchall()
    dump = {
        f"{schema}.{name}": sorted(map(repr, cur.execute(f'SELECT * FROM {schema}."{name}"')
                                       .fetchall()))
        for schema, name in tables
    }
    views = cur.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'VIEW' ORDER BY ALL"
    ).fetchall()
    return {
        "current_scn": engine.current_scn(),
        "last_xid": engine.last_xid,
        "tables": engine.list_tables(),
        "recycle_bin": engine.recycle_bin(),
        "views": views,
        "physical": dump,
    }


@contextmanager
def fails_cleanly(engine: TemporalEngine, error: type[HeliosError], code: str | None = None,
                  match: str | None = None) -> Iterator[pytest.ExceptionInfo]:
    """Expect ``error`` (with Oracle ``code``) and that the database did not change at all."""
    before = db_state(engine)
    with pytest.raises(error, match=match) as info:
        yield info
    if code is not None:
        assert info.value.code == code
    assert isinstance(info.value, HeliosError)
    assert db_state(engine) == before


def rows_by_key(rows: Any) -> dict[Any, dict[str, Any]]:
    """``{key: columns}`` of a list of ``VersionRow``."""
    return {r.key: dict(r.columns) for r in rows}
