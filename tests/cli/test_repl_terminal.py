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


# --- keys, prompts, streaming and the guard ---------------------------------------------------

CTRL_R, ALT_ENTER, LEFT = "\x12", "\x1b\r", "\x1b[D"


def test_ctrl_r_then_enter_runs_the_match(term: Terminal) -> None:
    term.run("SELECT 'found me' AS m FROM DUAL;")
    term.run("SELECT 'other' AS m FROM DUAL;")
    term.type(CTRL_R)
    term.type("found")
    term.wait_for(r"I-search backward")
    term.type(ENTER)
    term.wait_for(r"\| found me \|")
    term.ready()
    term.type("SELECT 'after' AS m FROM DUAL;" + ENTER)  # back in normal mode: Enter runs
    term.wait_for(r"\| after \|")


def test_enter_runs_a_complete_statement_from_anywhere_on_its_last_line(term: Terminal) -> None:
    term.type("SELECT 'mid' AS m FROM DUAL;" + LEFT * 12)  # the cursor inside the line
    term.type(ENTER)
    term.wait_for(r"\| mid \|")
    term.ready()
    term.type("SELECT 'two' AS m" + ALT_ENTER)  # Alt-Enter: a new line, nothing runs
    term.wait_for(r"\.\.\.>")
    term.type("FROM DUAL;" + ENTER)
    term.wait_for(r"\| two \|")


def test_continuation_prompt_shows_an_open_string_or_comment(term: Terminal) -> None:
    term.type("SELECT 'open" + ENTER)
    term.wait_for(r"'>")
    term.type("string' AS s /* a" + ENTER)
    term.wait_for(r"\*>")
    term.type("comment */ FROM DUAL;" + ENTER)
    term.wait_for(r"\| open\s+\|")


def test_prompt_marks_a_transaction_and_one_that_failed_as_a_whole(term: Terminal) -> None:
    term.run("CREATE TABLE g (id INTEGER PRIMARY KEY, n INTEGER);")
    term.run("INSERT INTO g VALUES (1, 1);")
    term.type("BEGIN;" + ENTER)
    term.wait_for(r"heliosql\*>")
    term.ready()
    term.run("CREATE TABLE h (id INTEGER);")
    term.run("UPDATE g SET n = CAST(random() * 1000 AS INTEGER);")
    # After DDL and random() no rebuild can undo the failed statement alone: the whole
    # transaction is rolled back, and the prompt says so until ROLLBACK.
    term.type("INSERT INTO g VALUES (1, 2);" + ENTER)
    term.wait_for(r"has been rolled back")
    term.wait_for(r"heliosql!>")
    term.wait_for(r"TRANSACTION ABORTED")
    term.type("ROLLBACK;" + ENTER)
    term.wait_for(r"heliosql>")
    term.wait_for(r"autocommit")


def test_rows_stream_while_they_are_fetched(term: Terminal) -> None:
    term.run(".guard off")
    term.type("SELECT range AS n FROM range(1, 300001);" + ENTER)
    term.wait_for(r"\|\s+1 \|")  # the first rows show long before the last is fetched
    term.type(CTRL_C)
    term.wait_for(r"cancelled")
    term.ready()
    assert "300000 |" not in term.screen


def test_a_large_result_asks_before_printing_everything(term: Terminal) -> None:
    term.type("SELECT range AS n FROM range(1, 5001);" + ENTER)
    term.wait_for(r"more than 1,000 rows\. Print them all\? \[y/N\]")
    term.type("n" + ENTER)
    term.wait_for(r"\|\s+1000 \|")
    term.wait_for(r"the first 1,000 rows; \.guard off prints every row")
    term.ready()
    assert "1001 |" not in term.screen
    term.run(".guard 10000")
    term.type("SELECT range AS n FROM range(1, 5001);" + ENTER)
    term.wait_for(r"\|\s+5000 \|")


def test_explain_prints_its_plan_even_when_a_line_is_wide(term: Terminal) -> None:
    columns = ", ".join(f"c{i} INTEGER" for i in range(30))
    term.run(f"CREATE TABLE wide ({columns});")
    term.type("EXPLAIN SELECT * FROM wide;" + ENTER)
    term.wait_for(r"-- DuckDB SQL")
    term.ready()
    assert "RECORD" not in term.screen


def test_exit_and_quit_words_leave(tmp_path: Path) -> None:
    for word in ("exit", "quit", "\\q"):
        term = Terminal(tmp_path)
        try:
            term.ready()
            term.type(word + ENTER)
            assert term.exit_status() == 0
        finally:
            term.close()
