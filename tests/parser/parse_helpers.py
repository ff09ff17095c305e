"""Small helpers shared by the parser tests."""

from __future__ import annotations

from pathlib import Path

from heliosql.parser import parse_one
from heliosql.plan import Expr, Query, QueryStatement, Select, Statement


def query(sql: str) -> Query:
    """The Query of a single query statement."""
    stmt = parse_one(sql)
    assert isinstance(stmt, QueryStatement), stmt
    return stmt.query


def select(sql: str) -> Select:
    """The single query block of a plain SELECT."""
    body = query(sql).body
    assert isinstance(body, Select), body
    return body


def expr(text: str) -> Expr:
    """The expression ``text`` as the only item of a SELECT."""
    return select(f"SELECT {text}").items[0].expr


def stmt(sql: str, kind: type[Statement]) -> Statement:
    """Parse one statement and check its type."""
    result = parse_one(sql)
    assert isinstance(result, kind), result
    return result


def _load_corpus() -> tuple[str, ...]:
    text = (Path(__file__).parent / "valid_statements.sql").read_text()
    return tuple(line for line in text.splitlines() if line and not line.startswith("--"))


# One line per construct; several ;-separated statements on a line are fine.
VALID_STATEMENTS: tuple[str, ...] = _load_corpus()
