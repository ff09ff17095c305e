"""The tuned DuckDB generator writes exactly what sqlglot's stock generator writes.

Every statement of the SQL cases (``tests/sql/*.test``) is run with each generated
text checked against the stock generator's text for the same tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlglot import exp

from heliosql.compiler import identifiers
from heliosql.compiler.identifiers import column, ident, to_duckdb_sql, to_duckdb_sql_reference
from tests.sqllogic import run_file

CASES = sorted((Path(__file__).parent.parent / "sql").glob("*.test"))


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Texts generated while the fixture is active, each checked against the reference."""
    texts: list[str] = []
    generate = identifiers._Generator.generate

    def checking(self: Any, expression: exp.Expression, copy: bool = True) -> str:
        expected = to_duckdb_sql_reference(expression)  # on a copy, before any mutation
        text = generate(self, expression, copy=copy)
        assert text == expected
        texts.append(text)
        return str(text)

    monkeypatch.setattr(identifiers._Generator, "generate", checking)
    return texts


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_sql_cases_generate_as_stock(path: Path, checked: list[str]) -> None:
    run_file(path)
    assert checked


def test_odd_identifiers(checked: list[str]) -> None:
    names = ['a"b', "", "select", "1x", "Mixed Case", "new\nline", "é"]
    tree = exp.Select(expressions=[column(n, ("t",)) for n in names]).from_(
        exp.Table(this=ident("t")))
    assert to_duckdb_sql(tree).startswith('SELECT "t"."a""b", "t"."", "t"."select"')
    assert checked


def test_pretty_uses_the_stock_generator() -> None:
    tree = exp.Select(expressions=[column("a")]).from_(exp.Table(this=ident("t")))
    assert to_duckdb_sql(tree, pretty=True) == 'SELECT\n  "a"\nFROM "t"'


def _corpus_statements() -> list[Any]:
    """Every statement of the parser's corpus and of the SQL cases that parses."""
    from heliosql.parser import parse
    from tests.parser.parse_helpers import VALID_STATEMENTS
    from tests.sqllogic import parse_blocks

    texts = list(VALID_STATEMENTS)
    for path in CASES:
        texts += [block.sql for block in parse_blocks(path.read_text())]
    texts += ["SELECT versions_startscn, ORA_ROWSCN, t.Versions_XID FROM t VERSIONS BETWEEN "
              "SCN 1 AND 2 WHERE EXISTS (SELECT versions_operation FROM u)"]
    statements = []
    for text in texts:
        try:
            statements += parse(text)
        except Exception:  # the SQL cases hold statements meant to fail
            continue
    return statements


def test_pseudocolumn_walk_matches_the_plan_walk() -> None:
    from heliosql.compile import _pseudocolumns_in
    from heliosql.plan.expressions import Column
    from heliosql.plan.temporal import TemporalClause
    from heliosql.plan.walk import walk
    from heliosql.sources import PSEUDOCOLUMNS

    statements = _corpus_statements()
    assert len(statements) > 300
    mentioned = 0
    for statement in statements:
        # A flashback clause's bound is evaluated on its own: its pseudocolumns are its own.
        expected = {n.name.lower()
                    for n in walk(statement, stop=lambda n: isinstance(n, TemporalClause))
                    if isinstance(n, Column) and n.name.lower() in PSEUDOCOLUMNS}
        assert _pseudocolumns_in(statement) == expected, statement
        mentioned += bool(expected)
    assert mentioned > 10


def test_a_discarded_tree_is_freed_without_the_cycle_collector() -> None:
    import gc
    import weakref

    from heliosql import plan as p
    from heliosql.compiler import ExpressionCompiler
    from heliosql.compiler.identifiers import discard

    expr = p.Binary(p.BinaryOp.AND,
                    p.InList(p.Column("a", ("t",)), (p.Literal(1), p.Literal("x")), False),
                    p.FunctionCall(("NVL",), (p.Column("b"), p.Literal(0))))
    tree = ExpressionCompiler().compile(expr)
    refs = [weakref.ref(node) for node in tree.walk()]
    assert len(refs) > 8
    to_duckdb_sql(tree)
    gc.disable()
    try:
        discard(tree)
        del tree
        assert [r() for r in refs if r() is not None] == []
    finally:
        gc.enable()
