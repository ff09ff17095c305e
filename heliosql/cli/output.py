"""Render a result (PEP 249 ``description`` + rows) as text, never altering a value.

Human formats (table, markdown, vertical) show NULL as the ``null`` text;
machine formats use their own NULL: an empty unquoted CSV field (an empty
string is ``""``, as in psql) and JSON ``null``. Values are formatted here, by
Python type, so tabulate never re-reads them (``'1e5'`` stays ``1e5``):

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
from decimal import Decimal
from typing import Any

from tabulate import tabulate

Description = Sequence[Sequence[Any]]


def render(description: Description, rows: Sequence[Sequence[Any]], fmt: str, null: str) -> str:
    """The rows as text in ``fmt`` (see ``heliosql.cli.options.FORMATS``), without a final
    newline."""
    names = [str(column[0]) for column in description]
    return _RENDERERS[fmt](names, rows, null)


def render_lines(description: Description, chunks: Iterable[Sequence[Sequence[Any]]], fmt: str,
                 null: str) -> Iterator[str]:
    """The same text, line by line, from rows that arrive in chunks.

    csv and jsonl print each chunk as it comes, so a large export never holds
    every row in memory; the other formats need all rows first (column widths).
    """
    names = [str(column[0]) for column in description]
    if fmt == "csv":
        yield _csv_line(names)
        for chunk in chunks:
            yield from (_csv_line(row) for row in chunk)
    elif fmt == "jsonl":
        for chunk in chunks:
            yield from (_object(names, row) for row in chunk)
    else:
        rows = [row for chunk in chunks for row in chunk]
        yield from render(description, rows, fmt, null).split("\n")


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


def _grid(names: list[str], rows: Sequence[Sequence[Any]], null: str, style: str,
          escape: Callable[[str], str] = str) -> str:
    cells = [[escape(text(v, null)) for v in row] for row in rows]
    # Numbers align right, as in every database shell; decided by type, not by parsing text.
    align = [
        "right" if any(_is_number(r[i]) for r in rows)
        and all(_is_number(r[i]) or r[i] is None for r in rows) else "left"
        for i in range(len(names))
    ]
    return tabulate(cells, headers=[escape(n) for n in names], tablefmt=style,
                    disable_numparse=True, colalign=align or None, preserve_whitespace=True)


def _table(names: list[str], rows: Sequence[Sequence[Any]], null: str) -> str:
    return _grid(names, rows, null, "psql")


def _markdown(names: list[str], rows: Sequence[Sequence[Any]], null: str) -> str:
    return _grid(names, rows, null, "github",
                 lambda cell: cell.replace("|", "\\|").replace("\n", "<br>"))


def _vertical(names: list[str], rows: Sequence[Sequence[Any]], null: str) -> str:
    width = max((len(n) for n in names), default=0)
    blocks = []
    for number, row in enumerate(rows, 1):
        lines = [f"-[ RECORD {number} ]" + "-" * max(width - 4, 4)]
        lines += [f"{n.ljust(width)} | {text(v, null)}" for n, v in zip(names, row, strict=True)]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) if blocks else "(0 rows)"


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    cell = text(value, "")
    if cell == "" or any(c in cell for c in ',"\r\n') or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _csv_line(values: Sequence[Any]) -> str:
    return ",".join(_csv_field(v) for v in values)


def _csv(names: list[str], rows: Sequence[Sequence[Any]], null: str) -> str:
    # A newline inside a value is quoted, so "\n" between records is safe for readers.
    return "\n".join([_csv_line(names), *(_csv_line(row) for row in rows)])


def _object(names: list[str], row: Sequence[Any]) -> str:
    fields = (f"{json.dumps(n)}: {_json(v)}" for n, v in zip(names, row, strict=True))
    return "{" + ", ".join(fields) + "}"


def _json_array(names: list[str], rows: Sequence[Sequence[Any]], null: str) -> str:
    if not rows:
        return "[]"
    return "[\n" + ",\n".join("  " + _object(names, row) for row in rows) + "\n]"


def _jsonl(names: list[str], rows: Sequence[Sequence[Any]], null: str) -> str:
    return "\n".join(_object(names, row) for row in rows)


_RENDERERS: dict[str, Callable[[list[str], Sequence[Sequence[Any]], str], str]] = {
    "table": _table,
    "csv": _csv,
    "json": _json_array,
    "jsonl": _jsonl,
    "markdown": _markdown,
    "vertical": _vertical,
}
