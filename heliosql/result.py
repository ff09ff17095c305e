"""What a statement returns: rows (fetched lazily from DuckDB where possible) or a count."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import duckdb


def describe(cur: duckdb.DuckDBPyConnection) -> list[tuple]:
    """PEP 249 description; the type code is DuckDB's type name (see ``heliosql.dbtypes``)."""
    return [(d[0], str(d[1]), None, None, None, None, None) for d in cur.description or ()]


@dataclass
class Result:
    """Rows with a PEP 249 ``description``, or a row count.

    ``source`` is a DuckDB connection whose pending result holds the rows not
    fetched yet (a connection of the cursor's own, so that later statements do
    not disturb it); otherwise the rows are in ``rows``. ``columns`` is the
    description; left None with a ``source``, it is read from the source when
    first asked for (most callers only fetch).
    """

    columns: list[tuple] | None = None
    rows: list[tuple] = field(default_factory=list)
    rowcount: int = -1
    source: duckdb.DuckDBPyConnection | None = None
    _position: int = 0

    @property
    def has_rows(self) -> bool:
        """Whether the statement returned rows (maybe none), as opposed to a count."""
        return self.source is not None or self.columns is not None

    @property
    def description(self) -> list[tuple] | None:
        if self.columns is None and self.source is not None:
            self.columns = describe(self.source)
        return self.columns

    def fetchmany(self, size: int) -> list[tuple]:
        if self.source is not None:
            return self.source.fetchmany(size)
        chunk = self.rows[self._position:self._position + size]
        self._position += len(chunk)
        return chunk

    def fetchall(self) -> list[tuple]:
        if self.source is not None:
            return self.source.fetchall()
        chunk = self.rows[self._position:]
        self._position = len(self.rows)
        return chunk

    def fetch_arrow(self) -> Any:
        """The remaining rows as a ``pyarrow.Table``."""
        if self.source is not None:
            with warnings.catch_warnings():  # DuckDB notes the copy; the rows are pending
                warnings.simplefilter("ignore", UserWarning)
                return self.source.to_arrow_table()
        import pyarrow as pa

        names = [d[0] for d in self.description or ()]
        rows = self.fetchall()
        return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

    def fetch_df(self) -> Any:
        """The remaining rows as a pandas DataFrame (pandas must be installed)."""
        if self.source is not None:
            return self.source.fetchdf()
        return self.fetch_arrow().to_pandas()
