"""split_statements and is_complete: the scanner the CLI uses on partial input."""

from __future__ import annotations

import pytest

from heliosql.parser import StatementText, is_complete, split_statements


def texts(script: str) -> list[str]:
    return [piece.text for piece in split_statements(script)]


def test_split_on_top_level_semicolons() -> None:
    assert texts("SELECT 1; SELECT 2;") == ["SELECT 1", "SELECT 2"]
    assert texts("SELECT 1") == ["SELECT 1"]
    assert texts("") == [] and texts(" ;; \n ; ") == []


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("SELECT 'a;b'; SELECT 2", ["SELECT 'a;b'", "SELECT 2"]),
        ("SELECT 'it''s; ok'; x", ["SELECT 'it''s; ok'", "x"]),
        ('SELECT "a;b" FROM t; y', ['SELECT "a;b" FROM t', "y"]),
        ("SELECT 1 -- no; split\n; y", ["SELECT 1", "y"]),
        ("SELECT /* ; */ 1; y", ["SELECT /* ; */ 1", "y"]),
        ("-- lead; comment\nSELECT 1;", ["SELECT 1"]),
        ("/* only a comment */ ;", []),
        ("SELECT 'unterminated; still one", ["SELECT 'unterminated; still one"]),
        ("SELECT 1 /* open; comment", ["SELECT 1"]),
    ],
)
def test_quotes_and_comments_do_not_split(script: str, expected: list[str]) -> None:
    assert texts(script) == expected


def test_offsets_lines_and_columns() -> None:
    script = "SELECT 1;\n  -- c\n  INSERT INTO t\n  VALUES (1);"
    first, second = split_statements(script)
    assert first == StatementText("SELECT 1", 0, 1, 1)
    assert second.text == "INSERT INTO t\n  VALUES (1)"
    assert (second.line, second.column) == (3, 3)
    assert script[second.start :].startswith("INSERT")


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("SELECT 1;", True),
        ("SELECT 1;  \n", True),
        ("SELECT 1; -- done", True),
        ("SELECT 1; /* done */", True),
        ("SELECT 1; SELECT 2;", True),
        ("SELECT 1", False),
        ("SELECT 1; SELECT 2", False),
        ("SELECT ';", False),
        ('SELECT ";', False),
        ("SELECT 1 -- ;", False),
        ("SELECT 1; /* open", False),
        ("", False),
        ("   ", False),
        (";", True),
    ],
)
def test_is_complete(text: str, complete: bool) -> None:
    assert is_complete(text) is complete
