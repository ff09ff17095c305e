"""Table references as relations: the current table, AS OF, VERSIONS, FOR SYSTEM_TIME.

Each table reference of a statement becomes one ``Source``: SQL from the
storage engine's relation builders (``heliosql.storage.relations``) with the
temporal bounds already bound to SCNs, exposing the table's user columns plus
the pseudocolumns the statement refers to. The query compiler puts a unique
placeholder name in the FROM clause, and the placeholder is replaced by the
source's SQL when the statement text is generated.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from heliosql.binding import TemporalBinder
from heliosql.plan.temporal import (
    AsOf,
    SystemTimeAll,
    SystemTimeAsOf,
    SystemTimeBetween,
    SystemTimeContainedIn,
    SystemTimeFromTo,
    TemporalKind,
    TransactionVersions,
    Versions,
    VersionsBound,
)
from heliosql.storage import TableInfo, TemporalEngine, relations
from heliosql.storage.errors import InvalidScn, InvalidVersionRange, NotSupportedError
from heliosql.storage.relations import VersionWindow
from heliosql.storage.sqltext import column_list, quote_ident
from heliosql.transaction_window import transaction_window

ORA_ROWSCN = "ora_rowscn"
VERSIONS_COLUMNS = (
    "versions_startscn", "versions_starttime", "versions_endscn", "versions_endtime",
    "versions_xid", "versions_operation",
)
PSEUDOCOLUMNS = (ORA_ROWSCN, *VERSIONS_COLUMNS)
_placeholders = itertools.count()


@dataclass(frozen=True, slots=True)
class Source:
    """SQL for one FROM item, under a placeholder name, and the pseudocolumns it adds."""

    placeholder: str
    sql: str
    pseudocolumns: tuple[str, ...]
    columns: tuple[str, ...]


class SourceBuilder:
    """Builds the ``Source`` of every table reference of one statement."""

    def __init__(self, engine: TemporalEngine, binder: TemporalBinder, wanted: set[str]):
        self.engine = engine
        self.binder = binder
        self.wanted = set(wanted)  # lower-case pseudocolumn names the statement mentions
        self.sources: dict[str, Source] = {}
        # True once the SQL depends on more than the text and the catalog (a bound
        # SCN, the current SCN): such SQL must not be reused by the next execution.
        self.volatile = False
        # Names of date/time columns of the tables read so far: `d + 1` on one of
        # them adds days, as in Oracle.
        self.temporal_columns: set[str] = set()

    def _add(self, sql: str, pseudo: tuple[str, ...], columns: tuple[str, ...]) -> Source:
        source = Source(f"__helios_src_{next(_placeholders)}", sql, pseudo, columns)
        self.sources[source.placeholder] = source
        return source

    def constant(self, sql: str, columns: tuple[str, ...]) -> Source:
        """A relation that is not a table (DUAL, V$DATABASE)."""
        self.volatile = True
        return self._add(sql, (), columns)

    def table(self, info: TableInfo, clause: Any) -> Source:
        """The relation for ``info`` read as ``clause`` says (None: the current rows)."""
        self.temporal_columns.update(
            c.name.lower() for c in info.columns
            if c.type.upper().startswith(("DATE", "TIMESTAMP", "TIME")))
        if clause is None:
            return self._current(info)
        self.volatile = True
        if isinstance(clause, AsOf | SystemTimeAsOf):
            return self._as_of(info, self.binder.as_of(clause.kind, clause.expr))
        if isinstance(clause, Versions):
            return self._versions(info, clause)
        if isinstance(clause, SystemTimeBetween | SystemTimeFromTo | SystemTimeContainedIn
                      | SystemTimeAll):
            return self._system_time(info, clause)
        if isinstance(clause, TransactionVersions):
            return self._window_source(info, *transaction_window(self.engine, self.binder,
                                                                 info, clause))
        raise NotSupportedError(f"unsupported temporal clause {type(clause).__name__}")

    # --- current and AS OF -----------------------------------------------------------------

    def _current(self, info: TableInfo) -> Source:
        pseudo: tuple[str, ...] = ()
        extra = ""
        if ORA_ROWSCN in self.wanted:
            # A row changed by the reader's own open transaction has no commit SCN yet.
            committed = self.engine.current_scn()
            self.volatile = True
            extra = (f", CASE WHEN __start_scn <= {committed} THEN __start_scn END "
                     f"AS {ORA_ROWSCN}")
            pseudo = (ORA_ROWSCN,)
        cols = column_list(info.column_names)
        return self._add(f"SELECT {cols}{extra} FROM {info.current}", pseudo, info.column_names)

    def _as_of(self, info: TableInfo, scn: int) -> Source:
        self.engine.check_readable(info, scn)
        cols = column_list(info.column_names)
        pseudo = (ORA_ROWSCN,) if ORA_ROWSCN in self.wanted else ()
        extra = f", {relations.VSTART} AS {ORA_ROWSCN}" if pseudo else ""
        return self._add(f"SELECT {cols}{extra} FROM ({relations.as_of(info, scn)}) AS v",
                         pseudo, info.column_names)

    # --- VERSIONS BETWEEN --------------------------------------------------------------------

    def _versions(self, info: TableInfo, clause: Versions) -> Source:
        vantage = (self.engine.current_scn() if clause.as_of is None
                   else self.binder.as_of(clause.as_of.kind, clause.as_of.expr))
        if clause.kind is TemporalKind.SCN:
            lo = None if clause.low is VersionsBound.MINVALUE else self._versions_scn(clause.low)
            hi = None if clause.high is VersionsBound.MAXVALUE else self._versions_scn(clause.high)
            lo, hi = self.engine.versions_bounds(info, lo, hi, vantage)
            lo_state = lo_event = lo
        else:
            lo_state, lo_event, hi = self._time_window(info, clause, vantage)
        window = VersionWindow(vantage, start_max=hi, end_min=lo_state, marker_min=lo_event,
                               marker_max=hi)
        return self._window_source(info, window, lo_event)

    def _window_source(self, info: TableInfo, window: VersionWindow, lo_event: int) -> Source:
        """The versions of ``window`` with the pseudocolumns the statement wants (start,
        XID and operation only for versions that started at or after ``lo_event``)."""
        started = f"(v.__vop = 'D' OR v.__vstart >= {lo_event})"
        wanted = [c for c in VERSIONS_COLUMNS if c in self.wanted]
        exprs = {
            "versions_startscn": f"CASE WHEN {started} THEN v.__vstart END",
            "versions_starttime": f"CASE WHEN {started} THEN ls.commit_time END",
            "versions_endscn": "v.__vend",
            "versions_endtime": "le.commit_time",
            "versions_xid": f"CASE WHEN {started} THEN ls.xid END",
            "versions_operation": f"CASE WHEN {started} THEN v.__vop END",
        }
        extra = "".join(f", {exprs[c]} AS {c}" for c in wanted)
        joins = ""
        if {"versions_starttime", "versions_xid"} & set(wanted):
            joins += " LEFT JOIN helios.scn_log AS ls ON ls.scn = v.__vstart"
        if "versions_endtime" in wanted:
            joins += " LEFT JOIN helios.scn_log AS le ON le.scn = v.__vend"
        cols = column_list(info.column_names, "v.")
        sql = f"SELECT {cols}{extra} FROM ({relations.versions(info, window)}) AS v{joins}"
        return self._add(sql, tuple(wanted), info.column_names)

    def _versions_scn(self, expr: Any) -> int:
        value = self.binder.value(expr, "VERSIONS BETWEEN SCN")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidScn(f"{value!r} is not a valid SCN")
        return value

    def _time_window(self, info: TableInfo, clause: Versions, vantage: int
                     ) -> tuple[int, int, int]:
        """VERSIONS BETWEEN TIMESTAMP: bounds applied in the time domain (semantics.md)."""
        minimum, maximum = self.engine.versions_bounds(info, None, None, vantage)
        if clause.low is VersionsBound.MINVALUE:
            lo_state = lo_event = minimum
            lo_time = None
        else:
            lo_time = self.binder.timestamp(clause.low, "VERSIONS BETWEEN TIMESTAMP")
            lo_state = self.engine.scn_at_time(lo_time, future_ok=True)
            lo_event = self.engine.first_scn_at_or_after(lo_time)
        if clause.high is VersionsBound.MAXVALUE:
            hi = maximum
        else:
            hi_time = self.binder.timestamp(clause.high, "VERSIONS BETWEEN TIMESTAMP")
            if lo_time is not None and hi_time < lo_time:
                raise InvalidVersionRange("invalid upper limit: it is below the lower limit",
                                          code="ORA-30054")
            if hi_time > self.engine.backend.clock():
                raise InvalidVersionRange("invalid upper limit: it lies in the future",
                                          code="ORA-30053")
            hi = self.engine.scn_at_time(hi_time)
        self.engine.versions_bounds(info, lo_state, min(hi, vantage), vantage)
        return lo_state, lo_event, min(hi, vantage)

    # --- SQL:2011 FOR SYSTEM_TIME --------------------------------------------------------------

    def _system_time(self, info: TableInfo, clause: Any) -> Source:
        """SQL:2011 periods over commit times: plain versions, no delete markers."""
        vantage = self.engine.current_scn()
        empty = False
        end_max = None
        if isinstance(clause, SystemTimeAll):
            window = VersionWindow(vantage)
        elif isinstance(clause, SystemTimeBetween | SystemTimeFromTo):
            lo_t = self.binder.timestamp(clause.low if isinstance(clause, SystemTimeBetween)
                                         else clause.start, "FOR SYSTEM_TIME")
            hi_t = self.binder.timestamp(clause.high if isinstance(clause, SystemTimeBetween)
                                         else clause.end, "FOR SYSTEM_TIME")
            empty = hi_t < lo_t
            hi = (self.engine.scn_at_time(hi_t, future_ok=True)
                  if isinstance(clause, SystemTimeBetween)
                  else self.engine.first_scn_at_or_after(hi_t) - 1)
            window = VersionWindow(vantage, start_max=hi,
                                   end_min=self.engine.scn_at_time(lo_t, future_ok=True))
        else:
            lo_t = self.binder.timestamp(clause.start, "FOR SYSTEM_TIME CONTAINED IN")
            hi_t = self.binder.timestamp(clause.end, "FOR SYSTEM_TIME CONTAINED IN")
            empty = hi_t < lo_t
            window = VersionWindow(vantage, start_min=self.engine.first_scn_at_or_after(lo_t))
            end_max = self.engine.scn_at_time(hi_t, future_ok=True)
        self._check_floor(info, window)
        filters = ["v.__vop <> 'D'"]
        if end_max is not None:
            filters.append(f"v.__vend IS NOT NULL AND v.__vend <= {end_max}")
        if empty:
            filters.append("FALSE")
        cols = column_list(info.column_names, "v.")
        sql = (f"SELECT {cols} FROM ({relations.versions(info, window)}) AS v "
               f"WHERE {' AND '.join(filters)}")
        return self._add(sql, (), info.column_names)

    def _check_floor(self, info: TableInfo, window: VersionWindow) -> None:
        low = window.end_min if window.end_min is not None else window.start_min
        if info.history_floor_scn and (low is None or low < info.history_floor_scn):
            self.engine.check_readable(info, low or 0)


def render(sql: str, sources: dict[str, Source]) -> str:
    """Replace each source placeholder in generated SQL by its parenthesised SQL."""
    for placeholder, source in sources.items():
        sql = sql.replace(quote_ident(placeholder), f"({source.sql})")
    return sql
