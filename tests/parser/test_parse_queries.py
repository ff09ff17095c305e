"""Query shape: select lists, FROM and joins, grouping, set operations, ORDER BY, limits."""

from __future__ import annotations

import pytest
from parse_helpers import query, select

from heliosql.plan import (
    Binary,
    BinaryOp,
    Column,
    Join,
    JoinKind,
    Limit,
    Literal,
    NullsOrder,
    Query,
    Select,
    SelectItem,
    SetOperation,
    SetOpKind,
    Star,
    SubqueryRef,
    TableRef,
)


def test_select_list_and_aliases() -> None:
    block = select('SELECT a, b x, c AS y, t.*, *, 1 "Z" FROM t')
    assert block.items == (
        SelectItem(Column("a")),
        SelectItem(Column("b"), "x"),
        SelectItem(Column("c"), "y"),
        SelectItem(Star(("t",))),
        SelectItem(Star()),
        SelectItem(Literal(1), "Z"),
    )
    assert not block.distinct
    assert select("SELECT DISTINCT a FROM t").distinct
    assert not select("SELECT ALL a FROM t").distinct
    assert select("SELECT 1").from_ == ()


def test_from_dual_and_dollar_names() -> None:
    assert select("SELECT 1 FROM DUAL").from_ == (TableRef(("DUAL",)),)
    assert select("SELECT current_scn FROM V$DATABASE").from_ == (TableRef(("V$DATABASE",)),)
    assert select("SELECT * FROM hr.emp e").from_ == (TableRef(("hr", "emp"), "e"),)
    assert select("SELECT * FROM emp AS e").from_ == (TableRef(("emp",), "e"),)


def test_comma_joins_stay_a_list() -> None:
    assert select("SELECT * FROM a, b x").from_ == (TableRef(("a",)), TableRef(("b",), "x"))


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("a JOIN b ON a.id = b.id", JoinKind.INNER),
        ("a INNER JOIN b ON a.id = b.id", JoinKind.INNER),
        ("a LEFT JOIN b ON a.id = b.id", JoinKind.LEFT),
        ("a LEFT OUTER JOIN b ON a.id = b.id", JoinKind.LEFT),
        ("a RIGHT JOIN b ON a.id = b.id", JoinKind.RIGHT),
        ("a RIGHT OUTER JOIN b ON a.id = b.id", JoinKind.RIGHT),
        ("a FULL JOIN b ON a.id = b.id", JoinKind.FULL),
        ("a FULL OUTER JOIN b ON a.id = b.id", JoinKind.FULL),
    ],
)
def test_join_kinds(sql: str, kind: JoinKind) -> None:
    (join,) = select(f"SELECT * FROM {sql}").from_
    assert join == Join(
        kind,
        TableRef(("a",)),
        TableRef(("b",)),
        on=Binary(BinaryOp.EQ, Column("id", ("a",)), Column("id", ("b",))),
    )


def test_cross_natural_using_and_chains() -> None:
    (join,) = select("SELECT * FROM a CROSS JOIN b").from_
    assert join == Join(JoinKind.CROSS, TableRef(("a",)), TableRef(("b",)))
    (join,) = select("SELECT * FROM a NATURAL JOIN b").from_
    assert join == Join(JoinKind.INNER, TableRef(("a",)), TableRef(("b",)), natural=True)
    (join,) = select("SELECT * FROM a NATURAL LEFT JOIN b").from_
    assert join.kind is JoinKind.LEFT and join.natural  # type: ignore[attr-defined]
    (join,) = select("SELECT * FROM a JOIN b USING (id, k)").from_
    assert join.using == ("id", "k")  # type: ignore[attr-defined]
    (join,) = select("SELECT * FROM a JOIN b ON x LEFT JOIN c ON y").from_
    assert isinstance(join, Join) and join.kind is JoinKind.LEFT
    assert isinstance(join.left, Join) and join.right == TableRef(("c",))


def test_derived_tables() -> None:
    (sub,) = select("SELECT * FROM (SELECT 1 a) s").from_
    assert isinstance(sub, SubqueryRef) and sub.alias == "s"
    (sub,) = select("SELECT * FROM (SELECT 1, 2) AS s (x, y)").from_
    assert isinstance(sub, SubqueryRef) and sub.column_aliases == ("x", "y")
    (sub,) = select("SELECT * FROM (SELECT 1)").from_
    assert isinstance(sub, SubqueryRef) and sub.alias is None


def test_where_group_having_window() -> None:
    block = select(
        "SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a, c HAVING count(*) > 2 "
        "WINDOW w AS (PARTITION BY a)"
    )
    assert block.where == Binary(BinaryOp.GT, Column("b"), Literal(1))
    assert block.group_by == (Column("a"), Column("c"))
    assert isinstance(block.having, Binary)
    assert block.windows[0].name == "w"
    assert block.windows[0].spec.partition_by == (Column("a"),)


