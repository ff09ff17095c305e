"""The interactive loop: prompt_toolkit in front of :class:`~heliosql.cli.repl.shell.Shell`.

Multi-line entry until ``;`` (``keys.py``), a prompt that shows the transaction
(``*``) and a transaction that failed as a whole (``!``), history in ``~/.heliosql_history``
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
from heliosql.parsing.scanner import unclosed

PROMPT = "heliosql"
# What the continuation prompt shows: what is left open at the end of the line above.
_OPEN = {None: "...", "string": "'", "comment": "*", "quoted identifier": '"'}


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
        file = shell.connection.engine.backend.path
        where = f"Connected to {shell.database}" + (
            f" (the database file {file})." if file != shell.database else ".")
    return (f"heliosql {heliosql.__version__} (Oracle flashback SQL over DuckDB)\n{where}\n"
            "Enter .help for commands; statements end with ';'. Autocommit is on: "
            "BEGIN ... COMMIT for a transaction.")


def prompt_text(in_transaction: bool, aborted: bool) -> str:
    """``heliosql>``; ``heliosql*>`` in a transaction, ``heliosql!>`` in one that failed
    as a whole and waits for ROLLBACK (psql's marks)."""
    mark = "!" if aborted else "*" if in_transaction else ""
    return f"{PROMPT}{mark}> "


def continuation(text_above: str, width: int) -> str:
    """The prompt of a further line: ``...>``, or ``'>`` inside a string, ``*>`` inside a
    comment, ``">`` inside a quoted name (what ``text_above`` leaves open)."""
    left_open = unclosed(text_above)
    return f"{_OPEN[left_open[0] if left_open else None]}> ".rjust(width)


def run_session(shell: Shell) -> int:
    def prompt() -> str:
        session_state = shell.connection.session
        return prompt_text(shell.connection.in_transaction, session_state.transaction_aborted)

    def prompt_continuation(width: int, line: int, wrap: int) -> str:
        if wrap:  # a soft-wrapped line gets only the indent
            return " " * width
        lines = session.default_buffer.document.lines[:line]
        return continuation("".join(f"{text}\n" for text in lines), width)

    session: PromptSession[str] = PromptSession(
        prompt,
        multiline=True,
        prompt_continuation=prompt_continuation,
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
    return shell.exit_status or 0
