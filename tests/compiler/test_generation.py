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
