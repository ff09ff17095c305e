"""``heliosql -f / -c / stdin``: standard output, standard error and exit status."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import heliosql
from heliosql.cli import Options, main
from heliosql.cli.main import build_parser
from tests.cli.conftest import run

# Row 3 holds an empty string: '' is NULL in SQL, but DuckDB's repeat() makes one (as
# the storage API may store one), and the output must tell it from NULL.
SETUP = """
CREATE TABLE t (id INTEGER PRIMARY KEY, s VARCHAR2(20), d NUMBER(10,2));
INSERT INTO t VALUES (1, '1e5', 1.50), (2, NULL, NULL), (3, repeat('x', 0), 2.00),
  (4, 'a,"b"', 0.10);
"""
QUERY = "SELECT id, s, d FROM t ORDER BY id;"




# --- formats -------------------------------------------------------------------------------


def test_table_format_keeps_values_as_they_are(capsys, script) -> None:
    status, out, err = run(capsys, "--quiet", "-f", script(SETUP + QUERY))
    assert (status, err) == (0, "")
    assert out.splitlines()[3:8] == [
        "|    1 | 1e5    |   1.50 |",
        "|    2 | <null> | <null> |",
        "|    3 |        |   2.00 |",
        '|    4 | a,"b"  |   0.10 |',
        "+------+--------+--------+",
    ]


def test_null_text_is_configurable(capsys, script) -> None:
    _, out, _ = run(capsys, "--null", "NULL", "-f", script(SETUP + QUERY))
    assert "|    2 | NULL  | NULL |" in out


def test_csv_reads_back_and_keeps_null_apart_from_empty(capsys, script) -> None:
    status, out, _ = run(capsys, "--format", "csv", "-f", script(SETUP + QUERY))
    assert status == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["id", "s", "d"], ["1", "1e5", "1.50"], ["2", "", ""], ["3", "", "2.00"],
        ["4", 'a,"b"', "0.10"],
    ]
    assert out.splitlines()[2:4] == ["2,,", '3,"",2.00']  # NULL is empty, '' is ""


def test_json_is_one_array_per_query_with_exact_numbers(capsys, script) -> None:
    _, out, _ = run(capsys, "--format", "json", "-f", script(SETUP + QUERY))
    rows = json.loads(out, parse_float=Decimal)
    assert rows[0] == {"id": 1, "s": "1e5", "d": Decimal("1.50")}
    assert rows[1] == {"id": 2, "s": None, "d": None}


def test_jsonl_is_one_object_per_line(capsys, script) -> None:
    _, out, _ = run(capsys, "--format", "jsonl", "-f", script(SETUP + QUERY))
    assert [json.loads(line)["id"] for line in out.splitlines()] == [1, 2, 3, 4]


def test_markdown_escapes_pipes(capsys, script) -> None:
    _, out, _ = run(capsys, "--format", "markdown", "-c", "SELECT 'a|b' AS v")
    assert out.splitlines() == ["| v    |", "|------|", "| a\\|b |", ""]


def test_timestamps_keep_precision_and_zone(capsys) -> None:
    _, out, _ = run(capsys, "--format", "csv", "-c",
                    "SELECT CAST('2024-01-02 03:04:05.000001+00' AS TIMESTAMP WITH TIME ZONE) AS t,"
                    " CAST('2024-01-02 03:04:05' AS TIMESTAMP) AS naive")
    aware, naive = out.splitlines()[1].split(",")
    # Shown in the session's zone, with its offset: the same instant whatever the zone.
    assert dt.datetime.fromisoformat(aware) == dt.datetime(2024, 1, 2, 3, 4, 5, 1, dt.UTC)
    assert naive == "2024-01-02 03:04:05.000000"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "table"])
def test_rows_fetched_in_chunks_print_the_same(capsys, monkeypatch, script, fmt: str) -> None:
    import heliosql.cli.repl.results as results

    path = script(SETUP + QUERY)
    whole = run(capsys, "--format", fmt, "-f", path)
    monkeypatch.setattr(results, "CHUNK_ROWS", 3)
    assert run(capsys, "--format", fmt, "-f", path) == whole


def test_statements_without_rows_print_feedback_unless_quiet(capsys, script) -> None:
    status, out, err = run(capsys, "-f", script(SETUP))
    assert (status, out, err) == (0, "Table created.\n4 rows created.\n", "")
    assert run(capsys, "--quiet", "-f", script(SETUP)) == (0, "", "")
    # Machine formats never get them: the output stays parseable.
    assert run(capsys, "--format", "csv", "-f", script(SETUP)) == (0, "", "")


# --- splitting and locating errors ---------------------------------------------------------


def test_semicolons_in_strings_identifiers_and_comments_do_not_split(capsys, script) -> None:
    text = """-- a comment; with a semicolon
