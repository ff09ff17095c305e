"""Version relations say no more SQL than needed: the delete-marker branch only for a
table that may hold markers, the "started in the window" test only when a version
can start before the window. The answers stay the same either way."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import heliosql

VERSIONS = ("SELECT id, v, versions_operation AS op FROM t "
            "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE ORDER BY id, versions_startscn, op")


def _sql(conn: heliosql.Connection, query: str, params: dict | None = None) -> str:
    """The DuckDB SQL EXPLAIN shows for ``query``."""
    lines = [r[0] for r in conn.execute("EXPLAIN " + query, params or {})]
    return lines[lines.index("-- DuckDB SQL") + 1]


def _history(conn: heliosql.Connection) -> list[tuple]:
    return conn.execute(VERSIONS).fetchall()


def test_the_marker_branch_appears_with_the_first_delete(tmp_path: Path) -> None:
    path = str(tmp_path / "db.duckdb")
    reader = heliosql.connect(path, autocommit=True)
    reader.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    reader.execute("INSERT INTO t VALUES (1, 10), (2, 20)")
    reader.execute("UPDATE t SET v = 11 WHERE id = 1")
    assert "__deleted" not in _sql(reader, VERSIONS)
    assert _history(reader) == [(1, 10, "I"), (1, 11, "U"), (2, 20, "I")]
    writer = heliosql.connect(path, autocommit=True)  # another connection, same engine
    writer.execute("DELETE FROM t WHERE id = 2")
    assert "__deleted" in _sql(reader, VERSIONS)
    assert _history(reader)[-1] == (2, 20, "D")
    writer.close()
    reader.close()


def test_a_compiled_query_reads_markers_committed_after_it_was_compiled(tmp_path: Path) -> None:
    path = str(tmp_path / "db.duckdb")
    first = heliosql.connect(path, autocommit=True)
    first.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    first.execute("INSERT INTO t VALUES (1, 10), (2, 20)")
    other = heliosql.connect(path, autocommit=True)  # another connection, same engine
    key = "SELECT v, versions_operation FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE " \
          "WHERE id = :k ORDER BY versions_startscn, versions_operation"
    assert first.execute(key, {"k": 2}).fetchall() == [(20, "I")]
    other.execute("DELETE FROM t WHERE id = 2")
    assert first.execute(key, {"k": 2}).fetchall() == [(20, "I"), (20, "D")]
    other.close()
    first.close()


def test_markers_already_stored_are_found_after_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "db.duckdb")
    with heliosql.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
        conn.execute("CREATE TABLE clean (id INTEGER PRIMARY KEY, v INTEGER)")
        conn.execute("INSERT INTO t VALUES (1, 10), (2, 20)")
        conn.execute("INSERT INTO clean VALUES (1, 10)")
        conn.commit()
        conn.execute("DELETE FROM t WHERE id = 1")
    with heliosql.connect(path) as conn:
        assert "__deleted" in _sql(conn, VERSIONS)
        assert _history(conn) == [(1, 10, "I"), (1, 10, "D"), (2, 20, "I")]
        clean = "SELECT * FROM clean VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE"
        assert "__deleted" not in _sql(conn, clean)


def test_a_rolled_back_delete_leaves_no_marker() -> None:
    conn = heliosql.connect()
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    conn.execute("INSERT INTO t VALUES (1, 10)")
    conn.commit()
    conn.execute("DELETE FROM t")
    conn.rollback()
    assert _history(conn) == [(1, 10, "I")]  # the marker branch is read, and finds none
    conn.close()


def test_every_delete_notes_its_table() -> None:
    """Only ``Transaction.delete_rows`` may call ``dml.delete``: it notes the table as
    holding markers first, which version readers rely on."""
    storage = Path(heliosql.__file__).parent.parent / "storage"
    callers = sorted(p.name for p in storage.glob("*.py")
                     if re.search(r"\bdml\.delete\(", p.read_text()))
    assert callers == ["transaction.py"]


def test_the_started_test_only_when_a_version_can_start_before_the_window() -> None:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    conn.execute("INSERT INTO t VALUES (1, 10), (2, 20)")
    scn = conn.execute("SELECT current_scn FROM v$database").fetchone()[0]
    conn.execute("UPDATE t SET v = 11 WHERE id = 1")  # row 2 stays as inserted
    whole = "SELECT versions_startscn FROM t VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE"
    assert "CASE WHEN __start_scn >=" not in _sql(conn, whole)
    later = "SELECT versions_startscn FROM t VERSIONS BETWEEN SCN :s AND MAXVALUE " \
            "ORDER BY 1 NULLS FIRST"
    assert "CASE WHEN __start_scn >=" in _sql(conn, later, {"s": scn + 1})
    assert conn.execute(later, {"s": scn + 1}).fetchall() == [(None,), (scn + 1,)]


def test_readers_racing_the_first_deletes_see_every_marker(tmp_path: Path) -> None:
    """A version a reader sees ended by a delete comes with that delete's marker, also
    while the deletes that first put markers into the table are committing."""
    path = str(tmp_path / "db.duckdb")
    setup = heliosql.connect(path, autocommit=True)
    setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    setup.execute("INSERT INTO t SELECT i, i FROM range(40) AS r(i)")
    query = ("SELECT *, versions_endscn, versions_operation FROM t "
             "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE WHERE id = :k")
    done = threading.Event()
    problems: list[str] = []

    def read() -> None:
        reader = heliosql.connect(path, autocommit=True)
        while not done.is_set():
            for key in range(40):
                rows = reader.execute(query, {"k": key}).fetchall()
                ended = [r for r in rows if r[3] == "I" and r[2] is not None]
                markers = [r for r in rows if r[3] == "D"]
                if len(ended) != len(markers):
                    problems.append(f"key {key}: {rows}")
        reader.close()

    readers = [threading.Thread(target=read) for _ in range(2)]
    for thread in readers:
        thread.start()
    writer = heliosql.connect(path, autocommit=True)
    for key in range(40):
        writer.execute("DELETE FROM t WHERE id = :k", {"k": key})
    done.set()
    for thread in readers:
        thread.join()
    assert problems == []
    assert len(writer.execute(query, {"k": 7}).fetchall()) == 2
    writer.close()
    setup.close()
