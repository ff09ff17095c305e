"""Statement-level rollback through the DB-API: a failed statement undoes only itself.

The SQL cases (``tests/sql/statement_rollback.test``) cover the rules statement by
statement; these tests cover what needs Python: autocommit off, executemany,
a cancelled statement, threads, and a process killed in the middle of a
transaction that rolled statements back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import heliosql
from heliosql.storage import TemporalEngine


def _scn(conn: heliosql.Connection) -> int:
    return conn.execute("SELECT current_scn FROM v$database").fetchone()[0]


@pytest.fixture
def conn() -> heliosql.Connection:
    connection = heliosql.connect()
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR2(10))")
    connection.commit()
    yield connection
    connection.close()


def test_the_failed_statement_is_undone_and_commit_keeps_the_rest(
        conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    before = _scn(conn)
    cur.execute("INSERT INTO t VALUES (1, 'a')")
    with pytest.raises(heliosql.DataError) as failed:
        cur.execute("SELECT CAST('x' AS INT) FROM dual")
    assert "aborted" not in str(failed.value) and "ROLLBACK" not in str(failed.value)
    with pytest.raises(heliosql.IntegrityError):
        cur.execute("INSERT INTO t VALUES (1, 'again')")
    cur.execute("INSERT INTO t VALUES (2, 'b')")
    assert conn.in_transaction
    conn.commit()
    assert cur.execute("SELECT id, v FROM t ORDER BY id").fetchall() == [(1, "a"), (2, "b")]
    assert _scn(conn) == before + 1


def test_executemany_is_one_statement_and_names_the_failing_set(
        conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (1, 'a')")
    rows = [{"id": 1, "v": "x"}, {"id": 3, "v": "y"}, {"id": "three", "v": "z"}]
    with pytest.raises(heliosql.DataError, match=r"parameter set 3 of 3"):
        cur.executemany("UPDATE t SET v = :v WHERE id = :id", rows)
    # None of the sets stayed: the first one's update is undone too.
    assert cur.execute("SELECT v FROM t WHERE id = 1").fetchone() == ("a",)
    with pytest.raises(heliosql.IntegrityError, match=r"parameter set 2 of 2"):
        cur.executemany("INSERT INTO t SELECT :id, :v",
                        [{"id": 5, "v": "p"}, {"id": 1, "v": "q"}])
    conn.commit()
    assert cur.execute("SELECT id FROM t ORDER BY id").fetchall() == [(1,)]


def test_a_cancelled_statement_is_undone_and_the_transaction_goes_on(
        conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    cur.execute("INSERT INTO t VALUES (1, 'kept')")
    conn.execute("CREATE TABLE big (n BIGINT)")
    failure: list[BaseException] = []

    def long_insert() -> None:
        try:
            conn.execute("INSERT INTO big SELECT range FROM range(2000000000)")
        except heliosql.Error as exc:
            failure.append(exc)

    worker = threading.Thread(target=long_insert)
    worker.start()
    deadline = time.monotonic() + 30
    while worker.is_alive() and time.monotonic() < deadline:
        time.sleep(0.2)
        conn.engine.backend.interrupt()
    worker.join()
    assert failure and "nterrupt" in str(failure[0])
    cur.execute("INSERT INTO t VALUES (2, 'after')")
    conn.commit()
    assert cur.execute("SELECT id, v FROM t ORDER BY id").fetchall() == [(1, "kept"),
                                                                      (2, "after")]
    assert cur.execute("SELECT count(*) FROM big").fetchone() == (0,)


def test_savepoints_from_python(conn: heliosql.Connection) -> None:
    cur = conn.cursor()
    before = _scn(conn)
    cur.execute("SAVEPOINT start")  # autocommit off: the savepoint opens the transaction
    cur.execute("INSERT INTO t VALUES (1, 'a')")
    cur.execute("SAVEPOINT one")
    cur.execute("INSERT INTO t VALUES (2, 'b')")
    cur.execute("ROLLBACK TO SAVEPOINT one")
    assert cur.execute("SELECT id FROM t").fetchall() == [(1,)]
    cur.execute("ROLLBACK TO start")
    assert not conn.in_transaction  # back before the first write: lock and SCN given up
    with pytest.raises(heliosql.ProgrammingError) as unknown:
        cur.execute("ROLLBACK TO one")
    assert unknown.value.code == "ORA-01086"
    cur.execute("INSERT INTO t VALUES (3, 'c')")
    conn.commit()
    assert cur.execute("SELECT id FROM t").fetchall() == [(3,)]
    assert _scn(conn) == before + 1


def test_threads_with_failures_commit_exactly_their_work(tmp_path: Path) -> None:
    path = str(tmp_path / "threads.duckdb")
    setup = heliosql.connect(path, autocommit=True)
    setup.execute("CREATE TABLE w (thread INTEGER, n INTEGER, PRIMARY KEY (thread, n))")
    start = _scn(setup)
    rounds, workers = 15, 4
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            with heliosql.connect(path) as conn:
                cur = conn.cursor()
                for n in range(rounds):
                    cur.execute("INSERT INTO w VALUES (:t, :n)", {"t": thread, "n": n})
                    with pytest.raises(heliosql.IntegrityError):
                        cur.execute("INSERT INTO w VALUES (:t, :n)", {"t": thread, "n": n})
                    cur.execute("SAVEPOINT extra")
                    cur.execute("INSERT INTO w VALUES (:t, :n)", {"t": thread, "n": 1000 + n})
                    cur.execute("ROLLBACK TO extra")
                    conn.commit()
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    rows = setup.execute("SELECT thread, n FROM w ORDER BY thread, n").fetchall()
    assert rows == [(t, n) for t in range(workers) for n in range(rounds)]
    # One SCN per committed transaction, and each SCN wrote exactly one row.
    assert _scn(setup) == start + rounds * workers
    versions = setup.execute(
        "SELECT versions_startscn, count(*) FROM w VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE "
        "GROUP BY versions_startscn ORDER BY 1").fetchall()
    assert versions == [(start + i + 1, 1) for i in range(rounds * workers)]
    setup.close()


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    import heliosql
    conn = heliosql.connect(sys.argv[1])
    cur = conn.cursor()
    cur.execute("CREATE TABLE pairs (k INTEGER, side INTEGER, PRIMARY KEY (k, side))")
    conn.commit()
    k = 0
    while True:
        # Two rows per transaction, with a failed statement and a savepoint rollback
        # between them: a transaction is in the file with both rows or not at all.
        cur.execute("INSERT INTO pairs VALUES (:k, 0)", {"k": k})
        try:
            cur.execute("INSERT INTO pairs VALUES (:k, 0)", {"k": k})
        except heliosql.IntegrityError:
            pass
        cur.execute("SAVEPOINT s")
        cur.execute("INSERT INTO pairs VALUES (:k, 7)", {"k": k})
        cur.execute("ROLLBACK TO s")
        cur.execute("INSERT INTO pairs VALUES (:k, 1)", {"k": k})
        conn.commit()
        print("committed", k, flush=True)
        k += 1
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL needs POSIX")
def test_a_killed_process_keeps_whole_transactions_only(tmp_path: Path) -> None:
    path = tmp_path / "pairs.duckdb"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    committed: list[int] = []
    deadline = time.monotonic() + 120
    try:
        while len(committed) < 25 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            committed.append(int(line.split()[1]))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert len(committed) == 25
    with TemporalEngine(path) as engine:
        rows = engine.fetch("SELECT k, side FROM pairs ORDER BY k, side")
        keys = sorted({k for k, _ in rows})
        assert keys[:25] == committed  # every reported commit is there
        assert rows == [(k, side) for k in keys for side in (0, 1)]  # and only whole ones
        created = engine.fetch("SELECT min(scn) FROM helios.scn_log WHERE kind = 'DML'")[0][0]
        # One SCN per committed transaction (and one for the CREATE TABLE before them).
        assert engine.current_scn() == created + len(keys)
