"""The real program in a pseudo-terminal: keys typed, the screen read back.

Each test starts ``python -m heliosql`` under pexpect and waits for text on the
screen (ANSI codes stripped), so it checks what a person would see: completion,
multi-line entry, Ctrl-C during a long statement, the toolbar's SCN, ``.mode``.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")
ENTER, TAB, CTRL_C, CTRL_D = "\r", "\t", "\x03", "\x04"
TIMEOUT = 15
CPR_REQUEST = "\x1b[6n"


class Terminal:
    """A heliosql REPL in a pty; ``wait_for`` reads the screen from where the last one matched."""

    def __init__(self, home: Path, **env_vars: str):
        env = {**os.environ, "HOME": str(home), "HELIOSQL_HISTORY": str(home / "history"),
               "PAGER": "cat", "TERM": "xterm", **env_vars}
        self.child = pexpect.spawn(sys.executable, ["-m", "heliosql"], cwd=str(ROOT), env=env,
                                   dimensions=(40, 120), encoding="utf-8", timeout=TIMEOUT)
        self.raw = ""
        self.mark = 0

    @property
    def screen(self) -> str:
        return ANSI.sub("", self.raw)

    def wait_for(self, pattern: str, timeout: float = TIMEOUT) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            match = re.compile(pattern).search(self.screen, self.mark)
            if match:
                self.mark = match.end()
                return match
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} not on screen; after the mark:\n"
                                     f"{self.screen[self.mark:]}")
            self._read()

    def _read(self) -> None:
        try:
            chunk = self.child.read_nonblocking(4096, timeout=0.2)
        except pexpect.TIMEOUT:
            return
        self.raw += chunk
        # prompt_toolkit asks where the cursor is (CPR) and shows the bottom toolbar only
        # once it knows the screen's height: answer as a terminal would.
        for _ in range(chunk.count(CPR_REQUEST)):
            self.child.send("\x1b[1;1R")

    def exit_status(self, timeout: float = TIMEOUT) -> int | None:
        """Wait for the program to end (answering the terminal queries meanwhile)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self._read()
            except pexpect.EOF:
                self.child.close()
                return self.child.exitstatus
        raise AssertionError(f"still running; the screen ends with:\n{self.screen[-500:]}")

    def type(self, text: str) -> None:
        self.child.send(text)

    def ready(self) -> None:
        """Wait for a new prompt: its toolbar (the redraw of an accepted entry has none)."""
        self.wait_for(r"Ctrl-D exits")

    def run(self, sql: str) -> None:
        """Type one line and Enter, then wait for the next prompt."""
        self.type(sql + ENTER)
        self.ready()

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    terminal = Terminal(tmp_path)
    terminal.wait_for(r"in-memory database")
    terminal.ready()
    yield terminal
    terminal.close()


def test_tab_completes_a_table_name_and_multi_line_entry(term: Terminal) -> None:
    term.run("CREATE TABLE employee_history (id INTEGER, note VARCHAR2(20));")
    term.run("INSERT INTO employee_history VALUES (7, 'seven');")
    term.type("SELECT note")
    term.type(ENTER)
    term.wait_for(r"\.\.\.>")  # no ';' yet: a continuation line
    term.type("  FROM employee_h")
    term.type(TAB)
    term.wait_for(r"employee_history")
    term.type(";" + ENTER)
    term.wait_for(r"\| seven\s+\|")


def test_ctrl_c_cancels_a_long_query_and_the_repl_stays(term: Terminal) -> None:
    term.run("CREATE TABLE t (x INTEGER);")
    term.run("INSERT INTO t WITH RECURSIVE r(n) AS (SELECT 1 FROM DUAL UNION ALL "
             "SELECT n + 1 FROM r WHERE n < 3000) SELECT n FROM r;")
    term.type("SELECT count(*) FROM t a, t b, t c;" + ENTER)  # 2.7e10 rows: minutes
    term.wait_for(r"\d+%|running")  # the progress bar, after a second
    started = time.monotonic()
    term.type(CTRL_C)
    term.wait_for(r"cancelled")
    assert time.monotonic() - started < 5
    term.ready()
    term.type("SELECT 42 AS answer FROM DUAL;" + ENTER)
    term.wait_for(r"\|\s+42 \|")


