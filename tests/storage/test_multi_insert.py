"""engine.insert_multi: the storage side of Oracle's INSERT ALL / INSERT FIRST."""

from __future__ import annotations

import pytest

from heliosql.storage import (
    DuplicateKey,
    MultiInsertSpec,
    MultiInsertTarget,
    TemporalEngine,
    TemporalTable,
)

from .conftest import fails_cleanly

SOURCE = "SELECT * FROM (VALUES (1, 5), (2, 50), (3, 500), (4, NULL)) AS v(id, amount)"


@pytest.fixture
def tables(engine: TemporalEngine) -> TemporalEngine:
    for name in ("small", "large"):
        engine.create_temporal_table(TemporalTable(
            name, {"id": "INTEGER", "amount": "INTEGER"}, primary_key="id"))
    return engine


def rows(engine: TemporalEngine, table: str) -> list[tuple]:
    return engine.backend.cursor().execute(
        f"SELECT id, amount FROM {table} ORDER BY id").fetchall()


def spec(first: bool) -> MultiInsertSpec:
    return MultiInsertSpec(SOURCE, ("amount > 10", "amount > 100", None), (
        MultiInsertTarget("small", ("id", "amount"), ("id", "amount * 10"), 0),
        MultiInsertTarget("large", ("id", "amount"), None, 1),
        MultiInsertTarget("small", ("id",), ("id + 100",), 2),
    ), first=first)


def test_insert_all_sends_a_row_to_every_branch_that_holds(tables: TemporalEngine) -> None:
    before = tables.current_scn()
    assert tables.insert_multi(spec(first=False)) == 5
    # Row 3 goes to both WHEN branches; 1 and 4 (NULL: no condition holds) to ELSE.
    assert rows(tables, "small") == [(2, 500), (3, 5000), (101, None), (104, None)]
    assert rows(tables, "large") == [(3, 500)]
    assert tables.current_scn() == before + 1  # one write


def test_insert_first_takes_the_first_branch_that_holds(tables: TemporalEngine) -> None:
    assert tables.insert_multi(spec(first=True)) == 4
    assert rows(tables, "small") == [(2, 500), (3, 5000), (101, None), (104, None)]
    assert rows(tables, "large") == []


def test_a_failing_target_undoes_every_target(tables: TemporalEngine) -> None:
    tables.insert_batch("large", [{"id": 3, "amount": 0}])
    with fails_cleanly(tables, DuplicateKey, "ORA-00001"):  # data, history, SCN log, catalog
        tables.insert_multi(spec(first=False))
    assert rows(tables, "small") == []
