"""Shared base of the rule mixins that turn what Lark parses into plan nodes.

Each rule method receives the node's ``Loc`` (its first and last kept token) and
its built children. The parser calls them from Lark's LALR reductions
(heliosql/parsing/reduce.py); ``BuilderBase.build`` walks a Lark parse tree
instead and gives the same plans, which is how tests check the reductions.
Positions come from the tokens, not from Lark's ``propagate_positions`` (which
doubled the parse time, see bench/parse_bench.py). Keywords the grammar drops
are not tokens, so a node's span starts at its first kept token; statement spans
are set from the script scanner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from lark import Token, Tree

from heliosql.errors import HeliosError, InternalError, SqlSyntaxError
from heliosql.parsing.diagnostics import syntax_error
from heliosql.plan import Span
from heliosql.storage.names import QuotedName


class Loc:
    """Where a tree node lies: its first and last token (None for a node without tokens)."""

    __slots__ = ("first", "last")

    def __init__(self, first: Token | None, last: Token | None) -> None:
        self.first = first
        self.last = last

    @property
    def empty(self) -> bool:
        return self.first is None

    @property
    def start_pos(self) -> int:
        return self.first.start_pos or 0 if self.first is not None else 0


class Reduced(Loc):
    """A built node: where it lies and the value its rule method returned."""

    __slots__ = ("value",)


def gather(
    children: list[Any], picks: Sequence[int | None] | None = None
) -> tuple[list[Any], Token | None, Token | None]:
    """A node's arguments (its children's values) and its first and last token.

    A child is a ``Reduced`` node, a kept token, or None for an absent [optional].
    ``picks`` chooses the children as Lark's ChildFilter would, from all the
    symbols reduced: an index, or None for an absent [optional].
    """
    first = last = None
    args = []
    for i in range(len(children)) if picks is None else picks:
        child = None if i is None else children[i]
        if type(child) is Reduced:
            if child.first is not None:
                if first is None:
                    first = child.first
                last = child.last
            args.append(child.value)
        else:
            if child is not None:
                if first is None:
                    first = child
                last = child
            args.append(child)
    return args, first, last


def span_of(loc: Loc) -> Span | None:
    """The plan Span covering a node's tokens."""
    first, last = loc.first, loc.last
    if first is None or last is None:
        return None
    return Span(first.start_pos or 0, last.end_pos or 0, first.line or 1, first.column or 1)


def unquote_identifier(token: Token) -> str:
    """Identifier text: quotes removed and doubled quotes undone for "quoted" names, which
    come back as ``QuotedName`` (the data dictionary shows them as written)."""
    if token.type == "QUOTED_IDENT":
        return QuotedName(token[1:-1].replace('""', '"'))
    return str(token)


def unquote_string(token: Token) -> str:
    """String literal text: quotes removed, '' undone."""
    return token[1:-1].replace("''", "'")


def present(*items: Any) -> tuple[Any, ...]:
    """The items that are not placeholders (maybe_placeholders gives None for absent [x])."""
    return tuple(item for item in items if item is not None)


class BuilderBase:
    """Builds plan nodes bottom-up, calling the method named after each rule.

    Each method receives the node's ``Loc`` and its built children. One instance
    builds one text; ``?`` parameters are numbered per statement in source order
    (children are built left to right), from 1 again after ``next_statement``.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._qmarks = 0
        self.failure: HeliosError | None = None  # the first build error, held back

    def next_statement(self) -> None:
        """The next nodes belong to the next statement of the script."""
        self._qmarks = 0

    def fail_with(self, exc: Exception, loc: Loc) -> None:
        """Hold ``exc``, raised by the method of the node at ``loc``, as a heliosql error."""
        if self.failure is None:
            self.failure = self._as_error(exc, loc)

    def _as_error(self, exc: Exception, loc: Loc) -> HeliosError:
        if isinstance(exc, HeliosError):
            return exc
        if isinstance(exc, ValueError):  # a plan node invariant (__post_init__)
            return self._error_at(loc.start_pos, str(exc))
        if isinstance(exc, RecursionError):
            return self._error_at(0, "statement is nested too deeply")
        # A bug in the builder must still surface as a heliosql error.
        error = InternalError(f"cannot build the plan of this statement: {exc!r}")
        error.__cause__ = exc
        return error

    def build(self, tree: Tree) -> Any:
        """The plan node for a Lark parse tree of one statement.

        The recursive walk is the fast one; a tree deeper than Python's
        recursion limit (a 5,000-term OR chain) is walked again iteratively.
        """
        try:
            return self._visit(tree).value
        except RecursionError:
            self._qmarks = 0
            return self._build_iteratively(tree)

    def _visit(self, tree: Tree) -> Reduced:
        children = [self._visit(c) if isinstance(c, Tree) else c for c in tree.children]
        return self._reduce(tree.data, children)

    def _build_iteratively(self, tree: Tree) -> Any:
        """Post-order walk with an explicit stack; same results as ``_visit``."""
        # A frame: [node, next child index, children so far (tokens and Reduced)].
        stack: list[list[Any]] = [[tree, 0, []]]
        while True:
            frame = stack[-1]
            node, index, children = frame
            if index < len(node.children):
                child = node.children[index]
                frame[1] = index + 1
                if isinstance(child, Tree):
                    stack.append([child, 0, []])
                else:
                    children.append(child)
                continue
            stack.pop()
            reduced = self._reduce(node.data, children)
            if not stack:
                return reduced.value
            stack[-1][2].append(reduced)

    def _reduce(self, rule: str, children: list[Any]) -> Reduced:
        args, first, last = gather(children)
        node = Reduced(first, last)
        node.value = self._call(rule, node, args)
        return node

    def _call(self, rule: str, loc: Loc, args: list[Any]) -> Any:
        # A freshly compiled grammar names rules with lark Tokens, whose Python-level
        # __eq__ inside getattr would turn a RecursionError into an AttributeError.
        try:
            return getattr(self, str(rule))(loc, *args)
        except HeliosError:
            raise
        except ValueError as exc:  # a plan node invariant (__post_init__)
            raise self._error_at(loc.start_pos, str(exc)) from None

    def _next_qmark(self) -> int:
        self._qmarks += 1
        return self._qmarks

    def _fail(self, loc: Loc, detail: str, code: str | None = None) -> NoReturn:
        raise self._error_at(loc.start_pos, detail, code)

    def _error_at(self, position: int, detail: str, code: str | None = None) -> SqlSyntaxError:
        return syntax_error(self._text, position, detail, code=code)

    def _is_quoted_at(self, loc: Loc) -> bool:
        return not loc.empty and self._text[loc.start_pos] == '"'
