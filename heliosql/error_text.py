"""DuckDB's words about format masks, turned back into the user's Oracle masks.

``TO_DATE(x, 'YYYY-MM-DD')`` runs as DuckDB's ``strptime(x, '%Y-%m-%d')``, so a
text that does not match is reported with ``%Y-%m-%d``. The statement's mask
literal that compiles to that format (one of those tried) is found and named instead, and the error
points at it (ORA-01861, Oracle's "literal does not match format string").
"""

from __future__ import annotations

import re

from heliosql.compiler.formats import parse_formats
from heliosql.plan.base import Node
from heliosql.plan.expressions import Literal
from heliosql.plan.walk import walk
from heliosql.storage.errors import DataError, HeliosError, NotSupportedError, sql_text

_PARSE = re.compile(r'Could not parse string "(?P<text>.*)" according to format specifier '
                    r'"(?P<format>.*)"')


def in_oracle_words(error: HeliosError, statement: Node) -> HeliosError:
    """``error``, or an ORA-01861 naming the Oracle mask when it is DuckDB's parse error."""
    found = _PARSE.search(error.message)
    if found is None:
        return error
    mask = _mask_for(found["format"], statement)
    if mask is None:
        return error
    return DataError(f"literal does not match format string: {sql_text(found['text'])} is "
                     f"not a date in the format {sql_text(mask.value)}", code="ORA-01861",
                     position=mask.span.start if mask.span is not None else None)


def _mask_for(strptime_format: str, statement: Node) -> Literal | None:
    """The statement's string literal whose strptime format is ``strptime_format``."""
    for node in walk(statement):
        if isinstance(node, Literal) and isinstance(node.value, str) and node.value:
            try:
                formats = parse_formats(node.value)
            except NotSupportedError:  # not a mask at all
                continue
            if strptime_format in (*formats.formats, *formats.two_digit):
                return node
    return None
