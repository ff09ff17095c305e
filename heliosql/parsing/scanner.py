"""Split a script into statements without parsing it.

A small hand-written scanner: semicolons inside 'strings', "quoted
identifiers", -- line comments and /* block comments */ do not split. It
works on partial input (the REPL asks whether a statement is complete while
the user types), so it never fails: an unterminated string or comment simply
runs to the end of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SPECIAL = re.compile(r"['\";]|--|/\*")


@dataclass(frozen=True, slots=True)
class StatementText:
    """One statement of a script: its text (without the ``;``) and where it starts."""

    text: str
    start: int  # offset of the first character of ``text`` in the script
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True, slots=True)
class _Segment:
    """A run of the text: plain code, a quoted string/identifier, a comment or a ``;``."""

    kind: str  # "code" | "quoted" | "comment" | ";"
    start: int
    end: int
    closed: bool = True


def _segments(text: str) -> Iterator[_Segment]:
    i, n = 0, len(text)
    while i < n:
        match = _SPECIAL.search(text, i)
        if match is None:
            yield _Segment("code", i, n)
            return
        start, token = match.start(), match.group()
        if start > i:
            yield _Segment("code", i, start)
        if token == ";":
            yield _Segment(";", start, start + 1)
            i = start + 1
            continue
        if token in ("'", '"'):
            kind, close = "quoted", text.find(token, start + 1)
            end = close + 1
        elif token == "--":
            kind, close = "comment", text.find("\n", start)
            end = close if close >= 0 else n
            close = end  # a line comment is closed by the end of the text too
        else:
            kind, close = "comment", text.find("*/", start + 2)
            end = close + 2
        if close < 0:
            yield _Segment(kind, start, n, closed=False)
            return
        yield _Segment(kind, start, end)
        i = end


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def split_statements(text: str) -> list[StatementText]:
    """The statements of ``text``, split on top-level ``;``; empty statements are dropped.

    Each statement runs from its first character of code (leading blanks and
    comments skipped) to its last one (trailing blanks and comments dropped).
    """
    pieces: list[StatementText] = []
    first: int | None = None
    last = 0

    def finish() -> None:
        if first is not None:
            line, column = _line_column(text, first)
            pieces.append(StatementText(text[first:last], first, line, column))

    for seg in _segments(text):
        if seg.kind == ";":
            finish()
            first = None
        elif seg.kind == "quoted":
            first = seg.start if first is None else first
            last = seg.end
        elif seg.kind == "code":
            chunk = text[seg.start : seg.end]
            stripped = chunk.lstrip()
            if stripped:
                if first is None:
                    first = seg.start + len(chunk) - len(stripped)
                last = seg.start + len(chunk.rstrip())
    finish()
    return pieces


def unclosed(text: str) -> tuple[str, int] | None:
    """What is left open at the end of ``text`` and where it starts, or None.

    The kind is "string", "quoted identifier" or "comment".
    """
    for seg in _segments(text):
        if not seg.closed:
            if seg.kind == "comment":
                return "comment", seg.start
            return ("string" if text[seg.start] == "'" else "quoted identifier"), seg.start
    return None


def is_complete(text: str) -> bool:
    """True when the last thing in ``text`` (comments aside) is a top-level ``;``."""
    last: _Segment | None = None
    for seg in _segments(text):
        if not seg.closed:
            return False
        if seg.kind == "comment" or (seg.kind == "code" and text[seg.start : seg.end].isspace()):
            continue
        last = seg
    return last is not None and last.kind == ";"