def test_a_failed_or_cancelled_statement_inside_a_transaction_undoes_only_itself(
        term: Terminal) -> None:
    term.run("CREATE TABLE t (id INTEGER PRIMARY KEY);")
    term.run("CREATE TABLE big (n BIGINT);")
    term.run("BEGIN;")
    term.run("INSERT INTO t VALUES (1);")
    term.type("INSERT INTO t VALUES (1);" + ENTER)
    term.wait_for(r"ORA-00001")
    term.wait_for(r"the statement was rolled back; the transaction goes on")
    term.wait_for(r"TRANSACTION OPEN")
    term.type("INSERT INTO big SELECT range FROM range(2000000000);" + ENTER)
    term.wait_for(r"\d+%|running")
    term.type(CTRL_C)
    term.wait_for(r"cancelled")
    term.wait_for(r"the statement was rolled back; the transaction goes on")
    term.ready()
    term.run("INSERT INTO t VALUES (2);")
    term.run("COMMIT;")
    term.type("SELECT (SELECT count(*) FROM t) AS kept, (SELECT count(*) FROM big) AS big "
              "FROM DUAL;" + ENTER)
    term.wait_for(r"\|\s+2 \|\s+0 \|")


def test_ctrl_c_at_the_prompt_clears_the_line(term: Terminal) -> None:
    term.type("SELECT this is not")
    term.type(CTRL_C)
    term.ready()
    term.type("SELECT 5 AS five FROM DUAL;" + ENTER)
    term.wait_for(r"\|\s+5 \|")
    assert "error" not in term.screen


def test_toolbar_shows_the_scn_and_the_transaction(term: Terminal) -> None:
    scn = int(re.findall(r"SCN (\d+) │ autocommit", term.screen)[-1])
    steps = [
        ("CREATE TABLE acct (id INTEGER, amount INTEGER);", rf"SCN {scn + 1} │ autocommit"),
        ("BEGIN;", rf"SCN {scn + 1} │ TRANSACTION OPEN"),
        ("INSERT INTO acct VALUES (1, 10);", rf"SCN {scn + 1} │ TRANSACTION OPEN"),
        ("COMMIT;", rf"SCN {scn + 2} │ autocommit │ last: \d+ ms"),
    ]
    for sql, toolbar in steps:
        term.type(sql + ENTER)
        term.wait_for(toolbar)


def test_mode_csv_changes_the_output(term: Terminal) -> None:
    term.run(".mode csv")
    term.type("SELECT 1 AS a, 'x' AS b FROM DUAL;" + ENTER)
    term.wait_for(r"\na,b\n1,x\n")
    term.run(".mode vertical")
    term.type("SELECT 1 AS a FROM DUAL;" + ENTER)
    term.wait_for(r"a\s*\|?\s*1")


def test_ctrl_d_rolls_back_an_open_transaction_and_exits(term: Terminal) -> None:
    term.run("CREATE TABLE t (x INTEGER);")
    term.run("BEGIN;")
    term.run("INSERT INTO t VALUES (1);")
    term.type(CTRL_D)
    term.wait_for(r"The open transaction was rolled back\.")
    assert term.exit_status() == 0


def test_tall_results_go_through_the_pager_and_wide_rows_print_vertically(tmp_path: Path
                                                                           ) -> None:
    term = Terminal(tmp_path, PAGER="sed 's/^/paged: /'")
    try:
        term.ready()
        term.type("WITH RECURSIVE r(n) AS (SELECT 1 FROM DUAL UNION ALL SELECT n + 1 FROM r "
                  "WHERE n < 60) SELECT n FROM r;" + ENTER)
        term.wait_for(r"paged: \|\s+60 \|")
        term.ready()
        wide = ", ".join(f"'{'v' * 20}' AS column_{i}" for i in range(8))  # > 120 columns
        term.type(f"SELECT {wide} FROM DUAL;" + ENTER)
        term.wait_for(r"column_7\s*\|?\s*v{20}")
    finally:
        term.close()


def test_history_is_kept_in_a_file(term: Terminal, tmp_path: Path) -> None:
    term.run("SELECT 'remember me' AS m FROM DUAL;")
    term.type(CTRL_D)
    assert term.exit_status() == 0
    assert "remember me" in (tmp_path / "history").read_text()


def test_ctrl_c_stops_a_read_script(term: Terminal, tmp_path: Path) -> None:
    script = tmp_path / "long.sql"
    script.write_text(
        "CREATE TABLE t (x INTEGER);\n"
        "INSERT INTO t WITH RECURSIVE r(n) AS (SELECT 1 FROM DUAL UNION ALL\n"
        "  SELECT n + 1 FROM r WHERE n < 3000) SELECT n FROM r;\n"
        "SELECT count(*) FROM t a, t b, t c;\n"
        "SELECT 'not reached' AS m FROM DUAL;\n")
    term.type(f".read {script}" + ENTER)
    term.wait_for(r"\d+%|running")
    term.type(CTRL_C)
    term.wait_for(r"cancelled")
    term.ready()
    assert "not reached" not in term.screen[term.screen.index("cancelled"):]
