"""A pure completion engine: text and cursor in, candidates out; no prompt_toolkit here.

    >>> schema = Schema({"emp": ("id", "name", "salary")})
    >>> [c.text for c in complete("SELECT * FROM e", schema).candidates]
    ['emp']
    >>> [c.text for c in complete("SELECT sal FROM emp", schema, cursor=10).candidates]
    ['salary']

What is offered depends on the word before the one being typed: a table after
FROM / JOIN / UPDATE / INTO / TABLE, the flashback continuations after AS OF /
VERSIONS / BETWEEN, columns of a table after ``alias.``, and otherwise the
columns of the tables the statement names (anywhere in it, so ``SELECT na|
FROM emp`` works), pseudocolumns, functions, keywords and tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from heliosql.parser import split_statements

# Words that are spelled as several keywords: offered whole, so Tab after `AS` gives `AS OF SCN`.
FLASHBACK_PHRASES = (
    "AS OF SCN", "AS OF TIMESTAMP", "VERSIONS BETWEEN SCN", "VERSIONS BETWEEN TIMESTAMP",
    "MINVALUE AND MAXVALUE", "FLASHBACK TABLE", "TO BEFORE DROP", "TO SCN", "TO TIMESTAMP",
    "TO RESTORE POINT", "FOR SYSTEM_TIME AS OF", "PURGE RECYCLEBIN", "CREATE RESTORE POINT",
)
PSEUDOCOLUMNS = (
    "ORA_ROWSCN", "VERSIONS_STARTSCN", "VERSIONS_STARTTIME", "VERSIONS_ENDSCN",
    "VERSIONS_ENDTIME", "VERSIONS_XID", "VERSIONS_OPERATION",
)
# Aggregates and niladic functions the compiler accepts but lists nowhere as a table.
_EXTRA_FUNCTIONS = (
    "COUNT", "SUM", "AVG", "MIN", "MAX", "SCN_TO_TIMESTAMP", "TIMESTAMP_TO_SCN",
    "ROW_NUMBER", "RANK", "DENSE_RANK", "LAG", "LEAD", "LISTAGG", "CAST", "EXTRACT",
)
# After these words only a table name makes sense.
_TABLE_CONTEXT = frozenset({"FROM", "JOIN", "UPDATE", "INTO", "TABLE", "DESCRIBE", "DESC"})
# After these words the flashback grammar allows only a few continuations.
_NEXT_WORDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("AS", "OF"): ("SCN", "TIMESTAMP"),
    ("VERSIONS",): ("BETWEEN",),
    ("VERSIONS", "BETWEEN"): ("SCN", "TIMESTAMP"),
    ("FLASHBACK",): ("TABLE",),
    ("BEFORE",): ("DROP",),
}
_WORD = re.compile(r"[^\W\d][\w$#]*")  # Unicode letters too, as the grammar's IDENT
_TAIL = re.compile(r"(?:([^\W\d][\w$#]*)\.)?([^\W\d][\w$#]*)?$")


@dataclass(frozen=True, slots=True)
class Schema:
    """What the database holds, as far as completion cares: table -> column names."""

    tables: Mapping[str, Sequence[str]] = field(default_factory=dict)
    variables: Sequence[str] = ()
    commands: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    kind: str  # keyword | flashback | function | pseudocolumn | table | column | variable | command


@dataclass(frozen=True, slots=True)
class Completion:
    """Candidates replacing the ``length`` characters before the cursor."""

    length: int
    candidates: list[Candidate]


@cache
def keywords() -> tuple[str, ...]:
    """The dialect's keywords, read from the grammar so that completion cannot drift from it."""
    grammar = files("heliosql.grammar").joinpath("heliosql.lark").read_text()
    words = {w.upper() for w in re.findall(r'"([a-z_]+)"i', grammar)}
    return tuple(sorted(words))


@cache
def functions() -> tuple[str, ...]:
    from heliosql.compiler.functions import HANDLERS, ORACLE_BUILT

    return tuple(sorted({*HANDLERS, *ORACLE_BUILT, *_EXTRA_FUNCTIONS}))


