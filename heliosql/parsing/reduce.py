"""Plan nodes built while Lark's LALR parser reduces, with no parse tree in between.

Given to Lark as ``transformer=``, a ``PlanReducer`` supplies one callback per
rule: Lark calls it at each reduction with the rule's kept children (tokens,
``None`` for an absent ``[optional]``, and what earlier callbacks returned).
A callback returns a ``Reduced``: the node's ``Loc`` (first and last token
under it) carrying the built value, so that the parent's ``Loc`` comes from its
children without any tree. The rule methods of ``heliosql/parsing/build_*.py``
are called exactly as the tree walk of ``BuilderBase`` calls them, in the same
(post-)order, so plans and spans are the same; the parser never recurses, so
deep nesting needs no fallback.

Build errors are held back until the whole text has parsed: a syntax error
anywhere in the script is reported first, as it was when the tree was built
before any plan node.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, Reduced, gather

_Callback = Callable[[list[Any]], "Reduced"]


class PlanReducer:
    """Lark callbacks that build a statement's plan nodes during the LALR parse.

    One instance serves every thread: the builder of the text being parsed (its
    text for error messages, its ``?`` counter) is thread-local, set by ``run``.
    """

    def __init__(self, builder_class: type[BuilderBase]) -> None:
        self._builder_class = builder_class
        self._local = threading.local()

    def run(self, builder: BuilderBase, parse: Callable[[], list[Any]]) -> list[Any]:
        """The statements ``parse()`` returns, built by ``builder``; raises its first error."""
        local = self._local
        local.builder = builder
        try:
            statements = parse()
        finally:
            local.builder = None
        failure = builder.failure
        if failure is not None:
            raise failure from failure.__cause__
        return statements

    def __getattr__(self, rule: str) -> _Callback:
        # Lark asks for one attribute per rule (lower case) and per terminal (upper
        # case); terminals are left alone so tokens reach the rules unchanged.
        if not rule.islower() or rule.startswith("_"):
            raise AttributeError(rule)
        callback = _callback(self._local, getattr(self._builder_class, rule, _missing(rule)))
        setattr(self, rule, callback)
        return callback

    def start(self, children: list[Reduced | None]) -> list[Any]:
        """The script: its statements' plans (``None`` stands for an empty statement)."""
        return [child.value for child in children if child is not None]

    def SEMICOLON(self, token: Token) -> Token:
        """Lark's callback for each ``;`` shifted: every statement before it is reduced."""
        self._local.builder.next_statement()
        return token


def _callback(
    local: threading.local, method: Callable[..., Any], picks: Sequence[int | None] | None = None
) -> _Callback:
    def reduce(children: list[Any]) -> Reduced:
        args, first, last = gather(children, picks)
        node = Reduced(first, last)
        builder = local.builder
        if builder.failure is None:
            try:
                node.value = method(builder, node, *args)
            except Exception as exc:
                builder.fail_with(exc, node)
                node.value = None
        else:
            node.value = None  # after a failure nothing more is built
        return node

    # For a parser loop that passes all the symbols reduced: this callback picks
    # the rule's children itself, as Lark's ChildFilter wrapper around it would.
    reduce.picking = lambda picks: _callback(local, method, picks)  # type: ignore[attr-defined]
    return reduce


def _missing(rule: str) -> Callable[..., Any]:
    def method(builder: BuilderBase, loc: Loc, *args: Any) -> Any:
        raise AttributeError(f"no plan-builder method for rule {rule!r}")

    return method
