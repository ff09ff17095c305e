"""Sequences: their definitions, Oracle's defaults and checks, and their arithmetic.

A sequence hands out integers: ``start``, ``start + increment``, ... up to
MAXVALUE (down to MINVALUE for a negative increment); past it a CYCLE sequence
starts again at MINVALUE (at MAXVALUE going down) and a NOCYCLE one is
exhausted (ORA-08004). The definition is catalog data, changed by DDL in the
caller's transaction like every other definition; the numbers are not
(``sequence_counters.py``).

A statement that needs ``n`` numbers takes them as one block: value ``k``
(1-based) of a block starting at ``base`` is ``base + increment * (k - 1)``
until the end of the range, and after it the cycle again from its restart
value. ``block_params`` gives that block's shape as SQL parameters: the SQL
front end computes every row's number from them set-based in DuckDB, and a
re-run of the statement computes the same numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from .errors import ProgrammingError
from .sqltext import quote_ident

#: Oracle's bounds when none is given: 28 nines up, 27 nines down.
NO_MAXVALUE = 10 ** 28 - 1
NO_MINVALUE = -(10 ** 27 - 1)
MAX_DIGITS = 28
DEFAULT_CACHE = 20
#: How Oracle names the sequence of an identity column (``ISEQ$$_<table object id>``).
IDENTITY_PREFIX = "ISEQ$$_"
#: The identity kinds (``GENERATED ... AS IDENTITY``) a sequence can belong to.
GENERATIONS = ("ALWAYS", "BY DEFAULT", "BY DEFAULT ON NULL")

# A column DEFAULT that takes the next number of a sequence, as Oracle shows it.
_NEXTVAL_DEFAULT = re.compile(r'"((?:[^"]|"")+)"\.NEXTVAL')


@dataclass(frozen=True, slots=True)
class SequenceOptions:
    """What a CREATE or ALTER SEQUENCE statement says (None: not said).

    ``min_value``/``max_value`` None with ``no_min``/``no_max`` is NOMINVALUE /
    NOMAXVALUE; ``cache`` 0 is NOCACHE; ``restart`` is ALTER's RESTART.
    """

    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    no_min: bool = False
    no_max: bool = False
    cycle: bool | None = None
    cache: int | None = None
    order: bool | None = None
    restart: bool = False

    def said(self) -> bool:
        """Whether any option is given."""
        return self != SequenceOptions()


@dataclass(frozen=True, slots=True)
class SequenceInfo:
    """A sequence's definition. ``token`` names its counter: it is drawn at creation and
    never reused, so numbers of a dropped (or rolled-back) sequence never leak into a
    new one of the same name. An identity column's sequence names its table
    (``identity_table``, an object id) and its kind (``generation``)."""

    name: str
    token: int
    start: int
    increment: int
    min_value: int
    max_value: int
    cycle: bool
    cache: int  # 0: NOCACHE
    order: bool
    owner: str | None = None
    identity_table: int | None = None
    generation: str | None = None

    @property
    def ascending(self) -> bool:
        return self.increment > 0

    @property
    def restart(self) -> int:
        """Where a CYCLE sequence starts again after the end of its range."""
        return self.min_value if self.ascending else self.max_value

    def steps_left(self, value: int) -> int:
        """How many numbers from ``value`` on (itself included) lie within the range."""
        if self.ascending:
            return max((self.max_value - value) // self.increment + 1, 0)
        return max((value - self.min_value) // -self.increment + 1, 0)

    @property
    def period(self) -> int:
        """How many numbers one cycle has."""
        return self.steps_left(self.restart)

    def advance(self, value: int, steps: int) -> int:
        """The number ``steps`` after ``value`` (past the end of a NOCYCLE range: beyond it)."""
        left = self.steps_left(value)
        if steps < left or not self.cycle:
            return value + self.increment * steps
        return self.restart + self.increment * ((steps - left) % self.period)

    def first_of(self, value: int) -> int:
        """The number a draw starting at ``value`` really gives first (a CYCLE sequence
        past its range starts again)."""
        return self.restart if self.cycle and self.steps_left(value) == 0 else value

    def exhausted(self) -> str:
        """The end a NOCYCLE sequence reached, for ORA-08004."""
        return ("exceeds MAXVALUE" if self.ascending else "goes below MINVALUE")


def nextval_default(sequence: str) -> str:
    """The DEFAULT text of a column that takes ``sequence``'s next number."""
    return f"{quote_ident(sequence)}.NEXTVAL"


def default_sequence(default: str | None) -> str | None:
    """The sequence a column DEFAULT takes its numbers from, or None for any other
    default (DuckDB evaluates those; these heliosql fills in itself)."""
    if default is None:
        return None
    found = _NEXTVAL_DEFAULT.fullmatch(default)
    return found[1].replace('""', '"') if found else None


