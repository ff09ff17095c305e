"""SQL for the relations every temporal read is built from.

Timeline of one row (SCNs left to right)::

    SCN:        10          20          30
    row 7:      [ v1 -------)[ v2 ------)            <- v1, v2 closed: history table
                                         D           <- delete at 30: v2 closed with __deleted
    row 8:                  [ v1 ---------------->   <- current table, __start_scn = 20

A version is valid at SCN ``s`` when ``start <= s < end`` (a commit stamped ``s``
is visible at ``s``). ``AS OF 25`` sees row 7's v2 and row 8's v1; ``AS OF 30``
sees only row 8. A delete marker is not a stored row: it is derived from the
last version of a deleted row (``__deleted``), stamped with the delete's SCN.

The functions return SELECT statements over the physical tables with every SCN
inlined as an integer literal (SCNs are resolved before SQL is built, once per
statement), so DuckDB can prune row groups by the SCN columns' min/max.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import TableInfo
from .sqltext import column_list

#: Column names every version relation adds after the user columns.
ROWID, VSTART, VEND, VOP = "__rowid", "__vstart", "__vend", "__vop"


_OP = "CASE WHEN __start_scn = __created_scn THEN 'I' ELSE 'U' END"


def as_of(info: TableInfo, scn: int, where: str = "") -> str:
    """The rows valid at ``scn``: user columns, ``__rowid``, ``__vstart``, ``__vend``, ``__vop``.

    ``__vend`` is the version's end SCN as stored (NULL for a current row).
    """
    cols = column_list(info.column_names)
    extra = f" AND ({where})" if where else ""
    current = (
        f"SELECT {cols}, __rowid, __start_scn AS {VSTART}, NULL::BIGINT AS {VEND}, "
        f"{_OP} AS {VOP} FROM {info.current} WHERE __start_scn <= {scn}{extra}"
    )
    if not info.versioned:
        return current
    return (
        f"{current} UNION ALL SELECT {cols}, __rowid, __start_scn, __end_scn, {_OP} "
        f"FROM {info.history} WHERE __start_scn <= {scn} AND __end_scn > {scn}{extra}"
    )


def _current(info: TableInfo, probe: str | None) -> str:
    """The current table, or its rows that match ``probe`` (a key equality).

    DuckDB uses the key's index only when the key equality is the scan's one
    filter: ``OFFSET 0`` keeps the caller's SCN filter from being pushed into
    the lookup. The history table has no index to lose, so it takes every filter.
    """
    if probe is None:
        return info.current
    return f"(SELECT * FROM {info.current} WHERE {probe} OFFSET 0) AS c"


def snapshot(info: TableInfo, scn: int | str, *, start_as: str | None = None,
             probe: str | None = None) -> str:
    """The user columns of the rows valid at ``scn``, plus their start SCN as ``start_as``;
    ``probe``: only rows with this key are needed (see ``_current``).

    The lean form of ``as_of`` for readers that need no version columns: DuckDB
    does not prune unused columns through a UNION ALL, and the extra ones cost a
    third of a key lookup. ``scn`` may be a marker the caller replaces later.
    """
    cols = column_list(info.column_names)
    start = f", __start_scn AS {start_as}" if start_as else ""
    current = f"SELECT {cols}{start} FROM {_current(info, probe)} WHERE __start_scn <= {scn}"
    if not info.versioned:
        return current
    key = f" AND {probe}" if probe else ""
    return (f"{current} UNION ALL SELECT {cols}{start} FROM {info.history} "
            f"WHERE __start_scn <= {scn} AND __end_scn > {scn}{key}")


@dataclass(frozen=True, slots=True)
class VersionWindow:
    """Which versions and delete markers a version relation returns.

    Versions: ``start_min <= start <= start_max`` and (current or ``end > end_min``).
    Markers: deletes with ``marker_min <= scn <= marker_max``.
    Nothing committed after ``vantage`` is seen, and a version still current at
    ``vantage`` has no end. ``None`` leaves a bound open.
    """

    vantage: int
    start_min: int | None = None
    start_max: int | None = None
    end_min: int | None = None
    marker_min: int | None = None
    marker_max: int | None = None


def versions(info: TableInfo, window: VersionWindow, where: str = "", *,
             probe: str | None = None, rowid: bool = True, ends: bool = True) -> str:
    """Every version and delete marker in ``window`` (``probe``: of one key, see ``_current``).

    Columns: the user columns, ``__rowid``, ``__vstart`` (start SCN, or the delete's
    SCN for a marker), ``__vend`` (end SCN; NULL while current at the vantage and
    for markers) and ``__vop`` (``I``, ``U`` or ``D``). A reader that needs no
    ``__rowid`` or ``__vend`` leaves them out (``rowid``, ``ends``): DuckDB does not
    prune unused columns through the UNION ALL.
    """
    cols = column_list(info.column_names)
    where = " AND ".join(f"({w})" for w in (where, probe) if w)
    extra = f" AND {where}" if where else ""
    start_max = min(window.vantage, window.start_max if window.start_max is not None else
                    window.vantage)
    op = f"{_OP} AS {VOP}"
    if window.start_min is not None:
        extra_version = f" AND __start_scn >= {window.start_min}{extra}"
    else:
        extra_version = extra
    rid = ", __rowid" if rowid else ""

    def end(sql: str) -> str:
        return f", {sql}" if ends else ""

    parts = [
        f"SELECT {cols}{rid}, __start_scn AS {VSTART}{end(f'NULL::BIGINT AS {VEND}')}, {op} "
        f"FROM {_current(info, probe)} WHERE __start_scn <= {start_max}{extra_version}"
    ]
    if not info.versioned:
        return parts[0]
    end_test = f" AND __end_scn > {window.end_min}" if window.end_min is not None else ""
    parts.append(
        f"SELECT {cols}{rid}, __start_scn"
        f"{end(f'CASE WHEN __end_scn <= {window.vantage} THEN __end_scn END')}, {_OP} "
        f"FROM {info.history} WHERE __start_scn <= {start_max}{end_test}{extra_version}"
    )
    marker_max = min(window.vantage, window.marker_max if window.marker_max is not None else
                     window.vantage)
    marker_min = f" AND __end_scn >= {window.marker_min}" if window.marker_min is not None else ""
    parts.append(
        f"SELECT {cols}{rid}, __end_scn{end('NULL::BIGINT')}, 'D' FROM {info.history} "
        f"WHERE __deleted AND __end_scn <= {marker_max}{marker_min}{extra}"
    )
    return " UNION ALL ".join(parts)


def apply_window(window: VersionWindow, raw: Iterable[tuple], width: int) -> list[tuple]:
    """``versions`` done in Python over raw stored versions of a few rows.

    ``raw`` rows are the user columns (``width`` of them) followed by ``__rowid``,
    ``__start_scn``, ``__end_scn`` (NULL for a current row), ``__created_scn`` and
    ``__deleted``; the result rows have the shape ``versions`` returns. Kept next
    to ``versions`` because the two must agree (a test checks they do).
    """
    vantage = window.vantage
    start_max = min(vantage, vantage if window.start_max is None else window.start_max)
    marker_max = min(vantage, vantage if window.marker_max is None else window.marker_max)
    out = []
    for row in raw:
        values = row[:width]
        rowid, start, end, created, deleted = row[width:width + 5]
        if (start <= start_max
                and (window.start_min is None or start >= window.start_min)
                and (end is None or window.end_min is None or end > window.end_min)):
            shown_end = end if end is not None and end <= vantage else None
            out.append((*values, rowid, start, shown_end, "I" if start == created else "U"))
        if (deleted and end <= marker_max
                and (window.marker_min is None or end >= window.marker_min)):
            out.append((*values, rowid, end, None, "D"))
    return out
