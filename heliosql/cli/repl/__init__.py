"""heliosql's interactive shell.

``run_repl(connection, options)`` runs it on a terminal. The pieces, each small:
``shell`` (entries, settings, output; no terminal; batch runs use it too),
``worker`` (the statement thread), ``results`` (rows printed as fetched),
``client`` (SQL*Plus commands), ``session`` (the prompt_toolkit loop), ``keys``,
``completion`` (pure) and ``completer``, ``lexer``, ``toolbar``, ``commands``
(dot commands), ``topics`` (``.help TOPIC``), ``pager``, ``progress``.
"""

from __future__ import annotations

import sys
from typing import Any

import heliosql
from heliosql.cli.repl.commands import CommandError
from heliosql.cli.repl.shell import Shell

__all__ = ["Shell", "run_repl"]


def run_repl(connection: heliosql.Connection, options: Any) -> int:
    """Run the REPL on ``connection`` until ``.quit`` or Ctrl-D; the exit status."""
    from heliosql.cli.repl.session import run_session  # prompt_toolkit only when interactive

    connection.autocommit = True
    try:
        shell = Shell(connection, options, stdout=sys.stdout, stderr=sys.stderr,
                      interactive=True)
    except CommandError as exc:  # --output FILE cannot be written
        print(f"heliosql: error: {exc}", file=sys.stderr)
        return 2
    return run_session(shell)
