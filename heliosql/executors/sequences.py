"""Sequences: their DDL, and how a statement draws its numbers.

A statement that names ``seq.NEXTVAL`` (or writes a column whose default or
identity takes one) draws one block of numbers per sequence: ``drawing``
locks the sequences and fixes each block's first number, the statement
computes its rows with the numbers in them (``compiler/sequences.py``), and
``StatementDraw.counted`` hands out exactly as many numbers as it has rows,
committing the sequences' marks, before any row is written or returned
(``storage/sequence_counters.py``). The writer lock is taken first, so a
statement holding a sequence never waits for another transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from heliosql.compile import Compilation, Params
from heliosql.compiler.sequences import row_number
from heliosql.plan import statements
from heliosql.plan.ddl import ColumnDef
from heliosql.plan.expressions import DefaultValue
from heliosql.plan.sequences import (
    AlterSequence,
    CreateSequence,
    DropSequence,
    SequenceOption,
    SequenceOptionKind,
    SequenceValue,
)
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage import TableInfo
from heliosql.storage.errors import NoSuchSequence, ProgrammingError
from heliosql.storage.sequence_counters import SequenceDraw
from heliosql.storage.sequences import (
    SequenceInfo,
    SequenceOptions,
    default_sequence,
    nextval_default,
)
from heliosql.storage.table import Identity

K = SequenceOptionKind


def run_CreateSequence(session: Session, stmt: CreateSequence, params: Params) -> Result:
    session.engine.create_sequence(stmt.name, sequence_options(stmt.options))
    return Result(rowcount=0)


def run_AlterSequence(session: Session, stmt: AlterSequence, params: Params) -> Result:
    session.engine.alter_sequence(stmt.name, sequence_options(stmt.options))
    return Result(rowcount=0)


def run_DropSequence(session: Session, stmt: DropSequence, params: Params) -> Result:
    session.engine.drop_sequence(stmt.name)
    return Result(rowcount=0)


def sequence_options(options: tuple[SequenceOption, ...]) -> SequenceOptions:
    """The storage engine's options from the statement's (each given at most once)."""
    given = {option.kind: option.value for option in options}

    def either(yes: SequenceOptionKind, no: SequenceOptionKind) -> bool | None:
        return True if yes in given else False if no in given else None

    return SequenceOptions(
        start=given.get(K.START), increment=given.get(K.INCREMENT),
        min_value=given.get(K.MINVALUE), max_value=given.get(K.MAXVALUE),
        no_min=K.NOMINVALUE in given, no_max=K.NOMAXVALUE in given,
        cycle=either(K.CYCLE, K.NOCYCLE), order=either(K.ORDER, K.NOORDER),
        cache=0 if K.NOCACHE in given else given.get(K.CACHE), restart=K.RESTART in given)


@dataclass
class StatementDraw:
    """A statement's numbers: the DuckDB parameters (the user's and the blocks'), and
    ``counted`` to hand the statement's storage call (None when it draws nothing)."""

    params: dict[str, Any]
    session: Session
    draw: SequenceDraw | None = None

    @property
    def counted(self) -> Any:
        return None if self.draw is None else self.take

    def take(self, rows: int) -> None:
        """Hand out ``rows`` numbers of each sequence; they become the session's CURRVAL."""
        assert self.draw is not None
        self.session.sequence_values.update(self.draw.take(rows))


@contextmanager
def drawing(session: Session, compilation: Compilation, *, writes: bool
            ) -> Iterator[StatementDraw]:
    """Open the draw of a compiled statement (``writes``: it writes, so it takes the writer
    lock first)."""
    infos = compilation.sequences.drawn
    if not infos:
        yield StatementDraw(compilation.bound_params(), session)
        return
    if writes and session.transaction is not None:
        session.transaction.begin_write()
    with session.engine.draw_sequences(infos) as draw:
        yield StatementDraw(compilation.bound_params(draw), session, draw)


def run_drawing_query(session: Session, stmt: statements.QueryStatement,
                      params: Params) -> Result:
    """A SELECT statement naming a sequence: compiled at each execution, its rows fetched
    before the numbers they hold are handed out (and then returned)."""
    compilation = session.compilation(stmt, params)
    sql = compilation.query(stmt.query, statement=True, numbered=True)
    with drawing(session, compilation, writes=False) as draw:
        result = session.query(sql, draw.params, fetch=True)
        if draw.counted is not None:
            draw.take(len(result.rows))
    return result


@dataclass(frozen=True)
class _Generated:
    """A column whose values come from a sequence: ``DEFAULT seq.NEXTVAL`` or an identity."""

    name: str
    sequence: SequenceInfo

    @property
    def always(self) -> bool:
        return self.sequence.generation == "ALWAYS"

    @property
    def on_null(self) -> bool:
        return self.sequence.generation == "BY DEFAULT ON NULL"


