"""``executemany``: set-based where that gives the same result as one statement per set.

Hypothesis draws parameter sets (keys from a small range, so they repeat; values
that break a CHECK constraint, so some sets fail) for UPDATE, DELETE, INSERT ...
ON CONFLICT and MERGE. One database runs them with ``executemany``, another one
set by set inside a savepoint (undone as a whole when a set fails, which is
what an executemany must do); the row counts, the failing set, the tables and
their histories must be equal.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heliosql
from heliosql.executors import batch

STATEMENTS = {
    "update": "UPDATE t SET v = v + :d, w = :w WHERE id = :id",
    "update_two": "UPDATE t SET v = :d WHERE id = :id AND v >= 0",
    "delete": "DELETE FROM t WHERE id = :id",
    "upsert": ("INSERT INTO t (id, v, w) VALUES (:id, :d, :w) "
               "ON CONFLICT (id) DO UPDATE SET v = t.v + excluded.v, w = excluded.w"),
    "upsert_nothing": "INSERT INTO t (id, v, w) VALUES (:id, :d, :w) ON CONFLICT DO NOTHING",
    "merge": ("MERGE INTO t USING (SELECT :id AS id, :d AS d, :w AS w FROM dual) s "
              "ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET t.v = t.v + s.d, t.w = s.w "
              "DELETE WHERE t.v > 40 "
              "WHEN NOT MATCHED THEN INSERT (id, v, w) VALUES (s.id, s.d, s.w)"),
}

SETS = st.lists(st.fixed_dictionaries({
    "id": st.integers(0, 7),
    "d": st.integers(-12, 12),
    "w": st.sampled_from(["a", "b", None]),
}), min_size=1, max_size=25)


def _database() -> heliosql.Connection:
    conn = heliosql.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER CHECK (v >= 0), "
                "w VARCHAR2(5))")
    cur.execute("INSERT INTO t VALUES (1, 5, 'x'), (2, 10, 'y'), (4, 0, NULL), (6, 20, 'z')")
    conn.commit()
    return conn


def _outcome(conn: heliosql.Connection) -> tuple[Any, ...]:
    conn.commit()
    cur = conn.cursor()
    rows = cur.execute("SELECT id, v, w FROM t ORDER BY id").fetchall()
    history = cur.execute(
        "SELECT id, v, w, versions_operation, versions_startscn, versions_endscn FROM t "
        "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE ORDER BY id, versions_startscn").fetchall()
    return rows, history


def _one_by_one(conn: heliosql.Connection, sql: str, sets: list[dict]) -> tuple[Any, ...]:
    cur = conn.cursor()
    cur.execute("SAVEPOINT before")
    total = 0
    for number, params in enumerate(sets, 1):
        try:
            cur.execute(sql, params)
        except heliosql.IntegrityError:
            cur.execute("ROLLBACK TO SAVEPOINT before")
            return ("failed", number), _outcome(conn)
        total += max(cur.rowcount, 0)
    return ("ok", total), _outcome(conn)


def _executemany(conn: heliosql.Connection, sql: str, sets: list[dict]) -> tuple[Any, ...]:
    cur = conn.cursor()
    try:
        cur.executemany(sql, sets)
    except heliosql.IntegrityError as exc:
        number = int(str(exc).rsplit("parameter set ", 1)[1].split()[0])
        return ("failed", number), _outcome(conn)
    return ("ok", cur.rowcount), _outcome(conn)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(STATEMENTS)), SETS)
def test_executemany_equals_one_statement_per_set(kind: str, sets: list[dict]) -> None:
    sql = STATEMENTS[kind]
    batched, single = _database(), _database()
    try:
        assert _executemany(batched, sql, sets) == _one_by_one(single, sql, sets)
    finally:
        batched.close()
        single.close()


@pytest.mark.parametrize("kind", sorted(STATEMENTS))
def test_each_statement_runs_set_based(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[object] = []
    real = batch.execute_batch

    def spy(*args: Any) -> object:
        result = real(*args)
        used.append(result)
        return result

    monkeypatch.setattr(batch, "execute_batch", spy)
    conn = _database()
    conn.cursor().executemany(STATEMENTS[kind], [{"id": 1, "d": 1, "w": "a"},
                                                 {"id": 3, "d": 2, "w": None}])
    assert used and used[0] is not None
    conn.close()


def test_statements_that_need_order_run_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[object] = []
    real = batch.execute_batch
    monkeypatch.setattr(batch, "execute_batch", lambda *a: used.append(real(*a)) or used[-1])
    conn = _database()
    cur = conn.cursor()
    # A subquery reads the table that earlier sets change: the order matters.
    cur.executemany("UPDATE t SET v = (SELECT max(v) FROM t) + 1 WHERE id = :id",
                    [{"id": 1}, {"id": 2}])
    assert used == [None]
    assert cur.execute("SELECT v FROM t WHERE id IN (1, 2) ORDER BY id").fetchall() == [
        (21,), (22,)]
    # Not pinned by the key: one by one too.
    cur.executemany("UPDATE t SET w = :w WHERE v > :v", [{"w": "p", "v": 0}])
    assert used == [None, None]
    conn.close()


def test_executemany_takes_any_iterable_and_arrow_tables() -> None:
    conn = _database()
    cur = conn.cursor()
    cur.executemany("INSERT INTO t VALUES (:1, :2, :3)", ((i, i, "g") for i in range(10, 13)))
    assert cur.rowcount == 3
    cur.executemany_arrow("UPDATE t SET w = :w WHERE id = :id",
                          pa.table({"id": [10, 11], "w": ["u", "v"]}))
    assert cur.rowcount == 2
    reader = pa.table({"ID": [12]}).to_reader()
    cur.executemany_arrow("DELETE FROM t WHERE id = :id", reader)
    assert cur.rowcount == 1
    pandas = pytest.importorskip("pandas")
    cur.executemany_arrow("INSERT INTO t VALUES (:id, :v, :w)",
                          pandas.DataFrame({"id": [20, 21], "v": [1, 2], "w": ["a", None]}))
    assert cur.execute("SELECT id, v, w FROM t WHERE id >= 10 ORDER BY id").fetchall() == [
        (10, 10, "u"), (11, 11, "v"), (20, 1, "a"), (21, 2, None)]
    conn.close()


def test_a_failing_set_is_named_and_undoes_only_the_executemany() -> None:
    conn = _database()
    cur = conn.cursor()
    cur.execute("UPDATE t SET w = 'kept' WHERE id = 1")
    with pytest.raises(heliosql.IntegrityError, match=r"parameter set 3 of 3"):
        cur.executemany("UPDATE t SET v = v - :d WHERE id = :id",
                        [{"id": 2, "d": 1}, {"id": 6, "d": 1}, {"id": 4, "d": 1}])
    conn.commit()
    assert cur.execute("SELECT id, v, w FROM t ORDER BY id").fetchall() == [
        (1, 5, "kept"), (2, 10, "y"), (4, 0, None), (6, 20, "z")]
    conn.close()


def test_set_based_on_a_file_database_in_autocommit(tmp_path: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[object] = []
    real = batch.execute_batch
    monkeypatch.setattr(batch, "execute_batch", lambda *a: used.append(real(*a)) or used[-1])
    with heliosql.connect(str(tmp_path / "file.duckdb"), autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id NUMBER(18) PRIMARY KEY, v NUMBER(18))")
        conn.execute("INSERT INTO t SELECT range, 1 FROM range(1000)")
        pending = conn.execute("SELECT * FROM t")  # rows left unread
        cur = conn.cursor()
        cur.executemany("UPDATE t SET v = :v WHERE id = :id",
                        [{"id": i, "v": 2} for i in range(0, 1000, 10)])
        assert used and used[0] is not None and cur.rowcount == 100
        assert len(pending.fetchall()) == 1000
