"""Plans built during the LALR parse equal those of the tree walk, spans included."""

from __future__ import annotations

import dataclasses

import pytest
from parse_helpers import VALID_STATEMENTS

from bench.parse_bench import QUERY_30_LINES as PARSE_BENCH_QUERY
from bench.sql import QUERY_30_LINES as SQL_BENCH_QUERY
from heliosql.errors import SqlSyntaxError
from heliosql.parser import _lark, _parse_uncached, _with_statement_spans
from heliosql.parsing.builder import PlanBuilder

SCRIPTS = (
    "\u017felect \u017ftatus AS \u212a FROM t",  # keywords through Unicode case folding
    "SELECT ?, ? FROM t WHERE a = ?; UPDATE t SET a = ? WHERE b = ?;; INSERT INTO t VALUES (?)",
    "EXPLAIN SELECT (1), ((SELECT 2)), -3, - -x FROM (t JOIN u USING (a)) CROSS JOIN w",
    "SELECT * FROM t VERSIONS BETWEEN SCN 1 AND MAXVALUE AS OF SCN 9 v ORDER BY 1",
    PARSE_BENCH_QUERY,
    SQL_BENCH_QUERY,
)


def _shape(value: object) -> object:
    """A value with every dataclass opened up, spans included (plan equality ignores them)."""
    if dataclasses.is_dataclass(value):
        fields = dataclasses.fields(value)
        return (type(value).__name__, *(_shape(getattr(value, f.name)) for f in fields))
    if isinstance(value, tuple):
        return tuple(_shape(item) for item in value)
    return (type(value).__name__, value)


def _by_tree_walk(sql: str) -> tuple[object, ...]:
    statements = [PlanBuilder(sql).build(c) for c in _lark().parse(sql).children if c is not None]
    return _with_statement_spans(statements, sql)


@pytest.mark.parametrize("sql", VALID_STATEMENTS + SCRIPTS)
def test_reductions_build_what_the_tree_walk_builds(sql: str) -> None:
    assert _shape(_parse_uncached(sql)) == _shape(_by_tree_walk(sql))


def test_a_syntax_error_later_in_the_script_is_reported_before_a_build_error() -> None:
    with pytest.raises(SqlSyntaxError, match="unexpected end of input"):
        _parse_uncached("SELECT :0 FROM t; SELECT 1 FROM")
    with pytest.raises(SqlSyntaxError, match="numbered from :1") as info:
        _parse_uncached("SELECT 1;\nSELECT :0 FROM t AS OF SCN 1 AS OF SCN 2")
    assert (info.value.line, info.value.column) == (2, 8)


def test_the_first_build_error_in_source_order_wins() -> None:
    with pytest.raises(SqlSyntaxError, match="only one AS OF") as info:
        _parse_uncached("SELECT 1 FROM t AS OF SCN 1 AS OF SCN 2 WHERE a = :0")
    assert info.value.column == 29
