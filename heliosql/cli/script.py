"""Cut a script into what it asks for: SQL statements, shell commands and client commands.

One reader serves ``-f`` scripts, ``.read`` files and what is typed at the
prompt, so each accepts the same things:

    >>> [(e.kind, e.text) for e in entries("SET ECHO ON\\nSELECT 1;\\n.tables\\n/\\n")]
    [('client', 'SET ECHO ON'), ('sql', 'SELECT 1'), ('command', '.tables'), ('rerun', '/')]

A line that starts a new entry is a shell command when it starts with ``.`` or
``\\`` (psql's spelling) or is ``help``; a client
command when it is one of SQL*Plus's (``sqlplus.py``: ``SET ECHO ON``,
``PROMPT``, ``REM``, ``WHENEVER``, ``SPOOL``, ``EXIT``, ``QUIT``); a lone ``/`` runs
the last statement again. Anything else is SQL, read up to the ``;`` that
ends it (or a ``\\gset`` at the end of a line, or a ``/`` alone on a line).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass

from heliosql.cli import sqlplus
from heliosql.parser import StatementText, is_complete, split_statements
from heliosql.parsing.scanner import unclosed

GSET = re.compile(r"\\gset(?:[ \t]+([A-Za-z_][A-Za-z0-9_]*))?\s*$")
_COMMAND_WORDS = frozenset({"help"})


class Flow(enum.Enum):
    """What follows an entry: go on, stop the script (after an error), or end the session."""

    GO = "go"
    STOP = "stop"
    END = "end"


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing a script asks for, and where it starts in the script."""

    kind: str  # "sql" | "command" (dot or backslash) | "client" (SQL*Plus) | "rerun" ('/')
    text: str
    start: int
    gset: str | None = None  # SQL only: store the single row in variables with this prefix
    first: bool = True  # SQL: the first statement of its line(s), not one after a ';' there

    @property
    def statement(self) -> StatementText:
        """The entry as a statement located in the script (for error reports)."""
        return StatementText(self.text, self.start, 0, 0)


def is_command(line: str) -> bool:
    """Whether a line, typed where a new entry starts, is a shell command."""
    stripped = line.strip()
    first = stripped.split(None, 1)[0].lower() if stripped else ""
    return stripped.startswith((".", "\\")) or first in _COMMAND_WORDS


def starts_entry_of_its_own(line: str) -> bool:
    """Whether ``line`` is complete by itself: a shell or client command, or ``/``."""
    stripped = line.strip()
    return stripped == "/" or is_command(stripped) or sqlplus.is_client_command(stripped)


def entries(text: str) -> Iterator[Entry]:
    """The entries of ``text``, in order; an unfinished statement at the end is included."""
    pending: int | None = None  # where the statement being read starts
    offset = 0
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        stripped = line.strip()
        at = start + len(line) - len(line.lstrip())
        if pending is None:
            if not stripped:
                continue
            if stripped == "/":
                yield Entry("rerun", "/", at)
            elif is_command(stripped):
                yield Entry("command", stripped, at)
            elif sqlplus.is_client_command(stripped):
                yield Entry("client", stripped, at)
            else:
                pending = start
        elif stripped == "/":  # SQL*Plus: a slash alone on a line ends the statement
            yield from _statements(text, pending, start)
            pending = None
            continue
        if pending is None:
            continue
        chunk = text[pending:offset]
        if gset := GSET.search(chunk):
            yield from _statements(text, pending, pending + gset.start(), gset.group(1) or "")
            pending = None
        elif is_complete(chunk):
            yield from _statements(text, pending, offset)
            pending = None
        elif not split_statements(chunk) and unclosed(chunk) is None:
            pending = None  # only comments so far: the next line may be a command
    if pending is not None:
        yield from _statements(text, pending, len(text))


def entry_complete(text: str) -> bool:
    """Whether Enter should run ``text``: a command, a statement ended by ``;``, ``\\gset``
    or a ``/`` line, or nothing at all (otherwise Enter starts a new line)."""
    stripped = text.strip()
    if not stripped:
        return True
    lines = stripped.splitlines()
    if len(lines) == 1 and starts_entry_of_its_own(lines[0]):
        return True
    return lines[-1].strip() == "/" or is_complete(text) or bool(GSET.search(stripped))


def _statements(text: str, start: int, end: int, gset: str | None = None) -> Iterator[Entry]:
    pieces = split_statements(text[start:end])
    if not pieces and gset is not None:  # a \gset with no query before it
        yield Entry("sql", "", start, gset)
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        yield Entry("sql", piece.text, start + piece.start, gset if last else None, i == 0)
