"""Parameter values as DuckDB receives them, checked first so that a bad one is a clear
heliosql error naming the parameter rather than a failure inside DuckDB.

Oracle's rules: a bound ``''`` is NULL (Oracle stores NULL for an empty
string bind). Text must be valid Unicode (a lone surrogate cannot be encoded,
ORA-29275), a number must fit DuckDB's widest integer (ORA-01426, numeric
overflow) and a Decimal must be a number (a signalling NaN is ORA-01722).
Float and Decimal NaN and infinities pass, as DOUBLE values.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from heliosql.storage.errors import DataError, HeliosError

# DuckDB's HUGEINT and UHUGEINT: every Python int in this range binds.
LOWEST = -(2**127)
HIGHEST = 2**128 - 1
# Values of these types bind as they are (callers may skip ``bound_value`` for them).
PLAIN = frozenset({type(None), bool, float, bytes, datetime, date, time, timedelta})


def bound_value(name: str, value: Any) -> Any:
    """``value`` as bound to parameter ``name``: '' becomes None; a bad value raises."""
    cls = type(value)
    if cls is str:
        if not value:
            return None
        if not value.isascii():
            _check_text(name, value)
        return value
    if cls is int:
        if not LOWEST <= value <= HIGHEST:
            raise DataError(f"numeric overflow: parameter :{name} holds an integer of "
                            f"{len(str(abs(value)))} digits, beyond the 39 DuckDB can hold",
                            code="ORA-01426")
    elif cls is Decimal and value.is_snan():
        raise DataError(f"invalid number: parameter :{name} holds Decimal('sNaN')",
                        code="ORA-01722")
    elif isinstance(value, str):  # a str subclass
        return bound_value(name, str(value))
    return value


def _check_text(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DataError(f"partial multibyte character: parameter :{name} holds a lone "
                        f"surrogate (U+{ord(value[exc.start]):04X}) at character {exc.start + 1}",
                        code="ORA-29275") from None


def value_error(name: str, value: Any) -> HeliosError | None:
    """The error ``bound_value`` raises for ``value``, or None if it binds."""
    try:
        bound_value(name, value)
    except HeliosError as exc:
        return exc
    return None


