"""Identifier quoting and DuckDB text generation: the one place names become SQL.

Every name is emitted quoted. DuckDB resolves quoted identifiers
case-insensitively but keeps their spelling in result column names, which is
what heliosql promises (the spelling the user wrote, not Oracle's upper case),
and quoting makes reserved words and odd characters safe without a keyword list.
"""

from __future__ import annotations

import threading

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, UnsupportedError
from sqlglot.helper import name_sequence

from heliosql.storage.errors import NotSupportedError


def ident(name: str) -> exp.Identifier:
    """A quoted identifier for ``name``."""
    return exp.Identifier(this=name, quoted=True)


def column(name: str | exp.Star, qualifier: tuple[str, ...] = ()) -> exp.Column:
    """A column (or ``t.*``) reference; ``qualifier`` is ``(table,)``, ``(schema, table)``, ..."""
    if len(qualifier) > 3:
        raise NotSupportedError(f"too many name parts in {'.'.join((*qualifier, str(name)))}")
    this = name if isinstance(name, exp.Star) else ident(name)
    if not qualifier:  # the common cases, without building the parts below
        return exp.Column(this=this)
    if len(qualifier) == 1:
        return exp.Column(this=this, table=ident(qualifier[0]))
    parts = dict(zip(("table", "db", "catalog"), map(ident, reversed(qualifier)), strict=False))
    return exp.Column(this=this, **parts)


_DUCKDB = Dialect.get_or_raise("duckdb")


class _Generator(_DUCKDB.generator_class):  # type: ignore[name-defined,misc]
    """DuckDB's generator with shortcuts for the trees the compilers build.

    Most nodes generated are quoted identifiers (``ident``) and the columns made
    of them; writing one is a quote and an escape, not the general path (case
    folding, keyword and digit checks that a quoted name never needs). The output
    is the same as the stock generator's; tests/compiler/test_generation.py checks
    it for every statement of the SQL cases.
    """

    def sql(self, expression: str | exp.Expression | None, key: str | None = None,
            comment: bool = True) -> str:
        # The stock method with comments off (as they are here), reaching a child in one
        # call instead of two: this runs for every node and every absent clause.
        if not expression:
            return ""
        if isinstance(expression, str):
            return expression
        if key:
            expression = expression.args.get(key)
            if not expression:
                return ""
            if isinstance(expression, str):
                return expression
        handler = self._dispatch.get(expression.__class__)
        if handler is not None:
            return str(handler(self, expression))
        return str(super().sql(expression))  # functions without a handler, or the error

    def column_sql(self, expression: exp.Column) -> str:
        # ``name`` or ``table.name``, as the stock method writes them, without its
        # general walk over four optional parts.
        args = expression.args
        if args.get("db") or args.get("catalog") or args.get("join_mark") or args.get("shadow"):
            return str(super().column_sql(expression))
        table = args.get("table")
        this = self.sql(args.get("this"))
        return f"{self.sql(table)}.{this}" if table else this

    def identifier_sql(self, expression: exp.Identifier) -> str:
        name = expression.args.get("this")
        if expression.args.get("quoted") and type(name) is str and not self.pretty:
            return '"' + name.replace('"', '""') + '"'
        return str(super().identifier_sql(expression))


# The shortcut above assumes DuckDB's quoting: "name", a quote doubled, no other escapes.
assert (_DUCKDB.IDENTIFIER_START, _DUCKDB.IDENTIFIER_END) == ('"', '"')
assert not _DUCKDB.IDENTIFIER_ESCAPED_SEQUENCES

_local = threading.local()


def _generator() -> _Generator:
    """This thread's generator, built once: building a Dialect's generator per text
    is a measurable share of compiling a short statement."""
    generator: _Generator | None = getattr(_local, "generator", None)
    if generator is None:
        # Compiled trees carry no comments: comments=False skips looking for them at
        # every node.
        generator = _local.generator = _Generator(
            dialect=_DUCKDB, unsupported_level=ErrorLevel.RAISE, comments=False)
    return generator


def to_duckdb_sql(e: exp.Expression, *, pretty: bool = False) -> str:
    """DuckDB SQL text for a sqlglot tree; raise if sqlglot would have to drop something."""
    try:
        if pretty:
            return e.sql(dialect="duckdb", pretty=True, unsupported_level=ErrorLevel.RAISE,
                         copy=False)
        generator = _generator()
        generator._next_name = name_sequence("_t")  # names it invents start afresh per text
        # copy=False: the tree is built for this one generation, copying it is waste.
        return str(generator.generate(e, copy=False))
    except UnsupportedError as err:
        raise NotSupportedError(f"cannot express in DuckDB: {err}") from err


def discard(tree: exp.Expression) -> None:
    """Unlink the nodes of a tree that is not used again from their parents.

    A sqlglot node and its parent refer to each other, so a dropped tree is left
    to the cycle collector, whose passes over the young objects cost more than
    this walk (a tenth of compiling a 30-line query); unlinked, the tree is freed
    as soon as its root is dropped.
    """
    stack = [tree]
    pop, push, node_type = stack.pop, stack.append, exp.Expression
    while stack:
        node = pop()
        node.parent = None
        for value in node.args.values():
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_type):
                        push(item)
            elif type(value) in _LEAVES:  # half the nodes: nothing below to look at
                value.parent = None
            elif isinstance(value, node_type):
                push(value)


# Nodes whose arguments are plain values (the compilers build them so).
_LEAVES = frozenset({exp.Identifier, exp.Literal})


def to_duckdb_sql_reference(e: exp.Expression) -> str:
    """``to_duckdb_sql`` through sqlglot's stock DuckDB generator, on a copy of the tree:
    the reference the tuned generator's output is tested against."""
    return e.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
