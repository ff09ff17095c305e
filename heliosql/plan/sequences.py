"""Sequences: CREATE / ALTER / DROP SEQUENCE, identity columns and ``seq.NEXTVAL``."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from heliosql.plan.base import Expr, Node, Span, Statement


class SequenceOptionKind(Enum):
    """The options of a sequence (and of an identity column); the value is the keyword."""

    START = "START WITH"
    INCREMENT = "INCREMENT BY"
    MINVALUE = "MINVALUE"
    NOMINVALUE = "NOMINVALUE"
    MAXVALUE = "MAXVALUE"
    NOMAXVALUE = "NOMAXVALUE"
    CYCLE = "CYCLE"
    NOCYCLE = "NOCYCLE"
    CACHE = "CACHE"
    NOCACHE = "NOCACHE"
    ORDER = "ORDER"
    NOORDER = "NOORDER"
    RESTART = "RESTART"


@dataclass(frozen=True, slots=True)
class SequenceOption(Node):
    """One option: ``kind`` and, for those that take one, its integer."""

    kind: SequenceOptionKind
    value: int | None = None


@dataclass(frozen=True, slots=True)
class CreateSequence(Statement):
    """CREATE SEQUENCE name [options]; ``name`` as kept (unquoted: upper-cased)."""

    name: str
    options: tuple[SequenceOption, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class AlterSequence(Statement):
    """ALTER SEQUENCE name options."""

    name: str
    options: tuple[SequenceOption, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class DropSequence(Statement):
    """DROP SEQUENCE name."""

    name: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Identity(Node):
    """``GENERATED {ALWAYS | BY DEFAULT [ON NULL]} AS IDENTITY [(options)]`` on a column."""

    generation: str  # "ALWAYS", "BY DEFAULT" or "BY DEFAULT ON NULL"
    options: tuple[SequenceOption, ...] = ()


@dataclass(frozen=True, slots=True)
class SequenceValue(Expr):
    """``seq.NEXTVAL`` (``next``) or ``seq.CURRVAL``; ``sequence`` may be schema-qualified."""

    sequence: tuple[str, ...]
    next: bool
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)
