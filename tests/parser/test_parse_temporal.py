"""Flashback clauses on table references, and temporal words used as identifiers."""

from __future__ import annotations

import pytest
from parse_helpers import expr, select

from heliosql.errors import NotSupportedError, SqlSyntaxError
from heliosql.parser import parse_one
from heliosql.plan import (
    AsOf,
    Binary,
    BinaryOp,
    Column,
    CreateTable,
    Interval,
    IntervalField,
    Literal,
    Parameter,
    ParamStyle,
    ScalarSubquery,
    SpecialKind,
    SpecialValue,
    SubqueryRef,
    SystemTimeAll,
    SystemTimeAsOf,
    SystemTimeBetween,
    SystemTimeContainedIn,
    SystemTimeFromTo,
    TableRef,
    TemporalKind,
    TypedLiteral,
    Versions,
    VersionsBound,
)

SCN, TS = TemporalKind.SCN, TemporalKind.TIMESTAMP
HOUR_AGO = Binary(
    BinaryOp.SUB, SpecialValue(SpecialKind.SYSTIMESTAMP), Interval("1", IntervalField.HOUR)
)


def table(sql: str) -> TableRef:
    ref = select(sql).from_[0]
    assert isinstance(ref, TableRef), ref
    return ref


def test_as_of_scn_and_timestamp() -> None:
    assert table("SELECT * FROM emp AS OF SCN 42") == TableRef(
        ("emp",), None, AsOf(SCN, Literal(42))
    )
    ref = table("SELECT * FROM emp AS OF TIMESTAMP SYSTIMESTAMP - INTERVAL '1' HOUR e")
    assert ref == TableRef(("emp",), "e", AsOf(TS, HOUR_AGO))
    ref = table("SELECT * FROM emp AS OF TIMESTAMP TIMESTAMP '2024-01-01 00:00:00' AS e")
    assert ref.temporal == AsOf(TS, TypedLiteral("TIMESTAMP", "2024-01-01 00:00:00"))
    assert ref.alias == "e"
    ref = table("SELECT * FROM emp AS OF TIMESTAMP '2024-01-01'")
    assert ref.temporal == AsOf(TS, Literal("2024-01-01"))


def test_as_of_bounds_may_be_parameters_and_subqueries() -> None:
    ref = table("SELECT * FROM emp AS OF SCN :scn")
    assert ref.temporal == AsOf(SCN, Parameter(ParamStyle.NAMED, name="scn"))
    ref = table("SELECT * FROM emp AS OF SCN ?")
    assert ref.temporal == AsOf(SCN, Parameter(ParamStyle.QMARK, position=1))
    ref = table("SELECT * FROM emp AS OF SCN (SELECT max(scn) FROM marks)")
    assert isinstance(ref.temporal, AsOf) and isinstance(ref.temporal.expr, ScalarSubquery)


def test_each_reference_has_its_own_clause() -> None:
    block = select(
        "SELECT * FROM emp AS OF SCN 5 a JOIN emp AS OF TIMESTAMP SYSTIMESTAMP b ON a.id = b.id, "
        "emp c"
    )
    join, plain = block.from_
    assert join.left.temporal == AsOf(SCN, Literal(5))  # type: ignore[attr-defined]
    assert join.right.temporal == AsOf(TS, SpecialValue(SpecialKind.SYSTIMESTAMP))  # type: ignore[attr-defined]
    assert plain == TableRef(("emp",), "c")


