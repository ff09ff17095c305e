"""The heading Oracle gives a select-list expression written without an alias.

Oracle names such a column after the expression's text: upper-cased, with the
whitespace and comments between tokens left out (``count( * )`` is
``COUNT(*)``, ``sal + nvl(comm, 0)`` is ``SAL+NVL(COMM,0)``). heliosql keeps
the text inside a quoted identifier as written and the text of a string
literal with its spaces (upper-cased, as Oracle does: ``'a' || x`` is
``'A'||X``); see docs/semantics.md.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from heliosql.plan.expressions import Column, Literal, Star

if TYPE_CHECKING:
    from heliosql.plan.relations import SelectItem

# One token: a string, a quoted name, a comment, whitespace, a word, or one other character.
_TOKENS = re.compile(
    r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|--[^\n]*|/\*.*?(?:\*/|$)|\s+|[\w$#.]+|.""", re.DOTALL)
# Words that only close or end an expression (CASE ... END, IS NULL) and so may follow
# the last token a rule keeps.
_CLOSING_WORDS = frozenset(("END", "NULL", "TRUE", "FALSE", "IS", "OVER"))
_QUANTIFIERS = frozenset(("DISTINCT", "ALL", "UNIQUE"))


def _skipped(token: str) -> bool:
    return token.isspace() or token.startswith(("--", "/*"))


def headings(text: str, select_end: int, spans: list[tuple[int, int] | None]) -> list[str | None]:
    """The headings of a block's select items, given where its SELECT keyword ends and
    the span of each item's kept tokens (None for an item without tokens).

    A span runs from the first to the last token its rules keep, so the words and
    brackets that open (``CASE``, ``(``, ``-``) or close (``)``, ``END``, ``IS
    NULL``) an expression are found here: an item starts after the comma (or the
    SELECT and its DISTINCT) before it, and ends with the closing tokens after it.
    """
    out: list[str | None] = []
    previous_end = select_end
    for span in spans:
        if span is None:
            out.append(None)
            continue
        start = _item_start(text, previous_end, span[0], first=not out)
        end = _item_end(text, start, span[1])
        out.append("".join(t if t.startswith('"') else t.upper()
                           for t in _tokens(text, start, end)))
        previous_end = end
    return out


def _tokens(text: str, start: int, end: int) -> list[str]:
    return [t for t in (m.group() for m in _TOKENS.finditer(text, start, end)) if not _skipped(t)]


def _item_start(text: str, after: int, first_kept: int, first: bool) -> int:
    """Where an item starts: after the comma before it, or after SELECT [DISTINCT]."""
    start = after
    for match in _TOKENS.finditer(text, after, first_kept):
        token = match.group()
        if token == "," or (first and token.upper() in _QUANTIFIERS):
            start = match.end()
    return start


def _item_end(text: str, start: int, end: int) -> int:
    """Where an item ends: its last kept token and the closing tokens after it."""
    depth = sum({"(": 1, ")": -1}.get(t, 0) for t in _tokens(text, start, end))
    for match in _TOKENS.finditer(text, end):
        token = match.group()
        if _skipped(token):
            continue
        if depth <= 0 and token != "(" and token.upper() not in _CLOSING_WORDS:
            break
        depth += {"(": 1, ")": -1}.get(token, 0)
        end = match.end()
    return end


def with_headings(text: str, start: int, items: tuple[SelectItem, ...]
                  ) -> tuple[SelectItem, ...]:
    """``items`` (a select list starting after ``text[:start]``), each unaliased
    expression given its heading; columns keep their own name."""
    spans = [(i.span.start, i.span.end) if i.span is not None else None for i in items]
    texts = headings(text, start, spans)
    return tuple(
        replace(item, heading=heading or _token_free_heading(item.expr))
        if item.alias is None and not isinstance(item.expr, Column | Star) else item
        for item, heading in zip(items, texts, strict=True))


def _token_free_heading(expr: object) -> str | None:
    """The heading of NULL, TRUE or FALSE, whose rules keep no token."""
    if isinstance(expr, Literal):
        return "NULL" if expr.value is None else str(expr.value).upper()
    return None
