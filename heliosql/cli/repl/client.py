"""SQL*Plus client commands carried out by the shell (``sqlplus.py`` parses them).

What each does here:

- ``SET ECHO ON|OFF``: scripts print each statement before running it (as ``--echo``);
  ``SET FEEDBACK ON|OFF|n``: feedback lines ("Table created.", "n rows selected." from
  n rows on); ``SET HEADING OFF``: no column names; ``SET TERMOUT OFF``: a script prints
  no results on the screen (a SPOOL file still gets them); ``SET TIMING ON|OFF`` as
  ``.timing``. PAGESIZE, LINESIZE, VERIFY, SERVEROUTPUT and the other visual settings
  are accepted and ignored.
- ``PROMPT text`` prints the text; ``REM[ARK]`` is a comment; ``SPOOL file|OFF`` is
  ``.output``.
- ``EXIT``/``QUIT [SUCCESS|FAILURE|n|SQL.SQLCODE] [COMMIT|ROLLBACK]`` ends the script
  and the session. Unlike SQL*Plus, an open transaction is rolled back unless COMMIT is
  given: heliosql never commits what was not asked for.
- ``WHENEVER SQLERROR EXIT ...`` ends at the next failed statement (rolling back unless
  COMMIT is given); ``WHENEVER SQLERROR CONTINUE [NONE|COMMIT|ROLLBACK]`` goes on after
  failed statements. Either overrides ``--continue-on-error`` from there on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from heliosql.cli import sqlplus
from heliosql.cli.script import Flow

if TYPE_CHECKING:
    from heliosql.cli.repl.shell import Shell

FAILURE = 1
_IGNORED = frozenset(sqlplus.SET_OPTIONS) - {"ECHO", "FEEDBACK", "HEADING", "TERMOUT", "TIMING"}


@dataclass(frozen=True, slots=True)
class OnError:
    """``WHENEVER SQLERROR``: what a failed statement leads to."""

    exit: sqlplus.Exit | None  # end the session so, or go on (None)
    action: str | None = None  # with CONTINUE: COMMIT or ROLLBACK after the error

    def after(self, shell: Shell) -> Flow:
        if self.exit is not None:
            return end(shell, self.exit, default_status=FAILURE)
        if self.action is not None:
            shell.end_transaction(commit=self.action == "COMMIT", when=None)
        return Flow.GO


def run(shell: Shell, line: str) -> Flow:
    """Carry out the client command on ``line``."""
    command = sqlplus.parse(line)
    if isinstance(command, sqlplus.SetOption):
        _set(shell, command)
    elif isinstance(command, sqlplus.Prompt):
        shell.write(command.text)
    elif isinstance(command, sqlplus.Spool):
        shell.redirect(command.path)
    elif isinstance(command, sqlplus.Whenever):
        shell.on_error = OnError(command.exit, command.action)
    elif isinstance(command, sqlplus.Exit):
        return end(shell, command, default_status=FAILURE if shell.failed else 0)
    return Flow.GO


def end(shell: Shell, command: sqlplus.Exit, default_status: int) -> Flow:
    """EXIT: end the transaction as asked (roll back by default) and the session."""
    shell.end_transaction(commit=command.action == "COMMIT", when="at EXIT")
    shell.exit_status = exit_status(command.status, shell, default_status)
    return Flow.END


def exit_status(status: str | int | None, shell: Shell, default: int) -> int:
    """The process exit status EXIT asks for (the shell keeps its low 8 bits, as Unix does)."""
    if status == "SUCCESS":
        return 0
    if status == "FAILURE":
        return FAILURE
    if status == "SQL.SQLCODE":  # never 0 after an error, whatever its number
        code = sqlcode(shell.last_error)
        return code % 256 or (FAILURE if code else 0)
    return default if status is None else int(status) % 256


def sqlcode(error: BaseException | None) -> int:
    """The number of the last error's ORA code (942 for ORA-00942); 0 without an error,
    1 for an error that has no ORA code."""
    if error is None:
        return 0
    code = getattr(error, "code", None)
    digits = code.removeprefix("ORA-") if isinstance(code, str) else ""
    return int(digits) if digits.isdigit() else 1


def _set(shell: Shell, command: sqlplus.SetOption) -> None:
    value = command.value
    if command.name in _IGNORED:
        return
    if command.name == "FEEDBACK":
        if value.isdigit():
            shell.feedback = int(value)
        else:
            shell.feedback = 1 if _on_off(command) else 0
    elif command.name == "ECHO":
        shell.echo = _on_off(command)
    elif command.name == "HEADING":
        shell.heading = _on_off(command)
    elif command.name == "TERMOUT":
        shell.termout = _on_off(command)
    elif command.name == "TIMING":
        shell.timing = _on_off(command)


def _on_off(command: sqlplus.SetOption) -> bool:
    if command.value not in ("ON", "OFF"):
        raise sqlplus.ClientCommandError(f"usage: SET {command.name} ON|OFF")
    return command.value == "ON"
