"""Lark's LALR parser with a leaner loop over the same parse table.

Lark's loop looks every reduction's callback up by its ``Rule`` (hashed and
compared in Python) and calls a wrapper even for an inlined ``?rule`` that only
hands its single child up, which the expression ladder (expr → and_expr → ...
→ atom) does several times per operand. This subclass compiles the table once:
a reduction carries its size, goto table and callback, and a pass-through
reduction just moves to the goto state, leaving the value where it is. A
goto entry also follows the unit pass-throughs that come next on the same
lookahead, so a ladder is climbed in one step (see ``_Gotos``). The states
reached, the callbacks and their order are Lark's, so callbacks see exactly
what they would see under Lark. An unexpected token is handed to Lark's own
``feed_token`` in the state where Lark would stop, which raises the usual
error. Plugged in with ``_plugins``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from lark import Token
from lark.exceptions import UnexpectedInput
from lark.grammar import Rule
from lark.parse_tree_builder import ChildFilterLALR, ChildFilterLALR_NoPlaceholders
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser
from lark.parsers.lalr_parser import LALR_Parser
from lark.parsers.lalr_parser_state import ParseConf, ParserState


class _Reduce(NamedTuple):
    size: int  # symbols popped
    gotos: _Gotos  # the state under them -> the state after the push (and pass-throughs)
    callback: Any  # builds the value; None for a pass-through
    through: int  # for a pass-through: which popped value is handed up


class _Shift(NamedTuple):
    state: int
    callback: Any  # Lark's callback for the token shifted (a plain shift is just the int)


class _Gotos(dict[int, int]):
    """Where a reduction goes, by the state under its symbols, filled on first use.

    The entry follows, on the reduction's lookahead, every unit pass-through reduction
    that would come next (atom → ... → expr): those only replace the top state, and
    which one depends on the state under it and the lookahead alone. So Lark's loop
    would take exactly these steps and reach exactly this state.
    """

    __slots__ = ("_resolve",)

    def __init__(self, resolve: Any) -> None:
        super().__init__()
        self._resolve = resolve

    def __missing__(self, below: int) -> int:
        state: int = self._resolve(below)
        self[below] = state
        return state


# A state's actions: terminal or nonterminal name -> next state (shift) or a reduction.
_Actions = dict[str, "int | _Shift | _Reduce"]


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
        raw = self._parse_table.states
        end_states = set(self._parse_table.end_states.values())
        units = {rule for rule in callbacks if isinstance(rule, Rule) and _is_unit(rule)}

        def settle(below: int, origin: str, lookahead: str) -> int:
            """The state after pushing ``origin`` on ``below`` and its unit pass-throughs."""
            state = raw[below][origin][1]
            while state not in end_states:  # where Lark's loop stops to accept
                action, arg = raw[state].get(lookahead, (Shift, None))
                if action is Shift or arg not in units:
                    break
                state = raw[below][arg.origin.name][1]
            return state

        gotos: dict[tuple[str, str], _Gotos] = {}
        reductions: dict[tuple[Rule, str], _Reduce] = {}

        def reduction(rule: Rule, lookahead: str) -> _Reduce:
            key = (rule, lookahead)
            if key not in reductions:
                origin = rule.origin.name
                if (origin, lookahead) not in gotos:
                    gotos[origin, lookahead] = _Gotos(
                        lambda below: settle(below, origin, lookahead)
                    )
                through = _passed_through(rule)
                callback = None if through is not None else _unwrapped(callbacks[rule])
                reductions[key] = _Reduce(
                    len(rule.expansion), gotos[origin, lookahead], callback, through or 0
                )
            return reductions[key]

        token_callbacks = {k: v for k, v in callbacks.items() if isinstance(k, str)}

        def shift(symbol: str, state: int) -> int | _Shift:
            callback = token_callbacks.get(symbol)
            return state if callback is None else _Shift(state, callback)

        # Indexed by state number (Lark numbers them 0..n-1): a list is cheaper than a dict.
        self._table: list[_Actions] = [
            {
                symbol: shift(symbol, arg) if action is Shift else reduction(arg, symbol)
                for symbol, (action, arg) in raw[state].items()
            }
            for state in range(len(raw))
        ]

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
        table = self._table
        token = None
        for token in state.lexer.lex(state):
            kind = token.type
            while True:
                action = table[states[-1]].get(kind)
                if type(action) is int:  # shift
                    states.append(action)
                    values.append(token)
                    break
                if type(action) is _Reduce:
                    size, gotos, callback, through = action
                    if callback is None:
                        if size == 1:  # a unit pass-through: the value stays in place
                            states[-1] = gotos[states[-2]]
                            continue
                        value = values[through - size]
                        del states[-size:]
                        del values[-size:]
                        values.append(value)
                    elif size:
                        children = values[-size:]
                        del states[-size:]
                        del values[-size:]
                        values.append(callback(children))
                    else:
                        values.append(callback([]))
                    states.append(gotos[states[-1]])
                    continue
                if action is None:
                    state.feed_token(token)  # raises Lark's UnexpectedToken
                states.append(action.state)  # a shift with a token callback
                values.append(action.callback(token))
                break
        end = Token.new_borrow_pos("$END", "", token) if token else Token("$END", "", 0, 1, 1)
        return self._finish(state, end)

    def _finish(self, state: ParserState, end: Token) -> Any:
        """Reduce what is left at the end of the input, as Lark does on ``$END``."""
        states, values = state.state_stack, state.value_stack
        table, end_state = self._table, state.parse_conf.end_state
        while True:
            action = table[states[-1]].get("$END")
            if type(action) is not _Reduce:
                state.feed_token(end, True)  # raises Lark's UnexpectedToken
            size, gotos, callback, through = action
            if size:
                children = values[-size:]
                del states[-size:]
                del values[-size:]
            else:
                children = []
            values.append(children[through] if callback is None else callback(children))
            states.append(gotos[states[-1]])
            if states[-1] == end_state:
                return values[-1]


def _unwrapped(callback: Any) -> Any:
    """The rule's callback doing the job of the ChildFilter around it, if it can."""
    if type(callback) not in (ChildFilterLALR, ChildFilterLALR_NoPlaceholders):
        return callback
    picking = getattr(callback.node_builder, "picking", None)
    if picking is None:  # ExpandSingleChild, or a Tree for an inlined _rule
        return callback
    picks: list[int | None] = []
    if type(callback) is ChildFilterLALR:
        for index, expand, nones in callback.to_include:
            if expand:  # the children of an inlined _rule's Tree
                return callback
            picks += [None] * nones + [index]
        picks += [None] * callback.append_none
    else:
        for index, expand in callback.to_include:
            if expand:
                return callback
            picks.append(index)
    return picking(tuple(picks))


def _is_unit(rule: Rule) -> bool:
    """A reduction that hands its one symbol's value up unchanged (an inlined ``?rule``)."""
    return len(rule.expansion) == 1 and _passed_through(rule) == 0


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
