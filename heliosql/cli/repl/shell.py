"""The shell's core without the terminal: runs scripts and typed entries (SQL, dot
commands, psql's backslash commands, SQL*Plus client commands), keeps the settings,
variables and timing, and prints results. ``session.py`` puts prompt_toolkit in
front of it for the REPL; ``batch.py`` runs ``-f``/``-c`` scripts through it; tests
drive it with :meth:`Shell.feed_script` and string streams.

Statements run on one long-lived worker thread (``worker.py``), so that Ctrl-C
can interrupt DuckDB.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import heliosql
from heliosql.cli.errors import headline, report_at
from heliosql.cli.feedback import query_feedback, statement_feedback
from heliosql.cli.repl import client, commands, pager, progress, results
from heliosql.cli.repl.worker import Cancelled, StatementThread
from heliosql.cli.script import Entry, Flow, entries, entry_complete
from heliosql.cli.sqlplus import ClientCommandError
from heliosql.parsing.diagnostics import caret_excerpt

__all__ = ["Flow", "Shell", "entry_complete"]

T = TypeVar("T")
HUMAN_FORMATS = ("table", "markdown", "vertical")  # the formats feedback lines go with


@dataclass(frozen=True, slots=True)
class Source:
    """Text being run and where it comes from: a file name, ``<command>``, ``<stdin>``, or
    None for what is typed at the prompt (errors then print without a location)."""

    label: str | None
    text: str


class Shell:
    """One session over a DB-API connection: the REPL's, or a batch run's."""

    def __init__(self, connection: heliosql.Connection, options: Any, *,
                 stdout: IO[str] | None = None, stderr: IO[str] | None = None,
                 interactive: bool = False):
        self.connection = connection
        self.database: str | None = getattr(options, "database", None)
        fmt = getattr(options, "format", "table")
        self.mode: str = fmt if fmt in commands.MODES else "table"
        self.mode_before_x = "table"  # what \\x switches back to
        self.null: str = getattr(options, "null", "<null>")
        self.timing: bool = bool(getattr(options, "timing", False))
        # 0: no feedback lines; n: after DDL and DML, and after queries of n rows or more.
        self.feedback: int = 0 if getattr(options, "quiet", False) else results.FEEDBACK_ROWS
        self.heading = True
        self.echo: bool = bool(getattr(options, "echo", False))
        self.termout = True  # SET TERMOUT OFF: scripts print no results on the screen
        self.guard: int | None = results.GUARD_ROWS
        self.continue_on_error: bool = bool(getattr(options, "continue_on_error", False))
        self.on_error: client.OnError | None = None  # WHENEVER SQLERROR, once a script says
        self.variables: dict[str, Any] = dict(getattr(options, "variables", None) or {})
        self.last_elapsed: float | None = None
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.interactive = interactive
        self.failed = False  # a statement failed (the batch exit status)
        self.last_error: BaseException | None = None
        self.exit_status: int | None = None  # set by EXIT / WHENEVER SQLERROR EXIT
        self.interrupted = False  # the last statement was cancelled with Ctrl-C
        self._output: IO[str] | None = None  # .output FILE, SPOOL file
        self._last_sql: str | None = None  # what '/' runs again
        self._in_script = 0  # how deep in -f / .read scripts (not typed entries)
        self._cursor: heliosql.Cursor | None = None
        self._worker = StatementThread(connection, self.stderr, interactive)
        output = getattr(options, "output", None)
        if output:
            self.redirect(str(output))

    # --- what the toolbar and the prompt show -----------------------------------------------

    @property
    def database_label(self) -> str:
        return self.database if self.database and self.database != ":memory:" else "in-memory"

    # --- input --------------------------------------------------------------------------------

    def handle(self, text: str) -> bool:
        """Run one typed entry; False ends the session."""
        return self.run(Source(None, text)) is not Flow.END

    def feed_script(self, text: str) -> bool:
        """Run lines as if typed one entry after another (tests, the README's example)."""
        return self.handle(text)

    def run_file(self, path: str) -> Flow:
        """``.read FILE``, ``\\i FILE``: run a script file."""
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except OSError as exc:
            raise commands.CommandError(f"cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise commands.CommandError(f"{path} is not UTF-8 text") from None
        return self.run(Source(path, text))

    def run(self, source: Source) -> Flow:
        """Run every entry of ``source``. A script (one with a label) stops at its first
        failed entry unless told to go on; a typed entry only drops the rest of its line."""
        self.interrupted = False
        script = source.label is not None
        self._in_script += script
        skipping = False  # typed: after an error, the statements that followed on its line
        try:
            for entry in entries(source.text):
                if skipping and entry.kind == "sql" and not entry.first:
                    continue
                skipping = False
                flow = self._run_entry(entry, source)
                if self.interrupted and script:  # Ctrl-C stops a whole script
                    return Flow.STOP
                if flow is Flow.END or (flow is Flow.STOP and script):
                    return flow
                skipping = flow is Flow.STOP
            return Flow.GO
        finally:
            self._in_script -= script

    def _run_entry(self, entry: Entry, source: Source) -> Flow:
        if self.echo and self._in_script and entry.kind != "rerun":
            self.write(entry.text + (";" if entry.kind == "sql" else ""))
        try:
            if entry.kind == "command":
                return commands.dispatch(self, entry.text)
            if entry.kind == "client":
                return client.run(self, entry.text)
        except (commands.CommandError, ClientCommandError) as exc:
            self._report(source, entry, str(exc))
            return self._after_error(exc)
        except Cancelled:
            if not self.interactive:  # a batch run ends on Ctrl-C (exit status 130)
                raise KeyboardInterrupt from None
            self.error("cancelled")
            self.interrupted = True
            return Flow.STOP
        except heliosql.Error as exc:
            self._report(source, entry, headline(exc))
            return self._after_error(exc)
        if entry.kind == "rerun":
            if self._last_sql is None:
                self._report(source, entry, "'/' runs the last statement again; there is none")
                return Flow.GO
            return self.execute(Entry("sql", self._last_sql, entry.start), source, rerun=True)
        return self.execute(entry, source)

    # --- running statements ---------------------------------------------------------------------

    def execute(self, entry: Entry, source: Source, rerun: bool = False) -> Flow:
        """Run one statement and print its result (or its feedback line)."""
        if entry.gset is not None and not entry.text:
            self._report(source, entry, "\\gset ends a query: SELECT ... \\gset [prefix]")
            return Flow.GO
        self._last_sql = entry.text
        cursor = self._statement_cursor()
        start = time.perf_counter()
        fetched: float | None = None
        try:
            self.call(cursor.execute, entry.text, self.variables or None, watch=cursor)
            if entry.gset is not None:
                rows = self.call(cursor.fetchall) if cursor.description else None
                problem = self._gset(cursor.description, rows, entry.gset)
                if problem is None:
                    return Flow.GO
                self._report(source, entry, problem)
                return self._after_error(commands.CommandError(problem))
            fetched = time.perf_counter()
            if cursor.description is not None:
                printed = results.print_result(self, cursor, entry.text)
                if not printed.held_back and not results.is_explain(entry.text):
                    self.note(query_feedback(printed.rows, self.feedback))
                if not self.interactive and self.mode in HUMAN_FORMATS:
                    self.write("")  # a blank line between the results of a script
            else:
                self.note(statement_feedback(entry.text, cursor.rowcount))
        except Cancelled:
            self.error("cancelled: the statement was interrupted (Ctrl-C)")
            self.interrupted = True
            self._note_transaction()
            if not self.interactive:
                raise KeyboardInterrupt from None
            return Flow.STOP
        except heliosql.Error as exc:
            position = _position(exc, entry.text)
            if rerun:  # the statement is not at the '/': point at the '/', show the statement
                self._report(source, entry, headline(exc))
                if position is not None:
                    self.stderr.write(caret_excerpt(entry.text, position) + "\n")
            else:
                self._report(source, entry, headline(exc), position)
            self._note_transaction()
            return self._after_error(exc)
        finally:
            self.last_elapsed = time.perf_counter() - start
        if self.timing:
            extra = "" if fetched is None or cursor.description is None else \
                f" (fetching and printing {time.perf_counter() - fetched:.3f} s)"
            self.message(f"Run Time: {self.last_elapsed:.3f} s{extra}")
        return Flow.GO

    def _after_error(self, error: BaseException) -> Flow:
        """What follows a failed entry: WHENEVER SQLERROR, --continue-on-error, or a stop."""
        self.last_error = error
        if self.on_error is not None:  # WHENEVER SQLERROR CONTINUE: an expected failure
            self.failed = self.failed or self.on_error.exit is not None
            return self.on_error.after(self)
        self.failed = True
        return Flow.GO if self.continue_on_error else Flow.STOP

    def _note_transaction(self) -> None:
        """After a failed statement inside a transaction, say what became of it."""
        if self.interactive and self.connection.in_transaction \
                and not self.connection.session.transaction_aborted:
            self.stderr.write("the statement was rolled back; the transaction goes on\n")
            self.stderr.flush()

    def _statement_cursor(self) -> heliosql.Cursor:
        """The session's one cursor, its DuckDB connection set up to report progress."""
        if self._cursor is None:
            cursor = self.connection.cursor()
            self.call(cursor.execute, "SELECT 1 FROM DUAL")  # creates its DuckDB connection
            self.call(progress.enable, cursor)
            self._cursor = cursor
        return self._cursor

    def call(self, fn: Callable[..., T], *args: Any, watch: Any = None) -> T:
        """Run ``fn`` on the statement thread; Ctrl-C interrupts it (``Cancelled``)."""
        return self._worker.call(fn, *args, watch=watch)

    def _gset(self, description: Any, rows: list[tuple] | None, prefix: str) -> str | None:
        """Store the single row's columns as variables; what is wrong otherwise."""
        if rows is None or len(rows) != 1:
            found = "no result" if rows is None else f"{len(rows)} rows"
            return f"\\gset: the query must return exactly one row; it returned {found}"
        for column, value in zip(description, rows[0], strict=True):
            self.variables[f"{prefix}{column[0]}".lower()] = value
        return None

    # --- output -----------------------------------------------------------------------------------

    def result_stream(self) -> IO[str]:
        """Where results go: the .output/SPOOL file, else the screen, unless a script set
        TERMOUT OFF."""
        if self._output is not None:
            return self._output
        return self.stdout if self.termout or not self._in_script else io.StringIO()

    def on_screen(self, stream: IO[str]) -> bool:
        """Whether ``stream`` is the terminal of an interactive session."""
        return stream is self.stdout and self.interactive and pager.is_terminal(stream)

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question on the terminal; no unless the answer starts with y."""
        self.stdout.write(question)
        self.stdout.flush()
        answer = sys.stdin.readline()
        return answer.strip().lower().startswith("y")

    def show(self, description: Any, rows: list[tuple], title: str | None = None) -> None:
        """Print a small result (``.schema``) in the current mode."""
        from heliosql.cli.output import render

        out = self.result_stream()
        text = render(description, rows, self.mode, self.null, self.heading)
        if title is not None and self.mode == "table":
            text = f"{title}:\n{text}"
        if self.on_screen(out):
            pager.show(text, out)
        else:
            out.write(text + "\n")
            out.flush()

    def write(self, text: str) -> None:
        """A line with the results (echo, PROMPT, feedback): to the result stream."""
        out = self.result_stream()
        out.write(text + "\n")
        out.flush()

    def note(self, text: str | None) -> None:
        """A feedback line, unless feedback is off or the format is for machines."""
        if text is not None and self.feedback and self.mode in HUMAN_FORMATS:
            self.write(text)

    def message(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def error(self, text: str, excerpt: str | None = None) -> None:
        self.stderr.write(f"error: {text}\n" + (f"{excerpt}\n" if excerpt else ""))
        self.stderr.flush()

    def _report(self, source: Source, entry: Entry, message: str,
                position: int | None = None) -> None:
        """An error: ``file:line:col: error: ...`` and the line with a caret in a script;
        ``error: ...`` when typed, with the caret when the error has a position."""
        self.stdout.flush()  # keep stdout and stderr in order on a shared terminal
        offset = entry.start + (position or 0)
        if source.label is not None:
            self.stderr.write(report_at(source.label, source.text, offset, message) + "\n")
            self.stderr.flush()
        else:
            excerpt = None if position is None else caret_excerpt(source.text, offset)
            self.error(message, excerpt)

    def redirect(self, path: str | None, append: bool = False) -> None:
        """``.output FILE``: results go to FILE (replaced); ``None``: back to stdout."""
        if self._output is not None:
            self._output.close()
            self._output = None
        if path is not None:
            try:
                self._output = open(path, "a" if append else "w",  # noqa: SIM115 - kept open
                                    encoding="utf-8")
            except OSError as exc:
                raise commands.CommandError(f"cannot write {path}: {exc.strerror}") from None

    # --- the end -----------------------------------------------------------------------------

    def end_transaction(self, commit: bool, when: str | None = "at the end of the input"
                        ) -> None:
        """Commit or roll back a transaction left open; say so ``when`` it is rolled back."""
        if not self.connection.in_transaction:
            return
        if commit:
            self.call(self.connection.commit)
            return
        self.call(self.connection.rollback)
        if when is not None:
            self.stderr.write(f"heliosql: the transaction still open {when} was rolled back "
                              "(end it with COMMIT to keep its changes)\n")
            self.stderr.flush()

    def close(self) -> None:
        """Roll back an open transaction (and say so), then release the worker thread."""
        try:
            if self.interactive and self.connection.in_transaction:
                self.call(self.connection.rollback)
                self.message("The open transaction was rolled back.")
            else:
                self.end_transaction(commit=False)
        finally:
            if self._cursor is not None:
                self._cursor.close()
            self.redirect(None)
            self._worker.shutdown()


def _position(error: BaseException, text: str) -> int | None:
    position = getattr(error, "position", None)
    return position if isinstance(position, int) and 0 <= position <= len(text) else None
