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


class Journal:
    """The calls of one transaction, in order, and a count of every call made."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.statement = ""  # the running statement, named in the entries it makes
        # Every call, recorded or failed: a call since a mark means the DuckDB
        # transaction may hold part of a statement (or be aborted by its error).
        self.calls = 0

    def __len__(self) -> int:
        return len(self.entries)

    def note_unrepeatable(self, reason: str) -> None:
        """Mark the last entry as one a second run would not repeat (``reason`` says why)."""
        if self.entries:
            last = self.entries[-1]
            self.entries[-1] = Entry(last.method, last.args, last.statement, reason)

    def obstacle(self, upto: int) -> tuple[int, Entry, str] | None:
        """The first of the first ``upto`` entries that cannot run again identically:
        (its index, the entry, why), or None."""
        for index, entry in enumerate(self.entries[:upto]):
            reason = entry.unrepeatable
            if reason is None and entry.method == "execute":
                function = unrepeatable(entry.text())
                reason = f"it calls {function}()" if function else None
            if reason is not None:
                return index, entry, reason
        return None

    def replay(self, connection: duckdb.DuckDBPyConnection, upto: int) -> None:
        """Run the first ``upto`` entries on ``connection`` and forget the others."""
        for entry in self.entries[:upto]:
            getattr(connection, entry.method)(*entry.args)
            if entry.method == "execute":
                _finish(connection)
        del self.entries[upto:]


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
        journal.entries.append(Entry("execute", (query, parameters), journal.statement))
        return self

    def register(self, name: str, data: Any) -> JournalingConnection:
        self._journal.calls += 1
        self._connection.register(name, data)
        # A reader can be read once; a second run could not read it again.
        reason = None if _rereadable(data) else "it read a stream of rows that is used up"
        self._journal.entries.append(Entry("register", (name, data), self._journal.statement,
                                           reason))
        return self

    def unregister(self, name: str) -> JournalingConnection:
        self._journal.calls += 1
        self._connection.unregister(name)
        self._journal.entries.append(Entry("unregister", (name,), self._journal.statement))
        return self

    def read(self, query: Any, parameters: Any = None) -> duckdb.DuckDBPyConnection:
        """Run a query that changes nothing (a SELECT): counted, not recorded."""
        self._journal.calls += 1
        return self._connection.execute(query, parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


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
