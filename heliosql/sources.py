"""Table references as relations: the current table, AS OF, VERSIONS, FOR SYSTEM_TIME.

Each table reference of a statement becomes one ``Source``: SQL from the
storage engine's relation builders (``heliosql.storage.relations``) with the
temporal bounds already bound to SCNs, exposing the table's user columns plus
the pseudocolumns the statement refers to. The query compiler puts a unique
placeholder name in the FROM clause, and the placeholder is replaced by the
source's SQL when the statement text is generated. A source with a temporal
clause keeps its ``Read``, which gives the SQL anew, bounds bound again, for
a later execution of the same compiled query.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from heliosql.binding import TemporalBinder
from heliosql.compiler.kinds import TEMPORAL, Kind, kind_of_type
from heliosql.plan.temporal import (
    AsOf,
    SystemTimeAll,
    SystemTimeAsOf,
    SystemTimeBetween,
    SystemTimeContainedIn,
    SystemTimeFromTo,
    TransactionVersions,
    Versions,
)
from heliosql.storage import TableInfo, TemporalEngine
from heliosql.storage.errors import NotSupportedError
from heliosql.storage.sqltext import column_list, quote_ident
from heliosql.storage.temporary import has_copy
from heliosql.temporal_reads import (
    ORA_ROWSCN,
    PSEUDOCOLUMNS,
    VERSIONS_COLUMNS,
    AsOfRead,
    CurrentWithRowscn,
    Read,
    SystemTimeRead,
    TransactionRead,
    VersionsRead,
)

__all__ = ["ORA_ROWSCN", "PSEUDOCOLUMNS", "VERSIONS_COLUMNS", "Source", "SourceBuilder",
           "render"]

_placeholders = itertools.count()


@dataclass(frozen=True, slots=True)
class Source:
    """SQL for one FROM item, under a placeholder name, and the pseudocolumns it adds;
    ``read`` gives the SQL for a later execution (None: the SQL never changes).

    A table's relation has the table's ``columns``, then the ``pseudocolumns`` in
    this order (a statement selecting exactly these runs as the relation).
    """

    placeholder: str
    sql: str
    pseudocolumns: tuple[str, ...]
    columns: tuple[str, ...]
    read: Read | None = None


class SourceBuilder:
    """Builds the ``Source`` of every table reference of one statement."""

    def __init__(self, engine: TemporalEngine, binder: TemporalBinder, wanted: set[str],
                 session: int | None = None):
        self.engine = engine
        self.binder = binder
        self.session = session  # whose rows of global temporary tables are read
        self.wanted = set(wanted)  # lower-case pseudocolumn names the statement mentions
        self.sources: dict[str, Source] = {}
        # True once the SQL depends on more than the text, the catalog and the reads
        # (the current SCN in a system view or a function): such SQL must not be
        # reused by the next execution.
        self.volatile = False
        # The kinds of the columns of the tables read so far, by lower-case name: `d + 1`
        # on a date column adds days, as in Oracle (a date wins a name two tables share).
        self.column_kinds: dict[str, Kind] = {}

    def _add(self, sql: str, pseudo: tuple[str, ...], columns: tuple[str, ...],
             read: Read | None = None) -> Source:
        source = Source(f"__helios_src_{next(_placeholders)}", sql, pseudo, columns, read)
        self.sources[source.placeholder] = source
        return source

    def constant(self, sql: str, columns: tuple[str, ...]) -> Source:
        """A relation that is not a table (DUAL, V$DATABASE)."""
        self.volatile = True
        return self._add(sql, (), columns)

    def table(self, info: TableInfo, clause: Any, probe: str | None = None) -> Source:
        """The relation for ``info`` read as ``clause`` says (None: the current rows).

        ``probe`` is a ``key = value`` predicate every row the statement keeps
        satisfies (``heliosql.key_probes``): every temporal read applies it, looking
        the key up first, so the WHERE clause may leave it out.
        """
        self.note_columns(info)
        if info.temporary is not None:
            info = self._session_rows(info, clause)
        read = self._read(info, clause, probe)
        if read is None:
            sql = f"SELECT {column_list(info.column_names)} FROM {info.current}"
            return self._add(sql, (), info.column_names)
        return self._add(read.sql(self.engine, self.binder), read.pseudocolumns,
                         info.column_names, read)

    def _session_rows(self, info: TableInfo, clause: Any) -> TableInfo:
        """A global temporary table as this session reads it: its own rows, or (before it
        wrote any) the empty template. Which one can change, so nothing is reused."""
        if clause is not None:
            raise NotSupportedError(f"{info.name} is a global temporary table: it keeps no "
                                    "history, so it cannot be read with a flashback clause")
        self.volatile = True
        if self.session is not None and has_copy(self.engine.read_cursor(), info, self.session):
            return info.with_changes(session=self.session)
        return info

    def note_columns(self, info: TableInfo) -> None:
        """Remember the kinds of ``info``'s columns (for a table read, or a DML target)."""
        kinds = self.column_kinds
        for c in info.columns:
            kind = kind_of_type(c.type)
            if kind is not None and kinds.get(c.name.lower()) not in TEMPORAL:
                kinds[c.name.lower()] = kind

    def _read(self, info: TableInfo, clause: Any, probe: str | None) -> Read | None:
        rowscn = (ORA_ROWSCN,) if ORA_ROWSCN in self.wanted else ()
        versions = tuple(c for c in VERSIONS_COLUMNS if c in self.wanted)
        if clause is None:
            return CurrentWithRowscn(info) if rowscn else None
        if isinstance(clause, AsOf | SystemTimeAsOf):
            return AsOfRead(info, clause, probe, rowscn)
        if isinstance(clause, Versions):
            return VersionsRead(info, clause, probe, versions)
        if isinstance(clause, SystemTimeBetween | SystemTimeFromTo | SystemTimeContainedIn
                      | SystemTimeAll):
            return SystemTimeRead(info, clause, probe)
        if isinstance(clause, TransactionVersions):
            return TransactionRead(info, clause, probe, versions)
        raise NotSupportedError(f"unsupported temporal clause {type(clause).__name__}")


def render(sql: str, sources: dict[str, Source], fresh: dict[str, str] | None = None) -> str:
    """Replace each source placeholder in generated SQL by its parenthesised SQL
    (``fresh``: SQL for this execution by placeholder, in place of the sources' own)."""
    for placeholder, source in sources.items():
        text = fresh.get(placeholder, source.sql) if fresh else source.sql
        sql = sql.replace(quote_ident(placeholder), f"({text})")
    return sql
