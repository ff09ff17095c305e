"""The engine's sequence API: CREATE / ALTER / DROP SEQUENCE and drawing numbers.

Definitions live in ``helios.sequences`` and change in the caller's
transaction like every other definition (a rolled-back CREATE SEQUENCE leaves
nothing); they are read in the caller's snapshot, so a transaction sees its
own sequence DDL. Numbers come from ``sequence_counters.py`` and are not
transactional. Names are kept as ``sequences.sequence_name`` gives them and
compared case-insensitively; tables, views and sequences share one namespace
(ORA-00955).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import ddl, parsed
from .catalog import ColumnInfo, TableInfo
from .errors import NoSuchSequence, ProgrammingError, TableExists
from .sequence_counters import SequenceDraw
from .sequences import (
    IDENTITY_PREFIX,
    SequenceInfo,
    SequenceOptions,
    alter,
    default_sequence,
    define,
    nextval_default,
)
from .sqltext import quote_ident
from .staging import fetch_arrow
from .table import Identity
from .transaction import Transaction, autocommit

if TYPE_CHECKING:
    from .engine import TemporalEngine

_COLUMNS = ("name, token, start_value, increment_by, min_value, max_value, cycle, cache_size, "
            "ordered, owner, identity_table, generation")


class SequenceMixin:
    """Sequence methods of ``TemporalEngine``."""

    # --- reading -----------------------------------------------------------------------

    def sequences(self: TemporalEngine) -> list[SequenceInfo]:
        """Every sequence, as this thread's transaction sees them, by name."""
        return [_info(row) for row in self._catalog_rows(
            f"SELECT {_COLUMNS} FROM helios.sequences ORDER BY name")]

    def find_sequence(self: TemporalEngine, name: str) -> SequenceInfo | None:
        """The sequence called ``name`` (case-insensitive), or None."""
        def read() -> SequenceInfo | None:
            rows = self._catalog_rows(
                f"SELECT {_COLUMNS} FROM helios.sequences WHERE lower(name) = lower(?)", [name])
            return _info(rows[0]) if rows else None

        return self.sequence_definitions.get(name, self.current_transaction(), read)

    def sequence(self: TemporalEngine, name: str, position: int | None = None) -> SequenceInfo:
        """The sequence ``name``; ``NoSuchSequence`` (ORA-02289) if there is none."""
        info = self.find_sequence(name)
        if info is None:
            raise NoSuchSequence(f"sequence {name!r} does not exist"
                                 + self.suggest(name, [s.name for s in self.sequences()]),
                                 position=position)
        return info

    def _catalog_rows(self: TemporalEngine, sql: str, params: Any = None) -> list[tuple]:
        """Rows of a catalog query in this thread's snapshot, never journaled."""
        tx = self.current_transaction()
        if tx is not None and tx.writing:
            return tx.read(sql, params).fetchall()
        return parsed.execute(self.backend.cursor(), sql, params).fetchall()

    # --- DDL -------------------------------------------------------------------------------

    def create_sequence(self: TemporalEngine, name: str,
                        options: SequenceOptions | None = None) -> SequenceInfo:
        """``CREATE SEQUENCE name ...`` with Oracle's defaults and checks."""
        with autocommit(self) as tx:
            self.check_name_free(tx, name)
            info = define(name, _new_token(), options or SequenceOptions(), owner=tx.user)
            tx.run(f"create sequence {name}", lambda cur, scn: _save(cur, info, scn))
            self.sequence_definitions.changed_by(tx)
            return info

    def create_identity_sequence(self: TemporalEngine, tx: Transaction, cur: Any, scn: int,
                                 table_id: int, generation: str,
                                 options: SequenceOptions | None) -> SequenceInfo:
        """The sequence ``ISEQ$$_<table id>`` of an identity column, made inside the
        CREATE TABLE that declares the column."""
        info = define(f"{IDENTITY_PREFIX}{table_id}", _new_token(),
                      options or SequenceOptions(), owner=tx.user,
                      identity_table=table_id, generation=generation)
        _save(cur, info, scn)
        self.sequence_definitions.changed_by(tx)
        return info

    def add_sequence_column(self: TemporalEngine, tx: Transaction, cur: Any, scn: int,
                            info: TableInfo, column: ColumnInfo, identity: Identity | None
                            ) -> TableInfo:
        """ALTER TABLE ... ADD of a column filled from a sequence (an identity, or DEFAULT
        seq.NEXTVAL): each current row takes a number, as in Oracle, in place and without
        a new version (as any DEFAULT fills the current rows). Returns the table."""
        if identity is not None:
            if any(default_sequence(c.default) == f"{IDENTITY_PREFIX}{info.object_id}"
                   for c in info.columns):
                raise ProgrammingError("table can have only one identity column",
                                       code="ORA-30669")
            sequence = self.create_identity_sequence(tx, cur, scn, info.object_id,
                                                     identity.generation, identity.options)
            column = replace(column, default=nextval_default(sequence.name), not_null=True)
        else:
            sequence = self.sequence(default_sequence(column.default) or "")
        # NOT NULL needs a value in every current row at once: a placeholder, replaced.
        added = ddl.add_column(cur, info, replace(column, default="0") if column.not_null
                               else column)
        rows = fetch_arrow(tx.read(f"SELECT __rowid FROM {info.current}"))
        if rows.num_rows:
            with self.draw_sequences([sequence]) as draw:
                numbers = draw.values(sequence, rows.num_rows)
                draw.take(rows.num_rows)
            cur.register("__helios_numbers", rows.append_column("value", numbers))
            cur.execute(f"UPDATE {info.current} SET {quote_ident(column.name)} = n.value "
                        f"FROM __helios_numbers AS n WHERE {info.current}.__rowid = n.__rowid")
            cur.unregister("__helios_numbers")
        if column.not_null:
            cur.execute(f"ALTER TABLE {info.current} ALTER COLUMN {quote_ident(column.name)} "
                        "DROP DEFAULT")
            cur.execute("UPDATE helios.columns SET default_sql = ? WHERE object_id = ? "
                        "AND name = ? AND dropped_scn IS NULL",
                        [column.default, info.object_id, column.name])
        return added.with_changes(columns=(*info.columns, column))

    def alter_sequence(self: TemporalEngine, name: str, options: SequenceOptions
                       ) -> SequenceInfo:
        """``ALTER SEQUENCE name ...``: every option but START WITH, which needs RESTART.
        RESTART takes effect at once and is not undone by a rollback (numbers are not
        transactional)."""
        with autocommit(self) as tx:
            info = self.sequence(name)
            _refuse_identity(info, "alter", "ORA-32793")
            changed = alter(info, options, self.sequence_counters.current(info))
            tx.run(f"alter sequence {name}", lambda cur, scn: _update(cur, changed))
            self.sequence_definitions.changed_by(tx)
            if options.restart:
                self.sequence_counters.restart(changed, changed.start)
            return changed

    def drop_sequence(self: TemporalEngine, name: str) -> None:
        """``DROP SEQUENCE name``; ORA-02289 if there is none."""
        with autocommit(self) as tx:
            info = self.sequence(name)
            _refuse_identity(info, "drop", "ORA-32794")
            tx.run(f"drop sequence {name}", lambda cur, scn: cur.execute(
                "DELETE FROM helios.sequences WHERE token = ?", [info.token]))
            self.sequence_definitions.changed_by(tx)

    def check_name_free(self: TemporalEngine, tx: Transaction, name: str) -> None:
        """ORA-00955 when a table, view or sequence is called ``name``."""
        if (tx.find_table(name) is not None or name.lower() in tx.views
                or self.find_sequence(name) is not None):
            raise TableExists(f"name {name!r} is already used by an existing object")

    # --- numbers -----------------------------------------------------------------------

    @contextmanager
    def draw_sequences(self: TemporalEngine, infos: Sequence[SequenceInfo]
                       ) -> Iterator[SequenceDraw]:
        """Lock ``infos`` and open a draw on them (``SequenceDraw``): a statement fixes
        the first numbers, computes its rows and then ``take``s as many numbers."""
        with self.sequence_counters.draw(infos) as draw:
            yield draw

    def nextval(self: TemporalEngine, name: str) -> int:
        """The next number of sequence ``name`` (``name.NEXTVAL`` for one row)."""
        info = self.sequence(name)
        with self.draw_sequences([info]) as draw:
            return draw.take(1)[info.token]


