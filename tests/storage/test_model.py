"""Random transaction histories checked against a plain Python model of the visibility
and one-version-per-transaction rules.

Every committed SCN must read back exactly the model's state, and every committed
transaction must report exactly one version per row it changed (I, U or D, with
the final image; a D marker carries the last committed values; a deleted and
re-inserted key is a D of the old row plus an I of the new one).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heliosql.storage import FlashbackQuery, TemporalEngine, TemporalTable

KEYS = st.integers(min_value=1, max_value=6)
OPS = st.lists(st.tuples(st.sampled_from(["insert", "update", "delete", "upsert"]), KEYS,
                         st.integers(min_value=0, max_value=99)), min_size=1, max_size=6)
TRANSACTIONS = st.lists(st.tuples(OPS, st.booleans()), min_size=1, max_size=12)


def expected_versions(before: dict[int, int], ops: list[tuple[str, int, int]]
                      ) -> tuple[dict[int, int], set[tuple[str, int, int]]]:
    """Apply ``ops`` (skipping impossible ones) to ``before``; return the new state and
    the versions the transaction reports."""
    state = dict(before)
    touched: set[int] = set()
    original_deleted: set[int] = set()
    new_row: set[int] = set()  # keys whose present row was inserted by this transaction
    for op, key, value in ops:
        if op == "upsert":
            op = "update" if key in state else "insert"
        if op == "insert" and key not in state:
            state[key] = value
            new_row.add(key)
        elif op == "update" and key in state:
            state[key] = value
            touched.add(key)
        elif op == "delete" and key in state:
            del state[key]
            if key in new_row:
                new_row.discard(key)
            else:
                original_deleted.add(key)
    versions = set()
    for key in original_deleted:
        versions.add(("D", key, before[key]))
    for key in new_row:
        versions.add(("I", key, state[key]))
    for key in touched - original_deleted - new_row:
        if key in state:
            versions.add(("U", key, state[key]))
    return state, versions


def apply(engine: TemporalEngine, state: dict[int, int], ops: list[tuple[str, int, int]]
          ) -> None:
    """Run the possible ops through the engine (the model decides which are possible)."""
    for op, key, value in ops:
        if op == "upsert":
            engine.upsert("t", [{"k": key, "v": value}])
            state[key] = value
        elif op == "insert" and key not in state:
            engine.insert("t", {"k": key, "v": value})
            state[key] = value
        elif op == "update" and key in state:
            engine.update("t", key, {"v": value})
            state[key] = value
        elif op == "delete" and key in state:
            engine.delete("t", key)
            del state[key]


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(TRANSACTIONS)
def test_random_histories_match_the_model(transactions: list) -> None:
    with TemporalEngine(":memory:") as engine:
        engine.create_temporal_table(TemporalTable("t", {"k": "INT", "v": "INT"},
                                                   primary_key="k"))
        committed: dict[int, int] = {}
        states = {engine.current_scn(): {}}
        reported = {}
        for ops, commit in transactions:
            scn_before = engine.current_scn()
            with engine.transaction() as tx:
                apply(engine, dict(committed), ops)
                if not commit:
                    tx.rollback()
            if not commit or tx.scn is None:
                assert engine.current_scn() == scn_before
                continue
            committed, versions = expected_versions(committed, ops)
            assert tx.scn == scn_before + 1 == engine.current_scn()
            states[tx.scn] = dict(committed)
            reported[tx.xid] = versions
        for scn, state in states.items():
            rows = engine.execute_flashback("t", FlashbackQuery.AsOfScn(scn, "t")).rows
            assert {r.key: r.columns["v"] for r in rows} == state, scn
        for xid, versions in reported.items():
            result = engine.execute_versions("t", FlashbackQuery.FlashbackTransaction(xid, "t"))
            got = [(v.version_operation.code(), v.row.key, v.row.columns["v"])
                   for v in result.versions]
            assert len(got) == len(set(got))
            assert set(got) == versions, xid
