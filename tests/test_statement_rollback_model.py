"""Random transactions with failing statements and savepoints, against a model.

Hypothesis draws sequences of INSERTs, UPDATEs (of one row and of all rows),
DELETEs, SAVEPOINTs, ROLLBACK TOs and COMMITs, many of them failing on a key or
a CHECK constraint. A Python dict plays Oracle: a failed statement changes
nothing, ROLLBACK TO restores the dict as it was at the savepoint. After every
statement the table must equal the model, and at the end there must be one SCN
per committed transaction that wrote (a write rolled back to a savepoint set
before it does not count). Checkpoints are taken after
short rebuilds here, so both ways of rebuilding are exercised.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heliosql
from heliosql.storage import transaction

KEYS = st.integers(0, 6)
DELTAS = st.integers(-6, 6)
NAMES = st.sampled_from(["a", "b", "c"])

STEPS = st.one_of(
    st.tuples(st.just("insert"), KEYS, st.integers(-1, 9)),
    st.tuples(st.just("update"), KEYS, DELTAS),
    st.tuples(st.just("update_all"), DELTAS, st.just(0)),
    st.tuples(st.just("delete"), KEYS, st.just(0)),
    st.tuples(st.just("savepoint"), NAMES, st.just(0)),
    st.tuples(st.just("rollback_to"), NAMES, st.just(0)),
    st.tuples(st.just("commit"), st.just(0), st.just(0)),
)


@dataclass
class Model:
    """What Oracle would hold: the committed rows, the open transaction's rows and
    its savepoints (name -> rows), in the order they were set."""

    committed: dict[int, int] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)
    wrote: bool = False  # a write statement of the open transaction succeeded
    savepoints: dict[str, tuple[dict[int, int], bool]] = field(default_factory=dict)
    commits_that_wrote: int = 0

    def apply(self, op: str, a: object, b: int) -> bool:
        """Change the model as the statement would; False when it must fail."""
        if op in ("insert", "update", "update_all", "delete"):
            ok = self._write(op, a, b)
            self.wrote = self.wrote or ok
            return ok
        if op == "savepoint":
            self.savepoints.pop(a, None)
            self.savepoints[a] = (dict(self.rows), self.wrote)
        elif op == "rollback_to":
            if a not in self.savepoints:
                return False
            names = list(self.savepoints)
            for later in names[names.index(a) + 1:]:
                del self.savepoints[later]
            rows, self.wrote = self.savepoints[a]
            self.rows = dict(rows)
        elif op == "commit":
            self.commits_that_wrote += self.wrote
            self.committed, self.wrote = dict(self.rows), False
            self.savepoints.clear()
        return True

    def _write(self, op: str, a: object, b: int) -> bool:
        rows = self.rows
        if op == "insert":
            if a in rows or b < 0:
                return False
            rows[a] = b
        elif op == "update" and a in rows:
            if rows[a] + b < 0:
                return False
            rows[a] += b
        elif op == "update_all":
            if any(v + a < 0 for v in rows.values()):
                return False
            self.rows = {k: v + a for k, v in rows.items()}
        elif op == "delete":
            rows.pop(a, None)
        return True


def _sql(op: str, a: object, b: int) -> tuple[str, dict[str, object]]:
    return {
        "insert": ("INSERT INTO t VALUES (:a, :b)", {"a": a, "b": b}),
        "update": ("UPDATE t SET v = v + :b WHERE id = :a", {"a": a, "b": b}),
        "update_all": ("UPDATE t SET v = v + :a", {"a": a}),
        "delete": ("DELETE FROM t WHERE id = :a", {"a": a}),
        "savepoint": (f"SAVEPOINT {a}", {}),
        "rollback_to": (f"ROLLBACK TO SAVEPOINT {a}", {}),
        "commit": ("COMMIT", {}),
    }[op]


@pytest.fixture(autouse=True)
def _early_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transaction, "_CHECKPOINT_AFTER", 4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, min_size=1, max_size=40))
def test_failed_statements_and_savepoints_match_the_model(steps: list) -> None:
    model = Model()
    with heliosql.connect() as conn:
        cur = conn.cursor()
        cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER CHECK (v >= 0))")
        conn.commit()
        start = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
        for op, a, b in steps:
            sql, params = _sql(op, a, b)
            expected_ok = model.apply(op, a, b)
            try:
                cur.execute(sql, params)
                assert expected_ok, f"{sql} {params} should have failed"
            except heliosql.Error as exc:
                assert not expected_ok, f"{sql} {params} failed: {exc}"
            got = dict(cur.execute("SELECT id, v FROM t").fetchall())
            assert got == model.rows, (op, a, b)
        cur.execute("COMMIT")
        model.apply("commit", 0, 0)
        assert dict(cur.execute("SELECT id, v FROM t").fetchall()) == model.committed
        scn = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
        assert scn - start == model.commits_that_wrote
