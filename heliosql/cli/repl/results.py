"""A query's rows, printed as they are fetched.

Rows come from DuckDB a chunk at a time and each chunk is printed before the
next is fetched, so the first lines show at once however large the result. On
a terminal a result of more than ``guard`` rows asks before printing them all
(pgcli's guard); a result taller than the screen streams into the pager; rows
wider than the screen print as vertical records. EXPLAIN prints its plan as
text, never in a grid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heliosql.cli.output import render_lines, text
from heliosql.cli.repl import pager

if TYPE_CHECKING:
    from heliosql.cli.repl.shell import Shell

CHUNK_ROWS = 10_000  # rows fetched at a time
GUARD_ROWS = 1_000  # the default of .guard
FEEDBACK_ROWS = 6  # SQL*Plus: "n rows selected." from this many rows on
_EXPLAIN = re.compile(r"\s*explain\b", re.I)


@dataclass
class Printed:
    """What printing a result did: rows printed, and whether the guard held some back."""

    rows: int = 0
    held_back: bool = False


def print_result(shell: Shell, cursor: Any, sql: str) -> Printed:
    """Fetch the rows of ``cursor`` and print them in the shell's mode."""
    description = cursor.description
    out = shell.result_stream()
    screen = shell.on_screen(out)
    guard = shell.guard if screen else None
    size = guard + 1 if guard else CHUNK_ROWS
    first = shell.call(cursor.fetchmany, size)
    printed = Printed()
    more = len(first) == size
    if guard and len(first) > guard and not shell.confirm(
            f"The result has more than {guard:,} rows. Print them all? [y/N] "):
        first, more, printed.held_back = first[:guard], False, True

    def chunks() -> Iterator[Sequence[Sequence[Any]]]:
        chunk = first
        while chunk:
            printed.rows += len(chunk)
            yield chunk
            if not more:
                return
            chunk = shell.call(cursor.fetchmany, CHUNK_ROWS)

    fmt = shell.mode
    if is_explain(sql) and fmt in ("table", "vertical"):
        lines = _plan_lines(chunks())
    else:
        if screen and fmt == "table" and len(description) > 1 and pager.too_wide(
                render_lines(description, [first], fmt, shell.null, shell.heading)):
            fmt = "vertical"
        lines = render_lines(description, chunks(), fmt, shell.null, shell.heading)
    if screen:
        pager.page(lines, out)
    else:
        for line in lines:
            out.write(line + "\n")
        out.flush()
    if printed.held_back:
        shell.note(f"(the first {guard:,} rows; .guard off prints every row)")
    return printed


def is_explain(sql: str) -> bool:
    return _EXPLAIN.match(sql) is not None


def _plan_lines(chunks: Iterator[Sequence[Sequence[Any]]]) -> Iterator[str]:
    for chunk in chunks:
        for row in chunk:
            yield from "  ".join(text(value, "") for value in row).split("\n")
