"""SCN_TO_TIMESTAMP and TIMESTAMP_TO_SCN as plain SQL over ``helios.scn_log``.

They are used per row (``SCN_TO_TIMESTAMP(versions_startscn)``), so they stay
SQL rather than Python calls: exact lookups in the SCN log, with Oracle's
errors raised through DuckDB's ``error()`` in a CASE branch (DuckDB evaluates
a branch only for the rows that take it). ``storage.translate`` turns the
``ORA-nnnnn:`` text back into the matching error class. The bounds are read
from the log in the same query, so the compiled SQL depends on nothing but the
statement and can be cached. NULL in gives NULL out (no branch matches NULL).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from heliosql.compiler.calls import raise_error as _error
from heliosql.storage.errors import ProgrammingError


def _one(args: tuple[exp.Expression, ...]) -> exp.Expression:
    if len(args) != 1:
        raise ProgrammingError("the function takes exactly one argument")
    return args[0]


#: The log is read through a derived table whose columns have reserved names
#: (user columns cannot start with ``__``): an argument that refers to an outer
#: column called ``scn`` or ``commit_time`` then still means the outer one.
_COLUMNS = {"scn": "__helios_scn", "commit_time": "__helios_commit_time"}


def _col(name: str) -> exp.Column:
    return exp.column(_COLUMNS[name])


def _log(aggregate: str, column: str, where: exp.Expression | None = None) -> exp.Expression:
    """``(SELECT aggregate(column) FROM helios.scn_log [WHERE where])``."""
    log = exp.select(*(exp.alias_(exp.column(c), a) for c, a in _COLUMNS.items())).from_(
        exp.table_("scn_log", db="helios"))
    select = exp.Select(expressions=[exp.func(aggregate, _col(column))])
    select.set("from_", exp.From(this=exp.Subquery(this=log, alias=exp.TableAlias(
        this=exp.to_identifier("__helios_scn_log")))))
    if where is not None:
        select.set("where", exp.Where(this=where))
    return exp.Subquery(this=select)


# An ASOF join, not ``max(scn) WHERE commit_time <= t``: DuckDB decorrelates
# the latter into an inequality join that is quadratic over rows x SCN log.
_ASOF = sqlglot.parse_one(
    "(SELECT __helios_log.scn FROM (SELECT __helios_arg AS __helios_t) AS __helios_q "
    "ASOF JOIN helios.scn_log AS __helios_log "
    "ON __helios_q.__helios_t >= __helios_log.commit_time)", read="duckdb")


def _asof_scn(t: exp.Expression) -> exp.Expression:
    """The last SCN committed at or before ``t`` (NULL before the first)."""
    return _ASOF.copy().transform(
        lambda n: t if isinstance(n, exp.Column) and n.name == "__helios_arg" else n)


def scn_to_timestamp(args: tuple[exp.Expression, ...]) -> exp.Expression:
    """Commit time of SCN ``n``; ORA-08181 for ``n < 1``, a fraction or ``n > current``."""
    n = _one(args)
    current = _log("max", "scn")
    invalid = exp.or_(exp.LT(this=n.copy(), expression=exp.Literal.number(1)),
                      exp.GT(this=n.copy(), expression=current.copy()),
                      exp.NEQ(this=n.copy(), expression=exp.func("trunc", n.copy())))
    lookup = _log("min", "commit_time", exp.EQ(this=_col("scn"), expression=n.copy()))
    return exp.Case(ifs=[exp.If(this=invalid, true=_error(
        "ORA-08181: SCN ", n.copy(), " is not a valid SCN: valid SCNs are 1 to ", current.copy()))],
        default=lookup)


def timestamp_to_scn(args: tuple[exp.Expression, ...]) -> exp.Expression:
    """``max{scn : commit_time <= t}``; ORA-08186 for a future ``t``, ORA-08180 before SCN 1.

    "Future" means after both the statement's time and the last commit (a commit
    may carry a later stamp than the wall clock: commit times never go back).
    """
    t = _one(args)
    now = exp.func("greatest", exp.CurrentTimestamp(), _log("max", "commit_time"))
    first = _log("min", "commit_time")
    lookup = _asof_scn(t.copy())
    return exp.Case(ifs=[
        exp.If(this=exp.GT(this=t.copy(), expression=now),
               true=_error("ORA-08186: ", t.copy(), " lies in the future")),
        exp.If(this=exp.LT(this=t.copy(), expression=first.copy()),
               true=_error("ORA-08180: no snapshot for ", t.copy(),
                           ": it is older than the database (first SCN at ", first, ")")),
    ], default=lookup)