class GeneratedColumns:
    """How one INSERT (or MERGE insert clause) fills a table's sequence-generated columns.

    A generated column the statement leaves out takes the row's next number; a
    ``BY DEFAULT ON NULL`` identity given NULL takes it too; an ``ALWAYS``
    identity cannot be given a value (ORA-32795), only DEFAULT.
    """

    def __init__(self, compilation: Compilation, info: TableInfo, columns: list[str]):
        self._compilation = compilation
        self.columns = columns
        found = {}
        listed = {c.lower() for c in columns}
        for column in info.columns:
            name = default_sequence(column.default)
            if name is None:
                continue
            try:
                sequence = compilation.sequences.sequence(name)
            except NoSuchSequence:
                if column.name.lower() in listed:  # a default not needed (identities'
                    continue  # sequences cannot be dropped)
                raise
            found[column.name.lower()] = _Generated(column.name, sequence)
        self._given = {i: found[c.lower()] for i, c in enumerate(columns) if c.lower() in found}
        self.missing = [g for key, g in found.items() if key not in listed]

    @property
    def any(self) -> bool:
        return bool(self._given or self.missing)

    def check_given(self, values: Iterable[Any] | None, position: int | None) -> None:
        """ORA-32795 when a value other than DEFAULT is given to an ALWAYS identity;
        ``values``: one row's plan values (None: the rows of a query)."""
        row = list(values) if values is not None else None
        for index, generated in self._given.items():
            value = row[index] if row is not None else None
            if generated.always and not isinstance(value, DefaultValue):
                raise ProgrammingError(
                    f"cannot insert into a generated always identity column "
                    f"({generated.name})", code="ORA-32795",
                    position=getattr(getattr(value, "span", None), "start", position))

    def values(self, given: list[str]) -> list[str]:
        """SQL of one row's values (in the compilation's numbered block): ``given`` for the
        listed columns (ON NULL identities wrapped), then the left-out columns'."""
        values = list(given)
        for index, generated in self._given.items():
            if generated.on_null:
                values[index] = f"COALESCE({values[index]}, {self._next(generated)})"
        return values + [self._next(g) for g in self.missing]

    def all_columns(self) -> list[str]:
        """The columns ``values`` gives values for."""
        return self.columns + [g.name for g in self.missing]

    def query(self, select: str) -> str:
        """``select`` (an INSERT's query) with the generated values, numbered by row."""
        names = [f'"__c{i}"' for i in range(len(self.columns))]
        with self._compilation.sequences.numbered(row_number()):
            items = self.values([f"__g.{n}" for n in names])
        return f"SELECT {', '.join(items)} FROM ({select}) AS __g({', '.join(names)})"

    def table(self, session: Session, rows: pa.Table) -> pa.Table:
        """``rows`` (an ``executemany``'s parameters, one column per listed column) with the
        generated values, drawn here: one number per row and sequence."""
        infos = [g.sequence for g in [*self._given.values(), *self.missing]]
        if session.transaction is not None:
            session.transaction.begin_write()  # the writer lock before the sequences'
        with session.engine.draw_sequences(infos) as draw:
            numbers = {info.token: draw.values(info, rows.num_rows) for info in infos}
            session.sequence_values.update(draw.take(rows.num_rows))
        for index, generated in self._given.items():
            if generated.on_null:
                given = rows.column(index)
                drawn = numbers[generated.sequence.token]
                if given.type != pa.null():
                    drawn = drawn.cast(given.type)
                rows = rows.set_column(index, rows.field(index), pc.coalesce(given, drawn))
        for generated in self.missing:
            rows = rows.append_column(generated.name, numbers[generated.sequence.token])
        return rows

    def _next(self, generated: _Generated) -> str:
        return self._compilation.sql(self._compilation.sequences.next_value(generated.sequence))


def refuse_always_update(compilation: Compilation, info: TableInfo, columns: Iterable[str],
                         position: int | None) -> None:
    """ORA-32796: an ALWAYS identity column cannot be updated."""
    wanted = {c.lower() for c in columns}
    for column in info.columns:
        name = default_sequence(column.default)
        if name is None or column.name.lower() not in wanted:
            continue
        if compilation.sequences.sequence(name).generation == "ALWAYS":
            raise ProgrammingError(f"cannot update a generated always identity column "
                                   f"({column.name})", code="ORA-32796", position=position)


def sequence_default(compilation: Compilation, default: str | None) -> str | None:
    """SQL for DEFAULT of a column whose default is ``seq.NEXTVAL`` (None for another)."""
    name = default_sequence(default)
    if name is None:
        return None
    sequences = compilation.sequences
    return compilation.sql(sequences.next_value(sequences.sequence(name)))


def column_default(session: Session, default: Any) -> str | None:
    """The DEFAULT text of a column defined ``DEFAULT seq.NEXTVAL`` (the sequence must
    exist, ORA-02289), or None for any other default."""
    if not isinstance(default, SequenceValue) or not default.next:
        return None
    position = default.span.start if default.span is not None else None
    return nextval_default(session.engine.sequence(default.sequence[-1], position).name)


def column_identity(column: ColumnDef) -> Identity | None:
    """The storage engine's identity of a column defined ``GENERATED ... AS IDENTITY``."""
    if column.identity is None:
        return None
    return Identity(column.identity.generation, sequence_options(column.identity.options))
