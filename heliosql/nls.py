"""A session's NLS settings: how dates are written and read without a format mask.

Oracle's defaults for AMERICAN/AMERICA: ``DD-MON-RR`` for DATE values,
``DD-MON-RR HH.MI.SSXFF AM`` for TIMESTAMP and the same with ``TZR`` for
TIMESTAMP WITH TIME ZONE. ``ALTER SESSION SET NLS_DATE_FORMAT = '...'`` changes
them for one connection (``Session.nls``); the compiler reads them where
Oracle would (TO_CHAR, TO_DATE and TO_TIMESTAMP without a mask, text compared
with or written to a date). Month and day names are English: NLS_LANGUAGE and
NLS_TERRITORY accept only AMERICAN and AMERICA.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from heliosql.storage.errors import NotSupportedError, ProgrammingError


@dataclass(frozen=True, slots=True)
class NlsSettings:
    """The NLS parameters a session may change."""

    date_format: str = "DD-MON-RR"
    timestamp_format: str = "DD-MON-RR HH.MI.SSXFF AM"
    timestamp_tz_format: str = "DD-MON-RR HH.MI.SSXFF AM TZR"


DEFAULT = NlsSettings()

# ALTER SESSION parameter -> NlsSettings field (a format mask).
_FORMATS = {
    "NLS_DATE_FORMAT": "date_format",
    "NLS_TIMESTAMP_FORMAT": "timestamp_format",
    "NLS_TIMESTAMP_TZ_FORMAT": "timestamp_tz_format",
}
# Parameters that take only the value heliosql implements (English names, '.' decimals).
_FIXED = {
    "NLS_LANGUAGE": "AMERICAN",
    "NLS_DATE_LANGUAGE": "AMERICAN",
    "NLS_TERRITORY": "AMERICA",
}
# Oracle session parameters heliosql knows of but does not implement.
_REFUSED = frozenset({
    "NLS_SORT", "NLS_COMP", "NLS_NUMERIC_CHARACTERS", "NLS_CURRENCY", "NLS_ISO_CURRENCY",
    "NLS_CALENDAR", "NLS_LENGTH_SEMANTICS", "NLS_NCHAR_CONV_EXCP", "NLS_DUAL_CURRENCY",
    "TIME_ZONE", "CURRENT_SCHEMA", "OPTIMIZER_MODE", "SQL_TRACE", "EDITION", "CONSTRAINTS",
    "ISOLATION_LEVEL",
})


def altered(settings: NlsSettings, parameter: str, value: str,
            position: int | None = None) -> NlsSettings:
    """``settings`` after ``ALTER SESSION SET parameter = value``."""
    from heliosql.compiler.formats import check_mask  # the compiler imports this module

    name = parameter.upper()
    if name in _FORMATS:
        try:
            check_mask(value)
        except NotSupportedError as err:
            raise ProgrammingError(f"date format not recognized: {err.message}",
                                   code="ORA-01821", position=position) from None
        return replace(settings, **{_FORMATS[name]: value})
    if name in _FIXED:
        if value.upper() != _FIXED[name]:
            raise NotSupportedError(
                f"{name} {value!r} is not supported: heliosql writes and reads month and day "
                f"names in English, so {name} can only be {_FIXED[name]}", position=position)
        return settings
    if name in _REFUSED:
        raise NotSupportedError(f"ALTER SESSION SET {name} is not supported",
                                position=position)
    raise ProgrammingError(f"invalid option for ALTER SESSION: {parameter}", code="ORA-02248",
                           position=position)
