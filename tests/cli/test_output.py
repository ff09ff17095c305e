"""``heliosql.cli.output.render``: every format, values never altered."""

from __future__ import annotations

import datetime as dt
import doctest
from decimal import Decimal

import heliosql.cli.output as output
from heliosql.cli.output import render, text

DESCRIPTION = [("id",), ("v",)]


def test_docstring_examples_pass() -> None:
    result = doctest.testmod(output)
    assert result.failed == 0 and result.attempted >= 2


def test_values_are_shown_exactly() -> None:
    assert text("1e5", "<null>") == "1e5"
    assert text(None, "∅") == "∅"
    assert text(Decimal("1.10"), "") == "1.10"
    assert text(Decimal("1E+5"), "") == "100000"
    assert text(0.1, "") == "0.1"
    assert text(True, "") == "true"
    assert text(b"\x00A", "") == "\\x0041"
    assert text(dt.datetime(2024, 1, 2, 3, 4, 5), "") == "2024-01-02 03:04:05.000000"
    aware = dt.datetime(2024, 1, 2, 3, 4, 5, 6, dt.timezone(dt.timedelta(hours=2)))
    assert text(aware, "") == "2024-01-02 03:04:05.000006+02:00"
    assert text([1, None, "a"], "") == '[1, null, "a"]'


def test_vertical() -> None:
    assert render(DESCRIPTION, [(1, None)], "vertical", "<null>").splitlines() == [
        "-[ RECORD 1 ]----", "id | 1", "v  | <null>"]


def test_empty_results() -> None:
    assert render(DESCRIPTION, [], "json", "") == "[]"
    assert render(DESCRIPTION, [], "jsonl", "") == ""
    assert render(DESCRIPTION, [], "csv", "") == "id,v"
    assert render(DESCRIPTION, [], "table", "").splitlines()[1] == "| id   | v   |"


def test_json_keeps_special_floats_as_strings() -> None:
    assert render([("x",)], [(float("nan"),)], "jsonl", "") == '{"x": "nan"}'


def test_csv_quotes_what_needs_quoting() -> None:
    rows = [(" padded", "line\nbreak")]
    assert render(DESCRIPTION, rows, "csv", "") == 'id,v\n" padded","line\nbreak"'


def test_the_grid_is_tabulates_psql_and_github_look() -> None:
    from tabulate import tabulate

    rows = [(1, "a\nbb", None), (22, "名前", Decimal("1.50")), (None, " x ", Decimal("0.10"))]
    names = ["id", "v", "amount"]
    cells = [[text(v, "<null>") for v in row] for row in rows]
    expected = tabulate(cells, headers=names, tablefmt="psql", disable_numparse=True,
                        colalign=["right", "left", "right"], preserve_whitespace=True)
    assert render([(n,) for n in names], rows, "table", "<null>") == expected


def test_streamed_chunks_keep_the_first_widths_and_grow_for_wider_values() -> None:
    from heliosql.cli.output import render_lines

    lines = list(render_lines([("v",)], [[("a",)], [("a much longer value",)]], "table", ""))
    assert lines == ["+-----+", "| v   |", "|-----|", "| a   |",
                     "| a much longer value |", "+---------------------+"]


def test_vertical_keeps_the_lines_of_a_value_under_its_first() -> None:
    rows = [("-- plan\nQuery\n  body", 1)]
    assert render([("plan",), ("n",)], rows, "vertical", "").splitlines() == [
        "-[ RECORD 1 ]----", "plan | -- plan", "     | Query", "     |   body", "n    | 1"]


def test_heading_off_leaves_out_the_column_names() -> None:
    assert render(DESCRIPTION, [(1, "a")], "csv", "", heading=False) == "1,a"
    assert render(DESCRIPTION, [(1, "a")], "table", "", heading=False).splitlines() == [
        "+------+-----+", "|    1 | a   |", "+------+-----+"]


def test_json_streams_one_array() -> None:
    from heliosql.cli.output import render_lines

    lines = list(render_lines(DESCRIPTION, [[(1, "a")], [(2, "b")]], "json", ""))
    assert lines == ["[", '  {"id": 1, "v": "a"},', '  {"id": 2, "v": "b"}\n]']
