"""The line SQL*Plus prints after a statement: "Table created.", "3 rows updated.".

    >>> statement_feedback("UPDATE emp SET sal = 0", 3)
    '3 rows updated.'
    >>> statement_feedback("create or replace view v as select 1 from dual", -1)
    'View created.'
    >>> query_feedback(0, 6), query_feedback(1, 1), query_feedback(5, 6)
    ('no rows selected', '1 row selected.', None)

The statement is recognised by its first words; one that is not known prints
nothing rather than a guess.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"[A-Za-z_$#]+")
_ROWS = {"INSERT": "created", "UPDATE": "updated", "DELETE": "deleted", "MERGE": "merged"}
_VERBS = {"CREATE": "created", "DROP": "dropped", "ALTER": "altered", "TRUNCATE": "truncated"}
# Objects, as they may follow the verb (after OR REPLACE, GLOBAL TEMPORARY, UNIQUE ...).
_OBJECTS = {
    ("TABLE",): "Table", ("VIEW",): "View", ("INDEX",): "Index", ("SEQUENCE",): "Sequence",
    ("RESTORE", "POINT"): "Restore point", ("FLASHBACK", "ARCHIVE"): "Flashback archive",
}
_FIXED = {
    ("FLASHBACK", "TABLE"): "Flashback complete.",
    ("FLASHBACK", "TRANSACTION"): "Flashback complete.",
    ("SAVEPOINT",): "Savepoint created.",
    ("COMMIT",): "Commit complete.",
    ("ROLLBACK",): "Rollback complete.",
    ("RELEASE",): "Savepoint released.",
    ("BEGIN",): "Transaction started.",
    ("SET", "TRANSACTION"): "Transaction set.",
    ("PURGE", "TABLE"): "Table purged.",
    ("PURGE", "RECYCLEBIN"): "Recyclebin purged.",
    ("PURGE", "DBA_RECYCLEBIN"): "DBA Recyclebin purged.",
    ("ALTER", "SESSION"): "Session altered.",
}


def statement_feedback(sql: str, rowcount: int) -> str | None:
    """The feedback line for a statement that returned no rows, or None."""
    words = [w.upper() for w in _WORDS.findall(sql[:200])[:6]]
    if not words:
        return None
    if words[0] in _ROWS and rowcount >= 0:
        return f"{_count(rowcount)} {_ROWS[words[0]]}."
    for key, line in _FIXED.items():
        if tuple(words[: len(key)]) == key:
            return line
    if words[0] in _VERBS:
        for i in range(1, len(words)):
            for key, name in _OBJECTS.items():
                if tuple(words[i : i + len(key)]) == key:
                    return f"{name} {_VERBS[words[0]]}."
    return None


def query_feedback(rows: int, threshold: int) -> str | None:
    """After a query: "no rows selected", or the count once it reaches ``threshold``."""
    if rows == 0:
        return "no rows selected"
    return f"{_count(rows)} selected." if rows >= threshold else None


def _count(rows: int) -> str:
    return f"{rows} row{'' if rows == 1 else 's'}"
