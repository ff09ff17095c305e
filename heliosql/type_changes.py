"""Oracle's rules for ``ALTER TABLE ... MODIFY c <type>``, as a storage ``TypeChange``.

Oracle lets a column's type change freely while the column holds no value
(every row NULL), and with values only in ways that lose nothing:

* a NUMBER may grow (precision up, scale up with the integer digits kept, or
  to an unconstrained NUMBER / FLOAT); any decrease is ORA-01440;
* a character or RAW column may get any length its current values fit
  (ORA-01441 when one is longer);
* DATE may become TIMESTAMP or TIMESTAMP WITH LOCAL TIME ZONE, and the latter
  DATE; a TIMESTAMP or INTERVAL may gain fractional or leading digits
  (fewer: ORA-01440);
* a LONG may become a CLOB; no other type becomes a LOB (ORA-22858) and a LOB
  becomes nothing else (ORA-22859);
* any other change of type needs an empty column (ORA-01439).

The old type is the column's declared type when the statement that made it
wrote one, else its DuckDB type read as the closest Oracle type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from heliosql.parser import parse_one
from heliosql.plan import Cast, QueryStatement, Select, TypeName
from heliosql.storage import Refusal, TypeChange
from heliosql.storage.catalog import ColumnInfo
from heliosql.storage.errors import HeliosError, ProgrammingError
from heliosql.types import duckdb_type_name, spelling

_CHANGE_TYPE = Refusal("ORA-01439", "column to be modified must be empty to change datatype")
_DECREASE = Refusal("ORA-01440",
                    "column to be modified must be empty to decrease precision or scale")
_CHARACTERS = {"CHAR", "NCHAR", "VARCHAR", "VARCHAR2", "NVARCHAR2", "CHARACTER"}
_FLOATING = {"FLOAT", "REAL", "DOUBLE"}
_LOBS = {"clob", "blob"}
# DuckDB's integer types as NUMBER(p): the digits each holds.
_INTEGER_DIGITS = {"TINYINT": 3, "SMALLINT": 5, "INTEGER": 10, "INT": 10, "BIGINT": 19,
                   "HUGEINT": 38}
_DUCKDB = {"DOUBLE": "NUMBER", "VARCHAR": "VARCHAR", "BLOB": "BLOB", "TIMESTAMPTZ":
           "TIMESTAMP WITH LOCAL TIME ZONE", "FLOAT": "BINARY_FLOAT"}
_WIDENING = {("date", "timestamp"), ("date", "tsltz"), ("tsltz", "date"), ("long", "clob")}
_INTERVAL_FIELDS = re.compile(r"(\w+)(?:\((\d+)\))?(?: TO (\w+)(?:\((\d+)\))?)?")


@dataclass(frozen=True, slots=True)
class _Kind:
    """A type as Oracle's MODIFY rules see it: a family and its sizes (None: unbounded)."""

    family: str
    size: int | None = None  # precision, length, or leading field digits
    scale: int | None = None  # scale, or fractional second digits


def _kind(t: TypeName) -> _Kind:
    name = t.name.upper()
    params = t.params
    if name in ("NUMBER", "DECIMAL", "NUMERIC", "DEC"):
        if not params or (params[0] is None and len(params) == 1):
            return _Kind("number")
        return _Kind("number", 38 if params[0] is None else params[0],
                     params[1] if len(params) > 1 else 0)
    if name in _INTEGER_DIGITS:
        return _Kind("number", 38, 0)  # Oracle's INTEGER, INT, SMALLINT: NUMBER(38)
    if name in _FLOATING:
        return _Kind("number")
    if name in _CHARACTERS:
        return _Kind("char", params[0] if params else None)
    if name == "RAW":
        return _Kind("raw", params[0] if params else None)
    if name in ("CLOB", "NCLOB"):
        return _Kind("clob")
    if name in ("TIMESTAMP", "INTERVAL"):
        return _datetime_kind(t, name)
    return _Kind(name.lower())  # DATE, LONG, BLOB, BINARY_FLOAT, BOOLEAN ...