def _new_token() -> int:
    return secrets.randbits(62)


def _info(row: tuple) -> SequenceInfo:
    (name, token, start, increment, min_value, max_value, cycle, cache, ordered, owner,
     table, generation) = row
    return SequenceInfo(name, token, int(start), int(increment), int(min_value),
                        int(max_value), cycle, cache, ordered, owner, table, generation)


def _save(cur: Any, info: SequenceInfo, scn: int) -> None:
    cur.execute(
        f"INSERT INTO helios.sequences ({_COLUMNS}, created_scn) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [info.name, info.token, info.start, info.increment, info.min_value, info.max_value,
         info.cycle, info.cache, info.order, info.owner, info.identity_table, info.generation,
         scn])


def _update(cur: Any, info: SequenceInfo) -> None:
    cur.execute(
        "UPDATE helios.sequences SET start_value = ?, increment_by = ?, min_value = ?, "
        "max_value = ?, cycle = ?, cache_size = ?, ordered = ? WHERE token = ?",
        [info.start, info.increment, info.min_value, info.max_value, info.cycle, info.cache,
         info.order, info.token])


def _refuse_identity(info: SequenceInfo, verb: str, code: str) -> None:
    if info.identity_table is not None:
        raise ProgrammingError(f"cannot {verb} a system-generated sequence ({info.name} "
                               "belongs to an identity column)", code=code)
