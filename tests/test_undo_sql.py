"""UNDO_SQL of FLASHBACK_TRANSACTION_QUERY really undoes: run in UNDO_CHANGE# order it
puts every table back as it was before the transaction, whatever the column types."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import heliosql

TYPES = """CREATE TABLE typed (
    id INTEGER PRIMARY KEY, name VARCHAR2(20), amount NUMBER(12,3), ratio NUMBER,
    born DATE, seen TIMESTAMP WITH TIME ZONE, raw RAW(8), flag BOOLEAN, n BIGINT)"""
ROWS = """INSERT INTO typed VALUES
    (1, 'it''s', 12.5, 0.1, TIMESTAMP '1999-12-31 23:59:59.999999',
     TIMESTAMP '2024-03-01 10:00:00.5+02:00', HEXTORAW('00ff10'), true, 9007199254740993),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, 'x', -1, 1e-300, TIMESTAMP '2020-02-29 00:00:00', NULL, HEXTORAW(''), false, -1),
    (4, 'y', 0, 3, NULL, NULL, NULL, NULL, 4)"""


@pytest.fixture
def cur() -> Iterator[heliosql.Cursor]:
    conn = heliosql.connect(autocommit=True)
    cursor = conn.cursor()
    cursor.execute(TYPES)
    cursor.execute(ROWS)
    cursor.execute("CREATE TABLE pair (a INTEGER, b INTEGER, note VARCHAR, PRIMARY KEY (a, b))")
    cursor.execute("INSERT INTO pair VALUES (1, 1, 'one'), (1, 2, 'two')")
    yield cursor
    conn.close()


def _state(cur: heliosql.Cursor, scn: int | None = None) -> dict[str, list[tuple]]:
    clause = "" if scn is None else f" AS OF SCN {scn}"
    return {t: sorted(cur.execute(f"SELECT * FROM {t}{clause}").fetchall(), key=repr)
            for t in ("typed", "pair")}


def _undo(cur: heliosql.Cursor, xid: int) -> list[str]:
    cur.execute("""SELECT undo_sql FROM flashback_transaction_query
                   WHERE xid = :x AND operation <> 'BEGIN' ORDER BY undo_change#""", {"x": xid})
    return [row[0] for row in cur.fetchall()]


def _run(cur: heliosql.Cursor, statements: list[str]) -> int:
    before = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
    cur.execute("BEGIN")
    for sql in statements:
        cur.execute(sql)
    cur.execute("COMMIT")
    return before


def _xid_of(cur: heliosql.Cursor, scn: int) -> int:
    return cur.execute("SELECT DISTINCT xid FROM flashback_transaction_query "
                       "WHERE commit_scn = :s", {"s": scn}).fetchone()[0]


TRANSACTIONS = {
    "every kind of change": [
        "UPDATE typed SET name = 'new', amount = amount * 3, ratio = 2/3, raw = NULL, "
        "born = SYSDATE, seen = SYSTIMESTAMP, flag = NOT flag WHERE id IN (1, 3)",
        "DELETE FROM typed WHERE id IN (2, 4)",
        "INSERT INTO typed (id, name) VALUES (5, 'five')",
        "UPDATE pair SET note = NULL WHERE b = 1",
        "DELETE FROM pair WHERE b = 2",
    ],
    "key reuse and key changes": [
        "DELETE FROM typed WHERE id = 1",
        "INSERT INTO typed (id, name) VALUES (1, 'again')",
        "UPDATE typed SET id = 40 WHERE id = 4",
        "UPDATE pair SET b = 9 WHERE b = 2",
    ],
    "repeated changes of one row": [
        "UPDATE typed SET amount = amount + 1 WHERE id = 3",
        "UPDATE typed SET amount = amount + 1, name = 'z' WHERE id = 3",
        "INSERT INTO typed (id) VALUES (6)",
        "UPDATE typed SET name = 'six' WHERE id = 6",
        "UPDATE typed SET name = 'gone' WHERE id = 2",
        "DELETE FROM typed WHERE id = 2",
    ],
}


@pytest.mark.parametrize("statements", TRANSACTIONS.values(), ids=TRANSACTIONS.keys())
def test_undo_sql_restores_the_state(cur: heliosql.Cursor, statements: list[str]) -> None:
    before = _run(cur, statements)
    undo = _undo(cur, _xid_of(cur, before + 1))
    assert undo and all(sql.endswith(";") for sql in undo)
    _run(cur, undo)
    assert _state(cur) == _state(cur, before)


def test_view_and_storage_api_agree(cur: heliosql.Cursor) -> None:
    before = _run(cur, TRANSACTIONS["every kind of change"])
    xid = _xid_of(cur, before + 1)
    engine = cur.connection.engine
    # The view shows names as the dictionary does (created unquoted: upper-cased).
    api = sorted((c.table.upper(), c.operation, c.row_id)
                 for c in engine.transaction_changes(xid))
    cur.execute("SELECT table_name, operation, row_id FROM flashback_transaction_query "
                "WHERE xid = :x AND operation <> 'BEGIN'", {"x": xid})
    assert sorted(cur.fetchall()) == api
