"""DuckDB's file readers as FROM items (files written by the test), and error positions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import heliosql
from heliosql.errors import NoSuchFunction


@pytest.fixture
def cur() -> Iterator[heliosql.Cursor]:
    conn = heliosql.connect(autocommit=True)
    yield conn.cursor()
    conn.close()


def test_read_csv_with_named_arguments_and_a_bound_path(cur: heliosql.Cursor,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id;name\n1;ann\n2;bob\n")
    cur.execute("SELECT p.name FROM read_csv(:path, header := true, delim := ';') p "
                "WHERE p.id = :id", {"path": str(path), "id": 2})
    assert cur.fetchall() == [("bob",)]


def test_files_load_into_a_versioned_table(cur: heliosql.Cursor, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"id": 1, "v": "x"}\n{"id": 2, "v": "y"}\n')
    cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR2(10))")
    cur.execute("INSERT INTO t SELECT id, v FROM read_json(?)", [str(tmp_path / "a.json")])
    cur.execute("SELECT count(*) FROM glob(?) g, t", [str(tmp_path / "*.json")])
    assert cur.fetchall() == [(2,)]


def test_unknown_function_names_the_call_and_its_position(cur: heliosql.Cursor) -> None:
    sql = "SELECT * FROM range(2) r, Nope_Fn(1) n"
    with pytest.raises(NoSuchFunction, match="table function 'nope_fn' does not exist") as info:
        cur.execute(sql)
    assert info.value.code == "ORA-00904"
    assert info.value.position == sql.index("Nope_Fn")


def test_a_missing_file_points_at_the_call_that_reads_it(cur: heliosql.Cursor,
                                                         tmp_path: Path) -> None:
    (tmp_path / "here.csv").write_text("a\n1\n")
    here, gone = str(tmp_path / "here.csv"), str(tmp_path / "gone.csv")
    sql = f"SELECT * FROM read_csv('{here}') h,\n  read_csv('{gone}') g"
    with pytest.raises(heliosql.Error, match=r"gone\.csv") as info:
        cur.execute(sql)
    assert info.value.position == sql.index("read_csv('" + gone)


def test_a_quoted_text_found_elsewhere_gives_no_position(cur: heliosql.Cursor) -> None:
    """The message could be about the other use of the text: no guess is made."""
    with pytest.raises(heliosql.Error, match="'x'") as info:
        cur.execute("SELECT * FROM range('x') WHERE 'x' = 'x'")
    assert info.value.position is None
