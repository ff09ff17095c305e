"""What a write transaction did to its DuckDB transaction, so part of it can be undone.

DuckDB has no savepoints, and any error aborts its whole transaction. Oracle's
rule is kinder: a failed statement undoes only itself. A transaction therefore
keeps a journal of the calls that changed its DuckDB transaction (statements
with their parameters, Arrow tables registered and unregistered). To undo the
calls after a mark, the DuckDB transaction is rolled back and the journal is
run again up to the mark::

    journal   [c1 c2 c3 | c4 c5 ✗]      statement 2 (c4, c5, ...) fails
    rebuild   ROLLBACK; BEGIN; c1 c2 c3  same state as before statement 2

The re-run starts from the same committed state as the first run (the
transaction holds the writer lock from its first write, so no other writer
committed in between) and runs the same SQL with the same parameters, so it
reaches the same state: every value that could differ (the statement time,
sequence numbers, random values) is pinned before it reaches DuckDB, or the
statement is marked unrepeatable and a later rebuild refuses to pass it.

An error-free transaction pays one list append per call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb

# Functions whose value a second run would not repeat. heliosql pins the statement
# time itself (``clock.py``); these are what can still reach DuckDB in user SQL.
_UNREPEATABLE = re.compile(
    r"\b(random|gen_random_uuid|uuid|uuidv4|uuidv7|setseed|nextval|currval|now|today"
    r"|get_current_timestamp|get_current_time|transaction_timestamp|current_localtimestamp)"
    r"\s*\(|\b(current_timestamp|current_date|current_time|localtimestamp|localtime)\b",
    re.IGNORECASE)
# A table definition evaluates none of its DEFAULT expressions.
_DEFINITION = re.compile(r"\s*CREATE\s+(?:TEMP\w*\s+)?TABLE\s+[^(\s]+\s*\(", re.IGNORECASE)
_verdicts: dict[str, str | None] = {}


def unrepeatable(sql: str) -> str | None:
    """The function in ``sql`` whose value a second run would not repeat, or None."""
    verdict = _verdicts.get(sql, "")
    if verdict == "":
        found = None if _DEFINITION.match(sql) else _UNREPEATABLE.search(sql)
        verdict = (found[1] or found[2]).lower() if found else None
        if len(_verdicts) > 4096:
            _verdicts.clear()
        _verdicts[sql] = verdict
    return verdict


@dataclass(frozen=True, slots=True)
class Entry:
    """One call on the transaction's connection: ``method(*args)``."""

    method: str  # "execute", "register" or "unregister"
    args: tuple[Any, ...]
    statement: str  # the statement it was part of, as the user wrote it (for messages)
    unrepeatable: str | None = None  # why running it again would give another result

    def text(self) -> str:
        """The SQL text of an ``execute`` (empty for the other calls)."""
        if self.method != "execute":
            return ""
        query = self.args[0]
        return query if isinstance(query, str) else query.query  # a parsed duckdb.Statement


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The transaction's state after its first ``position`` entries, as calls that
    rebuild it from the committed state without running those entries again."""

    position: int
    entries: tuple[Entry, ...]


class Journal:
    """The calls of one transaction, in order, and a count of every call made.

    ``pure`` is set while a call comes from an operation that only changes rows
    of versioned tables (DML): while every entry is such, a ``Checkpoint`` can
    stand for them (``checkpoints.py``).
    """

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.statement = ""  # the running statement, named in the entries it makes
        # Every call, recorded or failed: a call since a mark means the DuckDB
        # transaction may hold part of a statement (or be aborted by its error).
        self.calls = 0
        self.pure = False
        self.impure_from: int | None = None  # the first entry not made by DML
        self.checkpoint: Checkpoint | None = None
        self.scanned = 0  # entries already looked at by ``unrepeatable_since_scan``

    def __len__(self) -> int:
        return len(self.entries)

    def append(self, method: str, args: tuple[Any, ...], unrepeatable: str | None = None
               ) -> None:
        if not self.pure and self.impure_from is None:
            self.impure_from = len(self.entries)
        self.entries.append(Entry(method, args, self.statement, unrepeatable))

    def capturable(self) -> bool:
        """Whether every entry so far only changed rows of versioned tables."""
        return self.impure_from is None

    def _start(self, upto: int) -> int:
        """Where a rebuild up to ``upto`` starts running entries: after the checkpoint,
        if there is one within reach."""
        checkpoint = self.checkpoint
        return checkpoint.position if checkpoint and checkpoint.position <= upto else 0

    def obstacle(self, upto: int) -> tuple[Entry, str] | None:
        """The first entry a rebuild up to ``upto`` would run that cannot run again
        identically, and why; or None."""
        for entry in self.entries[self._start(upto):upto]:
            reason = _why_unrepeatable(entry)
            if reason is not None:
                return entry, reason
        return None

    def unrepeatable_since_scan(self) -> bool:
        """Whether an entry made since the last call cannot run again identically."""
        new = self.entries[self.scanned:]
        self.scanned = len(self.entries)
        return any(_why_unrepeatable(entry) is not None for entry in new)

    def replay(self, connection: duckdb.DuckDBPyConnection, upto: int) -> int:
        """Rebuild the state after the first ``upto`` entries on ``connection`` (in a new
        DuckDB transaction) and forget the later entries; returns how many entries ran."""
        start = self._start(upto)
        calls = list(self.checkpoint.entries) if start else []
        calls += self.entries[start:upto]
        for entry in calls:
            getattr(connection, entry.method)(*entry.args)
            if entry.method == "execute":
                _finish(connection)
        self.truncate(upto)
        return upto - start

    def truncate(self, upto: int) -> None:
        """Forget the entries after the first ``upto``."""
        del self.entries[upto:]
        if self.checkpoint is not None and self.checkpoint.position > upto:
            self.checkpoint = None
        if self.impure_from is not None and self.impure_from >= upto:
            self.impure_from = None
        self.scanned = min(self.scanned, upto)


class JournalingConnection:
    """Wraps the transaction's DuckDB connection: calls that change the transaction
    are recorded in the journal; everything else passes through."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, journal: Journal):
        self._connection = connection
        self._journal = journal

    def execute(self, query: Any, parameters: Any = None) -> JournalingConnection:
        journal = self._journal
        journal.calls += 1
        self._connection.execute(query, parameters)
        journal.append("execute", (query, parameters))
        return self

    def register(self, name: str, data: Any) -> JournalingConnection:
        self._journal.calls += 1
        self._connection.register(name, data)
        # A reader can be read once; a second run could not read it again.
        reason = None if _rereadable(data) else "it read a stream of rows that is used up"
        self._journal.append("register", (name, data), reason)
        return self

    def unregister(self, name: str) -> JournalingConnection:
        self._journal.calls += 1
        self._connection.unregister(name)
        self._journal.append("unregister", (name,))
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


def _why_unrepeatable(entry: Entry) -> str | None:
    if entry.unrepeatable is not None or entry.method != "execute":
        return entry.unrepeatable
    function = unrepeatable(entry.text())
    return f"it calls {function}()" if function else None


def _finish(connection: duckdb.DuckDBPyConnection) -> None:
    """Run a statement's result to its end unread (DuckDB refuses some calls, such as
    ``register``, while a result is pending)."""
    complete = getattr(connection, "complete", None)  # DuckDB 2
    if complete is not None:
        complete()
    else:
        connection.fetchall()


def _rereadable(data: Any) -> bool:
    """Whether DuckDB can scan ``data`` again (a table or frame, not a one-shot reader)."""
    kind = type(data).__name__
    return "Reader" not in kind and "Iterator" not in kind
