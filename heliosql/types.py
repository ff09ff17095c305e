"""Oracle (and ANSI) type names mapped to DuckDB type names.

The parser keeps a type exactly as written (``TypeName``); this module decides
what DuckDB stores. Decisions:

* ``NUMBER`` without precision (and ``NUMBER(*)``) -> ``DOUBLE``. Oracle's bare
  NUMBER is a decimal *floating* point of 38 digits; DuckDB's DECIMAL has a
  fixed scale, so any DECIMAL(p,s) we picked would silently round (s too small)
  or overflow (s too large) values Oracle accepts. DOUBLE keeps every magnitude
  and about 15-17 significant digits; users who need exact money columns say
  ``NUMBER(p,s)``. ``FLOAT``, ``FLOAT(n)`` (n binary digits, 1..126), ``REAL``
  and ``DOUBLE PRECISION`` are Oracle's floating NUMBERs too: ``DOUBLE``.
* ``NUMBER(p)`` / ``NUMBER(p,0)`` with p <= 18 -> ``BIGINT`` (every such value
  fits in 64 bits, and integer keys compare and join faster than DECIMAL);
  larger p -> ``DECIMAL(p,0)``; ``NUMBER(p,s)`` -> ``DECIMAL(p,s)``; ``*`` as the
  precision is 38. DuckDB limits precision to 1..38 and scale to 0..p; outside
  -> error.
* ``INTEGER``, ``INT`` and ``SMALLINT`` (Oracle's NUMBER(38)) -> ``BIGINT``:
  the integer type of NUMBER(p <= 18), so they join with such keys without a
  cast; a value beyond 18 digits is out of range (Oracle holds 38).
* ``DATE`` -> ``TIMESTAMP``: an Oracle DATE has a time of day.
  ``TIMESTAMP(p)`` (p 0..9) -> ``TIMESTAMP``, which keeps microseconds;
  ``TIMESTAMP [(p)] WITH [LOCAL] TIME ZONE`` -> ``TIMESTAMPTZ``;
  ``INTERVAL YEAR [(p)] TO MONTH`` and ``INTERVAL DAY [(p)] TO SECOND [(p)]``
  -> ``INTERVAL``.
* ``VARCHAR2/NVARCHAR2/CHAR/NCHAR/CLOB/NCLOB/LONG`` -> ``VARCHAR``: DuckDB
  ignores VARCHAR lengths (the declared type is kept in the catalog).
* ``BLOB`` and ``RAW(n)`` -> ``BLOB``; ``BINARY_FLOAT`` -> ``FLOAT`` (4 bytes),
  ``BINARY_DOUBLE`` -> ``DOUBLE``.
* ``ROWID``, ``UROWID``, ``BFILE`` and ``XMLTYPE`` have nothing DuckDB can
  hold: refused.
* Anything else passes through upper-cased with its parameters, for DuckDB
  to accept or reject (``BOOLEAN``, ``DECIMAL(10,2)``, ``UUID`` ...).
"""

from __future__ import annotations

from heliosql.errors import NotSupportedError
from heliosql.plan import TypeName

_STRINGS = {"VARCHAR2", "NVARCHAR2", "CHAR", "NCHAR", "CLOB", "NCLOB", "LONG", "CHARACTER"}
_SIMPLE = {
    "DATE": "TIMESTAMP",
    "BLOB": "BLOB",
    "RAW": "BLOB",
    "BINARY_FLOAT": "FLOAT",
    "BINARY_DOUBLE": "DOUBLE",
    "INTEGER": "BIGINT",
    "INT": "BIGINT",
    "SMALLINT": "BIGINT",
    "REAL": "DOUBLE",
    "DOUBLE": "DOUBLE",
}
_UNSUPPORTED = {"ROWID", "UROWID", "BFILE", "XMLTYPE"}
_ZONED = {"WITH TIME ZONE", "WITH LOCAL TIME ZONE"}
MAX_PRECISION = 38
MAX_FLOAT_BITS = 126
MAX_FRACTION = 9  # TIMESTAMP(p), INTERVAL DAY(p) TO SECOND(p)
BIGINT_DIGITS = 18  # 10**18 - 1 < 2**63


def spelling(type_name: TypeName) -> str:
    """The type as the user wrote it (upper-cased): for messages, and kept in the catalog
    as the column's declared type."""
    params = ",".join("*" if p is None else str(p) for p in type_name.params)
    if type_name.length_unit:
        params += f" {type_name.length_unit}"
    text = f"{type_name.name.upper()}({params})" if type_name.params else type_name.name.upper()
    return " ".join([text, *type_name.modifiers])


def _refuse(type_name: TypeName, why: str, code: str | None = None) -> NotSupportedError:
    return NotSupportedError(f"{spelling(type_name)}: {why}", code=code,
                             position=type_name.span.start if type_name.span else None)


def _number(type_name: TypeName) -> str:
    params = type_name.params
    if not params or params == (None,):
        return "DOUBLE"
    precision = MAX_PRECISION if params[0] is None else params[0]
    scale = params[1] if len(params) > 1 else 0
    if scale is None:
        raise _refuse(type_name, "the scale must be a number")
    if len(params) > 2 or not 1 <= precision <= MAX_PRECISION:
        raise _refuse(type_name, "numeric precision specifier is out of range (1 to 38)",
                      "ORA-01727")
    if not 0 <= scale <= precision:
        raise _refuse(type_name, "DuckDB cannot store a scale below 0 or above the precision")
    if scale == 0 and precision <= BIGINT_DIGITS:
        return "BIGINT"
    return f"DECIMAL({precision},{scale})"


def _float(type_name: TypeName) -> str:
    bits = type_name.params[0] if type_name.params else None
    if len(type_name.params) > 1 or (bits is not None and not 1 <= bits <= MAX_FLOAT_BITS):
        raise _refuse(type_name, "floating point precision is out of range (1 to 126)",
                      "ORA-01724")
    return "DOUBLE"


def _fractions(type_name: TypeName) -> list[int]:
    """The precisions of a TIMESTAMP(p) or of an interval's fields."""
    digits = [p for p in type_name.params if p is not None]
    for modifier in type_name.modifiers:
        digits += [int(d) for d in modifier.replace("(", " ").replace(")", " ").split()
                   if d.isdigit()]
    return digits


def _datetime(type_name: TypeName, name: str) -> str:
    if any(not 0 <= p <= MAX_FRACTION for p in _fractions(type_name)):
        raise _refuse(type_name, "datetime/interval precision is out of range (0 to 9)",
                      "ORA-30088")
    if name == "INTERVAL":
        return "INTERVAL"
    return "TIMESTAMPTZ" if _ZONED.intersection(type_name.modifiers) else "TIMESTAMP"


def duckdb_type_name(type_name: TypeName) -> str:
    """The DuckDB type for ``type_name``, e.g. ``NUMBER(10,2)`` -> ``DECIMAL(10,2)``."""
    name = type_name.name.upper()
    if name == "NUMBER":
        return _number(type_name)
    if name == "FLOAT":
        return _float(type_name)
    if name in ("TIMESTAMP", "INTERVAL"):
        return _datetime(type_name, name)
    if name in _STRINGS:
        return "VARCHAR"
    if name in _SIMPLE:
        return _SIMPLE[name]
    if name in _UNSUPPORTED:
        raise _refuse(type_name, "heliosql has no such type (DuckDB cannot hold it)")
    return spelling(type_name)
