"""Oracle's date arithmetic on DuckDB: ``date ± n`` moves by n days (fractions too), and
``date - date`` is a number of days.

A bind parameter added to a date may hold a number of days or an interval (a
Python ``timedelta``), as in Oracle; its type is known only when the statement
runs, so both readings are compiled and DuckDB takes the one its type selects.
"""

from __future__ import annotations

from sqlglot import exp

from heliosql.compiler.calls import T, case_when, num, string, type_node

_DAY = exp.Interval(this=string("1"), unit=exp.Var(this="DAY"))
_MICROS_PER_DAY = 86_400_000_000


def _paren(e: exp.Expression) -> exp.Expression:
    return e if isinstance(e, exp.Paren | exp.Literal | exp.Column) else exp.Paren(this=e)


def days(n: exp.Expression) -> exp.Expression:
    """``n`` days as an interval (1.5 is a day and a half)."""
    return exp.Mul(this=_paren(n), expression=_DAY.copy())


def parameter_days(p: exp.Expression) -> exp.Expression:
    """A parameter's value as an interval: a number is days, an interval stays as it is.
    Both branches go through text so that each binds whatever the value's type."""
    text = exp.Cast(this=p.copy(), to=type_node(T.VARCHAR))
    is_interval = exp.EQ(this=exp.Anonymous(this="TYPEOF", expressions=[p.copy()]),
                         expression=string("INTERVAL"))
    as_days = days(exp.Cast(this=text.copy(), to=type_node(T.DOUBLE)))
    return case_when(is_interval, exp.Cast(this=text, to=type_node(T.INTERVAL)), as_days)


def days_between(later: exp.Expression, earlier: exp.Expression) -> exp.Expression:
    """``later - earlier`` in days, with the fraction of a day their times differ by."""
    micros = exp.Sub(this=exp.Anonymous(this="EPOCH_US", expressions=[later]),
                     expression=exp.Anonymous(this="EPOCH_US", expressions=[earlier]))
    return exp.Paren(this=exp.Div(this=exp.Paren(this=micros), expression=num(_MICROS_PER_DAY)))
