"""Oracle date functions: TO_DATE/TO_TIMESTAMP, ADD_MONTHS, LAST_DAY, MONTHS_BETWEEN,
NEXT_DAY, TRUNC and ROUND of dates.

Why not sqlglot's mapping: ADD_MONTHS is cast to DATE and LAST_DAY returns a DATE
(Oracle keeps the time of day in both), and TRUNC(date, 'MM') becomes
DATE_TRUNC('MM', ...), which DuckDB rejects.
TRUNC and ROUND take numbers too; a date argument is recognised from its shape
or the binder's hint (``Call.temporal``), or from a date format argument.
"""

from __future__ import annotations

from sqlglot import exp

from heliosql.compiler import formats
from heliosql.compiler.calls import Call, T, case_when, num, raise_error, string, type_node
from heliosql.compiler.kinds import Kind
from heliosql.nls import NlsSettings
from heliosql.plan.expressions import Literal
from heliosql.storage.errors import NotSupportedError, ProgrammingError
from heliosql.storage.statement_time import statement_time

_DATE_UNITS = {
    **dict.fromkeys(["SYYYY", "YYYY", "YEAR", "SYEAR", "YYY", "YY", "Y", "RRRR"], "year"),
    "Q": "quarter",
    **dict.fromkeys(["MONTH", "MON", "MM", "RM"], "month"),
    "IW": "week",  # ISO week: Monday, as DuckDB's 'week'
    **dict.fromkeys(["DAY", "DY", "D"], "sunday"),  # the week of territory AMERICA
    **dict.fromkeys(["DDD", "DD", "J"], "day"),
    **dict.fromkeys(["HH", "HH12", "HH24"], "hour"),
    "MI": "minute",
}


def date_trunc(unit: str, value: exp.Expression) -> exp.Expression:
    return exp.TimestampTrunc(this=value, unit=exp.Var(this=unit.upper()))


def _century(parsed: exp.Expression, rule: str, year: int) -> exp.Expression:
    """Move a date read with DuckDB's ``%y`` (00-68 -> 20xx, 69-99 -> 19xx) to the
    century Oracle's ``rule`` gives for the current ``year``: YY the current century,
    RR the one nearest to it (00-49 and 50-99 split at the current year's half)."""
    century = year - year % 100
    if rule == "YY":
        low = high = century
    elif year % 100 < 50:
        low, high = century, century - 100
    else:
        low, high = century + 100, century
    two = exp.Mod(this=exp.Year(this=parsed.copy()), expression=num(100))
    # The year DuckDB gave minus the one wanted, for 00-49, 50-68 and 69-99.
    shifts = [(50, low - 2000), (69, high - 2000), (100, high - 1900)]
    if not any(shift for _, shift in shifts):
        return parsed
    ifs = [exp.If(this=exp.LT(this=two.copy(), expression=num(bound)), true=num(shift))
           for bound, shift in shifts[:-1]]
    years = exp.Case(ifs=ifs, default=num(shifts[-1][1]))
    return exp.Add(this=parsed, expression=exp.Anonymous(this="TO_YEARS", expressions=[years]))


def _strptime(text: exp.Expression, formats: tuple[str, ...]) -> exp.Expression:
    patterns = (string(formats[0]) if len(formats) == 1
                else exp.Array(expressions=[string(f) for f in formats]))
    return exp.Anonymous(this="TRY_STRPTIME", expressions=[text.copy(), patterns])


def read_datetime(text: exp.Expression, mask: str, *, iso: bool = False,
                  position: int | None = None) -> exp.Expression:
    """``text`` read with an Oracle mask as a TIMESTAMP; ORA-01861 where it does not match.
    ``iso``: text in ISO form (``2024-03-05 14:07:09``) is read too, as DuckDB casts it."""
    try:
        plan = formats.parse_formats(mask)
    except NotSupportedError as err:
        raise NotSupportedError(err.message, position=position) from None
    tries: list[exp.Expression] = []
    if plan.two_digit:
        year = statement_time().year
        tries.append(_century(_strptime(text, plan.two_digit), plan.century_rule or "RR", year))
    tries.append(_strptime(text, plan.formats))
    if iso:  # a four-digit year first: DuckDB's cast would read '87-07-13' as year 87
        four_digits = exp.RegexpLike(this=text.copy(), expression=string(r"^\s*\d{4}-"))
        tries.append(case_when(four_digits, exp.TryCast(this=text.copy(),
                                                        to=type_node(T.TIMESTAMP)), exp.Null()))
    failed = raise_error("ORA-01861: literal does not match format string: '", text.copy(),
                         f"' is not a date in the format '{mask}'")
    tries.append(case_when(exp.Not(this=exp.Is(this=text.copy(), expression=exp.Null())),
                           failed, exp.Null()))
    return exp.Coalesce(this=tries[0], expressions=tries[1:])


