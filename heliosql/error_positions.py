"""Positions for errors DuckDB raises: its messages point into the generated SQL, not
the user's text, so an error that names a plan node gets that node's position."""

from __future__ import annotations

import re

from heliosql.plan.base import Node
from heliosql.plan.expressions import Column, Literal, Parameter
from heliosql.plan.relations import TableFunctionRef, TableRef
from heliosql.plan.walk import walk
from heliosql.storage.errors import (
    AmbiguousColumn,
    HeliosError,
    NoSuchColumn,
    NoSuchFunction,
)

_MISSING_TABLE = re.compile(r"table '([^']+)' does not exist|no table named '([^']+)'")


def locate_table(error: HeliosError, statement: Node, text: str | None) -> HeliosError:
    """``error``, given the position of the missing table's name: a table reference of
    the statement, else the name's first appearance in the statement's text (DROP,
    TRUNCATE and FLASHBACK TABLE keep only the name)."""
    named = _MISSING_TABLE.search(error.message)
    if error.position is not None or named is None:
        return error
    name = named[1] or named[2]
    wanted = name.lower()
    refs = [n.span.start for n in walk(statement)
            if isinstance(n, TableRef) and n.name[-1].lower() == wanted and n.span is not None]
    if refs:
        error.position = min(refs)
        return error
    span = getattr(statement, "span", None)
    if text is not None and span is not None:
        word = re.compile(rf'(?<![\w$#"])"?{re.escape(name)}"?(?![\w$#])', re.I)
        found = word.search(text, span.start, span.end)
        if found is not None:
            error.position = found.start()
    return error

_PARAMETER = re.compile(r"parameter :(\w+) holds")


def locate(error: HeliosError, statement: Node) -> HeliosError:
    """``error``, given a position if it has none: that of the first reference to the
    column it names (unknown or ambiguous), of the parameter whose value could not be
    bound, of the text a date conversion could not
    read (ORA-01861), or of the table function call it is about (the function it
    names, or the call with a text argument it quotes: a file ``read_csv`` cannot
    find)."""
    if error.position is not None:
        return error
    bound = _PARAMETER.search(error.message)
    if bound is not None:  # a value that could not be bound (bind_values.py)
        spans = [n.span.start for n in walk(statement) if isinstance(n, Parameter)
                 and n.span is not None and _named(n, bound[1])]
        if spans:
            error.position = min(spans)
        return error
    if error.code == "ORA-01861":
        counts = _text_counts(statement)
        texts = [n for n in walk(statement) if isinstance(n, Literal) and n.span is not None
                 and _quotes(error.message, n, counts)]
        if texts:
            error.position = texts[0].span.start  # type: ignore[union-attr]
        return error
    if isinstance(error, NoSuchColumn | AmbiguousColumn) and error.name:
        wanted = error.name.lower()
        ambiguous = isinstance(error, AmbiguousColumn)  # only a bare name can be
        spans = [n.span.start for n in walk(statement)
                 if isinstance(n, Column) and n.name.lower() == wanted and n.span is not None
                 and not (ambiguous and n.qualifier)]
        if spans:
            error.position = min(spans)
        return error
    # Only this statement's own calls: one inside a view's body has no position here.
    calls = [n for n in walk(statement) if isinstance(n, TableFunctionRef)]
    if not calls:
        return error
    if isinstance(error, NoSuchFunction):
        wanted = error.name.lower()
        found = next((c for c in calls if c.name[-1].lower() == wanted), None)
    else:
        found = _quoting_call(error.message, calls, statement)
    if found is not None and found.span is not None:
        error.position = found.span.start
    return error


def _named(parameter: Parameter, shown: str) -> bool:
    """Whether ``parameter`` is the one a message shows as ``:shown`` (``:v``, ``:1``)."""
    if parameter.name is not None:
        return parameter.name.lower() == shown
    return str(parameter.position) == shown


def _quoting_call(message: str, calls: list[TableFunctionRef],
                  statement: Node) -> TableFunctionRef | None:
    """The call with a text argument that ``message`` quotes."""
    counts = _text_counts(statement)
    for call in calls:
        for arg in (*call.args, *(named.value for named in call.named_args)):
            if _quotes(message, arg, counts):
                return call
    return None


def _text_counts(statement: Node) -> dict[str, int]:
    """How often each string literal occurs in the statement."""
    texts: dict[str, int] = {}
    for node in walk(statement):
        if isinstance(node, Literal) and isinstance(node.value, str):
            texts[node.value] = texts.get(node.value, 0) + 1
    return texts


def _quotes(message: str, node: Node, counts: dict[str, int]) -> bool:
    """Whether ``message`` quotes the text of ``node``, a string literal that appears
    nowhere else in the statement (so the message cannot be about something else)."""
    if not (isinstance(node, Literal) and isinstance(node.value, str) and node.value):
        return False
    quoted = f'"{node.value}"' in message or f"'{node.value}'" in message
    return quoted and counts.get(node.value) == 1
