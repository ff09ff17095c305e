"""What kind of value an expression holds, as far as its shape and the binder tell.

Oracle's operators depend on it: ``date + 1`` adds a day, ``date - date`` is a
number of days, ``hiredate > '01-JAN-81'`` reads the text with the session's date
format and ``TO_CHAR(d)`` writes it so. heliosql stores DATE as TIMESTAMP, so a
TIMESTAMP column is taken as a DATE; a value is a TIMESTAMP only where the
statement says so (a TIMESTAMP literal, TO_TIMESTAMP, LOCALTIMESTAMP, a CAST),
and a TIMESTAMP WITH TIME ZONE where it has a zone (SYSTIMESTAMP, a zoned column).
``None`` means unknown (a parameter, a subquery), and DuckDB decides.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import lru_cache

from heliosql.compiler.scalars import has_zone
from heliosql.plan import expressions as px
from heliosql.plan.base import Expr


class Kind(Enum):
    """A value's kind, in Oracle's terms."""

    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP"
    TIMESTAMPTZ = "TIMESTAMP WITH TIME ZONE"
    NUMBER = "NUMBER"
    TEXT = "TEXT"
    INTERVAL = "INTERVAL"


TEMPORAL = frozenset({Kind.DATE, Kind.TIMESTAMP, Kind.TIMESTAMPTZ})
# A column's kind from the binder; True (a date/time, no more said) reads as DATE.
Hint = Callable[[Expr], "Kind | bool | None"]

_NUMERIC_TYPES = ("BIGINT", "INT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
                  "USMALLINT", "UTINYINT", "UHUGEINT", "DOUBLE", "FLOAT", "REAL", "DECIMAL",
                  "NUMERIC", "NUMBER", "BINARY_DOUBLE", "BINARY_FLOAT")
_TEXT_TYPES = ("VARCHAR", "CHAR", "NCHAR", "NVARCHAR", "CLOB", "NCLOB", "TEXT", "STRING", "LONG")
_SPECIALS = {
    px.SpecialKind.SYSDATE: Kind.DATE,
    px.SpecialKind.CURRENT_DATE: Kind.DATE,
    px.SpecialKind.LOCALTIMESTAMP: Kind.TIMESTAMP,
    px.SpecialKind.SYSTIMESTAMP: Kind.TIMESTAMPTZ,
    px.SpecialKind.CURRENT_TIMESTAMP: Kind.TIMESTAMPTZ,
}
_FUNCTIONS = {
    **dict.fromkeys(["TO_DATE", "ADD_MONTHS", "LAST_DAY", "NEXT_DAY", "SYSDATE", "DATE_TRUNC",
                     "STRPTIME"], Kind.DATE),
    "TO_TIMESTAMP": Kind.TIMESTAMP,
    "SCN_TO_TIMESTAMP": Kind.TIMESTAMPTZ,
    **dict.fromkeys(["MONTHS_BETWEEN", "TO_NUMBER", "LENGTH", "INSTR", "MOD", "ABS", "CEIL",
                     "FLOOR", "SIGN", "POWER", "SQRT", "EXP", "LN", "LOG", "COUNT", "SUM",
                     "AVG", "TIMESTAMP_TO_SCN"], Kind.NUMBER),
    **dict.fromkeys(["TO_CHAR", "SUBSTR", "REPLACE", "UPPER", "LOWER", "INITCAP", "TRIM",
                     "LTRIM", "RTRIM", "LPAD", "RPAD", "CONCAT"], Kind.TEXT),
}
# Functions whose result has the kind of their first argument.
_LIKE_FIRST = frozenset({"TRUNC", "ROUND", "GREATEST", "LEAST", "NVL", "COALESCE", "MIN", "MAX"})


@lru_cache(maxsize=512)
def kind_of_type(type_name: str) -> Kind | None:
    """The kind of a column of this DuckDB (or Oracle) type."""
    upper = type_name.upper()
    if upper.startswith("TIMESTAMP") and ("TIME ZONE" in upper or upper == "TIMESTAMPTZ"):
        return Kind.TIMESTAMPTZ
    if upper.startswith(("TIMESTAMP", "DATE")):
        return Kind.DATE  # DATE columns are stored as TIMESTAMP
    if upper.startswith(_NUMERIC_TYPES):
        return Kind.NUMBER
    if upper.startswith(_TEXT_TYPES):
        return Kind.TEXT
    return None


def _cast_kind(t: px.TypeName) -> Kind | None:
    name = t.name.upper()
    if name == "TIMESTAMP" and any("TIME ZONE" in m for m in t.modifiers):
        return Kind.TIMESTAMPTZ
    if name == "TIMESTAMP":
        return Kind.TIMESTAMP
    return kind_of_type(name)


def _binary_kind(op: px.BinaryOp, left: Kind | None, right: Kind | None) -> Kind | None:
    if op is px.BinaryOp.CONCAT:
        return Kind.TEXT
    if op in (px.BinaryOp.ADD, px.BinaryOp.SUB):
        if left in TEMPORAL and right in TEMPORAL:
            if op is px.BinaryOp.ADD:
                return None
            return Kind.NUMBER if left is right is Kind.DATE else Kind.INTERVAL
        if left in TEMPORAL:
            return left
        if right in TEMPORAL:
            return right if op is px.BinaryOp.ADD else None
    if op in (px.BinaryOp.ADD, px.BinaryOp.SUB, px.BinaryOp.MUL, px.BinaryOp.DIV,
              px.BinaryOp.MOD):
        return Kind.NUMBER if left is right is Kind.NUMBER else None
    return None


def kind_of(node: Expr, hint: Hint | None = None) -> Kind | None:
    """The kind of ``node``'s value, or None when the shape does not tell."""
    if type(node) is px.Binary:
        # Left-deep chains (``a + b + c ...``) are walked in a loop, not recursively.
        spine: list[px.Binary] = []
        below: Expr = node
        while type(below) is px.Binary:
            spine.append(below)
            below = below.left
        kind = kind_of(below, hint)
        for link in reversed(spine):
            kind = _binary_kind(link.op, kind, kind_of(link.right, hint))
        return kind
    match node:
        case px.Column():
            found = hint(node) if hint is not None else None
            return Kind.DATE if found is True else (found or None)
        case px.Literal(value=value):
            if isinstance(value, bool) or value is None:
                return None
            return Kind.TEXT if isinstance(value, str) else Kind.NUMBER
        case px.TypedLiteral(type_name=type_name, value=text):
            upper = type_name.upper()
            if upper == "DATE":
                return Kind.DATE
            if upper == "TIMESTAMP":
                return Kind.TIMESTAMPTZ if has_zone(text) else Kind.TIMESTAMP
            return None
        case px.SpecialValue(kind=special):
            return _SPECIALS.get(special)
        case px.Interval():
            return Kind.INTERVAL
        case px.Extract():
            return Kind.NUMBER
        case px.Cast(type=t):
            return _cast_kind(t)
        case px.Unary(op=px.UnaryOp.NEG | px.UnaryOp.POS, operand=operand):
            inner = kind_of(operand, hint)
            return inner if inner in (Kind.NUMBER, Kind.INTERVAL) else None
        case px.FunctionCall(name=name, args=args):
            upper = ".".join(name).upper()
            if upper in _LIKE_FIRST and args:
                return kind_of(args[0], hint)
            return _FUNCTIONS.get(upper)
    return None
