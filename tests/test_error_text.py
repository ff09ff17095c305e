"""Error text without Python or DuckDB internals, and a caret wherever there is a position."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

import heliosql
from heliosql.cli import main
from heliosql.errors import DataError, NoSuchTable
from heliosql.parsing.diagnostics import EXCERPT_WIDTH, caret_excerpt
from heliosql.storage.errors import sql_text
from heliosql.storage.suggest import close_enough, did_you_mean


@pytest.fixture(scope="module")
def conn() -> heliosql.Connection:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE emp (id INTEGER PRIMARY KEY, name VARCHAR)")
    return conn


@pytest.mark.parametrize("sql", [
    "DROP TABLE nope",
    "INSERT INTO nope VALUES (1)",
    "UPDATE nope SET a = 1",
    "DELETE FROM nope",
    "TRUNCATE TABLE nope",
    "FLASHBACK TABLE emp, nope TO SCN 1",
    "FLASHBACK TABLE nope TO BEFORE DROP",
    'DROP TABLE "nope"',
])
def test_a_missing_table_is_pointed_at(conn: heliosql.Connection, sql: str) -> None:
    with pytest.raises(heliosql.ProgrammingError) as info:
        conn.execute(sql)
    assert info.value.position == sql.index("nope") - sql[:sql.index("nope")].endswith('"')


def test_a_mask_error_names_the_mask_and_points_at_it(conn: heliosql.Connection) -> None:
    sql = "SELECT TO_DATE('2024/01/02', 'YYYY-MM-DD') AS d FROM dual"
    with pytest.raises(DataError) as info:
        conn.execute(sql)
    assert info.value.code == "ORA-01861"
    assert "%" not in str(info.value) and "'YYYY-MM-DD'" in str(info.value)
    assert info.value.position == sql.index("'2024/01/02'")  # the text that does not fit


def test_no_query_prefix(conn: heliosql.Connection) -> None:
    with pytest.raises(DataError) as info:
        conn.execute("SELECT CAST('x' AS INTEGER) FROM dual")
    assert not str(info.value).startswith("query")


@pytest.mark.parametrize(("value", "text"), [
    (None, "NULL"), (Decimal("2.5"), "2.5"), ("it's", "'it''s'"), (True, "TRUE"), (7, "7"),
    (date(2024, 1, 2), "DATE '2024-01-02'"),
    (datetime(2024, 1, 2, 3, 4, 5), "TIMESTAMP '2024-01-02 03:04:05'"),
])
def test_values_in_messages_are_written_as_sql(value: object, text: str) -> None:
    assert sql_text(value) == text


def test_scn_and_xid_messages_show_sql_values(conn: heliosql.Connection) -> None:
    for sql, shown in [("SELECT * FROM emp AS OF SCN NULL", "NULL is not"),
                       ("SELECT * FROM emp AS OF SCN 2.5", "2.5 is not"),
                       ("FLASHBACK TRANSACTION 'x' BACKOUT", "'x' is not a transaction id")]:
        with pytest.raises(heliosql.Error) as info:
            conn.execute(sql)
        assert shown in str(info.value)
        assert "None" not in str(info.value) and "Decimal" not in str(info.value)


@pytest.mark.parametrize(("name", "candidate", "close"), [
    ("ordrs", "orders", True), ("emq", "emp", True), ("tt", "t", True), ("emp", "employees", True),
    ("y", "x", False), ("zzzzz", "emp", False), ("customer", "orders", False),
    ("shipments", "shipment_lines", False), ("shipmnts", "shipments", True),
])
def test_only_close_names_are_suggested(name: str, candidate: str, close: bool) -> None:
    assert close_enough(name, candidate) is close
    assert bool(did_you_mean(name, [candidate])) is close


def test_recycle_bin_hint_names_the_drop() -> None:
    conn = heliosql.connect(autocommit=True)
    conn.execute("CREATE TABLE gone (a INTEGER)")
    conn.execute("DROP TABLE gone")
    scn = conn.execute("SELECT current_scn FROM v$database").fetchone()[0]
    with pytest.raises(NoSuchTable, match=rf"it was dropped at SCN {scn}: FLASHBACK TABLE gone "
                                          "TO BEFORE DROP restores it"):
        conn.execute("SELECT * FROM gone")


def test_a_long_line_shows_a_window_around_the_caret() -> None:
    line = "SELECT " + ", ".join(f"column_{i}" for i in range(40)) + " FROM nope"
    shown, caret = caret_excerpt(line, line.index("nope")).split("\n")
    assert len(shown) <= EXCERPT_WIDTH + 8 and shown.startswith("  ...")
    assert shown[caret.index("^"):].startswith("nope")
    assert caret_excerpt("SELECT 1", 7) == "  SELECT 1\n         ^"


def test_flashback_table_error_has_a_caret_in_a_script(capsys, tmp_path) -> None:
    path = tmp_path / "s.sql"
    path.write_text("CREATE TABLE a (x INTEGER);\nFLASHBACK TABLE a, b\n  TO SCN 1;\n")
    assert main(["--quiet", "-f", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{path}:2:20: error: ProgrammingError (ORA-00942): table 'b' does not exist",
        "  FLASHBACK TABLE a, b",
        "                     ^",
    ]
