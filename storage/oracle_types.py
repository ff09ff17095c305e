"""A column's declared Oracle type: the limits it puts on values, and how the dictionary
shows it.

DuckDB ignores VARCHAR lengths, so the lengths Oracle enforces are checked by
heliosql after each write (``integrity.py``): ORA-12899 for a string longer than
its column allows. ``NUMBER(p,s)`` is a DuckDB DECIMAL, which rounds to s digits
(half away from zero) and refuses more digits than p allows (translated to
ORA-01438). ``NUMBER(p)`` (p <= 18) is stored as BIGINT, and a value written to
it goes through ``DECIMAL(p,0)`` first (``dml.stored``) for the same rounding and
the same refusal.

Lengths count bytes of the UTF-8 text for ``VARCHAR2(n)``/``VARCHAR2(n BYTE)``/
``CHAR(n)`` (Oracle's default length semantics, BYTE) and characters for
``VARCHAR2(n CHAR)``, ``NVARCHAR2(n)`` and ``NCHAR(n)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sqltext import quote_ident

_DECLARED = re.compile(
    r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\(\s*(?P<p>\d+)\s*(?:,\s*(?P<s>-?\d+)\s*)?(?P<unit>CHAR|BYTE)?\s*\))?"
    r"(?P<rest>.*)$", re.IGNORECASE)

_CHARACTER = {"VARCHAR2", "VARCHAR", "CHAR", "CHARACTER", "NVARCHAR2", "NCHAR"}
_NATIONAL = {"NVARCHAR2", "NCHAR"}
_FIXED = {"CHAR", "CHARACTER", "NCHAR"}  # a missing length means 1
BIGINT_DIGITS = 18  # NUMBER(p) with p up to this is a BIGINT (heliosql/types.py)
# Bytes a character may take in AL32UTF8, Oracle's DATA_LENGTH for CHAR semantics.
_MAX_CHAR_BYTES = 4


@dataclass(frozen=True, slots=True)
class Declared:
    """A declared type, parsed: ``VARCHAR2(10 CHAR)`` -> name VARCHAR2, length 10, CHAR."""

    name: str
    precision: int | None = None  # the first parameter (a length for character types)
    scale: int | None = None
    unit: str | None = None  # "CHAR" or "BYTE" as written
    rest: str = ""  # what follows, upper-cased (WITH TIME ZONE)

    @property
    def character(self) -> bool:
        return self.name in _CHARACTER

    @property
    def length(self) -> int | None:
        """A character or RAW type's maximum length (CHAR without one is CHAR(1))."""
        if self.name in _CHARACTER or self.name == "RAW":
            return self.precision if self.precision is not None else (
                1 if self.name in _FIXED else None)
        return None

    @property
    def counts_chars(self) -> bool:
        """Whether the length counts characters (else bytes)."""
        return self.name in _NATIONAL or (self.unit or "").upper() == "CHAR"


def parse_declared(text: str | None) -> Declared | None:
    """``text`` (as the SQL front end records it) parsed, or None."""
    if not text:
        return None
    match = _DECLARED.match(text)
    if match is None:
        return None
    scale = match["s"]
    return Declared(" ".join(match["name"].upper().split()),
                    int(match["p"]) if match["p"] else None,
                    int(scale) if scale is not None else None,
                    match["unit"].upper() if match["unit"] else None,
                    " ".join(match["rest"].upper().split()))


@dataclass(frozen=True, slots=True)
class Limit:
    """A limit heliosql checks on a column: ``violated`` is SQL true for a bad value."""

    column: str
    maximum: int  # the most characters or bytes a value may have (ORA-12899)
    measure: str = "strlen"  # DuckDB's length function: strlen (bytes), length, octet_length

    @property
    def violated(self) -> str:
        return f"{self.measure}({quote_ident(self.column)}) > {self.maximum}"

    def actual(self, value: object) -> int:
        """The length of a bad value, as the message gives it."""
        if isinstance(value, bytes):
            return len(value)
        text = str(value)
        return len(text) if self.measure == "length" else len(text.encode())


