"""Plans built during the LALR parse equal those of the tree walk, spans included."""

from __future__ import annotations

import dataclasses

import pytest
from lark.exceptions import UnexpectedInput
from parse_helpers import VALID_STATEMENTS

from bench.parse_bench import QUERY_30_LINES as PARSE_BENCH_QUERY
from bench.sql import QUERY_30_LINES as SQL_BENCH_QUERY
from heliosql.errors import SqlSyntaxError
from heliosql.parser import _display, _lark, _parse_uncached, _with_statement_spans
from heliosql.parsing.builder import PlanBuilder
from heliosql.parsing.diagnostics import from_lark

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


BAD_SCRIPTS = (
    "SELECT a, FROM t",
    "SELECT (1 + 2 FROM t",
    "SELECT a FROM t WHERE a = = 1",
    "SELECT * FROM t ORDER BYX",
    "SELECT t.from, select FROM t",
    "SELECT a FROM t WHERE",
    "SELECT a FROM t WHERE x IN (1, 2",
    "SELECT a FROM t;\nSELECT b c d FROM u",
    "SELECT a FROM t WHERE b = 1 #",
    "SELECT a FROM t WHERE NOT NOT",
    "UPDATE t SET a = 1 WHERE b = 2 AND",
    "SELECT CASE WHEN a THEN 1 ELSE 2 FROM t",
)


@pytest.mark.parametrize("sql", BAD_SCRIPTS)
def test_syntax_errors_are_those_of_larks_own_loops(sql: str) -> None:
    # The compiled table climbs pass-through chains in one step and the lexer applies
    # the reserved words itself: an error must still be found where Lark finds it.
    with pytest.raises(UnexpectedInput) as lark_error:
        _lark().parse(sql)
    expected = from_lark(lark_error.value, sql, _display)
    with pytest.raises(SqlSyntaxError) as info:
        _parse_uncached(sql)
    assert str(info.value) == str(expected)
    assert (info.value.line, info.value.column) == (expected.line, expected.column)
