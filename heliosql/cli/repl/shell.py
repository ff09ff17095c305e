"""The REPL's core without the terminal: runs dot commands and SQL, keeps the settings,
variables and timing, and prints results. ``session.py`` puts prompt_toolkit in front
of it; tests drive it directly with :meth:`Shell.feed_script` and string streams.

Statements run on one long-lived worker thread (DuckDB and the engine keep
per-thread state, so a thread per statement would not do) while the calling
thread waits: there a Ctrl-C arrives as ``KeyboardInterrupt`` and is turned
into ``backend.interrupt()``, and the progress bar is drawn.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import IO, Any, TypeVar

import heliosql
from heliosql.cli.errors import headline
from heliosql.cli.repl import commands, pager, progress
from heliosql.parser import StatementText, is_complete, split_statements
from heliosql.parsing.diagnostics import caret_excerpt

T = TypeVar("T")
_DML = re.compile(r"\s*(?:insert|update|delete|merge)\b", re.I)  # the statements that count rows
_GSET = re.compile(r"\\gset(?:[ \t]+([A-Za-z_][A-Za-z0-9_]*))?\s*$")


class Cancelled(Exception):
    """The user pressed Ctrl-C while a statement ran."""


def entry_complete(text: str) -> bool:
    """Whether Enter should run ``text``: a dot command, a statement ended by ``;`` or
    ``\\gset``, or nothing at all (otherwise Enter starts a new line)."""
    stripped = text.strip()
    return (not stripped or stripped.startswith(".") or is_complete(text)
            or bool(_GSET.search(stripped)))


class Shell:
    """One REPL session over a DB-API connection."""

    def __init__(self, connection: heliosql.Connection, options: Any, *,
                 stdout: IO[str] | None = None, stderr: IO[str] | None = None,
                 interactive: bool = False):
        self.connection = connection
        self.database: str | None = getattr(options, "database", None)
        fmt = getattr(options, "format", "table")
        self.mode: str = fmt if fmt in commands.MODES else "table"
        self.null: str = getattr(options, "null", "<null>")
        self.timing: bool = bool(getattr(options, "timing", False))
        self.variables: dict[str, Any] = {}
        self.last_elapsed: float | None = None
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.interactive = interactive
        self._output: IO[str] | None = None  # .output FILE
        self._pending = ""  # feed_line's unfinished statement
        self._cursor: heliosql.Cursor | None = None
        self.interrupted = False  # the last statement was cancelled with Ctrl-C
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="heliosql-statement")
        output = getattr(options, "output", None)
        if output:
            self.redirect(str(output))

    # --- what the toolbar shows ---------------------------------------------------------------

    @property
    def database_label(self) -> str:
        return self.database if self.database and self.database != ":memory:" else "in-memory"

    # --- input --------------------------------------------------------------------------------

    def handle(self, text: str) -> bool:
        """Run one complete entry (a dot command or SQL); False ends the session."""
        stripped = text.strip()
        if not stripped:
            return True
        if stripped.startswith("."):
            try:
                return commands.dispatch(self, stripped)
            except commands.CommandError as exc:
                self.error(str(exc))
            except Cancelled:
                self.error("cancelled")
            except heliosql.Error as exc:
                self.error(headline(exc))
            return True
        prefix: str | None = None
        if gset := _GSET.search(stripped):
            prefix = gset.group(1) or ""
            stripped = stripped[: gset.start()]
        pieces = split_statements(stripped)
        for i, piece in enumerate(pieces):
            capture = prefix if i == len(pieces) - 1 else None
            if not self.execute(piece, stripped, capture):
                break  # the rest of the entry depended on what failed
        return True

    def feed_line(self, line: str) -> bool:
        """Take one line of a script; run what it completes. False ends the session."""
        if not self._pending and line.strip().startswith("."):
            return self.handle(line)
        self._pending += line if line.endswith("\n") else line + "\n"
        if entry_complete(self._pending):
            text, self._pending = self._pending, ""
            return self.handle(text)
        return True

    def feed_script(self, text: str) -> bool:
        """Run a script of statements and dot commands (``.read``, tests)."""
        self.interrupted = False
        for line in text.splitlines():
            if not self.feed_line(line):
                return False
            if self.interrupted:  # Ctrl-C stops the whole script, not just one statement
                self._pending = ""
                return True
        if self._pending.strip():
            text, self._pending = self._pending, ""
            return self.handle(text)
        return True

    # --- running statements ---------------------------------------------------------------------

    def execute(self, piece: StatementText, entry: str, gset_prefix: str | None = None) -> bool:
        """Run one statement of ``entry`` and print its result; False if it failed."""
        cursor = self._statement_cursor()
        start = time.perf_counter()
        try:
            self.call(cursor.execute, piece.text, self.variables or None, watch=cursor)
            rows = self.call(cursor.fetchall) if cursor.description else None
        except Cancelled:
            self.error("cancelled: the statement was interrupted (Ctrl-C)")
            self.interrupted = True
            self._note_transaction()
            return False
        except heliosql.Error as exc:
            self.error(headline(exc), _excerpt(entry, piece, exc))
            self._note_transaction()
            return False
        finally:
            self.last_elapsed = time.perf_counter() - start
        if gset_prefix is not None:
            return self._gset(cursor.description, rows, gset_prefix)
        if rows is not None:
            self.show(cursor.description, rows)
        elif cursor.rowcount >= 0 and self.interactive and _DML.match(piece.text):
            self.message(f"{cursor.rowcount} row{'s' if cursor.rowcount != 1 else ''} affected")
        if self.timing:
            self.message(f"Run Time: {self.last_elapsed:.3f} s")
        return True

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
        """Run ``fn`` on the worker thread and wait; Ctrl-C interrupts it (``Cancelled``).

        With ``watch`` (a cursor), a progress bar shows how far its statement got."""
        future: Future[T] = self._worker.submit(fn, *args)
        bar = progress.ProgressBar(self.stderr) if self.interactive and watch is not None else None
        cancelled = False
        try:
            while True:
                try:
                    result = future.result(timeout=0.1)
                except FutureTimeout:
                    if bar is not None:
                        bar.update(progress.percent(watch))
                    continue
                except KeyboardInterrupt:
                    cancelled = True
                    self.connection.engine.backend.interrupt()
                    continue
                except Exception:
                    if cancelled:  # DuckDB's interrupt error, whatever it was translated to
                        raise Cancelled() from None
                    raise
                if cancelled:  # it finished before the interrupt reached it
                    raise Cancelled()
                return result
        finally:
            if bar is not None:
                bar.clear()

    def _gset(self, description: Any, rows: list[tuple] | None, prefix: str) -> bool:
        if rows is None or len(rows) != 1:
            found = "no result" if rows is None else f"{len(rows)} rows"
            self.error(f"\\gset: the query must return exactly one row; it returned {found}")
            return False
        for column, value in zip(description, rows[0], strict=True):
            self.variables[f"{prefix}{column[0]}".lower()] = value
        return True

    # --- output -----------------------------------------------------------------------------------

    def show(self, description: Any, rows: list[tuple], title: str | None = None) -> None:
        """Print a result in the current mode, through the pager when it is taller than
        the terminal, and as vertical records when its rows are wider than the terminal."""
        from heliosql.cli.output import render

        out = self._output or self.stdout
        text = render(description, rows, self.mode, self.null)
        on_screen = self._output is None and self.interactive and pager.is_terminal(out)
        if on_screen and self.mode == "table" and pager.too_wide(text):
            text = render(description, rows, "vertical", self.null)
        if title is not None and self.mode == "table":
            text = f"{title}:\n{text}"
        if on_screen:
            pager.show(text, out)
        else:
            out.write(text if text.endswith("\n") else text + "\n")
            out.flush()

    def message(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def error(self, text: str, excerpt: str | None = None) -> None:
        self.stderr.write(f"error: {text}\n" + (f"{excerpt}\n" if excerpt else ""))
        self.stderr.flush()

    def redirect(self, path: str | None) -> None:
        """``.output FILE``: results go to FILE (replaced); ``None``: back to stdout."""
        if self._output is not None:
            self._output.close()
            self._output = None
        if path is not None:
            try:
                self._output = open(path, "w", encoding="utf-8")  # noqa: SIM115 - kept open
            except OSError as exc:
                raise commands.CommandError(f"cannot write {path}: {exc.strerror}") from None

    # --- the end -----------------------------------------------------------------------------

    def close(self) -> None:
        """Roll back an open transaction (and say so), then release the worker thread."""
        try:
            if self.connection.in_transaction:
                self.call(self.connection.rollback)
                self.message("The open transaction was rolled back.")
        finally:
            if self._cursor is not None:
                self._cursor.close()
            self.redirect(None)
            self._worker.shutdown(wait=True)


def _excerpt(entry: str, piece: StatementText, exc: BaseException) -> str | None:
    """The entry's line and a caret under the error's position, when the error has one."""
    position = getattr(exc, "position", None)
    if not isinstance(position, int) or not 0 <= position <= len(piece.text):
        return None
    return caret_excerpt(entry, piece.start + position)
