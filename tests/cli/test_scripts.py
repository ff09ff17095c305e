"""Scripts through ``main()``: dot commands, ``\\gset`` and ``-v`` in ``-f`` scripts, SQL*Plus
client commands, psql's backslash commands, ``.help TOPIC``, and errors located in files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import heliosql
from heliosql.cli.repl import topics
from tests.cli.conftest import run

# --- what -f shares with .read ----------------------------------------------------------------


def test_dot_commands_gset_and_variables_in_a_script(capsys, script) -> None:
    path = script(".mode csv\n"
                  "SELECT 41 AS n FROM dual \\gset\n"
                  "SELECT :n + 1 AS answer, :who AS who FROM dual;\n")
    status, out, err = run(capsys, "-v", "who=ann", "-f", path)
    assert (status, err) == (0, "")
    assert out.splitlines() == ["answer,who", "42,ann"]


def test_gset_of_several_rows_is_a_located_error(capsys, script) -> None:
    path = script("SELECT 1 AS a FROM dual;\nSELECT range AS n FROM range(2) \\gset\n"
                  "SELECT 'not reached' AS m FROM dual;\n")
    status, out, err = run(capsys, "--quiet", "--format", "csv", "-f", path)
    assert status == 1 and "not reached" not in out
    assert err.startswith(f"{path}:2:1: error: \\gset: the query must return exactly one row; "
                          "it returned 2 rows")


def test_bad_variable_option_is_a_usage_error(capsys) -> None:
    status, _, err = run(capsys, "-v", "novalue", "-c", "SELECT 1")
    assert status == 2 and "-v takes NAME=VALUE" in err


def test_read_errors_carry_file_line_and_column(capsys, script) -> None:
    inner = script("SELECT 1 AS one FROM dual;\n\nSELECT *\n  FROM missing;\n", "inner.sql")
    outer = script(f".read {inner}\nSELECT 'not reached' AS m FROM dual;\n", "outer.sql")
    status, out, err = run(capsys, "--quiet", "--format", "csv", "-f", outer)
    assert status == 1
    assert out.splitlines() == ["one", "1"]  # the outer script stopped with the inner one
    assert err.splitlines() == [
        f"{inner}:4:8: error: ProgrammingError (ORA-00942): table 'missing' does not exist",
        "    FROM missing;",
        "         ^",
    ]


def test_a_bad_command_in_a_script_is_located_too(capsys, script) -> None:
    path = script("SELECT 1 AS a FROM dual;\n.mode bogus\n")
    status, _, err = run(capsys, "-f", path)
    assert status == 1
    assert err.startswith(f"{path}:2:1: error: usage: .mode ")


# --- psql's habits ------------------------------------------------------------------------------


def test_backslash_commands_are_the_dot_commands(capsys, tmp_path: Path, script) -> None:
    inner = script("SELECT 'from i' AS m FROM dual;\n", "inner.sql")
    target = tmp_path / "out.txt"
    path = script("CREATE TABLE emp (id INTEGER, name VARCHAR2(9));\n"
                  "\\dt\n"
                  "\\d emp\n"
                  f"\\o {target}\n"
                  "SELECT 7 AS seven FROM dual;\n"
                  "\\o\n"
                  f"\\i {inner}\n"
                  "\\x\n"
                  "SELECT 1 AS a, 2 AS b FROM dual;\n"
                  "\\x\n"
                  "help\n")
    status, out, err = run(capsys, "--quiet", "-f", path)
    assert (status, err) == (0, "")
    assert out.startswith("emp\nemp:\n")  # \dt lists, \d NAME describes
    assert "seven" in target.read_text() and "seven" not in out
    assert "from i" in out
    assert "-[ RECORD 1 ]" in out and "a | 1" in out  # \x switched to vertical records
    assert ".help [TOPIC]" in out


def test_unknown_backslash_command_points_at_the_dot_commands(capsys) -> None:
    status, _, err = run(capsys, "-c", "\\l")
    assert status == 1
    assert "unknown command \\l: heliosql's commands start with '.'" in err


def test_timing_counts_fetching_and_printing(capsys) -> None:
    status, out, _ = run(capsys, "--quiet", "-c", ".timing on\nSELECT 1 AS a FROM dual;")
    assert status == 0
    assert re.search(r"Run Time: \d+\.\d{3} s \(fetching and printing \d+\.\d{3} s\)", out)


# --- .help TOPIC and --help ---------------------------------------------------------------------


def test_help_topics_show_syntax_and_every_example_runs(capsys, script) -> None:
    status, out, _ = run(capsys, "-c", ".help flashback")
    assert status == 0
    assert out.startswith("Reading the past\n") and "AS OF SCN" in out
    examples = "\n".join(form.example for topic in topics.TOPICS.values()
                         for form in topic.forms)
    status, _, err = run(capsys, "--quiet", "-f", script(examples + "\n"))
    assert (status, err) == (0, "")
    status, _, err = run(capsys, "-c", ".help nonsense")
    assert status == 1 and "the topics: ddl, dml" in err
    for name in topics.TOPICS:  # fits a terminal
        assert max(len(line) for line in (topics.sheet(name) or "").splitlines()) <= 100


def test_help_ends_with_examples(capsys) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    tail = out.split("examples:", 1)[1]
    assert "heliosql shop.duckdb -f load.sql" in tail and "--readonly" in tail
    assert "path without a suffix" in out


# --- SQL*Plus client commands -------------------------------------------------------------------

SCOTT_LIKE = """\
REM a variant of Oracle's demonstration script
SET TERMOUT ON
PROMPT Building demonstration tables.  Please wait.
SET TERMOUT OFF
SET ECHO OFF
SET PAGESIZE 0
SET LINESIZE 200
SET VERIFY OFF
SET SERVEROUTPUT ON SIZE 1000000
SET DEFINE OFF;
CREATE TABLE dept (deptno NUMBER(2), dname VARCHAR2(14));
INSERT INTO dept VALUES (10, 'ACCOUNTING');
SELECT * FROM dept;
COMMIT;
SET TERMOUT ON
PROMPT Demonstration table build is complete.
EXIT
SELECT 'never run' FROM dual;
"""


def test_a_sqlplus_script_gets_through_its_client_commands(capsys, tmp_path, script) -> None:
    db = str(tmp_path / "scott.duckdb")
    status, out, err = run(capsys, db, "-f", script(SCOTT_LIKE))
    assert status == 0
    assert out == ("Building demonstration tables.  Please wait.\n"
                   "Demonstration table build is complete.\n")  # TERMOUT OFF hid the rest
    assert "never run" not in out and "error" not in err
    with heliosql.connect(db) as conn:
        assert conn.execute("SELECT dname FROM dept").fetchall() == [("ACCOUNTING",)]


def test_set_echo_feedback_and_heading(capsys, script) -> None:
    path = script("SET ECHO ON\nSET HEADING OFF\nSET FEEDBACK OFF\n"
                  "CREATE TABLE t (a INTEGER);\nSELECT 5 AS a FROM dual;\n"
                  "SET FEEDBACK 1\nSET ECHO OFF\nINSERT INTO t VALUES (1);\n"
                  "SELECT a FROM t;\n")
    status, out, _ = run(capsys, "-f", path)
    assert status == 0
    assert out.splitlines() == [
        "SET HEADING OFF", "SET FEEDBACK OFF", "CREATE TABLE t (a INTEGER);",
        "SELECT 5 AS a FROM dual;", "+-----+", "|   5 |", "+-----+", "",
        "SET FEEDBACK 1", "SET ECHO OFF",
        "1 row created.", "+-----+", "|   1 |", "+-----+", "1 row selected.", ""]


def test_slash_ends_a_statement_or_runs_the_last_one_again(capsys, script) -> None:
    path = script("CREATE TABLE t (a INTEGER)\n/\nINSERT INTO t VALUES (1);\n/\n"
                  "SELECT count(*) AS n FROM t\n/\n")
    status, out, err = run(capsys, "--quiet", "--format", "csv", "-f", path)
    assert (status, err) == (0, "")
    assert out.splitlines() == ["n", "2"]  # the INSERT ran twice


def test_spool_sends_results_to_a_file(capsys, tmp_path: Path, script) -> None:
    target = tmp_path / "report.lst"
    path = script(f"SPOOL {target}\nPROMPT report\nSELECT 1 AS a FROM dual;\nSPOOL OFF\n"
                  "SELECT 2 AS b FROM dual;\n")
    status, out, _ = run(capsys, "--quiet", "--format", "csv", "-f", path)
    assert status == 0
    assert target.read_text() == "report\na\n1\n"
    assert out == "b\n2\n"


@pytest.mark.parametrize(("whenever", "status"), [
    ("WHENEVER SQLERROR EXIT SQL.SQLCODE", 942 % 256),
    ("WHENEVER SQLERROR EXIT 7", 7),
    ("WHENEVER SQLERROR EXIT FAILURE", 1),
    ("WHENEVER SQLERROR EXIT", 1),
])
def test_whenever_sqlerror_exit(capsys, script, whenever: str, status: int) -> None:
    path = script(f"{whenever}\nSELECT 1 AS a FROM dual;\nSELECT * FROM missing;\n"
                  "SELECT 'not reached' AS m FROM dual;\n")
    got, out, err = run(capsys, "--continue-on-error", "--quiet", "--format", "csv", "-f", path)
    assert got == status
    assert "not reached" not in out
    assert err.startswith(f"{path}:3:15: error: ProgrammingError (ORA-00942)")


def test_whenever_sqlerror_continue_goes_on_where_heliosql_would_stop(capsys, script) -> None:
    path = script("WHENEVER SQLERROR CONTINUE\nDROP TABLE emp;\nSELECT 'reached' AS m FROM dual;\n"
                  "WHENEVER SQLERROR EXIT 3\nDROP TABLE emp;\nSELECT 'not reached' AS m;\n")
    status, out, err = run(capsys, "--quiet", "--format", "csv", "-f", path)
    assert status == 3
    assert out.splitlines() == ["m", "reached"]
    assert err.count(": error: ") == 2
    assert f"{path}:2:12: error: ProgrammingError (ORA-00942)" in err


def test_whenever_sqlerror_exit_rolls_back_unless_commit(capsys, tmp_path, script) -> None:
    db = str(tmp_path / "shop.duckdb")
    run(capsys, db, "-c", "CREATE TABLE t (a INTEGER PRIMARY KEY)")
    for action, kept in (("", 0), ("COMMIT", 1)):
        path = script(f"WHENEVER SQLERROR EXIT FAILURE {action}\nBEGIN;\n"
                      "INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);\n")
        status, _, err = run(capsys, db, "-f", path)
        assert status == 1
        assert ("rolled back" in err) is (action == "")
        with heliosql.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (kept,)


@pytest.mark.parametrize(("exit_line", "status", "kept"), [
    ("EXIT", 0, 0), ("EXIT COMMIT", 0, 1), ("QUIT 5 ROLLBACK", 5, 0), ("exit success commit", 0, 1),
])
def test_exit_ends_the_run_and_rolls_back_unless_commit(capsys, tmp_path, script,
                                                         exit_line: str, status: int,
                                                         kept: int) -> None:
    db = str(tmp_path / f"{kept}{status}.duckdb")
    run(capsys, db, "-c", "CREATE TABLE t (a INTEGER)")
    path = script(f"BEGIN;\nINSERT INTO t VALUES (1);\n{exit_line}\nCOMMIT;\n")
    got, _, _ = run(capsys, db, "-f", path)
    assert got == status
    with heliosql.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (kept,)


def test_exit_status_after_failures(capsys, script) -> None:
    path = script("SELECT * FROM missing;\nEXIT\n")
    assert run(capsys, "--continue-on-error", "-f", path)[0] == 1
    assert run(capsys, "--continue-on-error", "-f", script("SELECT * FROM missing;\n"
                                                           "EXIT SUCCESS\n"))[0] == 0
    # Failures the script said to expect (WHENEVER SQLERROR CONTINUE) do not count.
    path = script("WHENEVER SQLERROR CONTINUE\nSELECT * FROM missing;\nEXIT\n")
    assert run(capsys, "-f", path)[0] == 0
    path = script("WHENEVER SQLERROR CONTINUE\nSELECT * FROM missing;\n")
    assert run(capsys, "-f", path)[0] == 0


@pytest.mark.parametrize(("line", "message"), [
    ("SET ECHO MAYBE", "usage: SET ECHO ON|OFF"),
    ("WHENEVER OSERROR EXIT", "WHENEVER OSERROR is not supported"),
    ("EXIT soon", "'soon' is not an exit status"),
    ("SPOOL a b c", "usage: SPOOL file | SPOOL OFF"),
])
def test_bad_client_commands_are_located(capsys, script, line: str, message: str) -> None:
    path = script(f"SELECT 1 FROM dual;\n{line}\n")
    status, _, err = run(capsys, "-f", path)
    assert status == 1
    assert err.startswith(f"{path}:2:1: error: ") and message in err


def test_set_transaction_stays_sql(capsys) -> None:
    status, out, err = run(capsys, "-c", "BEGIN; SET TRANSACTION NAME 'x'; COMMIT;")
    assert (status, err) == (0, "")
    assert "Transaction set." in out


# --- opening the database -----------------------------------------------------------------------


def test_a_missing_folder_is_an_error_and_a_new_database_is_announced(capsys, tmp_path) -> None:
    status, _, err = run(capsys, str(tmp_path / "no" / "such" / "x.duckdb"), "-c", "SELECT 1")
    assert status == 2 and "folder" in err and "does not exist" in err
    assert not (tmp_path / "no").exists()
    typo = tmp_path / "shop.duckdbb"
    status, _, err = run(capsys, str(typo), "-c", "SELECT 1 AS a FROM dual")
    assert (status, err) == (0, f"Created a new database {typo}.\n")
    status, _, err = run(capsys, str(typo), "-c", "SELECT 1 AS a FROM dual")
    assert (status, err) == (0, "")  # it exists now: nothing to announce
    folder = tmp_path / "mydb"
    status, _, err = run(capsys, str(folder), "--quiet", "-c", "CREATE TABLE t (a INTEGER)")
    assert (status, err) == (0, "")  # --quiet: no notice
    assert (folder / "heliosql.duckdb").is_file()


def test_readonly_reads_and_refuses_writes(capsys, tmp_path) -> None:
    db = str(tmp_path / "shop.duckdb")
    status, _, err = run(capsys, "--readonly", db, "-c", "SELECT 1")
    assert status == 2 and "--readonly opens an existing database" in err
    run(capsys, db, "-c", "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);")
    status, out, _ = run(capsys, "--readonly", "--format", "csv", db, "-c", "SELECT a FROM t")
    assert (status, out) == (0, "a\n1\n")
    status, _, err = run(capsys, "--readonly", db, "-c", "INSERT INTO t VALUES (2)")
    assert status == 1 and "read-only" in err


HOLDER = """
import sys, heliosql
conn = heliosql.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("ready", flush=True)
sys.stdin.readline()
"""


def test_a_database_held_by_another_process(capsys, tmp_path) -> None:
    import subprocess
    import sys

    db = str(tmp_path / "shop.duckdb")
    run(capsys, db, "-c", "CREATE TABLE t (a INTEGER)")
    for mode, readonly_works in (("rw", False), ("ro", True)):
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, db, mode], text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
            status, _, err = run(capsys, db, "-c", "SELECT 1")
            assert status == 2
            assert f"(PID {holder.pid})" in err  # DuckDB's words name the process
            assert ("heliosql --readonly" in err) is readonly_works
            status, _, err = run(capsys, "--readonly", db, "-c", "SELECT count(*) FROM t")
            assert (status == 0) is readonly_works, err
        finally:
            holder.communicate("\n", timeout=30)
