"""Leaf values: literals, typed literals, SYSDATE and friends, EXTRACT.

Oracle semantics kept: SYSDATE is the local wall-clock time in whole seconds
(an Oracle DATE), SYSTIMESTAMP a TIMESTAMP WITH TIME ZONE, ``TIMESTAMP '... +02:00'``
keeps its zone, and ``EXTRACT(SECOND ...)`` keeps the fraction. Every reading of
the clock is the statement's time (``storage/statement_time.py``), one value for
the whole statement, as in Oracle.
"""

from __future__ import annotations

import re
from decimal import Decimal

from sqlglot import exp

from heliosql.plan import expressions as px
from heliosql.storage.errors import NotSupportedError

T = exp.DataType.Type
# A zone after the time: an offset (Oracle allows a space before it), Z/UTC or a region.
_ZONE = re.compile(r"(.*:\d\d(?:\.\d*)?)\s*([+-]\d{1,2}(?::\d\d)?|Z|UTC|\s[A-Za-z]+/[A-Za-z_]+)\s*")
_LITERAL_TYPES = {"DATE": T.DATE, "TIME": T.TIME, "TIMESTAMP": T.TIMESTAMP}
_NO_ZONE_NAMES = ("TIMEZONE_REGION", "TIMEZONE_ABBR")


def _position(node: px.Expr) -> int | None:
    span = getattr(node, "span", None)
    return span.start if span is not None else None


def literal(value: px.LiteralValue) -> exp.Expression:
    if value is None or value == "":  # Oracle has no empty string: '' is NULL
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, Decimal):
        return exp.Literal.number(format(value, "f"))  # no exponent: DuckDB keeps it DECIMAL
    if isinstance(value, int):
        return exp.Literal.number(value)
    return exp.Literal.string(value)


def has_zone(text: str) -> bool:
    """Whether the text of a TIMESTAMP literal names a zone (an offset, Z, UTC, a region)."""
    return _ZONE.fullmatch(text) is not None


def typed_literal(node: px.TypedLiteral) -> exp.Cast:
    """``DATE 'x'`` / ``TIMESTAMP 'x'`` / ``TIME 'x'`` as a CAST of the text."""
    kind = _LITERAL_TYPES.get(node.type_name.upper())
    if kind is None:
        raise NotSupportedError(f"unknown literal type {node.type_name}", position=_position(node))
    value = node.value
    if kind is T.TIMESTAMP and (zoned := _ZONE.fullmatch(value)):
        kind = T.TIMESTAMPTZ  # a plain TIMESTAMP cast would drop the offset silently
        zone = zoned.group(2).strip()
        value = zoned.group(1) + (" " if zone[0].isalpha() else "") + zone
    return exp.Cast(this=exp.Literal.string(value), to=exp.DataType(this=kind))


# DuckDB's own functions that read its clock, as the special value each one equals.
CLOCK_FUNCTIONS = {
    "NOW": px.SpecialKind.SYSTIMESTAMP,
    "GET_CURRENT_TIMESTAMP": px.SpecialKind.SYSTIMESTAMP,
    "TRANSACTION_TIMESTAMP": px.SpecialKind.SYSTIMESTAMP,
    "CURRENT_LOCALTIMESTAMP": px.SpecialKind.LOCALTIMESTAMP,
    "TODAY": px.SpecialKind.CURRENT_DATE,
    "GET_CURRENT_TIME": px.SpecialKind.CURRENT_TIME,
}


def special_value(kind: px.SpecialKind, now: exp.Expression) -> exp.Expression:
    """A special value from ``now``, the statement's time as a TIMESTAMP WITH TIME ZONE;
    the local forms convert it in the session's time zone, as DuckDB's casts do."""
    match kind:
        case px.SpecialKind.SYSDATE:
            local = exp.Cast(this=now, to=exp.DataType(this=T.TIMESTAMP))
            return exp.TimestampTrunc(this=local, unit=exp.Var(this="SECOND"))
        case px.SpecialKind.LOCALTIMESTAMP:
            return exp.Cast(this=now, to=exp.DataType(this=T.TIMESTAMP))
        case px.SpecialKind.SYSTIMESTAMP | px.SpecialKind.CURRENT_TIMESTAMP:
            return now
        case px.SpecialKind.CURRENT_DATE:
            return exp.Cast(this=now, to=exp.DataType(this=T.DATE))
        case px.SpecialKind.CURRENT_TIME:
            return exp.Cast(this=now, to=exp.DataType(this=T.TIMETZ))


def extract(node: px.Extract, value: exp.Expression) -> exp.Expression:
    name = node.field.upper()
    if not re.fullmatch(r"[A-Z_]+", name) or name in _NO_ZONE_NAMES:
        raise NotSupportedError(
            f"EXTRACT({node.field} ...) is not supported", position=_position(node)
        )
    if name == "SECOND":  # DuckDB's MICROSECOND part counts the whole seconds too
        micros = exp.Extract(this=exp.Var(this="MICROSECOND"), expression=value)
        seconds = exp.Div(this=micros, expression=exp.Literal.number(1_000_000))
        params = [exp.DataTypeParam(this=exp.Literal.number(n)) for n in (8, 6)]
        return exp.Cast(this=seconds, to=exp.DataType(this=T.DECIMAL, expressions=params))
    return exp.Extract(this=exp.Var(this=name), expression=value)
