"""Sequences through Python: threads, transactions and their rebuilds, reopening, the
storage API. The SQL rules are in ``tests/sql/sequences.test`` and ``identity.test``;
a process killed while it draws is in ``test_sequences_durability.py``."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import heliosql
from heliosql.storage import TemporalEngine
from heliosql.storage.errors import DataError, NoSuchSequence, ProgrammingError
from heliosql.storage.journal import unrepeatable
from heliosql.storage.sequences import SequenceOptions


def _numbers(cur: heliosql.Cursor, sql: str) -> list[int]:
    return [row[0] for row in cur.execute(sql).fetchall()]


def test_threads_never_draw_the_same_number(tmp_path: Path) -> None:
    path = str(tmp_path / "threads.duckdb")
    setup = heliosql.connect(path, autocommit=True)
    setup.execute("CREATE SEQUENCE s CACHE 5")
    setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, worker INTEGER)")
    drawn: list[list[int]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(6)

    def work(worker: int) -> None:
        mine: list[int] = []
        conn = heliosql.connect(path)  # autocommit off: inserts run in transactions
        try:
            start.wait()
            cur = conn.cursor()
            for round_ in range(15):
                mine += _numbers(cur, "SELECT s.NEXTVAL FROM range(3)")
                mine += _numbers(cur, f"INSERT INTO t SELECT s.NEXTVAL, {worker} FROM range(4) "
                                      "RETURNING id")
                if round_ % 3 == 0:
                    conn.rollback()  # the numbers stay drawn
                else:
                    conn.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            conn.close()
        drawn.append(mine)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    every = [n for mine in drawn for n in mine]
    assert len(every) == 6 * 15 * 7
    assert len(set(every)) == len(every)
    committed = _numbers(setup.cursor(), "SELECT id FROM t")
    assert len(committed) == 6 * 10 * 4 and set(committed) <= set(every)
    setup.close()


def test_a_failed_statement_keeps_its_numbers_drawn_and_rebuilds_keep_earlier_ones() -> None:
    conn = heliosql.connect()  # autocommit off: one transaction
    cur = conn.cursor()
    cur.execute("CREATE SEQUENCE s")
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR, n INTEGER)")
    conn.commit()
    cur.execute("INSERT INTO t VALUES (s.NEXTVAL, 'a', 0)")
    # Rows of a query: the journal keeps which row got which number.
    cur.execute("INSERT INTO t SELECT s.NEXTVAL, 'r' || x, x FROM (SELECT range AS x FROM "
                "range(200))")
    cur.execute("UPDATE t SET n = s.NEXTVAL WHERE v LIKE 'r1%'")
    cur.execute("MERGE INTO t USING (SELECT 'm' || range AS v FROM range(3)) src "
                "ON (t.v = src.v) WHEN NOT MATCHED THEN INSERT VALUES (s.NEXTVAL, src.v, -1)")
    before = cur.execute("SELECT id, v, n FROM t ORDER BY id").fetchall()
    last = cur.execute("SELECT s.CURRVAL FROM dual").fetchone()[0]
    assert len(before) == 204 and last == 200 + 1 + 111 + 3

    # The failing statement reaches DuckDB (a duplicate key), so the transaction is
    # rebuilt from its journal: every earlier statement runs again with its numbers.
    with pytest.raises(heliosql.IntegrityError):
        cur.execute("INSERT INTO t VALUES (1, 'dup', s.NEXTVAL)")
    assert cur.execute("SELECT id, v, n FROM t ORDER BY id").fetchall() == before
    # Its number is not given back.
    assert cur.execute("SELECT s.CURRVAL FROM dual").fetchone()[0] == last + 1
    assert cur.execute("SELECT s.NEXTVAL FROM dual").fetchone()[0] == last + 2

    # A second failure after more drawing rebuilds again, to the same state.
    cur.execute("UPDATE t SET n = s.NEXTVAL WHERE v = 'a'")
    state = cur.execute("SELECT id, v, n FROM t ORDER BY id").fetchall()
    with pytest.raises(heliosql.DataError):
        cur.execute("UPDATE t SET n = CAST(CASE WHEN id = 7 THEN 'x' ELSE '1' END AS INT)")
    assert cur.execute("SELECT id, v, n FROM t ORDER BY id").fetchall() == state

    # No statement of the journal calls a sequence function DuckDB would draw again.
    journal = conn._session.transaction.journal
    assert journal.entries
    assert all(unrepeatable(entry.text()) is None for entry in journal.entries)
    assert not any("nextval" in entry.text().lower() for entry in journal.entries)
    conn.commit()
    assert cur.execute("SELECT id, v, n FROM t ORDER BY id").fetchall() == state
    conn.close()


def test_a_rolled_back_transaction_does_not_give_numbers_back() -> None:
    conn = heliosql.connect()
    cur = conn.cursor()
    cur.execute("CREATE SEQUENCE s NOCACHE")
    cur.execute("CREATE TABLE t (id INTEGER)")
    conn.commit()
    cur.execute("INSERT INTO t SELECT s.NEXTVAL FROM range(5)")
    conn.rollback()
    assert _numbers(cur, "SELECT s.NEXTVAL FROM dual") == [6]
    # CURRVAL belongs to the connection, not to its transaction.
    assert _numbers(cur, "SELECT s.CURRVAL FROM dual") == [6]
    other = conn.engine  # a second connection shares the sequence, not CURRVAL
    with heliosql.Connection(other) as second:
        with pytest.raises(ProgrammingError, match="ORA-08002"):
            second.execute("SELECT s.CURRVAL FROM dual")
        assert second.execute("SELECT s.NEXTVAL FROM dual").fetchone() == (7,)
    conn.close()


def test_numbers_and_definitions_survive_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "reopen.duckdb")
    with heliosql.connect(path, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE cached CACHE 10")
        conn.execute("CREATE SEQUENCE exact NOCACHE INCREMENT BY 5")
        conn.execute("CREATE TABLE t (id INTEGER GENERATED AS IDENTITY, v VARCHAR)")
        assert _numbers(conn.cursor(), "SELECT cached.NEXTVAL FROM range(3)") == [1, 2, 3]
        assert _numbers(conn.cursor(), "SELECT exact.NEXTVAL FROM range(2)") == [1, 6]
        conn.execute("INSERT INTO t (v) VALUES ('a'), ('b')")
    with heliosql.connect(path, autocommit=True) as conn:
        cur = conn.cursor()
        # The numbers cached but not handed out are skipped, as in Oracle.
        assert _numbers(cur, "SELECT cached.NEXTVAL FROM dual") == [11]
        assert _numbers(cur, "SELECT exact.NEXTVAL FROM dual") == [11]
        cur.execute("INSERT INTO t (v) VALUES ('c')")
        assert cur.execute("SELECT id, v FROM t ORDER BY id").fetchall() == [
            (1, "a"), (2, "b"), (21, "c")]
        assert cur.execute("SELECT sequence_name, increment_by, cache_size FROM "
                           "user_sequences ORDER BY 1").fetchall() == [
            ("CACHED", 1, 10), ("EXACT", 5, 0), ("ISEQ$$_1", 1, 20)]


def test_a_read_only_database_draws_no_numbers(tmp_path: Path) -> None:
    path = str(tmp_path / "ro.duckdb")
    with heliosql.connect(path, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE s")
    with heliosql.connect(path, read_only=True) as conn:
        with pytest.raises(DataError, match="read-only"):
            conn.execute("SELECT s.NEXTVAL FROM dual")
        assert conn.execute("SELECT last_number FROM user_sequences").fetchone() == (1,)


def test_the_storage_api() -> None:
    engine = TemporalEngine(":memory:")
    info = engine.create_sequence("S", SequenceOptions(start=10, increment=10, max_value=30))
    assert (info.start, info.cache, info.cycle) == (10, 20, False)
    assert [engine.nextval("s") for _ in range(3)] == [10, 20, 30]
    with pytest.raises(DataError, match="ORA-08004"):
        engine.nextval("s")
    engine.alter_sequence("s", SequenceOptions(restart=True, start=15))
    assert engine.nextval("s") == 15
    # A draw fixes the first number, then hands out as many as a statement used.
    with engine.draw_sequences([engine.sequence("s")]) as draw:
        assert draw.base(engine.sequence("s")) == 25
        assert draw.take(1) == {info.token: 25}
    engine.drop_sequence("s")
    with pytest.raises(NoSuchSequence, match="ORA-02289"):
        engine.nextval("s")
    engine.close()


def test_a_sequence_past_bigint() -> None:
    """Oracle's numbers have 28 digits: they are HUGEINT in DuckDB, int in Python."""
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE SEQUENCE big START WITH 9999999999999999999999999990 CACHE 2")
    assert conn.execute("SELECT big.NEXTVAL FROM range(2)").fetchall() == [
        (9999999999999999999999999990,), (9999999999999999999999999991,)]
    conn.close()


