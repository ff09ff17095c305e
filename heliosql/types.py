"""Oracle (and ANSI) type names mapped to DuckDB type names.

The parser keeps a type exactly as written (``TypeName``); this module decides
what DuckDB stores. Decisions:

* ``NUMBER`` without precision -> ``DOUBLE``. Oracle's bare NUMBER is a
  decimal *floating* point of 38 digits; DuckDB's DECIMAL has a fixed scale,
  so any DECIMAL(p,s) we picked would silently round (s too small) or
  overflow (s too large) values Oracle accepts. DOUBLE keeps every magnitude
  and about 15-17 significant digits; users who need exact money columns say
  ``NUMBER(p,s)``.
* ``NUMBER(p)`` / ``NUMBER(p,0)`` with p <= 18 -> ``BIGINT`` (every such value
  fits in 64 bits, and integer keys compare and join faster than DECIMAL);
  larger p -> ``DECIMAL(p,0)``; ``NUMBER(p,s)`` -> ``DECIMAL(p,s)``.
  DuckDB limits precision to 1..38 and scale to 0..p; outside -> error.
* ``DATE`` -> ``TIMESTAMP``: an Oracle DATE has a time of day.
* ``VARCHAR2/NVARCHAR2/CHAR/NCHAR/CLOB/NCLOB/LONG`` -> ``VARCHAR``: lengths and
  CHAR/BYTE semantics are not enforced (DuckDB ignores VARCHAR lengths).
* ``BLOB`` and ``RAW(n)`` -> ``BLOB``; ``BINARY_FLOAT`` -> ``FLOAT``,
  ``BINARY_DOUBLE`` -> ``DOUBLE``; ``TIMESTAMP WITH [LOCAL] TIME ZONE`` ->
  ``TIMESTAMPTZ``.
* Anything else passes through upper-cased with its parameters, for DuckDB
  to accept or reject (``INTEGER``, ``BOOLEAN``, ``DECIMAL(10,2)`` ...).
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
}
_ZONED = {"WITH TIME ZONE", "WITH LOCAL TIME ZONE"}
MAX_PRECISION = 38
BIGINT_DIGITS = 18  # 10**18 - 1 < 2**63


def spelling(type_name: TypeName) -> str:
    """The type as the user wrote it (upper-cased), for messages."""
    params = f"({','.join(map(str, type_name.params))})" if type_name.params else ""
    return " ".join([type_name.name.upper() + params, *type_name.modifiers])


def _number(type_name: TypeName) -> str:
    params = type_name.params
    if not params:
        return "DOUBLE"
    precision, scale = params[0], params[1] if len(params) > 1 else 0
    if len(params) > 2 or not 1 <= precision <= MAX_PRECISION or not 0 <= scale <= precision:
        raise NotSupportedError(
            f"DuckDB cannot store {spelling(type_name)}: precision 1..38, scale 0..precision",
            position=type_name.span.start if type_name.span else None,
        )
    if scale == 0 and precision <= BIGINT_DIGITS:
        return "BIGINT"
    return f"DECIMAL({precision},{scale})"


def duckdb_type_name(type_name: TypeName) -> str:
    """The DuckDB type for ``type_name``, e.g. ``NUMBER(10,2)`` -> ``DECIMAL(10,2)``."""
    name = type_name.name.upper()
    if name == "NUMBER":
        return _number(type_name)
    if name in _STRINGS:
        return "VARCHAR"
    if name in _SIMPLE:
        return _SIMPLE[name]
    if name == "TIMESTAMP" and _ZONED.intersection(type_name.modifiers):
        return "TIMESTAMPTZ"
    if name == "TIMESTAMP":
        return "TIMESTAMP"
    return spelling(type_name)
