"""Lark's LALR parser with a leaner loop over the same parse table.

Lark's loop looks every reduction's callback up by its ``Rule`` (hashed and
compared in Python) and calls a wrapper even for an inlined ``?rule`` that only
hands its single child up, which the expression ladder (expr → and_expr → ...
→ atom) does several times per operand. This subclass compiles the table once:
a reduction carries its size, goto symbol and callback, and a pass-through
reduction just moves to the goto state, leaving the value where it is. Shifts,
reductions and their order are Lark's, so callbacks see exactly what they
would see under Lark. An unexpected token is handed to Lark's own
``feed_token``, which raises the usual error. Plugged in with ``_plugins``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from lark import Token
from lark.exceptions import UnexpectedInput
from lark.grammar import Rule
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser
from lark.parsers.lalr_parser import LALR_Parser
from lark.parsers.lalr_parser_state import ParseConf, ParserState


class _Reduce(NamedTuple):
    size: int  # symbols popped
    origin: str  # the nonterminal pushed (its goto entry)
    callback: Any  # builds the value; None for a pass-through
    through: int  # for a pass-through: which popped value is handed up


# A state's actions: terminal or nonterminal name -> next state (shift) or a reduction.
_Actions = dict[str, "int | _Reduce"]


class FastLALRParser(LALR_Parser):
    """``LALR_Parser`` whose ``parse`` runs a compiled copy of the parse table."""

    def __init__(self, parser_conf: Any, debug: bool = False, strict: bool = False) -> None:
        super().__init__(parser_conf, debug=debug, strict=strict)
        self._compile(parser_conf.callbacks)

    @classmethod
    def deserialize(
        cls, data: Any, memo: Any, callbacks: Any, debug: bool = False
    ) -> FastLALRParser:
        inst = super().deserialize(data, memo, callbacks, debug)
        inst._compile(callbacks)
        return inst

    def _compile(self, callbacks: dict[Any, Any]) -> None:
        reductions: dict[Rule, _Reduce] = {}

        def reduction(rule: Rule) -> _Reduce:
            if rule not in reductions:
                through = _passed_through(rule)
                callback = None if through is not None else callbacks[rule]
                reductions[rule] = _Reduce(len(rule.expansion), rule.origin.name, callback,
                                           through or 0)
            return reductions[rule]

        self._table: dict[int, _Actions] = {
            state: {
                symbol: arg if action is Shift else reduction(arg)
                for symbol, (action, arg) in actions.items()
            }
            for state, actions in self._parse_table.states.items()
        }
        self._token_callbacks = {k: v for k, v in callbacks.items() if isinstance(k, str)}

    def parse(self, lexer: Any, start: str, on_error: Any = None) -> Any:
        if on_error is not None:  # error recovery stays with Lark's loop
            return super().parse(lexer, start, on_error)
        conf = ParseConf(self._parse_table, self.parser.callbacks, start)
        state = ParserState(conf, lexer)
        try:
            return self._run(state)
        except UnexpectedInput as exc:
            exc.interactive_parser = InteractiveParser(self.parser, state, lexer)
            raise

    def _run(self, state: ParserState) -> Any:
        states, values = state.state_stack, state.value_stack
        table, token_callbacks = self._table, self._token_callbacks
        end_state = state.parse_conf.end_state
        token = None
        for token in state.lexer.lex(state):
            kind = token.type
            while True:
                action = table[states[-1]].get(kind)
                if type(action) is int:
                    states.append(action)
                    callback = token_callbacks.get(kind)
                    values.append(token if callback is None else callback(token))
                    break
                if action is None:
                    state.feed_token(token)  # raises Lark's UnexpectedToken
                _reduce(action, states, values, table)
        end = Token.new_borrow_pos("$END", "", token) if token else Token("$END", "", 0, 1, 1)
        while True:
            action = table[states[-1]].get("$END")
            if not isinstance(action, _Reduce):
                state.feed_token(end, True)  # raises Lark's UnexpectedToken
            _reduce(action, states, values, table)
            if states[-1] == end_state:
                return values[-1]


def _reduce(action: _Reduce, states: list[int], values: list[Any], table: dict) -> None:
    size, origin, callback, through = action
    if callback is None and size == 1:  # an inlined ?rule: the value stays in place
        states[-1] = table[states[-2]][origin]
        return
    if size:
        children = values[-size:]
        del states[-size:]
        del values[-size:]
    else:
        children = []
    values.append(children[through] if callback is None else callback(children))
    states.append(table[states[-1]][origin])


def _passed_through(rule: Rule) -> int | None:
    """Where the only child of an inlined ``?rule`` is, when Lark would hand it up unchanged."""
    options = rule.options
    if not options.expand1 or rule.alias or options.empty_indices:
        return None
    kept = [
        i
        for i, symbol in enumerate(rule.expansion)
        if options.keep_all_tokens or not (symbol.is_term and symbol.filter_out)
    ]
    if len(kept) != 1 or rule.expansion[kept[0]].name.startswith("_"):
        return None
    return kept[0]