def complete(text: str, schema: Schema, cursor: int | None = None) -> Completion:
    """Candidates for the word that ends at ``cursor`` (default: the end of ``text``)."""
    cursor = len(text) if cursor is None else cursor
    before = text[:cursor]
    line = before.rsplit("\n", 1)[-1]
    if line.lstrip().startswith(".") and before.strip() == line.strip() and " " not in line.strip():
        word = line.strip()
        return Completion(len(word), _matching(word, schema.commands, "command"))
    if (var := re.search(r":([A-Za-z_][A-Za-z0-9_]*)?$", before)) and not before.endswith("::"):
        word = var.group(1) or ""
        return Completion(len(word), _matching(word, schema.variables, "variable"))
    tail = _TAIL.search(before)
    assert tail is not None  # the pattern matches the empty string
    qualifier, word = tail.group(1), tail.group(2) or ""
    statement = _current_statement(text, cursor)
    named = _tables_in(statement, schema)
    if qualifier is not None:
        table = named.get(qualifier.lower()) or _find_table(qualifier, schema)
        columns = schema.tables.get(table, ()) if table else ()
        return Completion(len(word), _matching(word, [*columns, *PSEUDOCOLUMNS], "column"))
    previous = tuple(w.upper() for w in _WORD.findall(before[: len(before) - len(word)])[-2:])
    for key, nexts in _NEXT_WORDS.items():
        if previous[-len(key):] == key:
            return Completion(len(word), _matching(word, nexts, "flashback"))
    if previous and previous[-1] in _TABLE_CONTEXT:
        return Completion(len(word), _matching(word, schema.tables, "table"))
    columns = dict.fromkeys(c for t in dict.fromkeys(named.values()) for c in schema.tables[t])
    found = [
        *_matching(word, columns, "column"),
        *_matching(word, PSEUDOCOLUMNS, "pseudocolumn"),
        *_matching(word, FLASHBACK_PHRASES, "flashback"),
        *_matching(word, functions(), "function"),
        *_matching(word, keywords(), "keyword"),
        *_matching(word, schema.tables, "table"),
    ]
    return Completion(len(word), _unique(found))


def _matching(word: str, names: Iterable[str], kind: str) -> list[Candidate]:
    """Names starting with ``word`` (any case); SQL words follow the case the user types."""
    lowered = word.lower()
    lower_case = word != "" and word == word.lower()
    out = []
    for name in names:
        if name.lower().startswith(lowered) and (word == "" or name.lower() != lowered):
            shown = name.lower() if lower_case and kind in _SQL_WORDS else name
            out.append(Candidate(shown, kind))
    return out


_SQL_WORDS = frozenset({"keyword", "flashback", "function", "pseudocolumn"})


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for c in candidates:
        if c.text.lower() not in seen:
            seen.add(c.text.lower())
            out.append(c)
    return out


def _current_statement(text: str, cursor: int) -> str:
    """The statement the cursor is in: the split piece that contains it, or the last one."""
    for piece in split_statements(text):
        if piece.start <= cursor <= piece.start + len(piece.text) + 1:
            return piece.text
    return ""


def _find_table(name: str, schema: Schema) -> str | None:
    return next((t for t in schema.tables if t.lower() == name.lower()), None)


def _tables_in(statement: str, schema: Schema) -> dict[str, str]:
    """Names and aliases (lower case) of the tables the statement mentions -> table name.

    A word that follows a table name and is not a keyword is taken as its alias.
    """
    found: dict[str, str] = {}
    words = _WORD.findall(statement)
    reserved = set(keywords())
    for i, w in enumerate(words):
        table = _find_table(w, schema)
        if table is None:
            continue
        found[w.lower()] = table
        rest = [x for x in words[i + 1 : i + 3] if x.upper() != "AS"]
        if rest and rest[0].upper() not in reserved and _find_table(rest[0], schema) is None:
            found[rest[0].lower()] = table
    return found
