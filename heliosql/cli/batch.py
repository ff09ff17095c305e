"""Run SQL scripts non-interactively: results to one stream, error reports to another.

Scripts run through the shell's core (``repl/shell.py``), so ``-f`` accepts what
``.read`` does: dot commands, ``\\gset``, psql's backslash commands and the
SQL*Plus client commands of Oracle scripts. Each statement runs on its own (so
an error can be located in the file) on an autocommit connection; BEGIN ...
COMMIT groups statements. The first failing statement stops the run unless
``continue_on_error`` is set or the script says ``WHENEVER SQLERROR CONTINUE``.
Machine formats (csv, json, jsonl) get query results only; the human formats
also get SQL*Plus's feedback lines ("Table created.") unless ``--quiet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

import heliosql
from heliosql.cli.options import Options
from heliosql.cli.repl.shell import Shell, Source
from heliosql.cli.script import Flow


@dataclass(frozen=True)
class Script:
    """SQL text and the name errors are reported under (a path, ``<stdin>``, ``<command>``)."""

    label: str
    text: str


def run_scripts(connection: heliosql.Connection, scripts: list[Script], options: Options,
                out: TextIO, err: TextIO) -> int:
    """Run the scripts in order; the exit status: 0 when every statement succeeded, 1 when
    one failed, or what EXIT / WHENEVER SQLERROR EXIT asked for."""
    shell = Shell(connection, options, stdout=out, stderr=err)
    try:
        for script in scripts:
            if shell.run(Source(script.label, script.text)) is not Flow.GO:
                break
        shell.end_transaction(commit=False)  # what the input left open
    finally:
        shell.close()
    if shell.exit_status is not None:
        return shell.exit_status
    return 1 if shell.failed else 0
