"""How names are shown by the data dictionary: Oracle's rule for quoted identifiers.

heliosql looks names up case-insensitively and keeps them as they were written
(``create table emp`` makes a table named ``emp``). Oracle's dictionary instead
shows a name written without quotes upper-cased and a quoted one exactly as
written, so scripts filter on ``table_name = 'EMP'``. The catalog therefore
records, next to each name, whether it was quoted; ``dictionary_name`` applies
the rule. The SQL parser marks a quoted identifier by returning a ``QuotedName``;
names given to the storage API are plain strings and count as unquoted.
"""

from __future__ import annotations


class QuotedName(str):
    """A name that was written in double quotes: the dictionary shows it as written."""

    __slots__ = ()


def is_quoted(name: str) -> bool:
    """Whether ``name`` was written in double quotes."""
    return isinstance(name, QuotedName)


def dictionary_name(name: str, quoted: bool) -> str:
    """The name as Oracle's dictionary shows it: upper-cased unless it was quoted."""
    return name if quoted else name.upper()


def dictionary_name_sql(name: str, quoted: str) -> str:
    """SQL for ``dictionary_name`` over a name column and its quoted flag column."""
    return f"CASE WHEN {quoted} THEN {name} ELSE upper({name}) END"
