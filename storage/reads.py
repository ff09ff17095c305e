"""The engine's read API: SCNs and times, temporal queries, flashback queries.

Every read runs as one DuckDB query on the calling thread's own connection, so
it sees one consistent snapshot even while another thread writes. Times map
exactly to SCNs through the SCN log: the state at time ``t`` is the state at
the last SCN committed at or before ``t``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from . import parsed, relations
from .catalog import TableInfo
from .errors import (
    DefinitionChanged,
    InvalidScn,
    InvalidTimestamp,
    InvalidVersionRange,
    NoSnapshot,
    ProgrammingError,
    SnapshotTooOld,
    sql_text,
)
from .model import Row, VersionOperation, VersionRow, as_bytes
from .queries import FlashbackQuery, FlashbackResult, TemporalQuery, VersionInfo, VersionsResult
from .relations import VersionWindow
from .sqltext import column_list, quote_ident
from .translate import translate
from .writes import key_predicate

if TYPE_CHECKING:
    from .engine import TemporalEngine

_OPS = {op.value: op for op in VersionOperation}
#: Up to this many keys, key queries read the keys' versions and filter them in Python.
_LEAN_KEYS = 64


def _sortable(key: Any) -> tuple:
    """A sort key for row keys that may be None or of mixed types."""
    return (key is None, type(key).__name__, key if key is not None else 0)


def aware(ts: datetime) -> datetime:
    """``ts`` with a time zone; a naive value is read as local time (one in year 1 or
    9999, whose local offset Python cannot compute, as UTC: it is far from every SCN)."""
    if not isinstance(ts, datetime):
        raise InvalidTimestamp(f"expected a datetime, got {type(ts).__name__}")
    if ts.tzinfo is not None:
        return ts
    try:
        return ts.astimezone()
    except (ValueError, OverflowError, OSError):
        return ts.replace(tzinfo=UTC)


class ReadMixin:
    """Read methods of ``TemporalEngine``."""

    # --- plumbing ----------------------------------------------------------------------

    def read_cursor(self: TemporalEngine) -> duckdb.DuckDBPyConnection:
        """The connection this thread reads with (its transaction's, once that has written)."""
        tx = self.current_transaction()
        if tx is not None and tx.writing and tx.cursor is not None:
            return tx.cursor
        return self.backend.cursor()

    def fetch(self: TemporalEngine, sql: str, params: Any = None, doing: str = "query"
              ) -> list[tuple]:
        """Run a read and return all rows, DuckDB errors translated."""
        try:
            return parsed.execute(self.read_cursor(), sql, params).fetchall()
        except duckdb.Error as exc:
            raise translate(exc, doing) from exc

    def markers_possible(self: TemporalEngine, info: TableInfo) -> bool:
        """Whether ``info``'s history may hold delete markers: version readers skip
        the marker branch of a table that has never had a row deleted.

        Learnt the first time by a scan, then kept in memory. ``Transaction.delete_rows``
        sets it before the delete runs and the delete's SCN is published after,
        so a reader whose vantage covers that SCN sees it set. The scan's answer
        never overwrites a value set meanwhile (``setdefault``). It errs only one
        way: a delete rolled back leaves it set, and readers then read an empty
        marker branch.
        """
        if not info.versioned:
            return False
        known = self.marker_tables.get(info.object_id)
        if known is None:
            found = self.fetch(f"SELECT EXISTS (SELECT 1 FROM {info.history} WHERE __deleted)")
            known = self.marker_tables.setdefault(info.object_id, bool(found[0][0]))
        return known

    # --- SCNs and time -----------------------------------------------------------------

    def current_scn(self: TemporalEngine) -> int:
        """The last committed SCN."""
        return self.committed_scn

    def allocate_scn(self: TemporalEngine) -> int:
        """A new SCN with the current time in the SCN log (inside a transaction: its SCN)."""
        tx = self.current_transaction()
        if tx is not None:
            return tx.begin_write()[1]
        with self.transaction() as tx:
            tx.kind = "SCN"
            scn = tx.begin_write()[1]
            tx.xid = None
        return scn

    def record_scn(self: TemporalEngine, scn: int, timestamp: datetime | None = None,
                   transaction_id: int | None = None) -> datetime:
        """Check that ``scn`` is known and return its recorded commit time.

        The seed records SCN->time pairs by hand; heliosql records the exact
        commit time of every SCN when it is allocated, so this call only
        validates (``InvalidScn`` for an unknown SCN) and never moves a time.
        """
        self._check_scn(scn)
        return self.scn_to_timestamp(scn)

    def _check_scn(self: TemporalEngine, scn: Any) -> int:
        if isinstance(scn, bool) or not isinstance(scn, int):
            raise InvalidScn(f"{sql_text(scn)} is not a valid SCN: SCNs are integers")
        if scn < 1 or scn > self.committed_scn:
            raise InvalidScn(f"SCN {scn} is not a valid SCN: valid SCNs are 1 to "
                             f"{self.committed_scn} (the current SCN)")
        return scn

    def scn_to_timestamp(self: TemporalEngine, scn: int) -> datetime:
        """The commit time of ``scn`` (of the last SCN at or before it); ``InvalidScn`` if none."""
        self._check_scn(scn)
        return self.scn_log.time_of(scn)

    def timestamp_to_scn(self: TemporalEngine, timestamp: datetime) -> int:
        """The last SCN committed at or before ``timestamp``.

        ``NoSnapshot`` (ORA-08180) before the database's first SCN,
        ``InvalidTimestamp`` (ORA-08186) for a time in the future.
        """
        scn = self._state_scn(timestamp)
        if scn == 0:
            raise NoSnapshot(f"no snapshot for {aware(timestamp).isoformat()}: "
                             "it is older than the database")
        return scn

    def _state_scn(self: TemporalEngine, timestamp: datetime, future_ok: bool = False) -> int:
        """max{scn : commit_time <= timestamp}, 0 when the time precedes every SCN."""
        ts = aware(timestamp)
        # Commits are stamped after the previous one even when the clock lags, so
        # the last commit time is never "in the future".
        if not future_ok and ts > max(self.backend.clock(), self.last_commit_time):
            raise InvalidTimestamp(f"{ts.isoformat()} lies in the future")
        return min(self.scn_log.scn_at(ts), self.committed_scn)

    def _event_scn(self: TemporalEngine, timestamp: datetime) -> int:
        """The first SCN committed at or after ``timestamp``."""
        return self.scn_log.first_at_or_after(aware(timestamp))

    # --- the seed's temporal queries ---------------------------------------------------

    def query(self: TemporalEngine, table: str, query: Any) -> list[VersionRow]:
        """Answer a ``TemporalQuery`` about ``table`` (see ``TemporalQuery`` for each meaning)."""
        info = self.table_info(table)
        if not isinstance(query, TemporalQuery.AsOf | TemporalQuery.KeyAsOf
                          | TemporalQuery.KeysAsOf):
            self._check_versioned(info, None)  # a history question needs a history
        match query:
            case TemporalQuery.AsOf(ts):
                return self._as_of_rows(info, ts, None)
            case TemporalQuery.KeyAsOf(key, ts):
                return self._as_of_rows(info, ts, [key])
            case TemporalQuery.KeysAsOf(keys, ts):
                return self._as_of_rows(info, ts, list(keys))
            case TemporalQuery.KeyHistory(key):
                return self._window_rows(info, VersionWindow(self.committed_scn), [key])
            case TemporalQuery.KeysHistory(keys):
                return self._window_rows(info, VersionWindow(self.committed_scn), list(keys))
            case TemporalQuery.Between(start, end):
                return self._between_rows(info, start, end, None)
            case TemporalQuery.KeyBetween(key, start, end):
                return self._between_rows(info, start, end, [key])
            case TemporalQuery.From(ts):
                lo = self._state_scn(ts)
                event = self._event_scn(ts)
                self._check_floor(info, event - 1)
                window = VersionWindow(self.committed_scn, end_min=lo, marker_min=event)
                return self._window_rows(info, window, None)
            case TemporalQuery.To(ts):
                hi = self._state_scn(ts, future_ok=True)
                if hi >= info.created_scn:
                    self._check_floor(info, hi)
                window = VersionWindow(self.committed_scn, start_max=hi, marker_max=hi)
                return self._window_rows(info, window, None)
        raise TypeError(f"not a TemporalQuery: {query!r}")

    def _as_of_rows(self: TemporalEngine, info: TableInfo, ts: datetime,
                    keys: list[Any] | None) -> list[VersionRow]:
        scn = self._state_scn(ts)
        if scn < info.created_scn:
            return []  # the table did not exist yet: nothing was there
        self._check_versioned(info, scn)
        self._check_floor(info, scn)
        return self._snapshot_rows(info, scn, keys)

    def _check_versioned(self: TemporalEngine, info: TableInfo, scn: int | None) -> None:
        """A table without history can only be read as it is now."""
        if not info.versioned and (scn is None or scn < self.committed_scn):
            raise ProgrammingError(
                f"table {info.name!r} keeps no history (WITHOUT SYSTEM VERSIONING or "
                "TEMPORARY): it can only be read as it is now")

    def _snapshot_rows(self: TemporalEngine, info: TableInfo, scn: int,
                       keys: list[Any] | None) -> list[VersionRow]:
        """The versions valid at ``scn``: exactly a window with no delete markers."""
        if keys is not None:
            window = VersionWindow(self.committed_scn, start_max=scn, end_min=scn,
                                   marker_min=self.committed_scn + 1)
            return self._window_rows(info, window, keys)
        return self._rows(info, relations.as_of(info, scn), {})

    def _between_rows(self: TemporalEngine, info: TableInfo, start: datetime, end: datetime,
                      keys: list[Any] | None) -> list[VersionRow]:
        if aware(start) > aware(end):
            raise InvalidVersionRange(f"the window ends ({end}) before it starts ({start})")
        lo = self._state_scn(start)
        event = self._event_scn(start)
        hi = self._state_scn(end, future_ok=True)
        self._check_floor(info, event - 1)
        window = VersionWindow(self.committed_scn, start_max=hi, end_min=lo,
                               marker_min=event, marker_max=hi)
        return self._window_rows(info, window, keys)

    def _check_floor(self: TemporalEngine, info: TableInfo, scn: int) -> None:
        """``SnapshotTooOld`` when retention removed history needed at ``scn``."""
        if info.history_floor_scn and scn < info.history_floor_scn:
            raise SnapshotTooOld(
                f"snapshot too old: {info.name!r} keeps history from SCN "
                f"{info.history_floor_scn} on (retention), SCN {scn} was asked for"
            )

    def _keys_filter(self: TemporalEngine, info: TableInfo, keys: Sequence[Any] | None
                     ) -> tuple[str, dict[str, Any]]:
        if keys is None:
            return "", {}
        if not keys:  # an empty OR below would mean "no filter"
            return "FALSE", {}
        if len(keys) == 1:
            return key_predicate(info, keys[0])
        if info.keyed or len(info.key_columns) == 1:
            column = quote_ident(info.key_columns[0])
            values = [as_bytes(k) for k in keys] if info.keyed else list(keys)
            return f"{column} IN (SELECT unnest($keys))", {"keys": values}
        if not info.key_columns:
            return "__rowid IN (SELECT unnest($keys))", {"keys": list(keys)}
        parts, params = [], {}
        for i, key in enumerate(keys):
            sql, p = key_predicate(info, key, prefix=f"k{i}_")
            parts.append(f"({sql})")
            params.update(p)
        return " OR ".join(parts), params

    def _window_rows(self: TemporalEngine, info: TableInfo, window: VersionWindow,
                     keys: list[Any] | None) -> list[VersionRow]:
        where, params = self._keys_filter(info, keys)
        if keys is not None and len(keys) <= _LEAN_KEYS:
            # A few keys: read all their versions with one plain key lookup per
            # table and apply the window here; the window SQL adds a scan per branch.
            cols = column_list(info.column_names)
            sql = (f"SELECT {cols}, __rowid, __start_scn, NULL::BIGINT, __created_scn, FALSE "
                   f"FROM {info.current} WHERE {where}")
            if info.versioned:
                sql += (f" UNION ALL SELECT {cols}, __rowid, __start_scn, __end_scn, "
                        f"__created_scn, __deleted FROM {info.history} WHERE {where}")
            raw = self.fetch(sql, params, f"query {info.name}")
            width = len(info.column_names)
            rows = self._version_rows(info, relations.apply_window(window, raw, width))
            rows.sort(key=lambda v: (_sortable(v.key), v.start_scn,
                                     v.operation is not VersionOperation.DELETE))
            return rows
        return self._rows(info, relations.versions(info, window, where), params)

    def _rows(self: TemporalEngine, info: TableInfo, relation: str,
              params: Mapping[str, Any]) -> list[VersionRow]:
        """Run a version relation; rows by key, oldest first, a delete marker before a row
        created at its SCN."""
        order = ", ".join(quote_ident(k) for k in info.key_columns) or "__rowid"
        sql = (f"SELECT * FROM ({relation}) AS v "
               f"ORDER BY {order}, {relations.VSTART}, {relations.VOP} <> 'D', __rowid")
        return self._version_rows(info, self.fetch(sql, dict(params), f"query {info.name}"))

    def _version_rows(self: TemporalEngine, info: TableInfo, rows: Sequence[tuple]
                      ) -> list[VersionRow]:
        """``VersionRow`` values from relation rows (user columns, rowid, start, end, op)."""
        vantage = self.committed_scn
        log = self.scn_log
        width = len(info.column_names)
        names = info.column_names
        out = []
        for row in rows:
            values = row[:width]
            rowid, start, end, op = row[width:width + 4]
            if end is not None and end > vantage:
                end = None  # ended by a transaction that has not committed
            out.append(VersionRow(
                key=self._key_of(info, names, values, rowid),
                columns=self._columns_of(info, names, values),
                valid_from=log.time_of(start), valid_to=None if end is None else log.time_of(end),
                start_scn=start, end_scn=end, xid=log.xid_of(start), operation=_OPS[op],
            ))
        return out

    @staticmethod
    def _key_of(info: TableInfo, names: Sequence[str], values: Sequence[Any], rowid: int) -> Any:
        if not info.key_columns:
            return rowid
        index = {n.lower(): i for i, n in enumerate(names)}
        parts = tuple(values[index[k.lower()]] for k in info.key_columns)
        return parts[0] if len(parts) == 1 else parts

    @staticmethod
    def _columns_of(info: TableInfo, names: Sequence[str], values: Sequence[Any]
                    ) -> dict[str, Any]:
        keys = {k.lower() for k in info.key_columns}
        if info.keyed:  # the seed's sparse rows: absent columns are not in the map
            return {n: v for n, v in zip(names, values, strict=True)
                    if v is not None and n.lower() not in keys}
        return {n: v for n, v in zip(names, values, strict=True) if n.lower() not in keys}

    # --- Oracle-style flashback queries ------------------------------------------------

    def execute_flashback(self: TemporalEngine, table: str, query: FlashbackQuery.AsOfScn
                          ) -> FlashbackResult:
        """``SELECT * FROM table AS OF SCN n`` (optionally one key).

        ``InvalidScn`` for an SCN out of range, ``DefinitionChanged`` (ORA-01466)
        before the table existed, ``SnapshotTooOld`` (ORA-01555) before retained history.
        """
        info = self.table_info(table)
        scn = self._check_scn(query.scn)
        self._check_table_at(info, scn)
        keys = None if query.filter_key is None else [query.filter_key]
        return FlashbackResult(scn, self._snapshot_rows(info, scn, keys))

    def _check_table_at(self: TemporalEngine, info: TableInfo, scn: int) -> None:
        self._check_versioned(info, scn)
        if scn < info.created_scn:
            raise DefinitionChanged(
                f"unable to read data: table {info.name!r} was created at SCN "
                f"{info.created_scn}, after SCN {scn}"
            )
        self._check_floor(info, scn)

    def execute_versions(self: TemporalEngine, table: str, query: Any) -> VersionsResult:
        """A version query: ``VersionsBetweenScn`` or ``FlashbackTransaction``.

        Pseudocolumn NULL rules follow Oracle (see ``VersionInfo``).
        """
        info = self.table_info(table)
        vantage = self.committed_scn
        match query:
            case FlashbackQuery.VersionsBetweenScn(lo, hi, _, key):
                lo, hi = self.versions_bounds(info, lo, hi, vantage)
                window = VersionWindow(vantage, start_max=hi, end_min=lo, marker_min=lo,
                                       marker_max=hi)
                keys = None if key is None else [key]
            case FlashbackQuery.FlashbackTransaction(xid, _):
                found = self.fetch("SELECT scn FROM helios.scn_log WHERE xid = ?", [xid])
                if not found:
                    return VersionsResult([])
                scn = found[0][0]
                lo = scn
                window = VersionWindow(vantage, start_min=scn, start_max=scn, marker_min=scn,
                                       marker_max=scn)
                keys = None
            case _:
                raise TypeError(f"not a version query: {query!r}")
        versions = []
        for v in self._window_rows(info, window, keys):
            before_window = v.start_scn < lo
            versions.append(VersionInfo(
                version_start_scn=None if before_window else v.start_scn,
                version_start_time=None if before_window else v.valid_from,
                version_end_scn=v.end_scn,
                version_end_time=v.valid_to,
                version_xid=None if before_window else v.xid,
                version_operation=None if before_window else v.operation,
                row=Row(v.key, v.columns),
            ))
        return VersionsResult(versions)

    def versions_bounds(self: TemporalEngine, info: TableInfo, lo: int | None, hi: int | None,
                        vantage: int) -> tuple[int, int]:
        """Validate ``VERSIONS BETWEEN SCN lo AND hi`` (None = MINVALUE / MAXVALUE)."""
        self._check_versioned(info, None)
        minimum = max(info.created_scn, info.history_floor_scn + 1 if info.history_floor_scn
                      else 0)
        lo = minimum if lo is None else lo
        hi = vantage if hi is None else hi
        for bound in (lo, hi):
            if isinstance(bound, bool) or not isinstance(bound, int) or bound < 0:
                raise InvalidScn(f"{sql_text(bound)} is not a valid SCN")
        if hi < lo:
            raise InvalidVersionRange(f"invalid upper limit: SCN {hi} is below the lower "
                                      f"limit {lo}", code="ORA-30054")
        if hi > vantage:
            raise InvalidVersionRange(f"invalid upper limit: SCN {hi} is beyond the query's "
                                      f"SCN {vantage}", code="ORA-30053")
        if info.history_floor_scn and lo <= info.history_floor_scn:
            raise InvalidVersionRange(
                f"invalid lower limit: history of {info.name!r} is retained from SCN "
                f"{info.history_floor_scn + 1} on, SCN {lo} was asked for", code="ORA-30052")
        if lo < info.created_scn:
            raise DefinitionChanged(f"unable to read data: table {info.name!r} was created at "
                                    f"SCN {info.created_scn}, after SCN {lo}")
        return lo, hi


class PublicTimeMixin:
    """The time-mapping and checking primitives the SQL front end builds on."""

    def scn_at_time(self: TemporalEngine, timestamp: datetime, future_ok: bool = False) -> int:
        """max{scn : commit_time <= timestamp}; 0 before the first SCN;
        ``InvalidTimestamp`` for a future time unless ``future_ok``."""
        return self._state_scn(timestamp, future_ok)

    def first_scn_at_or_after(self: TemporalEngine, timestamp: datetime) -> int:
        """The first SCN committed at or after ``timestamp``."""
        return self._event_scn(timestamp)

    def check_readable(self: TemporalEngine, info: TableInfo, scn: int) -> None:
        """``DefinitionChanged`` before the table existed, ``SnapshotTooOld`` below its floor."""
        self._check_table_at(info, scn)