SELECT 'a;b' AS "x;y" /* c; d */ ;
SELECT 2 AS two; -- trailing; comment
"""
    status, out, err = run(capsys, "--format", "csv", "-f", script(text))
    assert (status, err) == (0, "")
    assert out.splitlines() == ["x;y", "a;b", "two", "2"]


def test_error_is_located_in_the_file(capsys, script) -> None:
    path = script("CREATE TABLE t (id INTEGER);\n\nSELECT 1;\n\nSELECT id\n  FROM tt;\n")
    status, out, err = run(capsys, "-f", path)
    assert status == 1
    assert out.count("+") > 0  # SELECT 1 ran before the error
    assert err.splitlines() == [
        f"{path}:6:8: error: ProgrammingError (ORA-00942): table 'tt' does not exist; "
        "did you mean 't'?",
        "    FROM tt;",
        "         ^",
    ]


def test_syntax_error_on_line_five(capsys, script) -> None:
    path = script("SELECT 1;\nSELECT 2;\n\n-- next\nSELECT * FORM t;\n")
    status, _, err = run(capsys, "-f", path)
    assert status == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:5:10: error: ProgrammingError: syntax error: unexpected")
    assert err.splitlines()[1:] == ["  SELECT * FORM t;", "           ^"]


def test_stops_at_the_first_error_by_default(capsys, script) -> None:
    status, out, err = run(capsys, "--format", "csv", "-f",
                           script("SELECT 1 AS a;\nSELECT * FROM nope;\nSELECT 2 AS b;\n"))
    assert status == 1
    assert out.splitlines() == ["a", "1"]
    assert err.count(": error: ") == 1


def test_continue_on_error_runs_the_rest_and_still_fails(capsys, script) -> None:
    status, out, err = run(capsys, "--continue-on-error", "--format", "csv", "-f",
                           script("SELECT * FROM nope;\nSELECT 2 AS b;\nSELEC 3;\n"))
    assert status == 1
    assert out.splitlines() == ["b", "2"]
    assert err.count(": error: ") == 2


def test_continue_on_error_inside_a_transaction_undoes_only_the_failed_statement(
        capsys, tmp_path: Path, script) -> None:
    db = str(tmp_path / "shop.duckdb")
    status, _, err = run(capsys, db, "--continue-on-error", "-f", script(
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\n"
        "BEGIN;\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\n"
        "SELECT CAST('x' AS INTEGER) FROM dual;\nINSERT INTO t VALUES (2);\nCOMMIT;\n"))
    assert status == 1 and err.count(": error: ") == 2
    assert "Current transaction is aborted" not in err
    _, out, _ = run(capsys, db, "--format", "csv", "-c", "SELECT id FROM t ORDER BY id")
    assert out.splitlines() == ["id", "1", "2"]


def test_open_transaction_is_rolled_back_and_reported(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "shop.duckdb")
    assert run(capsys, db, "-c", "CREATE TABLE t (id INTEGER)")[0] == 0
    status, _, err = run(capsys, db, "-c", "BEGIN; INSERT INTO t VALUES (1);")
    assert status == 0
    assert "rolled back" in err
    status, out, _ = run(capsys, db, "--format", "csv", "-c", "SELECT count(*) AS n FROM t")
    assert out.splitlines() == ["n", "0"]


def test_interrupt_rolls_back_and_exits_130(capsys, monkeypatch, tmp_path: Path) -> None:
    import heliosql.cli.repl.results as results

    db = str(tmp_path / "shop.duckdb")
    run(capsys, db, "-c", "CREATE TABLE t (id INTEGER)")
    real_render = results.render_lines

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(results, "render_lines", interrupted)
    status, _, err = run(capsys, db, "-c", "BEGIN; INSERT INTO t VALUES (1); SELECT 1")
    assert status == 130
    assert "rolled back" in err and "interrupted" in err
    monkeypatch.setattr(results, "render_lines", real_render)
    _, out, _ = run(capsys, db, "--format", "csv", "-c", "SELECT count(*) AS n FROM t")
    assert out.splitlines() == ["n", "0"]


def test_explicit_transaction_commits(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "shop.duckdb")
    run(capsys, db, "-c", "CREATE TABLE t (id INTEGER); BEGIN; INSERT INTO t VALUES (1); COMMIT;")
    with heliosql.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)


# --- options -------------------------------------------------------------------------------


def test_echo_prints_each_statement_before_its_result(capsys) -> None:
    _, out, _ = run(capsys, "--echo", "--format", "csv", "-c",
                    "CREATE TABLE t (id INTEGER); SELECT 1 AS one")
    assert out.splitlines() == ["CREATE TABLE t (id INTEGER);", "SELECT 1 AS one;", "one", "1"]


def test_output_file_gets_the_results(capsys, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    status, out, _ = run(capsys, "--format", "csv", "--output", str(target), "-c", "SELECT 1 AS a")
    assert (status, out) == (0, "")
    assert target.read_text() == "a\n1\n"


def test_files_and_commands_run_in_order(capsys, script) -> None:
    first = script("CREATE TABLE t (id INTEGER);", "first.sql")
    second = script("INSERT INTO t VALUES (7);", "second.sql")
    _, out, _ = run(capsys, "--format", "csv", "-f", first, "-f", second,
                    "-c", "SELECT id FROM t")
    assert out.splitlines() == ["id", "7"]


def test_version(capsys) -> None:
    status, out, _ = run(capsys, "--version")
    assert (status, out) == (0, f"heliosql {heliosql.__version__}\n")


def test_help_lists_the_options(capsys) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for option in ("--format", "--output", "--echo", "--continue-on-error", "--null", "-f", "-c"):
        assert option in out


@pytest.mark.parametrize("argv", [["--format", "xml", "-c", "SELECT 1"], ["--bogus"]])
def test_usage_error_exits_2(capsys, argv: list[str]) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert "usage: heliosql" in err


def test_missing_script_exits_2_and_runs_nothing(capsys, tmp_path: Path) -> None:
    status, out, err = run(capsys, "-c", "SELECT 1", "-f", str(tmp_path / "missing.sql"))
    assert (status, out) == (2, "")
    assert err.startswith("heliosql: error: cannot read ")


def test_database_that_cannot_be_opened_exits_2(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    status, out, err = run(capsys, str(bad), "-c", "SELECT 1")
    assert (status, out) == (2, "")
    assert err.startswith("heliosql: error: cannot open database")


def test_unwritable_output_exits_2(capsys, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.csv"
    status, _, err = run(capsys, "--output", str(target), "-c", "SELECT 1")
    assert status == 2
    assert err.startswith("heliosql: error: cannot write ")


def test_no_script_on_a_terminal_starts_the_repl(capsys, monkeypatch) -> None:
    import heliosql.cli.repl as repl

    seen = {}

    def fake_repl(connection: heliosql.Connection, options: Options) -> int:
        seen["autocommit"], seen["options"] = connection.autocommit, options
        return 0

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(repl, "run_repl", fake_repl)
    assert main(["--null", "-", "--format", "csv"]) == 0
    assert seen == {"autocommit": True, "options": Options(
        database=":memory:", format="csv", output=None, echo=False, continue_on_error=False,
        null="-")}


def test_readme_documents_every_option() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    for action in build_parser()._actions:
        for option in action.option_strings:
            if option not in ("-h", "--file", "--command"):
                assert f"`{option}" in section or f", `{option}" in section, option


# --- the real program ----------------------------------------------------------------------


def test_script_on_standard_input() -> None:
    done = subprocess.run([sys.executable, "-m", "heliosql", "--format", "csv"],
                          input="SELECT 'piped;' AS v;\nSELECT * FROM nope;\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == "v\npiped;\n"
    assert done.stderr.startswith("<stdin>:2:15: error: ProgrammingError (ORA-00942)")
