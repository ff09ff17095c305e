"""``t FLASHBACK TRANSACTION xid``: a table-reference clause, next to the BACKOUT statement."""

from __future__ import annotations

import pytest

from heliosql.errors import SqlSyntaxError
from heliosql.parser import parse_one
from heliosql.plan.expressions import Literal, Parameter
from heliosql.plan.flashback import BackoutMode, FlashbackTransaction
from heliosql.plan.relations import TableRef
from heliosql.plan.temporal import TransactionVersions


def _ref(sql: str) -> TableRef:
    ref = parse_one(sql).query.body.from_[0]
    assert isinstance(ref, TableRef)
    return ref


def test_clause_between_name_and_alias() -> None:
    ref = _ref("SELECT * FROM emp FLASHBACK TRANSACTION :x e")
    assert ref.alias == "e"
    assert isinstance(ref.temporal, TransactionVersions)
    assert isinstance(ref.temporal.xid, Parameter)
    assert _ref("select * from emp flashback transaction 42").temporal == TransactionVersions(
        Literal(42))


def test_flashback_stays_usable_as_an_alias_and_name() -> None:
    assert _ref("SELECT * FROM emp flashback").alias == "flashback"
    assert _ref("SELECT * FROM flashback AS flashback").name == ("flashback",)


def test_statement_and_second_clause() -> None:
    statement = parse_one("FLASHBACK TRANSACTION 7 BACKOUT CASCADE")
    assert statement == FlashbackTransaction(Literal(7), BackoutMode.CASCADE)
    with pytest.raises(SqlSyntaxError, match="only one AS OF or VERSIONS"):
        parse_one("SELECT * FROM emp FLASHBACK TRANSACTION 7 AS OF SCN 3")
