"""INSERT, UPDATE, DELETE, MERGE and ON CONFLICT."""

from __future__ import annotations

import pytest
from parse_helpers import stmt

from heliosql.errors import SqlSyntaxError
from heliosql.parser import parse_one
from heliosql.plan import (
    Assignment,
    Binary,
    BinaryOp,
    Column,
    DefaultValue,
    Delete,
    Insert,
    InsertValues,
    Literal,
    Merge,
    MergeDelete,
    MergeInsert,
    MergeUpdate,
    OnConflict,
    Query,
    ScalarSubquery,
    SelectItem,
    Star,
    SubqueryRef,
    TableRef,
    Update,
)


def test_insert_values_many_rows() -> None:
    node = stmt("INSERT INTO t VALUES (1, 'a'), (2, DEFAULT)", Insert)
    assert node.table == TableRef(("t",))  # type: ignore[attr-defined]
    assert node.source == InsertValues(  # type: ignore[attr-defined]
        ((Literal(1), Literal("a")), (Literal(2), DefaultValue()))
    )
    assert node.columns == ()  # type: ignore[attr-defined]


def test_insert_columns_select_returning() -> None:
    node = stmt("INSERT INTO s.t (a, b) SELECT a, b FROM u RETURNING a, b AS bb", Insert)
    assert node.table.name == ("s", "t")  # type: ignore[attr-defined]
    assert node.columns == ("a", "b")  # type: ignore[attr-defined]
    assert isinstance(node.source, Query)  # type: ignore[attr-defined]
    assert node.returning == (SelectItem(Column("a")), SelectItem(Column("b"), "bb"))  # type: ignore[attr-defined]
    node = stmt("INSERT INTO t WITH x AS (SELECT 1) SELECT * FROM x", Insert)
    assert node.source.with_ is not None  # type: ignore[attr-defined]
    node = stmt("INSERT INTO t (SELECT 1)", Insert)
    assert isinstance(node.source, Query)  # type: ignore[attr-defined]


def test_values_rows_must_agree() -> None:
    with pytest.raises(SqlSyntaxError, match="same number of values"):
        parse_one("INSERT INTO t VALUES (1), (1, 2)")


def test_on_conflict() -> None:
    node = stmt("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", Insert)
    assert node.on_conflict == OnConflict()  # type: ignore[attr-defined]
    node = stmt(
        "INSERT INTO t (id, v) VALUES (1, 2) ON CONFLICT (id) "
        "DO UPDATE SET v = excluded.v, t.w = 1 WHERE t.v < excluded.v",
        Insert,
    )
    assert node.on_conflict == OnConflict(  # type: ignore[attr-defined]
        ("id",),
        True,
        (Assignment(("v",), Column("v", ("excluded",))), Assignment(("w",), Literal(1))),
        Binary(BinaryOp.LT, Column("v", ("t",)), Column("v", ("excluded",))),
    )


def test_update() -> None:
    node = stmt(
        "UPDATE emp e SET sal = sal * 2, bonus = DEFAULT, "
        "(a, b) = (SELECT 1, 2), c = (SELECT max(c) FROM x WHERE x.id = e.id) "
        "FROM dept d WHERE e.dept = d.id RETURNING *",
        Update,
    )
    assert node.table == TableRef(("emp",), "e")  # type: ignore[attr-defined]
    a = node.assignments  # type: ignore[attr-defined]
    assert a[0] == Assignment(("sal",), Binary(BinaryOp.MUL, Column("sal"), Literal(2)))
    assert a[1] == Assignment(("bonus",), DefaultValue())
    assert a[2].columns == ("a", "b") and isinstance(a[2].value, ScalarSubquery)
    assert isinstance(a[3].value, ScalarSubquery)
    assert node.from_ == (TableRef(("dept",), "d"),)  # type: ignore[attr-defined]
    assert node.returning == (SelectItem(Star()),)  # type: ignore[attr-defined]
    node = stmt("UPDATE t SET t.a = 1", Update)
    assert node.assignments == (Assignment(("a",), Literal(1)),)  # type: ignore[attr-defined]


