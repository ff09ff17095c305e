"""Table functions compile to DuckDB calls: quoted names, bound arguments, `:=`."""

from __future__ import annotations

import pytest

from heliosql import plan as p
from heliosql.compiler import ExpressionCompiler, to_duckdb_sql
from heliosql.compiler.table_functions import table_function
from heliosql.storage.errors import NotSupportedError
from tests.compiler.conftest import Runner, lit


def sql(ref: p.TableFunctionRef, compiler: ExpressionCompiler | None = None) -> str:
    return to_duckdb_sql(table_function(ref, (compiler or ExpressionCompiler()).compile))


def test_call_alias_and_column_aliases(run: Runner) -> None:
    ref = p.TableFunctionRef(("generate_series",), (lit(1), lit(3)), alias="g",
                             column_aliases=("n",))
    text = sql(ref)
    assert text == '"GENERATE_SERIES"(1, 3) AS "g"("n")'
    assert run.rows(f"SELECT n FROM {text}") == [(1,), (2,), (3,)]


def test_parameters_are_bound_and_named_arguments_use_walrus() -> None:
    compiler = ExpressionCompiler()
    ref = p.TableFunctionRef(
        ("main", "read_csv"), (p.Parameter(p.ParamStyle.NAMED, name="path"),),
        (p.NamedArg("header", lit(True)), p.NamedArg("delim", p.Parameter(
            p.ParamStyle.NAMED, name="sep"))))
    assert sql(ref, compiler) == '"main"."READ_CSV"($path, "header" := TRUE, "delim" := $sep)'
    assert compiler.parameters == ["path", "sep"]


def test_names_are_quoted_never_pasted() -> None:
    ref = p.TableFunctionRef(('x"; DROP TABLE t; --',))
    assert sql(ref).startswith('"X""; DROP TABLE T; --"(')


def test_too_many_name_parts() -> None:
    with pytest.raises(NotSupportedError, match="too many name parts"):
        sql(p.TableFunctionRef(("a", "b", "c", "d")))


@pytest.mark.parametrize(("call", "words"), [
    ("checkpoint()", "changes the database"),
    ("main.FORCE_CHECKPOINT()", "changes the database"),
    ("enable_logging(storage := 'file', storage_path := '/tmp/x')", "changes the database"),
    ("query('SELECT 1')", "runs SQL text"),
    ("query_table('helios_data.t1')", "runs SQL text"),
])
def test_functions_that_work_behind_heliosql_are_refused(call: str, words: str) -> None:
    import heliosql

    with pytest.raises(NotSupportedError, match=words):
        heliosql.connect().execute(f"SELECT * FROM {call}")
