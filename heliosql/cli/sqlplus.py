"""The SQL*Plus client commands that Oracle scripts carry between statements, parsed.

    >>> parse("SET FEEDBACK OFF")
    SetOption(name='FEEDBACK', value='OFF')
    >>> parse("WHENEVER SQLERROR EXIT SQL.SQLCODE ROLLBACK")
    Whenever(exit=Exit(status='SQL.SQLCODE', action='ROLLBACK'), action=None)
    >>> is_client_command("SET TRANSACTION READ ONLY")  # SQL, not a client command
    False

Words may be shortened as SQL*Plus allows (``SET TERM OFF``, ``PRO text``,
``SPO out.txt``). The shell carries them out (``repl/client.py``); what each
does in heliosql is in the README ("Oracle scripts").
"""

from __future__ import annotations

from dataclasses import dataclass

# SET options: the full name and the shortest abbreviation SQL*Plus accepts.
SET_OPTIONS = {
    "TERMOUT": "TERM", "ECHO": "ECHO", "FEEDBACK": "FEED", "HEADING": "HEA",
    "PAGESIZE": "PAGES", "LINESIZE": "LIN", "VERIFY": "VER", "SERVEROUTPUT": "SERVEROUT",
    "TIMING": "TIMI", "DEFINE": "DEF", "TRIMSPOOL": "TRIMS", "TRIMOUT": "TRIM",
    "NEWPAGE": "NEWP", "WRAP": "WRA", "TAB": "TAB", "SQLBLANKLINES": "SQLBL",
}
# Commands other than SET, with their shortest abbreviation.
_COMMANDS = {"PROMPT": "PRO", "REMARK": "REM", "SPOOL": "SPO", "WHENEVER": "WHENEVER",
             "EXIT": "EXIT", "QUIT": "QUIT"}
_ACTIONS = ("COMMIT", "ROLLBACK")


class ClientCommandError(Exception):
    """A client command was written wrongly; the message shows the right form."""


@dataclass(frozen=True, slots=True)
class SetOption:
    """``SET NAME value``."""

    name: str  # the full option name
    value: str  # as written, upper-cased


@dataclass(frozen=True, slots=True)
class Prompt:
    """``PROMPT text``: print the text."""

    text: str


@dataclass(frozen=True, slots=True)
class Remark:
    """``REM[ARK] ...``: a comment line."""


@dataclass(frozen=True, slots=True)
class Spool:
    """``SPOOL file`` (results go to the file) or ``SPOOL OFF``."""

    path: str | None


@dataclass(frozen=True, slots=True)
class Exit:
    """``EXIT|QUIT [SUCCESS|FAILURE|n|SQL.SQLCODE] [COMMIT|ROLLBACK]``."""

    status: str | int | None  # "SUCCESS" | "FAILURE" | "SQL.SQLCODE" | a number | None
    action: str | None  # "COMMIT" | "ROLLBACK" | None


@dataclass(frozen=True, slots=True)
class Whenever:
    """``WHENEVER SQLERROR EXIT ...`` (``exit``) or ``WHENEVER SQLERROR CONTINUE [action]``."""

    exit: Exit | None
    action: str | None  # with CONTINUE: "COMMIT" | "ROLLBACK" | None (NONE)


ClientCommand = SetOption | Prompt | Remark | Spool | Exit | Whenever


def _word(word: str, full: str, shortest: str) -> bool:
    """Whether ``word`` is ``full`` or an abbreviation of it at least ``shortest`` long."""
    word = word.upper()
    return full.startswith(word) and len(word) >= len(shortest)


def _command(word: str) -> str | None:
    return next((full for full, short in _COMMANDS.items() if _word(word, full, short)), None)


def _set_option(word: str) -> str | None:
    return next((full for full, short in SET_OPTIONS.items() if _word(word, full, short)), None)


def is_client_command(line: str) -> bool:
    """Whether ``line`` (the first line of an entry) is a SQL*Plus client command."""
    words = line.strip().rstrip(";").split()
    if not words:
        return False
    if words[0].upper() == "SET":
        return len(words) > 1 and _set_option(words[1]) is not None
    return _command(words[0]) is not None


def parse(line: str) -> ClientCommand:
    """The command on ``line`` (``is_client_command`` is true for it)."""
    stripped = line.strip()
    first, _, rest = stripped.partition(" ")
    command = "SET" if first.upper() == "SET" else _command(first)
    if command == "PROMPT":
        return Prompt(rest)
    if command == "REMARK":
        return Remark()
    words = rest.strip().rstrip(";").split()
    if command == "SET":
        return _parse_set(words)
    if command == "SPOOL":
        if len(words) != 1 and not (len(words) == 2 and words[1].upper() in ("CREATE", "REPLACE")):
            raise ClientCommandError("usage: SPOOL file | SPOOL OFF")
        return Spool(None if words[0].upper() == "OFF" else words[0])
    if command == "WHENEVER":
        return _parse_whenever(words)
    return _parse_exit(words, f"{command} [SUCCESS|FAILURE|n|SQL.SQLCODE] [COMMIT|ROLLBACK]")


def _parse_set(words: list[str]) -> SetOption:
    name = _set_option(words[0]) if words else None
    if name is None or len(words) < 2:
        raise ClientCommandError("usage: SET option value (SET ECHO ON, SET FEEDBACK OFF, ...)")
    return SetOption(name, " ".join(words[1:]).upper())  # SET SERVEROUTPUT ON SIZE n


def _parse_exit(words: list[str], usage: str) -> Exit:
    status: str | int | None = None
    action: str | None = None
    upper = [w.upper() for w in words]
    if upper and upper[-1] in _ACTIONS:
        action = upper.pop()
    if len(upper) > 1:
        raise ClientCommandError(f"usage: {usage}")
    if upper:
        word = upper[0]
        if word in ("SUCCESS", "FAILURE", "SQL.SQLCODE"):
            status = word
        elif word.isdigit():
            status = int(word)
        else:
            raise ClientCommandError(f"usage: {usage} ({words[0]!r} is not an exit status)")
    return Exit(status, action)


def _parse_whenever(words: list[str]) -> Whenever:
    usage = ("WHENEVER SQLERROR EXIT [SUCCESS|FAILURE|n|SQL.SQLCODE] [COMMIT|ROLLBACK] "
             "| WHENEVER SQLERROR CONTINUE [NONE|COMMIT|ROLLBACK]")
    upper = [w.upper() for w in words]
    if len(upper) < 2 or upper[0] != "SQLERROR":
        unsupported = bool(words) and upper[0] != "SQLERROR"
        what = f" (WHENEVER {words[0]} is not supported)" if unsupported else ""
        raise ClientCommandError(f"usage: {usage}{what}")
    if upper[1] == "EXIT":
        return Whenever(_parse_exit(words[2:], usage), None)
    if upper[1] == "CONTINUE" and len(upper) <= 3:
        action = upper[2] if len(upper) == 3 else "NONE"
        if action not in ("NONE", *_ACTIONS):
            raise ClientCommandError(f"usage: {usage}")
        return Whenever(None, None if action == "NONE" else action)
    raise ClientCommandError(f"usage: {usage}")
