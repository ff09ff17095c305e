"""Turn Lark's exceptions into ``SqlSyntaxError`` with a caret under the statement.

Expected tokens are reported in the user's words (keywords, quoted punctuation,
"identifier"), most useful first, never as Lark terminal names.
"""

from __future__ import annotations

from collections.abc import Iterable

from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr, TerminalDef

from heliosql.errors import SqlSyntaxError
from heliosql.parsing.scanner import unclosed

MAX_EXPECTED = 8
EXCERPT_WIDTH = 100  # characters of a long line shown around the caret

# Display names for the pattern terminals of the grammar.
_PATTERN_NAMES = {
    "IDENT": "identifier",
    "QUOTED_IDENT": "identifier",
    "STRING": "string",
    "NUMBER": "number",
    "PARAM": "parameter",
    "COMP_OP": "comparison operator",
    "FRAME_UNIT": "ROWS",
    "INTERVAL_UNIT": "DAY",
    "$END": "end of input",
}

# What a user most likely meant comes first; everything else follows alphabetically.
# fmt: off
_RANKING = (
    "FROM", "','", "AS", "')'", "SELECT", "WHERE", "JOIN", "ON", "SET", "VALUES", "INTO", "BY",
    "THEN", "WHEN", "ELSE", "END", "AND", "OR", "GROUP", "HAVING", "ORDER", "UNION", "LIMIT",
    "TABLE", "identifier", "'('", "number", "string", "';'", "end of input",
)
# fmt: on
_RANK = {word: i for i, word in enumerate(_RANKING)}


def describe_terminals(terminals: Iterable[TerminalDef]) -> dict[str, str]:
    """Map every terminal name of the grammar to the word shown to users."""
    names: dict[str, str] = dict(_PATTERN_NAMES)
    for term in terminals:
        if term.name in names:
            continue
        if isinstance(term.pattern, PatternStr):
            value = term.pattern.value
            names[term.name] = value.upper() if value[:1].isalpha() else f"'{value}'"
        else:
            names[term.name] = term.name.lower().replace("_", " ")
    names["SEMICOLON"] = "';'"
    return names


def expected_words(terminal_names: Iterable[str], display: dict[str, str]) -> tuple[str, ...]:
    """Expected terminals in user words: deduplicated, ranked, at most MAX_EXPECTED."""
    # Parse tables also list nonterminals (lower-case names); users only see terminals.
    words = {display.get(name, name) for name in terminal_names if name == name.upper()}
    if "identifier" in words:
        # Keywords that double as identifiers (DATE, VERSIONS, ...) add only noise.
        words -= {"DATE", "TIMESTAMP", "VERSIONS"}
    return tuple(sorted(words, key=lambda w: (_RANK.get(w, len(_RANK)), w)))


def caret_excerpt(text: str, position: int) -> str:
    """The source line holding ``position`` and a caret line under that character; of a
    line longer than ``EXCERPT_WIDTH``, the part around the caret between ``...``."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end >= 0 else len(text)].rstrip("\r")
    column = position - start
    if len(line) > EXCERPT_WIDTH:
        left = max(0, min(column - EXCERPT_WIDTH // 2, len(line) - EXCERPT_WIDTH))
        right = left + EXCERPT_WIDTH
        before = "..." if left > 0 else ""
        line = before + line[left:right] + ("..." if right < len(line) else "")
        column += len(before) - left
    # Keep tabs so the caret lines up however the terminal expands them.
    pad = "".join("\t" if ch == "\t" else " " for ch in line[:column])
    return f"  {line}\n  {pad}^"


def line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def syntax_error(
    text: str,
    position: int,
    detail: str,
    *,
    token: str | None = None,
    expected: tuple[str, ...] = (),
    code: str | None = None,
) -> SqlSyntaxError:
    """Build a SqlSyntaxError whose message ends with the line and a caret."""
    position = max(0, min(position, len(text)))
    line, column = line_column(text, position)
    message = f"syntax error at line {line}, column {column}: {detail}"
    if expected:
        shown = ", ".join(expected[:MAX_EXPECTED])
        more = ", ..." if len(expected) > MAX_EXPECTED else ""
        message += f", expected one of: {shown}{more}"
    message += "\n" + caret_excerpt(text, position)
    return SqlSyntaxError(
        message,
        line=line,
        column=column,
        position=position,
        token=token,
        expected=expected,
        code=code,
    )


def _state_expected(exc: UnexpectedInput) -> Iterable[str]:
    """Terminals the parser could take where it stopped.

    ``accepts()`` replays the pending reductions for each candidate, so it drops
    the lookaheads LALR merged in from other contexts (about 0.2 ms, errors only);
    the state's table is the fallback.
    """
    interactive = getattr(exc, "interactive_parser", None)
    if interactive is not None:
        try:
            return interactive.accepts()
        except Exception:  # any failure here only means the coarser list below
            pass
    state = getattr(exc, "state", None)
    try:
        return state.parse_conf.parse_table.states[state.position].keys()  # type: ignore[union-attr]
    except AttributeError:
        return getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ()


def _unlexable(text: str, position: int) -> str:
    """Explain a character no token can start with."""
    rest = text[position:]
    if rest.startswith('""'):
        return "empty quoted identifier"
    return f"unexpected character {rest[:1]!r}"


def from_lark(exc: UnexpectedInput, text: str, display: dict[str, str]) -> SqlSyntaxError:
    """Translate a Lark parse or lex error on ``text``."""
    left_open = unclosed(text)
    if left_open is not None:
        # Whatever Lark tripped over, the real mistake is the quote or comment never closed.
        kind, start = left_open
        detail = "unterminated string literal" if kind == "string" else f"unterminated {kind}"
        return syntax_error(text, start, detail, token=text[start : start + 2])
    expected = expected_words(_state_expected(exc), display)
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            end = len(text.rstrip())
            return syntax_error(text, end, "unexpected end of input", expected=expected)
        position = token.start_pos if token.start_pos is not None else 0
        shown = str(token) if len(token) <= 40 else str(token)[:37] + "..."
        return syntax_error(
            text, position, f"unexpected {shown!r}", token=str(token), expected=expected
        )
    if isinstance(exc, UnexpectedCharacters):
        position = exc.pos_in_stream
        return syntax_error(
            text, position, _unlexable(text, position), token=text[position : position + 1]
        )
    position = getattr(exc, "pos_in_stream", None) or len(text)
    return syntax_error(text, position, "unexpected input", expected=expected)