def test_set_target_must_belong_to_the_table() -> None:
    with pytest.raises(SqlSyntaxError, match=r"SET can only assign columns of e, not x\.a"):
        parse_one("UPDATE emp e SET x.a = 1")


def test_delete() -> None:
    node = stmt("DELETE FROM t WHERE a = 1 RETURNING a", Delete)
    assert node == Delete(
        TableRef(("t",)), Binary(BinaryOp.EQ, Column("a"), Literal(1)), (SelectItem(Column("a")),)
    )
    node = stmt("DELETE t x WHERE x.a = 1", Delete)  # Oracle: FROM is optional
    assert node.table == TableRef(("t",), "x")  # type: ignore[attr-defined]
    assert stmt("DELETE FROM t", Delete) == Delete(TableRef(("t",)))


def test_merge() -> None:
    node = stmt(
        "MERGE INTO emp t USING (SELECT * FROM staging) s ON (t.id = s.id) "
        "WHEN MATCHED AND s.deleted = 1 THEN DELETE "
        "WHEN MATCHED THEN UPDATE SET t.sal = s.sal WHERE s.sal > 0 "
        "WHEN NOT MATCHED THEN INSERT (id, sal) VALUES (s.id, s.sal)",
        Merge,
    )
    assert node.target == TableRef(("emp",), "t")  # type: ignore[attr-defined]
    assert isinstance(node.source, SubqueryRef) and node.source.alias == "s"  # type: ignore[attr-defined]
    assert node.on == Binary(BinaryOp.EQ, Column("id", ("t",)), Column("id", ("s",)))  # type: ignore[attr-defined]
    delete, update, insert = node.actions  # type: ignore[attr-defined]
    assert delete == MergeDelete(Binary(BinaryOp.EQ, Column("deleted", ("s",)), Literal(1)))
    assert update == MergeUpdate(
        (Assignment(("sal",), Column("sal", ("s",))),),
        None,
        Binary(BinaryOp.GT, Column("sal", ("s",)), Literal(0)),
    )
    assert insert == MergeInsert((Column("id", ("s",)), Column("sal", ("s",))), ("id", "sal"))


def test_merge_source_may_be_a_table_as_of() -> None:
    node = stmt(
        "MERGE INTO t USING t AS OF SCN 5 o ON (t.id = o.id) "
        "WHEN NOT MATCHED AND o.x > 0 THEN INSERT VALUES (o.id)",
        Merge,
    )
    assert node.source.temporal is not None  # type: ignore[attr-defined]
    assert node.actions[0].condition is not None  # type: ignore[attr-defined]


def test_merge_oracle_delete_where_and_insert_where() -> None:
    node = stmt(
        "MERGE INTO t USING s ON (t.id = s.id) "
        "WHEN NOT MATCHED THEN INSERT VALUES (s.id, DEFAULT) WHERE s.x > 0 "
        "WHEN MATCHED THEN UPDATE SET x = s.x WHERE s.x <> t.x DELETE WHERE t.x = 0",
        Merge,
    )
    insert, update = node.actions  # type: ignore[attr-defined]
    positive = Binary(BinaryOp.GT, Column("x", ("s",)), Literal(0))
    assert insert == MergeInsert((Column("id", ("s",)), DefaultValue()), (), None, positive)
    assert update.where == Binary(BinaryOp.NE, Column("x", ("s",)), Column("x", ("t",)))
    assert update.delete_where == Binary(BinaryOp.EQ, Column("x", ("t",)), Literal(0))


def test_merge_refuses_returning() -> None:
    with pytest.raises(SqlSyntaxError, match="RETURNING is not supported with MERGE"):
        parse_one("MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN DELETE RETURNING id")


def test_merge_insert_counts_must_match() -> None:
    with pytest.raises(SqlSyntaxError, match="different number"):
        parse_one("MERGE INTO t USING s ON (1 = 1) WHEN NOT MATCHED THEN INSERT (a, b) VALUES (1)")


def test_dml_target_cannot_have_a_flashback_clause() -> None:
    with pytest.raises(SqlSyntaxError):
        parse_one("UPDATE t AS OF SCN 5 SET a = 1")
    with pytest.raises(SqlSyntaxError):
        parse_one("INSERT INTO t AS OF SCN 5 VALUES (1)")
