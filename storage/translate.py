"""DuckDB's exceptions, turned into heliosql errors that say what was asked."""

from __future__ import annotations

import re

import duckdb

from .catalog import TableInfo
from .errors import (
    AmbiguousColumn,
    ConstraintViolation,
    DataError,
    HeliosError,
    InvalidScn,
    InvalidTimestamp,
    NoSnapshot,
    NoSuchColumn,
    NoSuchFunction,
    ProgrammingError,
    StorageError,
)
from .suggest import did_you_mean
from .violations import duplicate_error, not_null_error, precision_error

_MISSING_COLUMN = re.compile(r'(?:Referenced column|Column) "([^"]+)" (?:not found|referenced '
                             r'that exists in the SELECT clause)'
                             r'|(?:Table|Values list) "[^"]+" does not have a column '
                             r'named "([^"]+)"')
_CANDIDATES = re.compile(r'Candidate bindings:[: ]*"(?:[^"]*\.)?([^".]+)"')
_AMBIGUOUS = re.compile(r'Ambiguous reference to column name "([^"]+)" \(use: (.*)\)')
_NO_TABLE_FUNCTION = re.compile(r'Table Function with name "?([^"!\s]+)"? does not exist')
_DID_YOU_MEAN = re.compile(r'Did you mean "([^"]+)"')
# A parameter value of a Python type DuckDB cannot bind (a set, an arbitrary object).
_PYTHON_VALUE = re.compile(r"python value of type '<class '([^']+)'>'", re.IGNORECASE)
_TOO_LARGE = re.compile(r"Python integer too large for \d+-bit integer type: (-?\d+)")
# SQL that raises an Oracle error itself (DuckDB's error('ORA-08181: ...')).
_ORACLE = re.compile(r"(ORA-\d{5}): (.*)")
_BY_CODE: dict[str, type[HeliosError]] = {
    "ORA-08180": NoSnapshot, "ORA-08181": InvalidScn, "ORA-08186": InvalidTimestamp,
    "ORA-01402": ConstraintViolation,  # WITH CHECK OPTION (heliosql/updatable_views.py)
}


def translate(exc: duckdb.Error, doing: str, tables: dict[int, TableInfo] | None = None,
              table: TableInfo | None = None) -> HeliosError:
    """A heliosql error for DuckDB's ``exc`` raised while ``doing`` (e.g. "insert into orders").

    ``tables`` (the catalog) and ``table`` (the table being written) let a violated
    key or NOT NULL column be named as Oracle names them (``violations.py``).
    """
    about = f"{doing}: " if doing != "query" else ""  # a query's error needs no prefix
    message = str(exc).split("\n", 1)[0]
    message = re.sub(r"^[A-Za-z ]+ Error: ", "", message)
    coded = _ORACLE.match(message)
    if coded:
        return _BY_CODE.get(coded[1], DataError)(coded[2], code=coded[1])
    too_large = _TOO_LARGE.search(message)
    if too_large:
        return DataError(f"{doing}: numeric overflow: {too_large[1]} is beyond DuckDB's "
                         "integers", code="ORA-01426")
    value_type = _PYTHON_VALUE.search(message)
    if value_type:
        return ProgrammingError(f"{doing}: a parameter of type {value_type[1]} cannot be bound "
                                "(pass None, a number, text, bytes, a date or time, or a list)")
    if isinstance(exc, duckdb.ConstraintException):
        known = tables or {}
        named = (not_null_error(exc, known, updating=doing.startswith("update"))
                 or duplicate_error(exc, known, table))
        return named or ConstraintViolation(f"{about}{message}")
    if isinstance(exc, duckdb.CatalogException):
        function = _NO_TABLE_FUNCTION.search(message)
        if function:
            guess = _DID_YOU_MEAN.search(str(exc))
            hint = did_you_mean(function[1], [guess[1]]) if guess else ""
            return NoSuchFunction(f"{about}table function {function[1]!r} does not exist{hint}",
                                  name=function[1])
    if isinstance(exc, duckdb.BinderException):
        ambiguous = _AMBIGUOUS.search(message)
        if ambiguous:
            choices = " or ".join(re.findall(r"'([^']+)'", ambiguous[2]))
            return AmbiguousColumn(f"{about}column {ambiguous[1]!r} is ambiguously defined "
                                   f"(qualify it: {choices})", name=ambiguous[1])
        missing = _MISSING_COLUMN.search(message)
        if missing:
            candidates = _CANDIDATES.search(str(exc))
            name = missing[1] or missing[2]
            hint = did_you_mean(name, [candidates[1]]) if candidates else ""
            return NoSuchColumn(f"{about}column {name!r} does not exist{hint}", name=name)
        if "not found" in message.lower():
            return NoSuchColumn(f"{about}{message}")
    if isinstance(exc, duckdb.ConversionException | duckdb.OutOfRangeException |
                  duckdb.InvalidInputException):
        return precision_error(exc) or DataError(f"{about}{message}")
    if isinstance(exc, duckdb.ParserException | duckdb.BinderException |
                  duckdb.CatalogException):
        return ProgrammingError(f"{about}{message}")
    return StorageError(f"{about}{message}")
