"""Sequence numbers: handed out once, never given back, never handed out twice.

Sequences are not transactional (Oracle's rule): a number drawn by a
transaction that rolls back is gone. What keeps a number from being handed
out twice, even after the process is killed, is the *mark* of each sequence
in ``helios.sequence_marks``: the first number not yet reserved on disk
(Oracle's LAST_NUMBER). A draw that needs numbers beyond the mark first moves
it (by CACHE numbers at a time, or exactly as many as needed with NOCACHE)
and commits that before any of the numbers can be used. Marks are written on
a DuckDB connection of their own, in transactions of their own, so the
caller's transaction is neither joined nor disturbed (only this module writes
that table). After a restart a sequence goes on from its mark: the numbers
that were reserved but not handed out are skipped, as in Oracle.

Every connection and thread of the process shares one counter per sequence,
guarded by a lock. A statement holds the locks of the sequences it draws from
while it computes its rows (``SequenceDraw``): the first number is fixed
before, the count is known after, and nobody else may draw in between.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from .backend import Backend
from .errors import DataError
from .sequences import SequenceInfo, block_params
from .translate import translate


@dataclass(slots=True)
class _Counter:
    """One sequence's state in this process."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next: int | None = None  # the next number to hand out (None: not read from disk yet)
    reserved: int = 0  # how many numbers from ``next`` on the mark already covers
    increment: int = 0  # the increment ``next`` was reached with


class SequenceDraw:
    """The numbers one statement draws: open while its sequences are locked.

    ``base(token)`` is the first number each sequence gives; ``take(n)`` hands out
    ``n`` numbers of every sequence (moving and committing marks as needed)
    and ends the draw.
    """

    def __init__(self, counters: SequenceCounters, infos: Sequence[SequenceInfo]):
        self._counters = counters
        self.infos = list(infos)
        self.taken: dict[int, int] = {}  # token -> last number handed out (after ``take``)
        self.done = False

    def base(self, info: SequenceInfo) -> int:
        counter = self._counters.counter(info.token)
        assert counter.next is not None
        return info.first_of(counter.next)

    def params(self, info: SequenceInfo, prefix: str) -> dict[str, int]:
        """The SQL parameters of this draw's block of ``info`` (``sequences.value_sql``)."""
        return block_params(info, self.base(info), prefix)

    def take(self, count: int) -> dict[int, int]:
        """Hand out ``count`` numbers of each sequence; returns the last number of each.
        ORA-08004 (nothing handed out) when a NOCYCLE sequence has fewer left."""
        if self.done:
            raise DataError("a statement draws its sequence numbers once")
        self.done = True
        if count <= 0:
            return {}
        for info in self.infos:
            first = self.base(info)
            if not info.cycle and info.steps_left(first) < count:
                raise DataError(f"sequence {info.name}.NEXTVAL {info.exhausted()} and "
                                "cannot be instantiated", code="ORA-08004")
        for info in self.infos:
            self.taken[info.token] = self._counters.hand_out(info, self.base(info), count)
        return self.taken

    def values(self, info: SequenceInfo, count: int) -> pa.Array:
        """The ``count`` numbers of ``info`` this draw starts with, as an Arrow array (for
        rows staged in Python; no loop over the numbers)."""
        # BIGINT where every number of the sequence fits, else Oracle's 28 digits.
        fits = info.min_value >= -2 ** 63 and info.max_value < 2 ** 63
        kind = pa.int64() if fits else pa.decimal128(38, 0)
        base, pieces = self.base(info), [pa.array([], kind)]
        while count > 0:
            length = min(count, info.steps_left(base))
            pieces.append(pa.array(range(base, base + info.increment * length, info.increment),
                                   kind))
            count -= length
            base = info.restart
        return pa.concat_arrays(pieces)