def default_mask(kind: Kind | None, nls: NlsSettings) -> str:
    """The session's mask for a value of ``kind`` (a DATE's unless known otherwise)."""
    if kind is Kind.TIMESTAMPTZ:
        return nls.timestamp_tz_format
    return nls.timestamp_format if kind is Kind.TIMESTAMP else nls.date_format


def to_datetime(call: Call) -> exp.Expression:
    """TO_DATE / TO_TIMESTAMP: both give a TIMESTAMP (an Oracle DATE has a time of day).
    Without a mask the session's NLS_DATE_FORMAT / NLS_TIMESTAMP_FORMAT reads the text,
    and ISO text is read too (heliosql's leniency)."""
    call.arity(1, 3)
    call.no_nls_argument(2)
    if len(call.args) == 1:
        kind = Kind.TIMESTAMP if call.name == "TO_TIMESTAMP" else Kind.DATE
        return read_datetime(call.args[0], default_mask(kind, call.nls), iso=True,
                             position=call.position)
    mask = call.mask(1)
    if not mask:  # '' is NULL
        return exp.Cast(this=exp.Null(), to=type_node(T.TIMESTAMP))
    try:
        return read_datetime(call.args[0], mask)
    except NotSupportedError as err:
        raise call.unsupported(err.message) from err


def date_argument(call: Call, i: int) -> exp.Expression:
    """Argument ``i`` of a date function: a string literal is read with the session's
    date format (or ISO form), as Oracle converts it; anything else as it is."""
    node = call.nodes[i]
    if isinstance(node, Literal) and isinstance(node.value, str) and node.value:
        return read_datetime(call.args[i], call.nls.date_format, iso=True,
                             position=call.position)
    return call.args[i]


def _time_of_day(value: exp.Expression) -> exp.Expression:
    return exp.Paren(this=exp.Sub(this=value.copy(), expression=date_trunc("day", value.copy())))


def add_months(call: Call) -> exp.Expression:
    call.arity(2, 2)
    value, months = date_argument(call, 0), call.args[1]
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
    value = date_argument(call, 0)
    return exp.Add(this=exp.LastDay(this=value.copy()), expression=_time_of_day(value))


def months_between(call: Call) -> exp.Expression:
    """Oracle's MONTHS_BETWEEN: whole months when both days of the month are equal or both
    are last days; otherwise the rest in 31-day months, times of day included."""
    call.arity(2, 2)
    a, b = date_argument(call, 0), date_argument(call, 1)

    def part(name: str, value: exp.Expression) -> exp.Expression:
        return exp.Anonymous(this=name, expressions=[value.copy()])

    months = exp.Add(
        this=exp.Mul(this=exp.Paren(this=exp.Sub(this=part("YEAR", a), expression=part("YEAR", b))),
                     expression=num(12)),
        expression=exp.Paren(this=exp.Sub(this=part("MONTH", a), expression=part("MONTH", b))))

    def month_end(value: exp.Expression) -> exp.Expression:
        return exp.EQ(this=exp.Cast(this=value.copy(), to=type_node(T.DATE)),
                      expression=exp.LastDay(this=value.copy()))

    same_day = exp.or_(exp.EQ(this=part("DAY", a), expression=part("DAY", b)),
                       exp.and_(month_end(a), month_end(b)))
    # (a - its month's start) - (b - its month's start): day of month and time of day.
    micros = exp.Sub(this=part("EPOCH_US", a), expression=part("EPOCH_US", b))
    starts = exp.Sub(this=part("EPOCH_US", date_trunc("month", a.copy())),
                     expression=part("EPOCH_US", date_trunc("month", b.copy())))
    rest = exp.Sub(this=exp.Paren(this=micros), expression=exp.Paren(this=starts))
    fraction = exp.Div(this=exp.Paren(this=rest), expression=num(31 * 86_400_000_000))
    whole = exp.Cast(this=months, to=type_node(T.DOUBLE))
    return case_when(same_day, whole, exp.Add(this=whole.copy(), expression=fraction))


