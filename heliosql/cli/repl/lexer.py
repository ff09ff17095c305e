"""Syntax highlighting that knows the flashback vocabulary.

A small tokenizer (a pure function, tested with strings) and a prompt_toolkit
``Lexer`` over it. Pygments is not a prompt-toolkit dependency, so heliosql
does not rely on it; the reserved words come from the parser (``parsing.keywords``).
The whole buffer is tokenized at once, so comments and strings that span
lines are coloured correctly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.styles import Style

from heliosql.cli.repl.completion import PSEUDOCOLUMNS, functions
from heliosql.parsing.keywords import RESERVED

FLASHBACK_WORDS = frozenset({
    "AS", "OF", "SCN", "TIMESTAMP", "VERSIONS", "BETWEEN", "MINVALUE", "MAXVALUE", "FLASHBACK",
    "BEFORE", "RECYCLEBIN", "PURGE", "RESTORE", "POINT", "BACKOUT", "ARCHIVE", "RETENTION",
    "SYSTEM_TIME", "PERIOD", "VERSIONING",
})
# Reserved words plus the unreserved words that start or shape statements. Other grammar
# words (NAME, KEY, ROW, TIME ...) are usually column names here, so they stay plain.
KEYWORDS = RESERVED | frozenset({
    "ALTER", "ANALYZE", "ASC", "BEGIN", "COMMIT", "DESC", "DESCRIBE", "EXPLAIN", "FETCH",
    "FILTER", "FIRST", "FOLLOWING", "IF", "INDEX", "LAST", "LEFT", "LIMIT", "NULLS", "OFFSET",
    "ONLY", "OVER", "PARTITION", "PRECEDING", "RECURSIVE", "RENAME", "REPLACE", "RETURNING",
    "RIGHT", "ROLLBACK", "SAVEPOINT", "SHOW", "TEMPORARY", "TRANSACTION", "TRUNCATE",
    "UNBOUNDED", "VIEW", "WINDOW", "WITHIN", "DUAL", "CONFLICT", "DO", "NOTHING", "MATCHED",
})
_TOKEN = re.compile(
    r"(?P<comment>--[^\n]*|/\*(?:.|\n)*?(?:\*/|$))"
    r"|(?P<string>'(?:[^']|'')*'?)"
    r"|(?P<quoted>\"(?:[^\"]|\"\")*\"?)"
    r"|(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)"
    r"|(?P<param>:[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<word>[^\W\d][\w$#]*)"  # Unicode letters too, as the grammar's IDENT
    r"|(?P<other>\s+|.)",
)
STYLE = Style.from_dict({
    "keyword": "ansibrightblue bold",
    "flashback": "ansimagenta bold",
    "pseudocolumn": "ansimagenta",
    "function": "ansicyan",
    "string": "ansigreen",
    "number": "ansiyellow",
    "comment": "ansibrightblack italic",
    "param": "ansiyellow bold",
    "command": "ansicyan bold",
    "bottom-toolbar": "noreverse bg:ansibrightblack fg:ansiwhite",
})


def tokenize(text: str) -> list[tuple[str, str]]:
    """``(style class, text)`` pairs covering ``text``; the class is empty for plain text."""
    if text.lstrip().startswith("."):
        return [("command", text)]
    fn = frozenset(functions())
    pseudo = frozenset(PSEUDOCOLUMNS)
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup or "other", m.group()
        if kind == "word":
            upper = value.upper()
            following = text[m.end():].lstrip()[:1]
            if upper in FLASHBACK_WORDS:
                kind = "flashback"
            elif upper in pseudo:
                kind = "pseudocolumn"
            elif upper in fn and following == "(":
                kind = "function"
            elif upper in KEYWORDS:
                kind = "keyword"
            else:
                kind = ""
        elif kind in ("other", "quoted"):
            kind = ""
        out.append((kind, value))
    return out


class SqlLexer(Lexer):
    """prompt_toolkit adapter for :func:`tokenize`."""

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines: list[StyleAndTextTuples] = [[]]
        for kind, value in tokenize(document.text):
            style = f"class:{kind}" if kind else ""
            for i, part in enumerate(value.split("\n")):
                if i:
                    lines.append([])
                if part:
                    lines[-1].append((style, part))
        return lambda n: lines[n] if n < len(lines) else []
