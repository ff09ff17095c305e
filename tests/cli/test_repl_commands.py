"""Dot commands and the shell core, driven by feeding script lines (no terminal)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

import heliosql
from heliosql.cli.options import Options
from heliosql.cli.repl import commands
from heliosql.cli.repl.shell import Shell, entry_complete


class Driven:
    """A shell over an in-memory database with captured output."""

    def __init__(self, **options: object):
        self.connection = heliosql.connect(autocommit=True)
        self.out, self.err = io.StringIO(), io.StringIO()
        opts = Options(**{"database": ":memory:", "format": "table", "output": None,
                          "echo": False, "continue_on_error": False, **options})
        self.shell = Shell(self.connection, opts, stdout=self.out, stderr=self.err,
                           interactive=True)

    def run(self, script: str) -> str:
        """Feed ``script``; what it printed to stdout (errors are in ``self.err``)."""
        start = self.out.tell()
        self.keep_going = self.shell.feed_script(script)
        return self.out.getvalue()[start:]


@pytest.fixture
def repl() -> Iterator[Driven]:
    driven = Driven()
    driven.run("CREATE TABLE emp (id INTEGER PRIMARY KEY, name VARCHAR2(20));\n"
               "INSERT INTO emp VALUES (1, 'ann'), (2, NULL);")
    yield driven
    driven.shell.close()
    driven.connection.close()


def test_help_is_generated_from_the_registry() -> None:
    text = commands.help_text()
    for command in commands.REGISTRY.values():
        assert command.name in text and command.help in text
    assert {".help", ".tables", ".schema", ".mode", ".timing", ".nullvalue", ".output",
            ".read", ".scn", ".quit", ".set"} <= set(commands.REGISTRY)


def test_lookup_accepts_unambiguous_prefixes_and_aliases() -> None:
    assert commands.lookup(".tab").name == ".tables"
    assert commands.lookup(".exit").name == ".quit"
    with pytest.raises(commands.CommandError, match="did you mean"):
        commands.lookup(".t")
    with pytest.raises(commands.CommandError, match="unknown command"):
        commands.lookup(".nope")


def test_multi_line_statement_runs_when_complete(repl: Driven) -> None:
    typed = ""
    for line in ("SELECT name", "  FROM emp", " WHERE id = 1"):
        typed += line + "\n"
        assert not entry_complete(typed)  # no ';' yet: Enter starts a new line
    assert entry_complete(typed + ";")
    assert "ann" in repl.run(typed + ";")


def test_mode_and_nullvalue(repl: Driven) -> None:
    assert repl.run(".mode csv\nSELECT * FROM emp ORDER BY id;") == "id,name\n1,ann\n2,\n"
    repl.run(".mode table\n.nullvalue (none)")
    assert "(none)" in repl.run("SELECT * FROM emp WHERE id = 2;")
    repl.run(".mode bogus")
    assert "usage: .mode" in repl.err.getvalue()


def test_tables_schema_and_scn(repl: Driven) -> None:
    assert repl.run(".tables") == "emp\n"
    schema = repl.run(".schema emp")
    assert "emp:" in schema and "name" in schema
    repl.run(".schema emp; DROP TABLE emp")
    assert "is not a table name" in repl.err.getvalue()
    assert repl.run(".scn").startswith("SCN 3 committed at ")
    repl.run("BEGIN;\nCREATE TABLE mine (a INTEGER);")
    assert repl.run(".tables") == "emp\nmine\n"  # the open transaction's own table too


def test_variables_are_bind_parameters(repl: Driven) -> None:
    repl.run(".set who 1")
    assert "ann" in repl.run("SELECT name FROM emp WHERE id = :who;")
    # A value that looks like SQL stays a value: it is bound, never pasted into the text.
    repl.run(".set evil '1 OR 1 = 1'")
    assert "ann" not in repl.run("SELECT name FROM emp WHERE name = :evil;")
    assert "who = 1" in repl.run(".set")
    repl.run(".set greeting hello   world")
    assert repl.shell.variables["greeting"] == "hello   world"
    repl.run(".set greeting")
    assert "greeting" not in repl.shell.variables


def test_gset_captures_the_single_row(repl: Driven) -> None:
    repl.run("SELECT count(*) AS n, max(id) AS top FROM emp \\gset")
    assert repl.shell.variables["n"] == 2 and repl.shell.variables["top"] == 2
    repl.run("SELECT id FROM emp WHERE id = 1 \\gset e_")
    assert repl.shell.variables["e_id"] == 1
    repl.run("SELECT id FROM emp \\gset")
    assert "exactly one row; it returned 2 rows" in repl.err.getvalue()


def test_timing(repl: Driven) -> None:
    assert "Run Time:" in repl.run(".timing on\nSELECT 1 AS one FROM DUAL;")
    assert "Run Time:" not in repl.run(".timing off\nSELECT 1 AS one FROM DUAL;")
    assert repl.shell.last_elapsed is not None


def test_output_and_read(repl: Driven, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    script = tmp_path / "script.sql"
    script.write_text(".mode csv\nSELECT id\n  FROM emp\n ORDER BY id;\n")
    assert repl.run(f".output {target}\n.read {script}\n.output") == ""
    assert target.read_text() == "id\n1\n2\n"
    assert "ann" in repl.run(".mode table\nSELECT name FROM emp WHERE id = 1;")


def test_errors_name_the_class_and_point_at_the_token(repl: Driven) -> None:
    repl.run("SELECT * FROM nope;")
    assert repl.err.getvalue() == (
        "error: ProgrammingError (ORA-00942): table 'nope' does not exist\n"
        "  SELECT * FROM nope;\n"
        "                ^\n")
    assert repl.keep_going


def test_feedback_lines_after_ddl_dml_and_queries(repl: Driven) -> None:
    assert repl.run("UPDATE emp SET name = 'x';") == "2 rows updated.\n"
    assert repl.run("CREATE TABLE other (a INTEGER);") == "Table created.\n"
    assert repl.run("INSERT INTO other VALUES (1);") == "1 row created.\n"
    assert repl.run("BEGIN;\nSAVEPOINT s;") == "Transaction started.\nSavepoint created.\n"
    assert repl.run("DELETE FROM other;\nCOMMIT;") == "1 row deleted.\nCommit complete.\n"
    assert repl.run("SELECT * FROM other;").endswith("|-----|\n+-----+\nno rows selected\n")
    assert "rows selected" not in repl.run("SELECT * FROM emp;")  # SQL*Plus: from 6 rows on
    repl.run(".feedback 2")
    assert repl.run("SELECT * FROM emp;").endswith("+\n2 rows selected.\n")
    repl.run("DROP TABLE other;")
    assert repl.run("FLASHBACK TABLE other TO BEFORE DROP;") == "Flashback complete.\n"
    assert repl.run(".feedback off\nDROP TABLE other;") == ""
    assert repl.run("SELECT * FROM emp WHERE id < 0;").endswith("+\n")
    repl.run(".feedback on\n.mode csv")
    assert repl.run("UPDATE emp SET name = 'y';") == ""  # machine formats: results only


def test_quiet_option_turns_feedback_off() -> None:
    driven = Driven(quiet=True)
    assert driven.run("CREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES (1);") == ""
    driven.shell.close()


def test_quit_and_open_transaction_is_rolled_back(repl: Driven) -> None:
    repl.run("BEGIN;\nDELETE FROM emp;")
    assert repl.connection.in_transaction
    repl.run(".quit")
    assert repl.keep_going is False
    repl.shell.close()
    assert "The open transaction was rolled back." in repl.out.getvalue()
    assert repl.connection.execute("SELECT count(*) FROM emp").fetchone() == (2,)


@pytest.mark.parametrize(("text", "complete"), [
    ("SELECT 1", False), ("SELECT 1;", True), ("SELECT ';'", False), (".tables", True),
    ("", True), ("SELECT 1 \\gset", True), ("SELECT 1; -- done", True),
])
def test_entry_complete(text: str, complete: bool) -> None:
    assert entry_complete(text) is complete


def test_output_option_sends_results_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "results.txt"
    driven = Driven(output=str(target), format="csv")
    driven.run("SELECT 1 AS one FROM DUAL;")
    driven.shell.close()
    assert driven.out.getvalue() == ""
    assert target.read_text() == "one\n1\n"


def test_client_commands_at_the_prompt(repl: Driven) -> None:
    assert repl.run("PROMPT hello there") == "hello there\n"
    assert repl.run("REM nothing happens") == ""
    assert repl.run("SET FEEDBACK OFF\nCREATE TABLE quiet (a INTEGER);") == ""
    repl.run("SET FEEDBACK ON\nSET TIMING ON")
    assert "Run Time:" in repl.run("SELECT 1 AS a FROM dual;")
    repl.run("\\timing")  # psql's spelling switches it off again
    assert "Run Time:" not in repl.run("SELECT 1 AS a FROM dual;")
    assert repl.run("help").startswith(".help [TOPIC]")
    repl.run("exit")
    assert repl.keep_going is False


def test_an_error_in_a_typed_line_drops_only_the_rest_of_that_line(repl: Driven) -> None:
    out = repl.run("SELECT * FROM nope; SELECT 'skipped' AS s FROM dual;\n"
                   "SELECT 'next line' AS s FROM dual;")
    assert "skipped" not in out and "next line" in out


@pytest.mark.parametrize(("text", "complete"), [
    ("SET ECHO ON", True), ("SET TRANSACTION NAME 'x'", False), ("PROMPT hi", True),
    ("exit", True), ("\\d emp", True), ("SELECT 1\n/", True), ("help flashback", True),
    ("SELECT 1\nFROM dual", False),
])
def test_entry_complete_for_commands(text: str, complete: bool) -> None:
    assert entry_complete(text) is complete