def test_as_of_inside_subqueries_and_ctes() -> None:
    block = select(
        "WITH old AS (SELECT * FROM emp AS OF SCN 3) "
        "SELECT * FROM old, (SELECT * FROM dept AS OF SCN 4) d"
    )
    sub = block.from_[1]
    assert isinstance(sub, SubqueryRef)
    assert sub.query.body.from_[0].temporal == AsOf(SCN, Literal(4))  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("clause", "versions"),
    [
        (
            "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE",
            Versions(SCN, VersionsBound.MINVALUE, VersionsBound.MAXVALUE),
        ),
        ("VERSIONS BETWEEN SCN 10 AND 20", Versions(SCN, Literal(10), Literal(20))),
        (
            "VERSIONS BETWEEN TIMESTAMP SYSTIMESTAMP - INTERVAL '1' HOUR AND SYSTIMESTAMP",
            Versions(TS, HOUR_AGO, SpecialValue(SpecialKind.SYSTIMESTAMP)),
        ),
        (
            "VERSIONS BETWEEN SCN :lo AND MAXVALUE",
            Versions(SCN, Parameter(ParamStyle.NAMED, name="lo"), VersionsBound.MAXVALUE),
        ),
        (
            "VERSIONS BETWEEN SCN 1 + 1 AND 3 * 2",
            Versions(
                SCN,
                Binary(BinaryOp.ADD, Literal(1), Literal(1)),
                Binary(BinaryOp.MUL, Literal(3), Literal(2)),
            ),
        ),
        (
            "VERSIONS BETWEEN SCN 1 AND 9 AS OF SCN 5",
            Versions(SCN, Literal(1), Literal(9), AsOf(SCN, Literal(5))),
        ),
        (
            "VERSIONS BETWEEN TIMESTAMP MINVALUE AND MAXVALUE AS OF TIMESTAMP :t",
            Versions(
                TS,
                VersionsBound.MINVALUE,
                VersionsBound.MAXVALUE,
                AsOf(TS, Parameter(ParamStyle.NAMED, name="t")),
            ),
        ),
    ],
)
def test_versions_between(clause: str, versions: Versions) -> None:
    ref = table(f"SELECT * FROM emp {clause} v WHERE versions_operation = 'U'")
    assert ref.temporal == versions
    assert ref.alias == "v"


def test_versions_bounds_are_typed() -> None:
    with pytest.raises(ValueError, match="MAXVALUE cannot be the lower"):
        Versions(SCN, VersionsBound.MAXVALUE, Literal(1))
    with pytest.raises(ValueError, match="MINVALUE cannot be the upper"):
        Versions(SCN, Literal(1), VersionsBound.MINVALUE)
    with pytest.raises(SqlSyntaxError, match="MAXVALUE cannot be the lower bound"):
        parse_one("SELECT * FROM t VERSIONS BETWEEN SCN MAXVALUE AND 1")
    with pytest.raises(SqlSyntaxError, match="MINVALUE cannot be the upper bound"):
        parse_one("SELECT * FROM t VERSIONS BETWEEN SCN 1 AND MINVALUE")


@pytest.mark.parametrize(
    ("clause", "node"),
    [
        (
            "FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01'",
            SystemTimeAsOf(TS, TypedLiteral("TIMESTAMP", "2024-01-01")),
        ),
        (
            "FOR SYSTEM_TIME AS OF TIMESTAMP SYSTIMESTAMP",
            SystemTimeAsOf(TS, SpecialValue(SpecialKind.SYSTIMESTAMP)),
        ),
        ("FOR SYSTEM_TIME AS OF :t", SystemTimeAsOf(TS, Parameter(ParamStyle.NAMED, name="t"))),
        ("FOR SYSTEM_TIME AS OF SCN 7", SystemTimeAsOf(SCN, Literal(7))),
        (
            "FOR SYSTEM_TIME BETWEEN :a AND :b",
            SystemTimeBetween(
                Parameter(ParamStyle.NAMED, name="a"), Parameter(ParamStyle.NAMED, name="b")
            ),
        ),
        (
            "FOR SYSTEM_TIME FROM DATE '2024-01-01' TO DATE '2024-02-01'",
            SystemTimeFromTo(
                TypedLiteral("DATE", "2024-01-01"), TypedLiteral("DATE", "2024-02-01")
            ),
        ),
        ("FOR SYSTEM_TIME CONTAINED IN (1, 2)", SystemTimeContainedIn(Literal(1), Literal(2))),
        ("FOR SYSTEM_TIME ALL", SystemTimeAll()),
    ],
)
def test_system_time(clause: str, node: object) -> None:
    ref = table(f"SELECT * FROM emp {clause} e")
    assert ref.temporal == node
    assert ref.alias == "e"