class SequenceCounters:
    """The counters of every sequence of one database, and the connection writing marks."""

    def __init__(self, backend: Backend):
        self._backend = backend
        self._counters: dict[int, _Counter] = {}
        self._guard = threading.Lock()  # the dict and the marks connection
        self._connection: duckdb.DuckDBPyConnection | None = None

    def counter(self, token: int) -> _Counter:
        with self._guard:
            counter = self._counters.get(token)
            if counter is None:
                counter = self._counters[token] = _Counter()
            return counter

    @contextmanager
    def draw(self, infos: Sequence[SequenceInfo]) -> Iterator[SequenceDraw]:
        """Lock ``infos`` (in one order, so two statements never wait for each other) and
        open a draw on them."""
        self._backend_writable()
        unique = {info.token: info for info in infos}
        with ExitStack() as locks:
            for token in sorted(unique):
                counter = self.counter(token)
                locks.enter_context(counter.lock)
                self._prepare(counter, unique[token])
            yield SequenceDraw(self, list(unique.values()))

    def restart(self, info: SequenceInfo, value: int) -> None:
        """ALTER SEQUENCE ... RESTART: the next number is ``value`` (at once, like a draw)."""
        self._backend_writable()
        counter = self.counter(info.token)
        with counter.lock:
            self._write_mark(info.token, value)
            counter.next, counter.reserved, counter.increment = value, 0, info.increment

    def current(self, info: SequenceInfo) -> int:
        """The last number handed out (before the first: the one before the start)."""
        counter = self.counter(info.token)
        with counter.lock:
            self._prepare(counter, info)
            assert counter.next is not None
            return counter.next - info.increment

    def last_numbers(self) -> dict[int, int]:
        """Every sequence's mark (Oracle's LAST_NUMBER), by token, as committed now."""
        with self._guard:
            rows = self._marks().execute(
                "SELECT token, last_number FROM helios.sequence_marks").fetchall()
        return dict(rows)

    def close(self) -> None:
        with self._guard:
            if self._connection is not None:
                self._backend.release_cursor(self._connection)
                self._connection = None

    # --- internals -------------------------------------------------------------------------

    def _backend_writable(self) -> None:
        if self._backend.read_only:
            raise DataError("sequence numbers cannot be drawn: the database is open read-only")

    def _prepare(self, counter: _Counter, info: SequenceInfo) -> None:
        """Read the counter's mark on first use; follow a changed INCREMENT BY (the next
        number is the last one plus the new increment, as in Oracle)."""
        if counter.next is None:
            with self._guard:
                row = self._marks().execute(
                    "SELECT last_number FROM helios.sequence_marks WHERE token = ?",
                    [info.token]).fetchone()
            counter.next = info.start if row is None else int(row[0])
            counter.increment = info.increment
        if counter.increment != info.increment:
            counter.next += info.increment - counter.increment
            counter.reserved, counter.increment = 0, info.increment

    def hand_out(self, info: SequenceInfo, first: int, count: int) -> int:
        """Move the counter past ``count`` numbers from ``first`` (the caller holds its lock
        and checked they exist); the mark moves first. Returns the last number."""
        counter = self.counter(info.token)
        assert counter.next is not None
        if first != counter.next:  # a CYCLE sequence starting again: nothing reserved there
            counter.reserved = 0
        if counter.reserved < count:
            ahead = max(count, info.cache or 1)
            if not info.cycle:
                ahead = min(ahead, info.steps_left(first))
            self._write_mark(info.token, info.advance(first, ahead))
            counter.reserved = ahead
        counter.next = info.advance(first, count)
        counter.reserved -= count
        return info.advance(first, count - 1)

    def _write_mark(self, token: int, mark: int) -> None:
        """Commit ``mark`` on the marks connection (its own DuckDB transaction)."""
        with self._guard:
            try:
                self._marks().execute(
                    "INSERT OR REPLACE INTO helios.sequence_marks VALUES (?, ?)", [token, mark])
            except duckdb.Error as exc:
                raise translate(exc, "reserve sequence numbers") from exc

    def _marks(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            self._connection = self._backend.new_cursor()
        return self._connection
