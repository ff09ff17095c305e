"""The interactive loop: prompt_toolkit in front of :class:`~heliosql.cli.repl.shell.Shell`.

Multi-line entry until ``;`` (``keys.py``), history in ``~/.heliosql_history``
(Ctrl-R searches it), completion, highlighting and the bottom toolbar. Ctrl-C
at the prompt clears the entry; during a statement it cancels the statement
(``Shell.call``); Ctrl-D on an empty line leaves.
"""

from __future__ import annotations

import os
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

import heliosql
from heliosql.cli.repl.completer import ShellCompleter
from heliosql.cli.repl.keys import bindings
from heliosql.cli.repl.lexer import STYLE, SqlLexer
from heliosql.cli.repl.shell import Shell
from heliosql.cli.repl.toolbar import toolbar_text

PROMPT = "heliosql> "
CONTINUATION = "     ...> "


def history_path() -> Path:
    """``$HELIOSQL_HISTORY``, else ``~/.heliosql_history``."""
    return Path(os.environ.get("HELIOSQL_HISTORY") or Path.home() / ".heliosql_history")


def _history() -> History:
    try:
        path = history_path()
        path.touch(exist_ok=True)
        return FileHistory(str(path))
    except OSError:  # a read-only home: keep history for this session only
        return InMemoryHistory()


def banner(shell: Shell) -> str:
    if shell.database_label == "in-memory":
        where = ("Connected to an in-memory database: it is gone when you quit.\n"
                 "Run 'heliosql FILE' to open or create a database file.")
    else:
        where = f"Connected to {shell.database}."
    return (f"heliosql {heliosql.__version__} (Oracle flashback SQL over DuckDB)\n{where}\n"
            "Enter .help for commands; statements end with ';'. Autocommit is on: "
            "BEGIN ... COMMIT for a transaction.")


def run_session(shell: Shell) -> int:
    session: PromptSession[str] = PromptSession(
        PROMPT,
        multiline=True,
        # "...>" on each new line of an entry; a soft-wrapped line gets only the indent.
        prompt_continuation=lambda width, line, wrap: " " * width if wrap else CONTINUATION,
        key_bindings=bindings(),
        lexer=SqlLexer(),
        style=STYLE,
        completer=ShellCompleter(shell),
        complete_while_typing=False,
        history=_history(),
        auto_suggest=AutoSuggestFromHistory(),
        bottom_toolbar=lambda: toolbar_text(
            shell.database_label, shell.connection.engine.current_scn(),
            shell.connection.in_transaction, shell.last_elapsed,
            shell.connection.session.flashback_scn, shell.connection.session.transaction_aborted),
        refresh_interval=None,
    )
    shell.message(banner(shell))
    try:
        while True:
            try:
                text = session.prompt()
            except KeyboardInterrupt:
                continue  # Ctrl-C at the prompt: the entry is dropped, a fresh prompt follows
            except EOFError:
                break
            try:
                if not shell.handle(text):
                    break
            except KeyboardInterrupt:  # while printing (statements handle their own Ctrl-C)
                shell.error("cancelled")
    finally:
        shell.close()
    return 0
