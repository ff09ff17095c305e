"""Run SQL scripts non-interactively: results to one stream, error reports to another.

Each statement runs on its own (so an error can be located in the file) on an
autocommit connection; BEGIN ... COMMIT groups statements. The first failing
statement stops the run unless ``continue_on_error`` is set. Statements that
return no rows (DDL, DML without RETURNING) print nothing, so the output holds
query results only and can be piped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

import heliosql
from heliosql.cli.errors import report
from heliosql.cli.options import Options
from heliosql.cli.output import render_lines
from heliosql.parser import split_statements

CHUNK_ROWS = 10_000  # rows fetched at a time; csv and jsonl print each chunk as it comes
# Human formats get a blank line after each result; machine formats are concatenated.
_SPACED = ("table", "markdown", "vertical")


@dataclass(frozen=True)
class Script:
    """SQL text and the name errors are reported under (a path, ``<stdin>``, ``<command>``)."""

    label: str
    text: str


class Runner:
    """Runs scripts on one connection, remembering whether any statement failed."""

    def __init__(self, connection: heliosql.Connection, options: Options, out: TextIO,
                 err: TextIO):
        self.connection = connection
        self.cursor = connection.cursor()  # one cursor for the run: one DuckDB cursor, reused
        self.options = options
        self.out = out
        self.err = err
        self.failed = False

    def run(self, script: Script) -> bool:
        """Run every statement of ``script``; False when the run should stop here."""
        for statement in split_statements(script.text):
            if self.options.echo:
                self._write(statement.text + ";")
            try:
                self.cursor.execute(statement.text)
                if self.cursor.description is not None:
                    self._result(self.cursor)
            except heliosql.Error as error:
                self.failed = True
                self.out.flush()  # keep stdout and stderr in order on a shared terminal
                print(report(script.label, script.text, statement, error), file=self.err)
                if not self.options.continue_on_error:
                    return False
        return True

    def finish(self) -> None:
        """Roll back a transaction the input left open, and say so."""
        self.cursor.close()
        if self.connection.in_transaction:
            self.connection.rollback()
            print("heliosql: the transaction still open at the end of the input was rolled "
                  "back (end it with COMMIT to keep its changes)", file=self.err)

    def _result(self, cursor: heliosql.Cursor) -> None:
        chunks = iter(lambda: cursor.fetchmany(CHUNK_ROWS), [])
        for line in render_lines(cursor.description, chunks, self.options.format,
                                 self.options.null):
            self.out.write(line + "\n")
        if self.options.format in _SPACED:
            self.out.write("\n")
        self.out.flush()

    def _write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def run_scripts(connection: heliosql.Connection, scripts: list[Script], options: Options,
                out: TextIO, err: TextIO) -> int:
    """Run the scripts in order; the exit status: 0 when every statement succeeded, else 1."""
    runner = Runner(connection, options, out, err)
    try:
        for script in scripts:
            if not runner.run(script):
                break
    finally:
        runner.finish()
    return 1 if runner.failed else 0
