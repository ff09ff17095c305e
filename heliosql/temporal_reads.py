"""How one table reference is read at each execution: current (with ORA_ROWSCN), AS OF,
VERSIONS, FOR SYSTEM_TIME, FLASHBACK TRANSACTION.

A read is a frozen description of a table reference and its temporal clause.
``sql(engine, binder)`` binds the clause's bounds to SCNs now (parameters,
``SYSTIMESTAMP``, scalar subqueries, the current SCN), validates them and
returns the relation's SQL, every SCN inlined so DuckDB prunes row groups by
them. A compiled query keeps its reads and calls them again at each execution
instead of compiling again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from heliosql.binding import TemporalBinder
from heliosql.plan.temporal import (
    AsOf,
    SystemTimeAll,
    SystemTimeAsOf,
    SystemTimeBetween,
    SystemTimeFromTo,
    TemporalKind,
    TransactionVersions,
    Versions,
    VersionsBound,
)
from heliosql.storage import TableInfo, TemporalEngine, relations
from heliosql.storage.errors import InvalidScn, InvalidVersionRange, sql_text
from heliosql.storage.relations import VersionWindow
from heliosql.storage.sqltext import column_list
from heliosql.transaction_window import transaction_window

ORA_ROWSCN = "ora_rowscn"
VERSIONS_COLUMNS = (
    "versions_startscn", "versions_starttime", "versions_endscn", "versions_endtime",
    "versions_xid", "versions_operation",
)
PSEUDOCOLUMNS = (ORA_ROWSCN, *VERSIONS_COLUMNS)
_RENDERED_KEPT = 8  # windows a version read keeps the SQL of


class Read(Protocol):
    """A table reference whose SQL depends on SCNs bound at each execution."""

    @property
    def pseudocolumns(self) -> tuple[str, ...]: ...

    def sql(self, engine: TemporalEngine, binder: TemporalBinder) -> str: ...


@dataclass(frozen=True, slots=True)
class CurrentWithRowscn:
    """The current rows with ORA_ROWSCN: a row the reader's own open transaction changed
    has no commit SCN yet, so the committed SCN of the moment is part of the SQL."""

    info: TableInfo
    pseudocolumns: tuple[str, ...] = (ORA_ROWSCN,)

    def sql(self, engine: TemporalEngine, binder: TemporalBinder) -> str:
        committed = engine.current_scn()
        return (f"SELECT {column_list(self.info.column_names)}, CASE WHEN __start_scn <= "
                f"{committed} THEN __start_scn END AS {ORA_ROWSCN} FROM {self.info.current}")


@dataclass(frozen=True, slots=True)
class AsOfRead:
    """``AS OF {SCN|TIMESTAMP} expr`` (and ``FOR SYSTEM_TIME AS OF``, which is empty
    before the table existed where AS OF raises ORA-01466 or ORA-08180); ``probe`` is a
    key equality every returned row satisfies (``heliosql.key_probes``)."""

    info: TableInfo
    clause: AsOf | SystemTimeAsOf
    probe: str | None
    pseudocolumns: tuple[str, ...]

    def sql(self, engine: TemporalEngine, binder: TemporalBinder) -> str:
        clause, info = self.clause, self.info
        if isinstance(clause, SystemTimeAsOf):
            scn = binder.system_time_as_of(clause.kind, clause.expr)
            if scn < info.created_scn and info.versioned:
                scn = 0  # SQL:2011: before the table existed it had no rows (no ORA-01466)
            else:
                engine.check_readable(info, scn)
        else:
            scn = binder.as_of(clause.kind, clause.expr)
            engine.check_readable(info, scn)
        start_as = ORA_ROWSCN if self.pseudocolumns else None
        return relations.snapshot(self.info, scn, start_as=start_as, probe=self.probe)


@dataclass(frozen=True, slots=True)
class VersionsRead:
    """``VERSIONS BETWEEN {SCN|TIMESTAMP} lo AND hi [AS OF ...]``."""

    info: TableInfo
    clause: Versions
    probe: str | None
    pseudocolumns: tuple[str, ...]  # the VERSIONS_* columns the statement mentions
    rendered: dict[tuple, str] = field(default_factory=dict, compare=False, repr=False)

    def sql(self, engine: TemporalEngine, binder: TemporalBinder) -> str:
        clause, info = self.clause, self.info
        vantage = (engine.current_scn() if clause.as_of is None
                   else binder.as_of(clause.as_of.kind, clause.as_of.expr))
        if clause.kind is TemporalKind.SCN:
            lo = None if clause.low is VersionsBound.MINVALUE else _versions_scn(binder,
                                                                                 clause.low)
            hi = None if clause.high is VersionsBound.MAXVALUE else _versions_scn(binder,
                                                                                  clause.high)
            lo, hi = engine.versions_bounds(info, lo, hi, vantage)
            lo_state = lo_event = lo
        else:
            lo_state, lo_event, hi = _time_window(engine, binder, info, clause, vantage)
        window = VersionWindow(vantage, start_max=hi, end_min=lo_state, marker_min=lo_event,
                               marker_max=hi)
        return _window_sql(self, engine, window, lo_event)


@dataclass(frozen=True, slots=True)
class TransactionRead:
    """``t FLASHBACK TRANSACTION xid``: the versions one transaction wrote."""

    info: TableInfo
    clause: TransactionVersions
    probe: str | None
    pseudocolumns: tuple[str, ...]
    rendered: dict[tuple, str] = field(default_factory=dict, compare=False, repr=False)

    def sql(self, engine: TemporalEngine, binder: TemporalBinder) -> str:
        window, lo_event = transaction_window(engine, binder, self.info, self.clause)
        return _window_sql(self, engine, window, lo_event)


@dataclass(frozen=True, slots=True)
class SystemTimeRead:
    """SQL:2011 ``FOR SYSTEM_TIME ALL | BETWEEN | FROM ... TO | CONTAINED IN``: periods
    over commit times, plain versions without delete markers."""

    info: TableInfo
    clause: Any
    probe: str | None
    pseudocolumns: tuple[str, ...] = ()

    def sql(self, engine: TemporalEngine, binder: TemporalBinder) -> str:
        clause = self.clause
        vantage = engine.current_scn()
        empty = False
        end_max = None
        if isinstance(clause, SystemTimeAll):
            window = VersionWindow(vantage)
        elif isinstance(clause, SystemTimeBetween | SystemTimeFromTo):
            between = isinstance(clause, SystemTimeBetween)
            lo_t = binder.timestamp(clause.low if between else clause.start, "FOR SYSTEM_TIME")
            hi_t = binder.timestamp(clause.high if between else clause.end, "FOR SYSTEM_TIME")
            empty = hi_t < lo_t
            hi = (engine.scn_at_time(hi_t, future_ok=True) if between
                  else engine.first_scn_at_or_after(hi_t) - 1)
            window = VersionWindow(vantage, start_max=hi,
                                   end_min=engine.scn_at_time(lo_t, future_ok=True))
        else:
            lo_t = binder.timestamp(clause.start, "FOR SYSTEM_TIME CONTAINED IN")
            hi_t = binder.timestamp(clause.end, "FOR SYSTEM_TIME CONTAINED IN")
            empty = hi_t < lo_t
            window = VersionWindow(vantage, start_min=engine.first_scn_at_or_after(lo_t))
            end_max = engine.scn_at_time(hi_t, future_ok=True)
        low = window.end_min if window.end_min is not None else window.start_min
        if self.info.history_floor_scn and (low is None or low < self.info.history_floor_scn):
            engine.check_readable(self.info, low or 0)
        ends = end_max is not None
        relation = relations.version_branches(
            self.info, window, lambda b: f"{b.end} AS __vend" if ends else "",
            probe=self.probe, markers=False)
        if not (empty or ends):
            return relation
        test = "FALSE" if empty else f"v.__vend IS NOT NULL AND v.__vend <= {end_max}"
        cols = column_list(self.info.column_names, "v.")
        return f"SELECT {cols} FROM ({relation}) AS v WHERE {test}"


def _window_sql(read: VersionsRead | TransactionRead, engine: TemporalEngine,
                window: VersionWindow, lo_event: int) -> str:
    """``window_sql`` for ``read``, kept for the next execution with the same bounds
    (a repeated query sees the same window until the next commit)."""
    markers = engine.markers_possible(read.info)
    key = (window, lo_event, markers)
    sql = read.rendered.get(key)
    if sql is None:
        if len(read.rendered) >= _RENDERED_KEPT:
            read.rendered.clear()
        sql = read.rendered[key] = window_sql(read.info, window, lo_event, read.pseudocolumns,
                                              read.probe, markers)
    return sql


def window_sql(info: TableInfo, window: VersionWindow, lo_event: int,
               wanted: tuple[str, ...], probe: str | None = None, markers: bool = True) -> str:
    """The versions of ``window`` with the ``wanted`` pseudocolumns.

    Start, XID and operation show only for versions that started at or after
    ``lo_event`` (and for delete markers). Every version starts at or after its
    table's creation (and the window's ``start_min``), so the test is left out
    when ``lo_event`` is no later. Pseudocolumns are computed in the union's
    branches; only the commit times and XIDs from the SCN log need a layer
    above it. ``markers``: whether the table may hold delete markers.
    """
    earliest = max(info.created_scn, window.start_min or 0)
    wanted_set = set(wanted)
    by_start = bool({"versions_starttime", "versions_xid"} & wanted_set)
    by_end = "versions_endtime" in wanted_set

    def columns(branch: relations.Branch) -> str:
        started = None if branch.marker or lo_event <= earliest else (
            f"{branch.start} >= {lo_event}")
        start = branch.start if started is None else (
            f"CASE WHEN {started} THEN {branch.start} END")
        op = branch.op if started is None else f"CASE WHEN {started} THEN {branch.op} END"
        in_branch = {"versions_startscn": start, "versions_endscn": branch.end,
                     "versions_operation": op}
        # In the order of ``wanted``: a statement that selects them so runs as the
        # relation itself (compiler/passthrough.py).
        items = [f"{in_branch[c]} AS {c}" for c in wanted if c in in_branch]
        if by_start:
            items.append(f"{start} AS __vstart")  # NULL before lo_event: no log row joins
        if by_end:
            items.append(f"{branch.end} AS __vend")
        return ", ".join(items)

    relation = relations.version_branches(info, window, columns, probe=probe, markers=markers)
    if not (by_start or by_end):
        return relation
    joined = {"versions_starttime": "ls.commit_time", "versions_xid": "ls.xid",
              "versions_endtime": "le.commit_time"}
    items = "".join(f", {joined.get(c, f'v.{c}')} AS {c}" for c in wanted)
    joins = ""
    if by_start:
        joins += " LEFT JOIN helios.scn_log AS ls ON ls.scn = v.__vstart"
    if by_end:
        joins += " LEFT JOIN helios.scn_log AS le ON le.scn = v.__vend"
    return f"SELECT {column_list(info.column_names, 'v.')}{items} FROM ({relation}) AS v{joins}"


def _versions_scn(binder: TemporalBinder, expr: Any) -> int:
    value = binder.value(expr, "VERSIONS BETWEEN SCN")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        span = getattr(expr, "span", None)
        raise InvalidScn(f"{sql_text(value)} is not a valid SCN",
                         position=span.start if span is not None else None)
    return value


def _time_window(engine: TemporalEngine, binder: TemporalBinder, info: TableInfo,
                 clause: Versions, vantage: int) -> tuple[int, int, int]:
    """VERSIONS BETWEEN TIMESTAMP: bounds applied in the time domain (semantics.md)."""
    minimum, maximum = engine.versions_bounds(info, None, None, vantage)
    if clause.low is VersionsBound.MINVALUE:
        lo_state = lo_event = minimum
        lo_time = None
    else:
        lo_time = binder.timestamp(clause.low, "VERSIONS BETWEEN TIMESTAMP")
        lo_state = engine.scn_at_time(lo_time, future_ok=True)
        lo_event = engine.first_scn_at_or_after(lo_time)
    if clause.high is VersionsBound.MAXVALUE:
        hi = maximum
    else:
        hi_time = binder.timestamp(clause.high, "VERSIONS BETWEEN TIMESTAMP")
        if lo_time is not None and hi_time < lo_time:
            raise InvalidVersionRange("invalid upper limit: it is below the lower limit",
                                      code="ORA-30054")
        if hi_time > engine.backend.clock():
            raise InvalidVersionRange("invalid upper limit: it lies in the future",
                                      code="ORA-30053")
        hi = engine.scn_at_time(hi_time)
    engine.versions_bounds(info, lo_state, min(hi, vantage), vantage)
    return lo_state, lo_event, min(hi, vantage)