def define(name: str, token: int, options: SequenceOptions, **extra: Any) -> SequenceInfo:
    """A new sequence from CREATE SEQUENCE options, with Oracle's defaults and checks."""
    _check_digits(options)
    increment = 1 if options.increment is None else options.increment
    if increment == 0:
        raise ProgrammingError("INCREMENT must be a non-zero integer", code="ORA-04002")
    ascending = increment > 0
    min_value = options.min_value if options.min_value is not None else (
        1 if ascending else NO_MINVALUE)
    max_value = options.max_value if options.max_value is not None else (
        NO_MAXVALUE if ascending else -1)
    start = options.start if options.start is not None else (
        min_value if ascending else max_value)
    info = SequenceInfo(name, token, start, increment, min_value, max_value,
                        bool(options.cycle), DEFAULT_CACHE if options.cache is None
                        else options.cache, bool(options.order), **extra)
    _check(info, options)
    _check_start(info, start)
    return info


def alter(info: SequenceInfo, options: SequenceOptions, current: int) -> SequenceInfo:
    """``info`` changed by ALTER SEQUENCE options. ``current`` is the last number handed out
    (or the one before the first): a new bound may not leave it outside (ORA-04007/04009)."""
    if not options.said():
        raise ProgrammingError("no options specified for ALTER SEQUENCE", code="ORA-02286")
    if options.start is not None and not options.restart:
        raise ProgrammingError("cannot alter starting sequence number; use RESTART START "
                               "WITH", code="ORA-02283")
    _check_digits(options)
    increment = info.increment if options.increment is None else options.increment
    if increment == 0:
        raise ProgrammingError("INCREMENT must be a non-zero integer", code="ORA-04002")
    ascending = increment > 0
    min_value, max_value = info.min_value, info.max_value
    if options.min_value is not None or options.no_min:
        min_value = options.min_value if options.min_value is not None else (
            1 if ascending else NO_MINVALUE)
    if options.max_value is not None or options.no_max:
        max_value = options.max_value if options.max_value is not None else (
            NO_MAXVALUE if ascending else -1)
    changed = replace(
        info, increment=increment, min_value=min_value, max_value=max_value,
        cycle=info.cycle if options.cycle is None else options.cycle,
        cache=info.cache if options.cache is None else options.cache,
        order=info.order if options.order is None else options.order)
    _check(changed, options)
    if options.restart:
        start = options.start if options.start is not None else changed.start
        _check_start(changed, start)
        return replace(changed, start=start)
    if max_value < current and options.max_value is not None:
        raise ProgrammingError(f"MAXVALUE cannot be made to be less than the current value "
                               f"({current})", code="ORA-04009")
    if min_value > current and options.min_value is not None:
        raise ProgrammingError(f"MINVALUE cannot be made to exceed the current value "
                               f"({current})", code="ORA-04007")
    return changed


def _check_digits(options: SequenceOptions) -> None:
    """ORA-04003: Oracle's numbers have at most 28 digits."""
    for label, value in (("START WITH", options.start), ("INCREMENT BY", options.increment),
                         ("MINVALUE", options.min_value), ("MAXVALUE", options.max_value),
                         ("CACHE", options.cache)):
        if value is not None and len(str(abs(value))) > MAX_DIGITS:
            raise ProgrammingError(f"sequence parameter {label} exceeds maximum size "
                                   f"allowed ({MAX_DIGITS} digits)", code="ORA-04003")


def _check(info: SequenceInfo, options: SequenceOptions) -> None:
    """Oracle's checks of a definition's bounds, increment and cache."""
    if info.min_value >= info.max_value:
        raise ProgrammingError("MINVALUE must be less than MAXVALUE", code="ORA-04004")
    if abs(info.increment) >= info.max_value - info.min_value:
        raise ProgrammingError("INCREMENT must be less than MAXVALUE minus MINVALUE",
                               code="ORA-04005")
    if info.cache == 1 or info.cache < 0:
        raise ProgrammingError("the number of values to CACHE must be greater than 1",
                               code="ORA-04010")
    if info.cycle:
        if info.ascending and info.max_value == NO_MAXVALUE and options.max_value is None:
            raise ProgrammingError("ascending sequences that CYCLE must specify MAXVALUE",
                                   code="ORA-04015")
        if not info.ascending and info.min_value == NO_MINVALUE and options.min_value is None:
            raise ProgrammingError("descending sequences that CYCLE must specify MINVALUE",
                                   code="ORA-04014")
        # Oracle's bound: CACHE < CEIL((MAXVALUE - MINVALUE) / ABS(INCREMENT)).
        steps = -((info.min_value - info.max_value) // abs(info.increment))
        if info.cache >= steps:
            raise ProgrammingError(f"number to CACHE must be less than one cycle ({steps} "
                                   "values)", code="ORA-04013")


def _check_start(info: SequenceInfo, start: int) -> None:
    if start < info.min_value:
        raise ProgrammingError("START WITH cannot be less than MINVALUE", code="ORA-04006")
    if start > info.max_value:
        raise ProgrammingError("START WITH cannot be more than MAXVALUE", code="ORA-04008")


def block_params(info: SequenceInfo, base: int, prefix: str) -> dict[str, int]:
    """The parameters of a block of numbers starting at ``base``: ``<prefix>_base`` and
    ``_step``, and for a CYCLE sequence ``_left`` (numbers before the end of the
    range), ``_restart`` and ``_period`` (numbers in one cycle)."""
    params = {f"{prefix}_base": base, f"{prefix}_step": info.increment}
    if info.cycle:
        params |= {f"{prefix}_left": info.steps_left(base), f"{prefix}_restart": info.restart,
                   f"{prefix}_period": info.period}
    return params
