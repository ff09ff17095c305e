"""The pure completion engine, driven with plain strings (``|`` marks the cursor)."""

from __future__ import annotations

import pytest

from heliosql.cli.repl.completion import Schema, complete, functions, keywords

SCHEMA = Schema(
    {"emp": ("id", "name", "salary"), "dept": ("id", "dname"), "employee_log": ("at",)},
    variables=("who", "when_scn"),
    commands=(".help", ".tables", ".timing"),
)


def offered(text: str) -> list[str]:
    cursor = text.index("|")
    found = complete(text.replace("|", ""), SCHEMA, cursor)
    return [c.text for c in found.candidates]


def test_table_after_from() -> None:
    assert offered("SELECT * FROM e|") == ["emp", "employee_log"]
    assert offered("SELECT * FROM emp JOIN d|") == ["dept"]


def test_tables_only_after_table_context_words() -> None:
    assert offered("UPDATE |") == ["emp", "dept", "employee_log"]
    assert offered("FLASHBACK TABLE |") == ["emp", "dept", "employee_log"]


def test_columns_of_tables_named_anywhere_in_the_statement() -> None:
    # FROM comes after the cursor: the whole statement is read, not just what precedes it.
    assert offered("SELECT sa| FROM emp")[:1] == ["salary"]
    assert "dname" not in offered("SELECT | FROM emp")
    assert offered("SELECT dn| FROM emp, dept")[:1] == ["dname"]


def test_columns_after_alias_or_table_qualifier() -> None:
    assert offered("SELECT e.| FROM emp e")[:3] == ["id", "name", "salary"]
    assert offered("SELECT x.na| FROM emp AS x") == ["name"]
    assert offered("SELECT dept.d|") == ["dname"]


def test_pseudocolumns() -> None:
    assert offered("SELECT versions_st| FROM emp VERSIONS BETWEEN SCN 1 AND 2") == [
        "versions_startscn", "versions_starttime"]
    assert "ORA_ROWSCN" in offered("SELECT | FROM emp")


def test_flashback_continuations() -> None:
    assert offered("SELECT * FROM emp AS OF |") == ["SCN", "TIMESTAMP"]
    assert offered("SELECT * FROM emp VERSIONS |") == ["BETWEEN"]
    assert offered("SELECT * FROM emp VERSIONS BETWEEN |") == ["SCN", "TIMESTAMP"]
    assert "AS OF SCN" in offered("SELECT * FROM emp A|")


def test_keywords_follow_the_case_typed() -> None:
    assert offered("sel|") == ["select"]
    assert offered("SEL|") == ["SELECT"]
    assert offered("flash|") == ["flashback table", "flashback"]


def test_functions_and_keywords_come_from_the_code() -> None:
    assert {"SELECT", "VERSIONS", "FLASHBACK", "SCN"} <= set(keywords())
    assert {"TO_CHAR", "NVL", "SCN_TO_TIMESTAMP"} <= set(functions())
    assert "TO_CHAR" in offered("SELECT TO_C|")


def test_variables_after_colon() -> None:
    assert offered("SELECT * FROM emp WHERE id = :w|") == ["who", "when_scn"]
    assert offered("SELECT x::|") != ["who", "when_scn"]


def test_dot_commands() -> None:
    assert offered(".t|") == [".tables", ".timing"]


@pytest.mark.parametrize("text", ["", "|", "SELECT 'unterminated|", "-- comment |"])
def test_never_fails(text: str) -> None:
    cursor = text.index("|") if "|" in text else len(text)
    complete(text.replace("|", ""), SCHEMA, cursor)


def test_replacement_length() -> None:
    assert complete("SELECT * FROM em", SCHEMA).length == 2
    assert complete("SELECT e.na FROM emp e", SCHEMA, 11).length == 2
