"""Render a result (PEP 249 ``description`` + rows) as text, never altering a value.

Human formats (table, markdown, vertical) show NULL as the ``null`` text;
machine formats use their own NULL: an empty unquoted CSV field (an empty
string is ``""``, as in psql) and JSON ``null``. Values are formatted here, by
Python type, and never re-read as numbers (``'1e5'`` stays ``1e5``):

    >>> print(render([("id",), ("v",)], [(1, "1e5"), (2, None)], "table", "<null>"))
    +------+--------+
    |   id | v      |
    |------+--------|
    |    1 | 1e5    |
    |    2 | <null> |
    +------+--------+
    >>> print(render([("id",), ("v",)], [(1, "1e5"), (2, None)], "jsonl", "<null>"))
    {"id": 1, "v": "1e5"}
    {"id": 2, "v": null}
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wcwidth import wcswidth

Description = Sequence[Sequence[Any]]


def render(description: Description, rows: Sequence[Sequence[Any]], fmt: str, null: str,
           heading: bool = True) -> str:
    """The rows as text in ``fmt`` (see ``heliosql.cli.options.FORMATS``), without a final
    newline."""
    return "\n".join(render_lines(description, [rows], fmt, null, heading))


def render_lines(description: Description, chunks: Iterable[Sequence[Sequence[Any]]], fmt: str,
                 null: str, heading: bool = True) -> Iterator[str]:
    """The same text, line by line, from rows that arrive in chunks; each chunk is
    printed as it comes, so the first rows show while the rest are fetched.

    The table and markdown column widths are those of the first chunk; a later, wider
    value widens its column from there on (never cut). ``heading`` False leaves out
    the column names (table and csv).
    """
    names = [str(column[0]) for column in description]
    yield from _STREAMS[fmt](names, iter(chunks), null, heading)


# --- values ----------------------------------------------------------------------------------


def text(value: Any, null: str) -> str:
    """One value as display text: exact numbers, full-precision times with their zone."""
    if value is None:
        return null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")  # exact, keeps the scale, never exponent notation
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()  # PostgreSQL's bytea hex form: decodable, unambiguous
    if isinstance(value, list | tuple | dict):
        return _json(value)
    return str(value)


def _json(value: Any) -> str:
    """JSON text of a value; numbers are written exactly (no float round trip)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        if (isinstance(value, float) and math.isfinite(value)) or (
            isinstance(value, Decimal) and value.is_finite()
        ):
            return text(value, "")
        return json.dumps(str(value))  # NaN and infinities are not JSON numbers
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))}: {_json(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    return json.dumps(text(value, ""), ensure_ascii=False)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# --- formats ---------------------------------------------------------------------------------

Chunks = Iterator[Sequence[Sequence[Any]]]


def width(cell: str) -> int:
    """Columns a text takes on a terminal (East Asian characters take two)."""
    if cell.isascii() and cell.isprintable():
        return len(cell)
    columns = wcswidth(cell)
    return columns if columns >= 0 else len(cell)  # control characters: one column each


@dataclass(frozen=True, slots=True)
class _GridStyle:
    """The lines of a grid: table (psql's look) or markdown (GitHub's)."""

    border: bool  # a line above the header and below the last row
    header_joint: str  # between columns in the line under the header
    escape: Callable[[str], str]


_TABLE = _GridStyle(True, "+", str)
_MARKDOWN = _GridStyle(False, "|", lambda cell: cell.replace("|", "\\|").replace("\n", "<br>"))


def _grid(style: _GridStyle, names: list[str], chunks: Chunks, null: str, heading: bool
          ) -> Iterator[str]:
    first = list(next(chunks, []))
    # Numbers align right, as in every database shell; decided by type, not by parsing text.
    right = [
        any(_is_number(r[i]) for r in first) and all(_is_number(r[i]) or r[i] is None
                                                      for r in first)
        for i in range(len(names))
    ]
    headers = [style.escape(n) for n in names]
    cells = _cells(style, first, null)
    # Two more than the name, as tabulate does: short names stand apart from their values.
    widths = [max([_cell_width(h) + 2, *(_cell_width(row[i]) for row in cells)])
              for i, h in enumerate(headers)]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    if style.border:
        yield rule
    if heading:
        yield from _row_lines(headers, widths, right)
        yield "|" + style.header_joint.join("-" * (w + 2) for w in widths) + "|"
    for row in cells:
        yield from _row_lines(row, widths, right)
    for chunk in chunks:
        cells = _cells(style, chunk, null)
        widths = [max([w, *(_cell_width(row[i]) for row in cells)]) for i, w in enumerate(widths)]
        for row in cells:
            yield from _row_lines(row, widths, right)
    if style.border:
        yield "+" + "+".join("-" * (w + 2) for w in widths) + "+"


def _cells(style: _GridStyle, rows: Sequence[Sequence[Any]], null: str) -> list[list[str]]:
    return [[style.escape(text(v, null)) for v in row] for row in rows]


def _cell_width(cell: str) -> int:
    return max(width(line) for line in cell.split("\n"))


def _row_lines(cells: list[str], widths: list[int], right: list[bool]) -> Iterator[str]:
    """One row, as many lines as its tallest cell."""
    parts = [cell.split("\n") for cell in cells]
    for n in range(max((len(p) for p in parts), default=1)):
        out = []
        for lines, w, align_right in zip(parts, widths, right, strict=True):
            line = lines[n] if n < len(lines) else ""
            pad = " " * (w - width(line))
            out.append(pad + line if align_right else line + pad)
        yield "| " + " | ".join(out) + " |"


def _table(names: list[str], chunks: Chunks, null: str, heading: bool) -> Iterator[str]:
    return _grid(_TABLE, names, chunks, null, heading)


def _markdown(names: list[str], chunks: Chunks, null: str, heading: bool) -> Iterator[str]:
    return _grid(_MARKDOWN, names, chunks, null, True)  # markdown needs its header row


def _vertical(names: list[str], chunks: Chunks, null: str, heading: bool) -> Iterator[str]:
    """One record per row; the lines of a multi-line value stay under its first line."""
    name_width = max((width(n) for n in names), default=0)
    indent = " " * name_width + " | "
    number = 0
    for chunk in chunks:
        for row in chunk:
            number += 1
            yield f"-[ RECORD {number} ]" + "-" * max(name_width - 4, 4)
            for name, value in zip(names, row, strict=True):
                first, *more = text(value, null).split("\n")
                yield name + " " * (name_width - width(name)) + " | " + first
                yield from (indent + line for line in more)
    if number == 0:
        yield "(0 rows)"


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    cell = text(value, "")
    if cell == "" or any(c in cell for c in ',"\r\n') or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _csv_line(values: Sequence[Any]) -> str:
    return ",".join(_csv_field(v) for v in values)


def _csv(names: list[str], chunks: Chunks, null: str, heading: bool) -> Iterator[str]:
    # A newline inside a value is quoted, so "\n" between records is safe for readers.
    if heading:
        yield _csv_line(names)
    for chunk in chunks:
        yield from (_csv_line(row) for row in chunk)


def _object(names: list[str], row: Sequence[Any]) -> str:
    fields = (f"{json.dumps(n)}: {_json(v)}" for n, v in zip(names, row, strict=True))
    return "{" + ", ".join(fields) + "}"


def _json_array(names: list[str], chunks: Chunks, null: str, heading: bool) -> Iterator[str]:
    previous: str | None = None  # each object is written once the next shows whether a comma
    for chunk in chunks:
        for row in chunk:
            if previous is None:
                yield "["
            else:
                yield previous + ","
            previous = "  " + _object(names, row)
    yield "[]" if previous is None else previous + "\n]"


def _jsonl(names: list[str], chunks: Chunks, null: str, heading: bool) -> Iterator[str]:
    for chunk in chunks:
        yield from (_object(names, row) for row in chunk)


_STREAMS: dict[str, Callable[[list[str], Chunks, str, bool], Iterator[str]]] = {
    "table": _table,
    "csv": _csv,
    "json": _json_array,
    "jsonl": _jsonl,
    "markdown": _markdown,
    "vertical": _vertical,
}