def test_order_by() -> None:
    q = query("SELECT a FROM t ORDER BY a, b DESC, c ASC NULLS FIRST, d DESC NULLS LAST")
    assert [(o.expr, o.descending, o.nulls) for o in q.order_by] == [
        (Column("a"), False, None),
        (Column("b"), True, None),
        (Column("c"), False, NullsOrder.FIRST),
        (Column("d"), True, NullsOrder.LAST),
    ]


@pytest.mark.parametrize(
    ("tail", "limit"),
    [
        ("LIMIT 10", Limit(Literal(10))),
        ("LIMIT 10 OFFSET 5", Limit(Literal(10), Literal(5))),
        ("OFFSET 5 ROWS", Limit(None, Literal(5))),
        ("OFFSET 5", Limit(None, Literal(5))),
        ("OFFSET 5 ROWS FETCH FIRST 10 ROWS ONLY", Limit(Literal(10), Literal(5))),
        ("OFFSET 1 ROW FETCH NEXT 1 ROW ONLY", Limit(Literal(1), Literal(1))),
        ("FETCH FIRST 3 ROWS ONLY", Limit(Literal(3))),
        ("FETCH FIRST ROW ONLY", Limit(Literal(1))),
        ("LIMIT :n", None),
    ],
)
def test_limits(tail: str, limit: Limit | None) -> None:
    q = query(f"SELECT a FROM t {tail}")
    assert q.limit is not None
    if limit is not None:
        assert q.limit == limit


def test_set_operations_are_left_to_right() -> None:
    q = query("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 MINUS SELECT 4")
    top = q.body
    assert isinstance(top, SetOperation) and top.op is SetOpKind.EXCEPT
    assert isinstance(top.left, SetOperation) and top.left.op is SetOpKind.INTERSECT
    assert isinstance(top.left.left, SetOperation) and top.left.left.op is SetOpKind.UNION
    q = query("SELECT 1 UNION ALL SELECT 2 EXCEPT ALL SELECT 3")
    assert q.body.all and q.body.left.all  # type: ignore[union-attr]


def test_parenthesised_set_operands_and_outer_order() -> None:
    q = query("(SELECT a FROM t ORDER BY a LIMIT 1) UNION (SELECT b FROM u) ORDER BY 1")
    assert isinstance(q.body, SetOperation)
    assert isinstance(q.body.left, Query) and q.body.left.limit == Limit(Literal(1))
    assert q.order_by[0].expr == Literal(1)
    q = query("SELECT 1 UNION (SELECT 2 UNION SELECT 3)")
    assert isinstance(q.body.right, Query)  # type: ignore[union-attr]
    assert isinstance(query("(SELECT 1)").body, Query)


def test_with_and_recursive() -> None:
    q = query(
        "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5), "
        "s AS (SELECT 2) SELECT * FROM r, s"
    )
    assert q.with_ is not None and q.with_.recursive
    assert [c.name for c in q.with_.ctes] == ["r", "s"]
    assert q.with_.ctes[0].columns == ("n",)
    assert isinstance(q.with_.ctes[0].query.body, SetOperation)
    assert not query("WITH x AS (SELECT 1) SELECT * FROM x").with_.recursive  # type: ignore[union-attr]


def test_nested_queries_have_their_own_order_and_limit() -> None:
    block = select("SELECT * FROM (SELECT a FROM t ORDER BY a FETCH FIRST 1 ROWS ONLY) x")
    sub = block.from_[0]
    assert isinstance(sub, SubqueryRef) and sub.query.limit == Limit(Literal(1))
    assert isinstance(sub.query.body, Select)


def test_for_update_is_recorded() -> None:
    assert query("SELECT * FROM t FOR UPDATE").for_update
    assert query("SELECT * FROM t AS OF SCN 5 ORDER BY a FOR UPDATE").for_update
    assert not query("SELECT * FROM t FOR SYSTEM_TIME ALL").for_update


def test_parenthesised_joins() -> None:
    (join,) = select("SELECT * FROM (a JOIN b ON x) LEFT JOIN c ON y").from_
    assert isinstance(join, Join) and join.kind is JoinKind.LEFT
    assert isinstance(join.left, Join) and join.left.right == TableRef(("b",))
    (join,) = select("SELECT * FROM a CROSS JOIN (b NATURAL JOIN c)").from_
    assert isinstance(join, Join) and isinstance(join.right, Join) and join.right.natural
    (join,) = select("SELECT * FROM ((SELECT 1) s JOIN b ON x)").from_
    assert isinstance(join, Join) and isinstance(join.left, SubqueryRef)
    (sub,) = select("SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u").from_
    assert isinstance(sub, SubqueryRef) and isinstance(sub.query.body, SetOperation)
