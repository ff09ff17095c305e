"""Committed sequence definitions, kept so a statement drawing numbers reads no catalog.

A statement naming ``s.NEXTVAL`` needs the definition of ``s`` in its own
snapshot. Every snapshot but that of a transaction that changed sequences
itself sees the committed definitions (a transaction holding the writer lock
is the only one that can commit, so a writing transaction's snapshot has the
committed sequence catalog too). Those are kept here by name, read once; a
transaction that runs sequence DDL is noted, reads the catalog itself, and
clears the cache once it has committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .sequences import SequenceInfo
from .transaction import State, Transaction

_ENDED = (State.COMMITTED, State.ROLLED_BACK, State.FAILED)


class DefinitionCache:
    """Sequence definitions as committed, by lower-case name (None: no such sequence)."""

    def __init__(self) -> None:
        self._entries: dict[str, SequenceInfo | None] = {}
        self._changers: list[Transaction] = []  # open transactions that ran sequence DDL
        self._version = 0  # moves when the cache is cleared
        self._lock = threading.Lock()

    def changed_by(self, tx: Transaction) -> None:
        """``tx`` ran sequence DDL: it reads the catalog itself from now on."""
        with self._lock:
            if tx not in self._changers:
                self._changers.append(tx)

    def get(self, name: str, tx: Transaction | None,
            read: Callable[[], SequenceInfo | None]) -> SequenceInfo | None:
        """The definition called ``name`` as ``tx`` sees it; ``read`` reads the catalog."""
        key = name.lower()
        with self._lock:
            self._forget_ended()
            if tx is not None and tx in self._changers:
                return read()
            if key in self._entries:
                return self._entries[key]
            version = self._version
        info = read()
        with self._lock:
            if version == self._version:  # no commit of sequence DDL in between
                self._entries[key] = info
        return info

    def _forget_ended(self) -> None:
        """Drop ended changers; the commit of one makes the cache stale."""
        for tx in list(self._changers):
            if tx.state in _ENDED:
                self._changers.remove(tx)
                if tx.state is State.COMMITTED:
                    self._entries.clear()
                    self._version += 1
