"""Session settings: ``ALTER SESSION SET parameter = value ...``."""

from __future__ import annotations

from dataclasses import dataclass, field

from heliosql.plan.base import Node, Span, Statement


@dataclass(frozen=True, slots=True)
class SessionSetting(Node):
    """One ``parameter = value`` of ALTER SESSION SET (the value as written, unquoted)."""

    parameter: str
    value: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class AlterSession(Statement):
    """ALTER SESSION SET: the session's NLS date formats (``heliosql.nls``)."""

    settings: tuple[SessionSetting, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)
