"""The SQL front end's entry points: text in, frozen plan statements out.

    >>> from heliosql.parser import parse_one
    >>> parse_one("SELECT * FROM emp AS OF SCN 42 e").query.body.from_[0].temporal
    AsOf(kind=<TemporalKind.SCN: 'SCN'>, expr=Literal(value=42))

The grammar (``grammar/heliosql.lark``) is loaded once, with Lark's grammar
cache; plan nodes are built during the LALR parse (``heliosql/parsing/reduce.py``).
Parse results are cached by exact text, which is safe because plan nodes are
immutable. Every failure is a ``heliosql.errors`` exception: Lark's own
exceptions are translated here, at the boundary.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

from lark import Lark
from lark.exceptions import LarkError, UnexpectedInput

from heliosql.errors import ProgrammingError
from heliosql.parsing.builder import PlanBuilder
from heliosql.parsing.diagnostics import describe_terminals, from_lark, syntax_error
from heliosql.parsing.keywords import ReservedWords, ReservedWordsInLexer
from heliosql.parsing.lalr import FastLALRParser
from heliosql.parsing.lexer import FastContextualLexer
from heliosql.parsing.reduce import PlanReducer
from heliosql.parsing.scanner import StatementText, is_complete, split_statements
from heliosql.plan import Span, Statement

__all__ = ["StatementText", "is_complete", "parse", "parse_one", "split_statements"]

CACHE_SIZE = 1024
CACHE_MAX_TEXT = 64 * 1024  # longer scripts are parsed every time rather than pinned in memory


_lock = threading.Lock()
_parsers: dict[bool, Lark] = {}
_display: dict[str, str] = {}
_reducer = PlanReducer(PlanBuilder)
# Lark's plug-in points: the same lexer and parser tables, run by leaner loops.
_FAST = {"ContextualLexer": FastContextualLexer, "LALR_Parser": FastLALRParser}


def _load(building: bool) -> Lark:
    """The grammar's parser: building plan nodes as it reduces, or building a Lark tree."""
    parser = _parsers.get(building)
    if parser is None:
        with _lock:
            parser = _parsers.get(building)
            if parser is None:
                anchor = files("heliosql.grammar").joinpath("heliosql.lark")
                parser = Lark.open(
                    "heliosql.lark",
                    rel_to=str(anchor),
                    parser="lalr",
                    # Positions come from the tokens (heliosql/parsing/common.py): Lark's
                    # propagate_positions doubled the parse time.
                    propagate_positions=False,
                    maybe_placeholders=True,
                    cache=True,
                    postlex=ReservedWordsInLexer() if building else ReservedWords(),
                    transformer=_reducer if building else None,
                    _plugins=_FAST if building else {},
                )
                _display.update(describe_terminals(parser.terminals))
                _parsers[building] = parser
    return parser


def _lark() -> Lark:
    """The grammar's parser producing Lark trees (for tools and tests; ``parse`` builds plans)."""
    return _load(building=False)


def parse(sql: str) -> list[Statement]:
    """Parse a script of zero or more ``;``-separated statements."""
    if not isinstance(sql, str):
        raise ProgrammingError(f"SQL text must be a str, not {type(sql).__name__}")
    if len(sql) > CACHE_MAX_TEXT:
        return list(_parse_uncached(sql))
    return list(_parse_cached(sql))


def parse_one(sql: str) -> Statement:
    """Parse text holding exactly one statement (a trailing ``;`` is allowed)."""
    statements = parse(sql)
    if len(statements) == 1:
        return statements[0]
    if not statements:
        raise syntax_error(sql, len(sql), "expected a statement, found none")
    extra = statements[1].span
    raise syntax_error(
        sql,
        extra.start if extra else len(sql),
        f"expected a single statement, found {len(statements)}",
    )


@lru_cache(maxsize=CACHE_SIZE)
def _parse_cached(sql: str) -> tuple[Statement, ...]:
    return _parse_uncached(sql)


def _parse_uncached(sql: str) -> tuple[Statement, ...]:
    if not sql.isascii():
        _check_encodable(sql)
    parser = _load(building=True)
    try:
        statements: list[Any] = _reducer.run(PlanBuilder(sql), lambda: parser.parse(sql))
    except UnexpectedInput as exc:
        raise from_lark(exc, sql, _display) from None
    except RecursionError:
        raise syntax_error(sql, 0, "statement is nested too deeply") from None
    except LarkError as exc:  # pragma: no cover - Lark raises UnexpectedInput for bad input
        raise syntax_error(sql, 0, f"cannot parse: {exc}") from None
    return _with_statement_spans(statements, sql)


def _check_encodable(sql: str) -> None:
    """Text DuckDB cannot take (a lone surrogate has no UTF-8 form) is refused here."""
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = f"U+{ord(sql[exc.start]):04X}"
        # The message shows the line, so it shows U+FFFD instead: it must be printable.
        shown = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in sql)
        raise syntax_error(shown, exc.start, f"partial multibyte character: a lone surrogate "
                           f"({char}) is not text", code="ORA-29275") from None


def _with_statement_spans(statements: list[Statement], sql: str) -> tuple[Statement, ...]:
    """Give each statement the span of its whole text (the tree drops leading keywords)."""
    pieces = split_statements(sql)
    if len(pieces) != len(statements):  # pragma: no cover - scanner and grammar agree on ';'
        return tuple(statements)
    return tuple(
        replace(stmt, span=Span(p.start, p.start + len(p.text), p.line, p.column))
        for stmt, p in zip(statements, pieces, strict=True)
    )
