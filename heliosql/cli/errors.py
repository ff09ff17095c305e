"""Error reports in compiler style, located in the script file, not in the statement.

    script.sql:5:15: error: ProgrammingError (ORA-00942): table 'tt' does not exist
      SELECT * FROM tt
                    ^
"""

from __future__ import annotations

import re

import heliosql
from heliosql.errors import SqlSyntaxError
from heliosql.parser import StatementText
from heliosql.parsing.diagnostics import caret_excerpt, line_column

# The PEP 249 classes users catch; a report names the nearest one (NoSuchTable is
# reported as ProgrammingError, as the DB-API user would see it).
_PEP249 = (
    heliosql.DataError, heliosql.IntegrityError, heliosql.InternalError,
    heliosql.NotSupportedError, heliosql.OperationalError, heliosql.ProgrammingError,
    heliosql.DatabaseError, heliosql.InterfaceError, heliosql.Error,
)
# The parser's message repeats a statement-relative location and its own caret excerpt.
_STATEMENT_LOCATION = re.compile(r"^syntax error at line \d+, column \d+: ")


def class_name(error: BaseException) -> str:
    """The PEP 249 class an error belongs to."""
    for cls in _PEP249:
        if isinstance(error, cls):
            return cls.__name__
    return type(error).__name__


def headline(error: BaseException) -> str:
    """``Class (ORA-xxxxx): message`` on one line, without the statement excerpt."""
    message = getattr(error, "message", None) or str(error)
    if isinstance(error, SqlSyntaxError):
        message = _STATEMENT_LOCATION.sub("syntax error: ", message.split("\n", 1)[0])
    code = getattr(error, "code", None)
    return f"{class_name(error)} ({code}): {message}" if code else f"{class_name(error)}: {message}"


def report(label: str, script: str, statement: StatementText, error: BaseException) -> str:
    """The full report: ``label:LINE:COL: error: ...``, then the source line and a caret.

    ``position`` on the error is an offset in the statement's text; without one
    the report points at the start of the statement.
    """
    position = getattr(error, "position", None)
    if not isinstance(position, int) or not 0 <= position <= len(statement.text):
        position = 0
    return report_at(label, script, statement.start + position, headline(error))


def report_at(label: str, script: str, offset: int, message: str) -> str:
    """``label:LINE:COL: error: message`` for the character at ``offset`` of ``script``,
    then its line and a caret."""
    line, column = line_column(script, offset)
    return f"{label}:{line}:{column}: error: {message}\n{caret_excerpt(script, offset)}"
