"""The heliosql exception hierarchy (PEP 249) plus the front end's syntax error.

Everything from ``heliosql.storage.errors`` is re-exported, so callers catch
``heliosql.errors.ProgrammingError`` whichever layer raised it.
"""

from __future__ import annotations

from heliosql.storage.errors import *  # noqa: F403 - deliberate re-export
from heliosql.storage.errors import ProgrammingError
from heliosql.storage.errors import __all__ as _storage_all


class SqlSyntaxError(ProgrammingError):
    """The statement text is not valid heliosql SQL.

    ``line`` and ``column`` are 1-based, ``position`` is the 0-based character
    offset in the text given to the parser, ``token`` the offending text (None
    at the end of input) and ``expected`` what could have come there instead.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int,
        column: int,
        position: int | None = None,
        token: str | None = None,
        expected: tuple[str, ...] = (),
        code: str | None = None,
    ):
        super().__init__(message, code=code, position=position)
        self.line = line
        self.column = column
        self.token = token
        self.expected = tuple(expected)


__all__ = [*_storage_all, "SqlSyntaxError"]
