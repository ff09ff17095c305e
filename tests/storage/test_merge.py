"""engine.merge: the storage side of MERGE (SQL in, history written like other DML)."""

from __future__ import annotations

import pytest

from heliosql.storage import (
    DataError,
    DuplicateKey,
    MergeResult,
    MergeSpec,
    NoSuchColumn,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
    VersionOperation,
    WhenMatched,
    WhenNotMatched,
)

from .conftest import fails_cleanly

INS, UPD, DEL = VersionOperation.INSERT, VersionOperation.UPDATE, VersionOperation.DELETE
SOURCE = "SELECT * FROM (VALUES (1, 50), (3, -300), (4, 40), (5, -5)) AS v(id, amount)"


@pytest.fixture
def acct(engine: TemporalEngine) -> TemporalEngine:
    engine.create_temporal_table(TemporalTable("acct", {"id": "INTEGER", "bal": "INTEGER"},
                                               primary_key="id"))
    engine.insert_batch("acct", [{"id": i, "bal": 100 * i} for i in (1, 2, 3)])
    return engine


def current(engine: TemporalEngine) -> list[tuple]:
    return engine.backend.cursor().execute("SELECT * FROM acct ORDER BY id").fetchall()


def oracle_merge(source: str = SOURCE) -> MergeSpec:
    """Oracle's update / delete where / insert where, as storage SQL."""
    return MergeSpec(source, "t.id = s.id", (
        WhenMatched({"bal": "t.bal + s.amount"}, delete_where="t.bal = 0"),
        WhenNotMatched(("id", "bal"), ("s.id", "s.amount"), condition="s.amount > 0"),
    ), source_alias="s", target_alias="t")


def test_merge_updates_deletes_and_inserts_in_one_transaction(acct: TemporalEngine) -> None:
    scn = acct.current_scn()
    result = acct.merge("acct", oracle_merge())
    # Row 3 was updated to 0 and then deleted: it counts once, as deleted.
    assert result == MergeResult(updated=1, deleted=1, inserted=1)
    assert result.rowcount == 3
    assert current(acct) == [(1, 150), (2, 200), (4, 40)]
    assert acct.current_scn() == scn + 1
    ops = {(v.key, v.operation, v.start_scn) for v in
           acct.query("acct", TemporalQuery.KeysHistory([1, 2, 3, 4]))}
    assert {(1, UPD, scn + 1), (3, DEL, scn + 1), (4, INS, scn + 1)} <= ops
    assert (2, UPD, scn + 1) not in ops
    # The delete marker carries the last committed values, not the intermediate update.
    marker = next(v for v in acct.query("acct", TemporalQuery.KeyHistory(3))
                  if v.operation is DEL)
    assert marker.columns == {"bal": 300}


def test_first_matching_clause_wins(acct: TemporalEngine) -> None:
    spec = MergeSpec("SELECT 1 AS id UNION ALL SELECT 2 UNION ALL SELECT 9", "t.id = s.id", (
        WhenMatched(condition="s.id = 2"),  # DELETE
        WhenMatched({"bal": "-1"}),
        WhenNotMatched(("id",), ("s.id",), condition="FALSE"),
        WhenNotMatched(("id", "bal"), ("s.id", "9")),
    ), source_alias="s", target_alias="t")
    assert acct.merge("acct", spec) == MergeResult(updated=1, deleted=1, inserted=1)
    assert current(acct) == [(1, -1), (3, 300), (9, 9)]


def test_unstable_source_changes_nothing(acct: TemporalEngine) -> None:
    source = "SELECT 1 AS id, 5 AS amount UNION ALL SELECT 1, 6"
    with fails_cleanly(acct, DataError, "ORA-30926"):
        acct.merge("acct", oracle_merge(source))


def test_a_failure_after_some_writes_changes_nothing(acct: TemporalEngine) -> None:
    spec = MergeSpec("SELECT 1 AS id UNION ALL SELECT 7", "t.id = s.id", (
        WhenMatched({"bal": "0"}),
        WhenNotMatched(("id",), ("2",)),  # key 2 exists
    ), source_alias="s", target_alias="t")
    with fails_cleanly(acct, DuplicateKey):
        acct.merge("acct", spec)


def test_unknown_columns_are_refused_before_writing(acct: TemporalEngine) -> None:
    spec = MergeSpec(SOURCE, "t.id = s.id", (WhenMatched({"balance": "1"}),),
                     source_alias="s", target_alias="t")
    with fails_cleanly(acct, NoSuchColumn, match="did you mean 'bal'"):
        acct.merge("acct", spec)


def test_rows_inserted_earlier_in_the_transaction_are_matched(acct: TemporalEngine) -> None:
    with acct.transaction():
        acct.insert("acct", {"id": 8, "bal": 1})
        acct.update_where("acct", {"bal": "bal + 1"}, "id = 1")
        result = acct.merge("acct", MergeSpec(
            "SELECT 8 AS id UNION ALL SELECT 1", "t.id = s.id",
            (WhenMatched({"bal": "t.bal * 10"}),), source_alias="s", target_alias="t"))
    assert result.updated == 2
    history = acct.query("acct", TemporalQuery.KeysHistory([1, 8]))
    latest = {v.key: (v.operation, v.columns["bal"]) for v in history if v.end_scn is None}
    assert latest == {1: (UPD, 1010), 8: (INS, 10)}


def test_rows_of_several_insert_clauses_get_distinct_row_ids(acct: TemporalEngine) -> None:
    spec = MergeSpec("SELECT 4 AS id UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7",
                     "t.id = s.id", (
                         WhenNotMatched(("id", "bal"), ("s.id", "0"), condition="s.id % 2 = 0"),
                         WhenNotMatched(("id", "bal"), ("s.id", "1")),
                     ), source_alias="s", target_alias="t")
    assert acct.merge("acct", spec).inserted == 4
    acct.insert("acct", {"id": 8})
    info = acct.table_info("acct")
    rowids = acct.backend.cursor().execute(f"SELECT __rowid FROM {info.current}").fetchall()
    assert sorted(r[0] for r in rowids) == list(range(1, 9))