def test_a_rebuild_keeps_the_numbers_an_added_identity_column_gave_existing_rows() -> None:
    conn = heliosql.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
    cur.execute("INSERT INTO t SELECT range FROM range(50)")
    cur.execute("ALTER TABLE t ADD id INTEGER GENERATED AS IDENTITY (START WITH 1000 CACHE 5)")
    before = cur.execute("SELECT k, id FROM t ORDER BY k").fetchall()
    assert sorted(row[1] for row in before) == list(range(1000, 1050))
    with pytest.raises(heliosql.IntegrityError):
        cur.execute("INSERT INTO t (k) VALUES (1)")  # rebuilds the transaction
    assert cur.execute("SELECT k, id FROM t ORDER BY k").fetchall() == before
    # The failed INSERT drew its number; the next row takes the one after it.
    cur.execute("INSERT INTO t (k) VALUES (100)")
    assert cur.execute("SELECT id FROM t WHERE k = 100").fetchone() == (1051,)
    conn.commit()
    conn.close()


def test_definitions_follow_other_connections_ddl_when_it_commits() -> None:
    """Committed definitions are kept between statements; sequence DDL shows in its own
    transaction at once and in every other connection once it commits."""
    reader = heliosql.connect(autocommit=True)
    writer = heliosql.Connection(reader.engine)  # autocommit off: DDL stays open
    reader.execute("CREATE SEQUENCE s")
    assert reader.execute("SELECT s.NEXTVAL FROM dual").fetchone() == (1,)
    writer.execute("ALTER SEQUENCE s INCREMENT BY 100")
    assert writer.execute("SELECT increment_by FROM user_sequences").fetchone() == (100,)
    assert reader.execute("SELECT s.NEXTVAL FROM dual").fetchone() == (2,)  # not committed
    writer.commit()
    assert reader.execute("SELECT s.NEXTVAL FROM dual").fetchone() == (102,)
    writer.execute("DROP SEQUENCE s")
    assert reader.execute("SELECT s.NEXTVAL FROM dual").fetchone() == (202,)
    writer.rollback()
    assert reader.execute("SELECT s.NEXTVAL FROM dual").fetchone() == (302,)
    writer.execute("DROP SEQUENCE s")
    writer.commit()
    with pytest.raises(NoSuchSequence):
        reader.execute("SELECT s.NEXTVAL FROM dual")
    writer.close()
    reader.close()
