"""Oracle date functions: TO_DATE/TO_TIMESTAMP, ADD_MONTHS, LAST_DAY, TRUNC and ROUND of dates.

Why not sqlglot's mapping: ADD_MONTHS is cast to DATE and LAST_DAY returns a DATE
(Oracle keeps the time of day in both), and TRUNC(date, 'MM') becomes
DATE_TRUNC('MM', ...), which DuckDB rejects.
TRUNC and ROUND take numbers too; a date argument is recognised from its shape
or the binder's hint (``Call.temporal``), or from a date format argument.
"""

from __future__ import annotations

from sqlglot import exp

from heliosql.compiler import formats
from heliosql.compiler.calls import Call, T, case_when, string, type_node
from heliosql.storage.errors import NotSupportedError

_DATE_UNITS = {
    **dict.fromkeys(["SYYYY", "YYYY", "YEAR", "SYEAR", "YYY", "YY", "Y", "RRRR"], "year"),
    "Q": "quarter",
    **dict.fromkeys(["MONTH", "MON", "MM", "RM"], "month"),
    "IW": "week",  # ISO week: Monday, as DuckDB's 'week'
    **dict.fromkeys(["DDD", "DD", "J"], "day"),
    **dict.fromkeys(["HH", "HH12", "HH24"], "hour"),
    "MI": "minute",
}


def date_trunc(unit: str, value: exp.Expression) -> exp.Expression:
    return exp.TimestampTrunc(this=value, unit=exp.Var(this=unit.upper()))


def to_datetime(call: Call) -> exp.Expression:
    """TO_DATE / TO_TIMESTAMP: both give a TIMESTAMP (an Oracle DATE has a time of day)."""
    call.arity(1, 3)
    call.no_nls_argument(2)
    if len(call.args) == 1:  # no NLS default mask: ISO text, as DuckDB casts it
        return exp.Cast(this=call.args[0], to=type_node(T.TIMESTAMP))
    try:
        fmt = formats.parse_format(call.mask(1))
    except NotSupportedError as err:
        raise call.unsupported(err.message) from err
    return exp.StrToTime(this=call.args[0], format=string(fmt))


def add_months(call: Call) -> exp.Expression:
    call.arity(2, 2)
    value, months = call.args
    if isinstance(value, exp.Null):  # DuckDB cannot type NULL + INTERVAL
        return exp.Null()
    if not isinstance(call.literal(1), int):  # Oracle truncates fractional months
        months = exp.Cast(this=exp.Trunc(this=months), to=type_node(T.INT))
    # DuckDB's + INTERVAL already clamps the 31st to a shorter month's last day.
    shifted = exp.Add(
        this=value.copy(), expression=exp.Anonymous(this="TO_MONTHS", expressions=[months])
    )
    # Oracle also moves a month's last day to the last day (time of day kept).
    days_left = exp.Sub(
        this=exp.LastDay(this=shifted.copy()),
        expression=exp.Cast(this=shifted.copy(), to=type_node(T.DATE)),
    )
    to_month_end = exp.Anonymous(
        this="TO_DAYS", expressions=[exp.Cast(this=days_left, to=type_node(T.INT))]
    )
    is_month_end = exp.EQ(
        this=exp.Cast(this=value.copy(), to=type_node(T.DATE)),
        expression=exp.LastDay(this=value.copy()),
    )
    return case_when(is_month_end, exp.Add(this=shifted.copy(), expression=to_month_end), shifted)


def last_day(call: Call) -> exp.Expression:
    """Oracle keeps the time of day; DuckDB's LAST_DAY returns a DATE."""
    call.arity(1, 1)
    value = call.args[0]
    time_of_day = exp.Sub(this=value.copy(), expression=date_trunc("day", value.copy()))
    return exp.Add(this=exp.LastDay(this=value), expression=exp.Paren(this=time_of_day))


def _date_unit(call: Call) -> str | None:
    """The DuckDB date unit if this TRUNC/ROUND works on a date, else None (numeric)."""
    if len(call.args) == 1:
        return "day" if call.temporal[0] else None
    unit = call.literal(1)
    if isinstance(unit, int) or (unit is None and not call.temporal[0]):
        return None
    if not isinstance(unit, str):
        raise call.unsupported("the date format must be a string literal")
    if unit.upper() not in _DATE_UNITS:
        raise call.unsupported(f"date format {unit!r} is not supported")
    return _DATE_UNITS[unit.upper()]


def trunc(call: Call) -> exp.Expression:
    call.arity(1, 2)
    unit = _date_unit(call)
    if unit is not None:
        return date_trunc(unit, call.args[0])
    return exp.Trunc(this=call.args[0], decimals=call.args[1] if len(call.args) > 1 else None)


def round_(call: Call) -> exp.Expression:
    call.arity(1, 2)
    unit = _date_unit(call)
    if unit is None:  # DuckDB rounds DECIMAL half away from zero, as Oracle does
        return exp.Round(this=call.args[0], decimals=call.args[1] if len(call.args) > 1 else None)
    if unit != "day":
        raise call.unsupported(f"rounding a date to a {unit} is not supported")
    noon = exp.Interval(this=string("12"), unit=exp.Var(this="HOUR"))
    return date_trunc("day", exp.Add(this=call.args[0], expression=noon))
