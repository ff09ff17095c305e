"""Lark's contextual lexer with a tighter loop over the same per-state scanners.

Lark's own loop spends more time in calls than in regular expressions: a call to
the state's lexer, to its scanner and to the line counter for every token and
every run of blanks, and a second pattern to tell a keyword from an IDENT.
This subclass runs the same compiled patterns, callbacks and ignore rules in
one loop and looks keywords up in a dictionary (the same answer for ASCII
text), so it yields the same tokens. With ``ReservedWordsInLexer`` as post-lexer
it also applies the reserved-word rule (``keywords.reserve``) in that loop.
Anything unusual (a character no token starts with, a scanner split into
several patterns) goes back to Lark's loop at that point, which raises the same
errors as always. It is plugged in with Lark's ``_plugins`` option.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from lark import Token
from lark.common import LexerConf
from lark.lexer import BasicLexer, ContextualLexer, LexerState, PatternStr, UnlessCallback

from heliosql.parsing.keywords import ReservedWordsInLexer, reserve, retype_reserved

# What one parser state needs to lex: the pattern's match, keyword tables, the remaining
# token callbacks, ignored and newline-bearing token types.
_StatePlan = tuple[
    Callable[..., Any], dict[str, dict[str, str]], dict[str, Any], frozenset[str], frozenset[str]
]


class FastContextualLexer(ContextualLexer):
    """``ContextualLexer`` whose ``lex`` loops without per-token helper calls."""

    def __init__(
        self,
        conf: LexerConf,
        states: dict[int, Collection[str]],
        always_accept: Collection[str] = (),
    ) -> None:
        super().__init__(conf, states, always_accept)
        self._plans: dict[int, _StatePlan | None] = {}
        # Under ReservedWordsInLexer the loop retypes reserved words itself, which
        # saves the post-lexer's generator step per token.
        self._reserved = isinstance(conf.postlex, ReservedWordsInLexer)

    def _plan(self, state: int) -> _StatePlan | None:
        lexer = self.lexers[state]
        assert isinstance(lexer, BasicLexer)
        mres = lexer.scanner._mres
        plan = None
        if len(mres) == 1:
            callbacks = dict(lexer.callback)
            keywords = {}
            for kind, callback in lexer.callback.items():
                words = _keyword_table(callback)
                if words is not None:
                    keywords[kind] = words
                    del callbacks[kind]
            plan = (mres[0].match, keywords, callbacks, lexer.ignore_types, lexer.newline_types)
        self._plans[state] = plan
        return plan

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        text_slice = lexer_state.text
        text, end = text_slice.text, text_slice.end
        counter = lexer_state.line_ctr
        pos, line, line_start = counter.char_pos, counter.line, counter.line_start_pos
        plans, reserved = self._plans, self._reserved
        new = str.__new__
        after_dot = False
        token = lexer_state.last_token
        # Lark's lexer state is brought up to date only where Lark's loop takes over
        # and at the end: nothing reads it in between.
        while pos < end:
            state = parser_state.state_stack[-1]
            plan = plans.get(state) or self._plan(state)
            match = plan[0](text, pos, end) if plan is not None else None
            if match is None:  # Lark's loop takes over from here (and reports errors)
                _sync(counter, pos, line, line_start)
                lexer_state.last_token = token
                rest = super().lex(lexer_state, parser_state)
                yield from reserve(rest, after_dot) if reserved else rest
                return
            _, keywords, callbacks, ignore_types, newline_types = plan  # type: ignore[misc]
            value, kind = match.group(0), match.lastgroup
            start, start_line, start_column = pos, line, pos - line_start + 1
            pos += len(value)
            if kind in newline_types:
                newlines = value.count("\n")
                if newlines:
                    line += newlines
                    line_start = start + value.rindex("\n") + 1
            if kind in ignore_types and kind not in callbacks:
                continue
            words = keywords.get(kind)
            if words is not None:
                if value.isascii():
                    kind = words.get(value.lower(), kind)
                else:  # Unicode case folding: only the keyword pattern knows
                    callbacks = self.lexers[state].callback  # type: ignore[attr-defined]
            # Token's own constructor, minus its two Python-level calls.
            token = new(Token, value)
            token.type, token.value, token.start_pos, token.end_pos = kind, value, start, pos
            token.line, token.column = start_line, start_column
            token.end_line, token.end_column = line, pos - line_start + 1
            if kind in callbacks:
                token = callbacks[kind](token)
            if kind in ignore_types:
                continue
            if reserved:
                after_dot = retype_reserved(token, after_dot)
            yield token
        _sync(counter, pos, line, line_start)
        lexer_state.last_token = token


def _sync(counter: Any, pos: int, line: int, line_start: int) -> None:
    counter.char_pos, counter.line, counter.line_start_pos = pos, line, line_start
    counter.column = pos - line_start + 1


def _keyword_table(callback: Any) -> dict[str, str] | None:
    """Lower-case word -> keyword terminal, for a callback that only recognises keywords.

    Lark gives a pattern such as IDENT a callback that retypes a match equal to a
    keyword literal (``"select"i``). When every such literal is an ASCII word
    matched case-insensitively, a dictionary gives the same answer for ASCII text.
    """
    if not isinstance(callback, UnlessCallback):
        return None
    words = {}
    for terminal in callback.scanner.terminals:
        pattern = terminal.pattern
        if not (isinstance(pattern, PatternStr) and set(pattern.flags) == {"i"}):
            return None
        if not pattern.value.isascii():
            return None
        words[pattern.value.lower()] = terminal.name
    return words
