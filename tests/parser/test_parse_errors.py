"""Syntax errors: position, token, expected list in user words, caret, end of input."""

from __future__ import annotations

import pytest

from heliosql.errors import ProgrammingError, SqlSyntaxError
from heliosql.parser import parse, parse_one


def error(sql: str) -> SqlSyntaxError:
    with pytest.raises(SqlSyntaxError) as caught:
        parse(sql)
    return caught.value


def test_misspelled_keyword() -> None:
    err = error("SELECT *\nFORM t")
    assert isinstance(err, ProgrammingError)
    assert (err.line, err.column, err.position, err.token) == (2, 1, 9, "FORM")
    assert err.expected[:2] == ("FROM", "','")
    assert "__ANON" not in str(err) and "IDENT" not in str(err)
    assert str(err) == (
        "syntax error at line 2, column 1: unexpected 'FORM', expected one of: "
        "FROM, ',', WHERE, GROUP, HAVING, ORDER, UNION, LIMIT, ...\n"
        "  FORM t\n"
        "  ^"
    )


def test_caret_lines_up_under_the_column() -> None:
    err = error("SELECT a,\n       b c d FROM t")
    lines = str(err).splitlines()
    assert lines[0].startswith("syntax error at line 2, column 12: unexpected 'd'")
    assert lines[1] == "         b c d FROM t"
    assert lines[2].index("^") == lines[1].index("d")


def test_tabs_are_kept_for_the_caret() -> None:
    err = error("SELECT\t1 2 3")
    assert str(err).splitlines()[2] == "        \t  ^"


def test_expected_list_is_short_and_in_user_words() -> None:
    err = error("SELECT a FROM t WHERE")
    assert "unexpected end of input" in err.message
    assert err.token is None
    assert "identifier" in err.expected and "number" in err.expected
    assert all(
        word == word.upper() or not word.isalpha() or " " in word or word.islower()
        for word in err.expected
    )
    shown = err.message.split("expected one of: ")[1].splitlines()[0]
    assert len(shown.split(", ")) <= 9  # eight words and "..."
    assert not any(word.islower() and "_" in word for word in err.expected)  # no rule names


def test_end_of_input_points_after_the_text() -> None:
    err = error("INSERT INTO t VALUES (1")
    assert err.message.startswith("syntax error at line 1, column 24: unexpected end of input")
    assert "')'" in err.expected and "','" in err.expected


def test_keyword_prefix_is_not_split_off_a_word() -> None:
    # BYX must not lex as BY + X: identifiers compete with keywords in every state.
    err = error("SELECT * FROM t ORDER BYX")
    assert err.token == "BYX" and err.expected == ("BY", "SIBLINGS")


@pytest.mark.parametrize(
    ("sql", "detail"),
    [
        ("SELECT 'abc", "unterminated string literal"),
        ('SELECT "abc FROM t', "unterminated quoted identifier"),
        ("SELECT 1 /* never closed", "unterminated comment"),
        ("SELECT @ FROM t", "unexpected character '@'"),
        ('SELECT "" FROM t', "empty quoted identifier"),
    ],
)
def test_lexical_errors(sql: str, detail: str) -> None:
    assert detail in error(sql).message


def test_error_positions_are_offsets_in_the_whole_script() -> None:
    sql = "SELECT 1;\nSELECT 2;\nSELECT FROM;"
    err = error(sql)
    assert err.line == 3 and err.position == sql.index("FROM")
    assert str(err).splitlines()[1] == "  SELECT FROM;"


def test_statement_errors_carry_positions() -> None:
    err = error("SELECT f(DISTINCT) FROM t")
    assert "DISTINCT needs an argument" in err.message and err.position == 7
    err = error("SELECT * FROM t OFFSET 1 GROUPS")
    assert "expected ROW or ROWS" in err.message
    err = error("SELECT a FROM t WINDOW w AS (ORDER BY a ROW 1 PRECEDING)")
    assert "ROWS, RANGE or GROUPS" in err.message


def test_parse_one_reports_through_the_same_error() -> None:
    with pytest.raises(SqlSyntaxError, match="unexpected 'TABEL'"):
        parse_one("DROP TABEL t")


def test_deep_nesting_does_not_depend_on_the_recursion_limit() -> None:
    depth = 5000
    assert len(parse("SELECT " + "f(" * depth + "1" + ")" * depth)) == 1
    assert len(parse("SELECT 1" + " OR a = 1" * depth)) == 1
    assert len(parse("SELECT " + "(" * depth + "1" + ")" * depth)) == 1  # parens add no nodes
