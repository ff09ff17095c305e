"""Which words are reserved, and the Lark post-lexer that enforces it.

The grammar runs Lark's contextual lexer, so by itself a keyword is a keyword
only where the parser can take it, and an identifier everywhere else. That is
what keeps ``scn``, ``versions``, ``key`` or ``status`` usable as names, but
left alone it would also read ``SELECT FROM`` as selecting a column named
FROM. The words below are therefore reserved: outside the places the grammar
expects them they are rejected, unless quoted (``"FROM"``) or written after a
dot (``t.from``). The list is the core of the SQL and Oracle reserved words
that start or separate clauses; type names, DATE / TIMESTAMP, functions such
as LEFT and the flashback vocabulary stay unreserved.
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token

# fmt: off
RESERVED = frozenset((
    "ALL", "AND", "AS", "BETWEEN", "BY", "CASE", "CAST", "CHECK", "CONSTRAINT", "CREATE",
    "CROSS", "DEFAULT", "DELETE", "DISTINCT", "DROP", "ELSE", "END", "EXCEPT", "EXISTS",
    "EXTRACT", "FALSE", "FROM", "FULL", "GROUP", "HAVING", "ILIKE", "IN", "INNER", "INSERT",
    "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "LIKE", "MERGE", "MINUS", "NATURAL", "NOT",
    "NULL", "OF", "ON", "OR", "ORDER", "OUTER", "PRIMARY", "SELECT", "SET", "TABLE", "THEN",
    "TRUE", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "WHEN", "WHERE", "WITH",
))
# fmt: on


class ReservedWords:
    """Lark post-lexer: IDENT competes in every lexer state; reserved words stay keywords.

    ``always_accept`` lets IDENT match in every state, so ``ORDER BYX`` lexes as
    ORDER + BYX (an error) rather than ORDER + BY + X. ``process`` turns a
    reserved word the contextual lexer read as IDENT back into its keyword, so
    the parser reports it as unexpected.
    """

    always_accept = ("IDENT",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return reserve(stream)


class ReservedWordsInLexer(ReservedWords):
    """The same post-lexer for ``FastContextualLexer``, which applies the rule itself."""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return stream


def reserve(stream: Iterator[Token], after_dot: bool = False) -> Iterator[Token]:
    """The tokens of ``stream``, a reserved word read as IDENT retyped as its keyword."""
    for token in stream:
        after_dot = retype_reserved(token, after_dot)
        yield token


def retype_reserved(token: Token, after_dot: bool) -> bool:
    """Retype ``token`` if it is a reserved word read as IDENT; whether a dot ends it."""
    if token.type == "IDENT" and not after_dot:
        word = token.upper()
        if word in RESERVED:
            token.type = word
    return token.type == "DOT"