def _datetime_kind(t: TypeName, name: str) -> _Kind:
    if name == "TIMESTAMP":
        family = ("tsltz" if "WITH LOCAL TIME ZONE" in t.modifiers else
                  "tstz" if "WITH TIME ZONE" in t.modifiers else "timestamp")
        return _Kind(family, None, t.params[0] if t.params and t.params[0] is not None else 6)
    fields = _INTERVAL_FIELDS.fullmatch(" ".join(t.modifiers))
    if fields is None:  # a bare INTERVAL (DuckDB's): no fields to compare
        return _Kind("interval")
    first, leading, last, fraction = fields.groups()
    if last is None and first == "SECOND":  # INTERVAL SECOND(p): p is the fraction
        leading, fraction = None, leading
    return _Kind("interval_ym" if first in ("YEAR", "MONTH") else "interval_ds",
                 int(leading) if leading else 2, int(fraction) if fraction else 6)


@lru_cache(maxsize=256)
def written_type(text: str) -> TypeName:
    """A type name as the parser reads it (for a declared type kept as text)."""
    statement = parse_one(f"SELECT CAST(NULL AS {text})")
    assert isinstance(statement, QueryStatement) and isinstance(statement.query.body, Select)
    cast = statement.query.body.items[0].expr
    assert isinstance(cast, Cast)
    return cast.type


def _old_kind(col: ColumnInfo) -> _Kind:
    if col.declared is not None:
        return _kind(written_type(col.declared))
    try:
        duck = written_type(col.type)
    except HeliosError:  # a DuckDB type our grammar does not spell (STRUCT, arrays ...)
        return _Kind(col.type.lower())
    name = duck.name.upper()
    if name in _INTEGER_DIGITS:
        return _Kind("number", _INTEGER_DIGITS[name], 0)
    if name in _DUCKDB:
        return _kind(written_type(_DUCKDB[name]))
    return _kind(duck)


def _grows(old: _Kind, new: _Kind) -> bool:
    """Whether ``new`` holds every value of ``old`` in the same family."""
    if old.family == "number":
        if new.size is None:
            return True
        if old.size is None:
            return False
        old_scale, new_scale = old.scale or 0, new.scale or 0
        return (new.size >= old.size and new_scale >= old_scale
                and new.size - new_scale >= old.size - old_scale)
    return ((new.size is None or (old.size is not None and new.size >= old.size))
            and (new.scale is None or old.scale is None or new.scale >= old.scale))


def type_change(col: ColumnInfo, new: TypeName) -> TypeChange:
    """The storage change for MODIFY ``col`` to ``new``, with Oracle's conditions."""
    duckdb = duckdb_type_name(new)  # refuses a type DuckDB cannot hold
    declared = spelling(new)
    old_kind, new_kind = _old_kind(col), _kind(new)
    position = new.span.start if new.span else None
    if old_kind.family != new_kind.family:
        if (old_kind.family, new_kind.family) in _WIDENING:
            return TypeChange(duckdb, declared)
        if new_kind.family in _LOBS:
            raise ProgrammingError(f"invalid alteration of datatype: {col.name} cannot become "
                                   f"{declared}", code="ORA-22858", position=position)
        if old_kind.family in _LOBS:
            raise ProgrammingError(f"invalid modification of columns: {col.name} is a LOB and "
                                   f"cannot become {declared}", code="ORA-22859",
                                   position=position)
        return TypeChange(duckdb, declared, needs_empty=_CHANGE_TYPE)
    if _grows(old_kind, new_kind):
        return TypeChange(duckdb, declared)
    if new_kind.family in ("char", "raw"):
        return TypeChange(duckdb, declared, max_length=new_kind.size,
                          length_of="length" if new_kind.family == "char" else "octet_length")
    return TypeChange(duckdb, declared, needs_empty=_DECREASE)