def column_limit(column: str, declared: str | None) -> Limit | None:
    """The length limit heliosql checks for a column declared ``declared``, if any."""
    parsed = parse_declared(declared)
    length = parsed.length if parsed is not None else None
    if parsed is None or length is None:
        return None
    if parsed.name == "RAW":
        return Limit(column, length, "octet_length")
    return Limit(column, length, "length" if parsed.counts_chars else "strlen")


def integer_digits(declared: str | None, duckdb_type: str) -> int | None:
    """p for a column declared ``NUMBER(p)`` and stored as BIGINT, else None."""
    if duckdb_type.upper() != "BIGINT" or not declared:
        return None
    parsed = parse_declared(declared)
    if (parsed is None or parsed.name != "NUMBER" or parsed.precision is None or parsed.scale
            or parsed.precision > BIGINT_DIGITS):
        return None
    return parsed.precision


@dataclass(frozen=True, slots=True)
class DictionaryType:
    """A column's type as Oracle's dictionary shows it (USER_TAB_COLUMNS)."""

    data_type: str
    length: int | None
    precision: int | None = None
    scale: int | None = None
    char_length: int | None = None
    char_used: str | None = None  # "B" or "C" for character types


_NUMBER_LENGTH = 22
_FIXED_LENGTHS = {"DATE": 7, "BINARY_FLOAT": 4, "BINARY_DOUBLE": 8, "CLOB": 4000,
                  "NCLOB": 4000, "BLOB": 4000, "LONG": 0, "BOOLEAN": 1}


def dictionary_type(declared: str | None, duckdb_type: str) -> DictionaryType:
    """How the dictionary shows a column declared as ``declared`` (None: a column made
    through the storage API, known by its DuckDB type). Oracle's and ANSI type names
    are shown as Oracle shows them; DuckDB's own types by their DuckDB names."""
    parsed = parse_declared(declared) or parse_declared(duckdb_type)
    if parsed is None:
        return DictionaryType(duckdb_type.upper(), None)
    name, p, s = parsed.name, parsed.precision, parsed.scale
    if name in _CHARACTER and (p is not None or name in _FIXED):
        length = parsed.length or 1
        shown = {"VARCHAR": "VARCHAR2", "CHARACTER": "CHAR"}.get(name, name)
        if name in _NATIONAL:
            return DictionaryType(shown, 2 * length, char_length=length, char_used="C")
        if parsed.counts_chars:
            return DictionaryType(shown, min(_MAX_CHAR_BYTES * length, 32767),
                                  char_length=length, char_used="C")
        return DictionaryType(shown, length, char_length=length, char_used="B")
    if name in ("NUMBER", "DECIMAL", "NUMERIC", "DEC"):
        if name != "NUMBER" and p is None:
            p = 38
        return DictionaryType("NUMBER", _NUMBER_LENGTH, p, s if s is not None else (
            0 if p is not None else None))
    if declared is not None and name in ("INTEGER", "INT", "SMALLINT"):
        return DictionaryType("NUMBER", _NUMBER_LENGTH, None, 0)
    if name in ("FLOAT", "REAL", "DOUBLE") and declared is not None:
        bits = p if p is not None else (63 if name == "REAL" else 126)
        return DictionaryType("FLOAT", _NUMBER_LENGTH, bits)
    if name == "TIMESTAMP":
        digits = 6 if p is None else p
        zone = {"WITH TIME ZONE": 13, "WITH LOCAL TIME ZONE": 11}
        length = zone.get(parsed.rest, 11)
        suffix = f" {parsed.rest}" if parsed.rest in zone else ""
        return DictionaryType(f"TIMESTAMP({digits}){suffix}", length, None, digits)
    if name == "RAW" and p is not None:
        return DictionaryType("RAW", p)
    if name in _FIXED_LENGTHS and (declared is not None or name in ("BLOB", "BOOLEAN")):
        return DictionaryType(name, _FIXED_LENGTHS[name])
    return DictionaryType(duckdb_type.upper(), None)
