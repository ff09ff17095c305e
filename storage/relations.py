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

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .catalog import TableInfo
from .sqltext import column_list, quote_ident

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


def _current_where(info: TableInfo, scn_filter: str, probe: str | None) -> str:
    """The WHERE of a branch over the current table: ``scn_filter``, and ``probe`` (a key
    equality) when given.

    DuckDB uses the key's index only when the key equality is the scan's one
    table filter, and it never makes a filter over two columns a table filter:
    OR-ing the SCN test with ``key IS NULL`` (never true of a primary key) keeps
    it in a filter above the lookup. The history table has no index to lose, so
    it takes every filter.
    """
    if probe is None:
        return scn_filter
    return f"{probe} AND ({scn_filter} OR {quote_ident(info.key_columns[0])} IS NULL)"


def snapshot(info: TableInfo, scn: int | str, *, start_as: str | None = None,
             probe: str | None = None) -> str:
    """The user columns of the rows valid at ``scn``, plus their start SCN as ``start_as``;
    ``probe``: only rows with this key are needed (see ``_current_where``).

    The lean form of ``as_of`` for readers that need no version columns: DuckDB
    does not prune unused columns through a UNION ALL, and the extra ones cost a
    third of a key lookup. ``scn`` may be a marker the caller replaces later.
    """
    cols = column_list(info.column_names)
    start = f", __start_scn AS {start_as}" if start_as else ""
    current = (f"SELECT {cols}{start} FROM {info.current} "
               f"WHERE {_current_where(info, f'__start_scn <= {scn}', probe)}")
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


@dataclass(frozen=True, slots=True)
class Branch:
    """One branch of a version relation: SQL for its version columns over its table.

    ``start`` is the version's start SCN (a delete marker's: the delete's SCN),
    ``end`` its end SCN as seen from the vantage (NULL while current there, and
    for a marker), ``op`` its operation (``I``, ``U`` or ``D``).
    """

    start: str
    end: str
    op: str
    marker: bool


def version_branches(info: TableInfo, window: VersionWindow, columns: Callable[[Branch], str],
                     where: str = "", *, probe: str | None = None, markers: bool = True) -> str:
    """Every version in ``window`` and, with ``markers``, every delete marker; ``probe``:
    of one key (see ``_current_where``).

    Each row has the user columns followed by ``columns(branch)`` (a select
    list, maybe empty, its names given in every branch). Readers put their
    version columns into the branches rather than into a layer above the union:
    DuckDB binds and plans each layer anew per query, a large share of the time
    of a key lookup.
    """
    names = column_list(info.column_names)

    def select(branch: Branch) -> str:
        more = columns(branch)
        return f"SELECT {names}, {more}" if more else f"SELECT {names}"

    start_max = min(window.vantage, window.start_max if window.start_max is not None else
                    window.vantage)
    filters = [f"__start_scn <= {start_max}"]
    if window.start_min is not None:
        filters.append(f"__start_scn >= {window.start_min}")
    if where:
        filters.append(f"({where})")
    key = f" AND ({probe})" if probe else ""
    current = Branch("__start_scn", "NULL::BIGINT", _OP, marker=False)
    parts = [f"{select(current)} FROM {info.current} "
             f"WHERE {_current_where(info, ' AND '.join(filters), probe)}"]
    if not info.versioned:
        return parts[0]
    if window.end_min is not None and window.end_min > info.created_scn:
        # A version ends after it starts, and starts no earlier than its table's
        # creation: an end bound at or before the creation holds for every version.
        filters.append(f"__end_scn > {window.end_min}")
    closed = Branch("__start_scn", f"CASE WHEN __end_scn <= {window.vantage} THEN __end_scn END",
                    _OP, marker=False)
    parts.append(f"{select(closed)} FROM {info.history} "
                 f"WHERE {' AND '.join(filters)}{key}")
    if markers:
        marker_max = min(window.vantage, window.marker_max if window.marker_max is not None
                         else window.vantage)
        filters = ["__deleted", f"__end_scn <= {marker_max}"]
        if window.marker_min is not None:
            filters.append(f"__end_scn >= {window.marker_min}")
        if where:
            filters.append(f"({where})")
        marker = Branch("__end_scn", "NULL::BIGINT", "'D'", marker=True)
        parts.append(f"{select(marker)} FROM {info.history} "
                     f"WHERE {' AND '.join(filters)}{key}")
    return " UNION ALL ".join(parts)


def versions(info: TableInfo, window: VersionWindow, where: str = "") -> str:
    """Every version and delete marker in ``window``.

    Columns: the user columns, ``__rowid``, ``__vstart`` (start SCN, or the delete's
    SCN for a marker), ``__vend`` (end SCN; NULL while current at the vantage and
    for markers) and ``__vop`` (``I``, ``U`` or ``D``).
    """
    return version_branches(info, window, lambda b: (
        f"__rowid, {b.start} AS {VSTART}, {b.end} AS {VEND}, {b.op} AS {VOP}"), where)


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
