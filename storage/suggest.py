"""Hints for a name that does not exist: a close existing name, or the recycle bin.

A name is suggested only when it is close: one name starting with the other,
or a small edit away (one edit for names of up to four letters, two up to
eight, three beyond; none for names of one or two letters). An unrelated name
is never offered, whatever else exists.

    >>> did_you_mean("ordrs", ["orders", "items"]), did_you_mean("zzzzz", ["emp"])
    ("; did you mean 'orders'?", '')
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalog import TableInfo


def distance(a: str, b: str) -> int:
    """Levenshtein distance: the insertions, deletions and substitutions from a to b."""
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


def close_enough(name: str, candidate: str) -> bool:
    a, b = name.lower(), candidate.lower()
    prefix = a.startswith(b) or b.startswith(a)
    if min(len(a), len(b)) <= 2:  # one letter changes everything in a short name
        return prefix
    if prefix:
        return True
    allowed = 1 if len(a) <= 4 else 2 if len(a) <= 8 else 3
    return distance(a, b) <= allowed


def did_you_mean(name: str, names: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``names`` that is close, or ``""``."""
    close = [n for n in names if n.lower() != name.lower() and close_enough(name, n)]
    if not close:
        return ""
    best = min(close, key=lambda n: (distance(name.lower(), n.lower()), n))
    return f"; did you mean {best!r}?"


def missing_table_hint(name: str, tables: dict[int, TableInfo]) -> str:
    """What to add to "table 'x' does not exist": where a dropped table of that name is,
    else a close live name."""
    dropped = [t for t in tables.values() if t.dropped_scn is not None and t.bin_name
               and t.name.lower() == name.lower()]
    if dropped:
        last = max(dropped, key=lambda t: t.dropped_scn or 0)
        return (f"; it was dropped at SCN {last.dropped_scn}: FLASHBACK TABLE {last.name} "
                "TO BEFORE DROP restores it")
    return did_you_mean(name, [t.name for t in tables.values() if t.dropped_scn is None])