_WEEKDAYS = ("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY")


def next_day(call: Call) -> exp.Expression:
    """The first given weekday after the date (time of day kept); the day is an English
    name or its three-letter abbreviation, in any case (ORA-01846 otherwise)."""
    call.arity(2, 2)
    value, day = date_argument(call, 0), call.args[1]
    written = call.literal(1)
    if isinstance(written, str) and written:
        upper = written.strip().upper()
        if not any(upper in (name, name[:3]) for name in _WEEKDAYS):
            raise ProgrammingError(f"not a valid day of the week: {written!r}", code="ORA-01846",
                                   position=call.position)
        target: exp.Expression = num(next(i for i, n in enumerate(_WEEKDAYS)
                                          if upper in (n, n[:3])))
    else:
        names = exp.Array(expressions=[string(n[:3]) for n in _WEEKDAYS])
        abbreviation = exp.Upper(this=exp.Left(this=exp.Trim(this=day.copy()),
                                               expression=num(3)))
        found = exp.Anonymous(this="LIST_POSITION", expressions=[names, abbreviation])
        target = exp.Sub(this=exp.Coalesce(this=found, expressions=[raise_error(
            "ORA-01846: not a valid day of the week: ", day.copy())]), expression=num(1))
    dow = exp.Anonymous(this="DAYOFWEEK", expressions=[value.copy()])
    ahead = exp.Add(this=exp.Paren(this=exp.Mod(
        this=exp.Paren(this=exp.Add(this=exp.Sub(this=target, expression=dow), expression=num(6))),
        expression=num(7))), expression=num(1))
    return exp.Add(this=value, expression=exp.Anonymous(
        this="TO_DAYS", expressions=[exp.Cast(this=ahead, to=type_node(T.INT))]))


def _date_unit(call: Call) -> str | None:
    """The unit if this TRUNC/ROUND works on a date, else None (numeric)."""
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


def _truncated(unit: str, value: exp.Expression) -> exp.Expression:
    if unit == "sunday":  # the territory's (AMERICA) first day of the week
        day = date_trunc("day", value.copy())
        dow = exp.Anonymous(this="DAYOFWEEK", expressions=[value])
        return exp.Sub(this=day, expression=exp.Anonymous(this="TO_DAYS", expressions=[dow]))
    return date_trunc(unit, value)


def trunc(call: Call) -> exp.Expression:
    call.arity(1, 2)
    unit = _date_unit(call)
    if unit is not None:
        return _truncated(unit, date_argument(call, 0))
    return exp.Trunc(this=call.args[0], decimals=call.args[1] if len(call.args) > 1 else None)


def _later(value: exp.Expression, amount: str, unit: str) -> exp.Expression:
    return exp.Add(this=value.copy(), expression=exp.Interval(this=string(amount),
                                                               unit=exp.Var(this=unit)))


# ROUND of a date: the unit's start, or the next one from this point of the unit on
# (Oracle: half a day, an hour, a minute; July 1; the 16th; half a week).
_HALF = {"day": ("12", "HOUR"), "hour": ("30", "MINUTE"), "minute": ("30", "SECOND"),
         "year": ("6", "MONTH"), "week": ("84", "HOUR"), "sunday": ("84", "HOUR")}


def round_(call: Call) -> exp.Expression:
    call.arity(1, 2)
    unit = _date_unit(call)
    if unit is None:  # DuckDB rounds DECIMAL half away from zero, as Oracle does
        return exp.Round(this=call.args[0], decimals=call.args[1] if len(call.args) > 1 else None)
    value = date_argument(call, 0)
    if unit in _HALF:
        return _truncated(unit, _later(value, *_HALF[unit]))
    start = date_trunc(unit, value.copy())
    if unit == "month":  # up from the 16th
        past = exp.GTE(this=exp.Anonymous(this="DAY", expressions=[value]), expression=num(16))
        return case_when(past, _later(start, "1", "MONTH"), start.copy())
    # quarter: up from the 16th day of its second month
    middle = _later(_later(start, "1", "MONTH"), "15", "DAY")
    return case_when(exp.GTE(this=value, expression=middle), _later(start, "3", "MONTH"),
                     start.copy())