@pytest.mark.parametrize(
    "clauses",
    [
        "AS OF SCN 1 AS OF SCN 2",
        "AS OF SCN 1 VERSIONS BETWEEN SCN 1 AND 2",
        "VERSIONS BETWEEN SCN 1 AND 2 AS OF SCN 3 AS OF SCN 4",
        "FOR SYSTEM_TIME ALL AS OF SCN 1",
        "AS OF TIMESTAMP SYSDATE FOR SYSTEM_TIME ALL",
    ],
)
def test_two_clauses_on_one_reference_is_ora_25166(clauses: str) -> None:
    sql = f"SELECT * FROM emp {clauses}"
    with pytest.raises(SqlSyntaxError) as caught:
        parse_one(sql)
    err = caught.value
    assert err.code == "ORA-25166"
    assert str(err).startswith("ORA-25166: ")
    assert "only one AS OF or VERSIONS clause" in err.message
    # The caret points at the second clause.
    assert err.position is not None and err.position > sql.index(clauses)


def test_valid_time_periods_are_parsed_and_rejected() -> None:
    with pytest.raises(NotSupportedError, match="VERSIONS PERIOD FOR"):
        parse_one("SELECT * FROM t VERSIONS PERIOD FOR valid_time BETWEEN 1 AND 2")
    with pytest.raises(NotSupportedError, match="AS OF PERIOD FOR"):
        parse_one("SELECT * FROM t AS OF PERIOD FOR valid_time SYSDATE")


def test_temporal_clause_span_starts_at_its_keyword() -> None:
    sql = "SELECT * FROM emp AS OF SCN 5 e"
    span = table(sql).temporal.span  # type: ignore[union-attr]
    assert span is not None and sql[span.start : span.end] == "AS OF SCN 5"


# --- temporal and other keywords stay usable as identifiers --------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "scn",
        "versions",
        "minvalue",
        "maxvalue",
        "timestamp",
        "date",
        "period",
        "system_time",
        "contained",
        "key",
        "name",
        "type",
        "comment",
        "status",
        "archive",
        "flashback",
        "purge",
        "retention",
        "rows",
        "day",
        "hour",
        "year",
        "restore",
        "point",
        "backout",
        "transaction",
        "savepoint",
        "work",
        "recyclebin",
        "text",
        "value",
        "level",
        "row",
        "first",
        "last",
    ],
)
def test_keywords_as_column_names(word: str) -> None:
    block = select(f"SELECT {word}, t.{word} FROM t WHERE {word} = 1 ORDER BY {word}")
    assert block.items[0].expr == Column(word)
    assert block.items[1].expr == Column(word, ("t",))
    ddl = parse_one(f"CREATE TABLE t ({word} INT, x INT)")
    assert isinstance(ddl, CreateTable) and ddl.columns[0].name == word


@pytest.mark.parametrize("word", ["scn", "versions", "date", "timestamp", "status", "key"])
def test_keywords_as_aliases(word: str) -> None:
    block = select(f"SELECT a {word}, b AS {word} FROM t {word}")
    assert [i.alias for i in block.items] == [word, word]
    assert block.from_[0] == TableRef(("t",), word)


def test_versions_alias_does_not_start_a_clause() -> None:
    ref = table("SELECT * FROM t versions WHERE versions.a = 1")
    assert ref == TableRef(("t",), "versions")


def test_temporal_bound_may_name_a_column_called_scn() -> None:
    # Parsing accepts it; the binder rejects column references in AS OF bounds.
    assert table("SELECT * FROM t AS OF SCN scn").temporal == AsOf(SCN, Column("scn"))


def test_pseudocolumns_are_plain_columns() -> None:
    assert expr("versions_startscn") == Column("versions_startscn")
    assert expr("v.VERSIONS_OPERATION") == Column("VERSIONS_OPERATION", ("v",))
