"""Transaction control, utility statements, flashback operations, scripts and spans."""

from __future__ import annotations

import pytest
from parse_helpers import stmt

from heliosql.errors import SqlSyntaxError
from heliosql.parser import parse, parse_one
from heliosql.plan import (
    AlterFlashbackArchive,
    ArchiveModifyRetention,
    ArchivePurge,
    ArchiveSetDefault,
    ArchiveTablespace,
    AsOf,
    BackoutMode,
    Begin,
    Binary,
    Commit,
    CreateFlashbackArchive,
    CreateRestorePoint,
    Describe,
    DropFlashbackArchive,
    DropRestorePoint,
    Explain,
    FlashbackTable,
    FlashbackTransaction,
    FunctionCall,
    Insert,
    Literal,
    Parameter,
    ParamStyle,
    PurgeRecycleBin,
    PurgeTable,
    QueryStatement,
    Quota,
    ReleaseSavepoint,
    Retention,
    RetentionUnit,
    Rollback,
    Savepoint,
    SetTransaction,
    ShowRecycleBin,
    ShowTables,
    TemporalKind,
    ToBeforeDrop,
    ToRestorePoint,
)


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("BEGIN", Begin()),
        ("begin transaction", Begin()),
        ("BEGIN WORK", Begin()),
        ("START TRANSACTION", Begin()),
        ("COMMIT", Commit()),
        ("COMMIT WORK", Commit()),
        ("ROLLBACK", Rollback()),
        ("ROLLBACK WORK", Rollback()),
        ("ROLLBACK TO SAVEPOINT s1", Rollback("s1")),
        ("ROLLBACK TO s1", Rollback("s1")),
        ("SAVEPOINT s1", Savepoint("s1")),
        ("RELEASE SAVEPOINT s1", ReleaseSavepoint("s1")),
        ("RELEASE s1", ReleaseSavepoint("s1")),
        ("SET TRANSACTION NAME 'pay raise'", SetTransaction("pay raise")),
        ("SHOW TABLES", ShowTables()),
        ("DESCRIBE hr.emp", Describe(("hr", "emp"))),
        ("DESC emp", Describe(("emp",))),
        ("SHOW RECYCLEBIN", ShowRecycleBin()),
        ("PURGE TABLE emp", PurgeTable(("emp",))),
        ("PURGE RECYCLEBIN", PurgeRecycleBin()),
        ("PURGE DBA_RECYCLEBIN", PurgeRecycleBin(dba=True)),
        ("CREATE RESTORE POINT before_upgrade", CreateRestorePoint("before_upgrade")),
        (
            "CREATE RESTORE POINT rp AS OF SCN 10",
            CreateRestorePoint("rp", AsOf(TemporalKind.SCN, Literal(10))),
        ),
        ("DROP RESTORE POINT rp", DropRestorePoint("rp")),
        ("DROP FLASHBACK ARCHIVE fa", DropFlashbackArchive("fa")),
    ],
)
def test_simple_statements(sql: str, node: object) -> None:
    assert parse_one(sql) == node


def test_explain() -> None:
    node = stmt("EXPLAIN SELECT 1", Explain)
    assert isinstance(node.statement, QueryStatement) and not node.analyze  # type: ignore[attr-defined]
    node = stmt("EXPLAIN ANALYZE INSERT INTO t VALUES (1)", Explain)
    assert isinstance(node.statement, Insert) and node.analyze  # type: ignore[attr-defined]
    with pytest.raises(SqlSyntaxError, match="cannot explain an EXPLAIN"):
        parse_one("EXPLAIN EXPLAIN SELECT 1")


def test_flashback_table() -> None:
    node = stmt("FLASHBACK TABLE emp, dept TO SCN 42", FlashbackTable)
    assert node == FlashbackTable((("emp",), ("dept",)), AsOf(TemporalKind.SCN, Literal(42)))
    node = stmt("FLASHBACK TABLE emp TO TIMESTAMP SYSTIMESTAMP - 1", FlashbackTable)
    assert node.target.kind is TemporalKind.TIMESTAMP  # type: ignore[attr-defined]
    node = stmt("FLASHBACK TABLE emp TO RESTORE POINT rp", FlashbackTable)
    assert node.target == ToRestorePoint("rp")  # type: ignore[attr-defined]
    node = stmt("FLASHBACK TABLE emp TO BEFORE DROP", FlashbackTable)
    assert node.target == ToBeforeDrop()  # type: ignore[attr-defined]
    node = stmt('FLASHBACK TABLE "BIN$abc$0" TO BEFORE DROP RENAME TO emp2', FlashbackTable)
    assert node.tables == (("BIN$abc$0",),)  # type: ignore[attr-defined]
    assert node.target == ToBeforeDrop(("emp2",))  # type: ignore[attr-defined]
    with pytest.raises(SqlSyntaxError, match="exactly one table"):
        parse_one("FLASHBACK TABLE a, b TO BEFORE DROP")


def test_flashback_transaction() -> None:
    node = stmt("FLASHBACK TRANSACTION HEXTORAW('0500') BACKOUT", FlashbackTransaction)
    assert isinstance(node.xid, FunctionCall) and node.mode is BackoutMode.NOCASCADE  # type: ignore[attr-defined]
    for mode in BackoutMode:
        node = stmt(f"FLASHBACK TRANSACTION :x BACKOUT {mode.value.lower()}", FlashbackTransaction)
        assert node == FlashbackTransaction(Parameter(ParamStyle.NAMED, name="x"), mode)


def test_flashback_archives() -> None:
    node = stmt(
        "CREATE FLASHBACK ARCHIVE DEFAULT fa TABLESPACE ts QUOTA 10 G RETENTION 1 YEAR",
        CreateFlashbackArchive,
    )
    assert node == CreateFlashbackArchive(
        "fa", Retention(1, RetentionUnit.YEAR), True, "ts", Quota(10, "G")
    )
    node = stmt("CREATE FLASHBACK ARCHIVE fa RETENTION 30 DAYS", CreateFlashbackArchive)
    assert node == CreateFlashbackArchive("fa", Retention(30, RetentionUnit.DAY))
    cases = {
        "SET DEFAULT": ArchiveSetDefault(),
        "MODIFY RETENTION 2 MONTH": ArchiveModifyRetention(Retention(2, RetentionUnit.MONTH)),
        "ADD TABLESPACE ts2 QUOTA 5 M": ArchiveTablespace("ADD", "ts2", Quota(5, "M")),
        "MODIFY TABLESPACE ts2": ArchiveTablespace("MODIFY", "ts2"),
        "REMOVE TABLESPACE ts2": ArchiveTablespace("REMOVE", "ts2"),
        "PURGE ALL": ArchivePurge(),
        "PURGE BEFORE SCN 100": ArchivePurge(AsOf(TemporalKind.SCN, Literal(100))),
    }
    for text, action in cases.items():
        node = stmt(f"ALTER FLASHBACK ARCHIVE fa {text}", AlterFlashbackArchive)
        assert node == AlterFlashbackArchive("fa", action)
    node = stmt(
        "ALTER FLASHBACK ARCHIVE fa PURGE BEFORE TIMESTAMP SYSTIMESTAMP", AlterFlashbackArchive
    )
    assert node.action.before.kind is TemporalKind.TIMESTAMP  # type: ignore[attr-defined]
    with pytest.raises(SqlSyntaxError, match="DAY, MONTH or YEAR"):
        parse_one("CREATE FLASHBACK ARCHIVE fa RETENTION 1 HOUR")
    with pytest.raises(SqlSyntaxError, match="positive"):
        parse_one("CREATE FLASHBACK ARCHIVE fa RETENTION 0 DAY")


def test_scripts() -> None:
    assert parse("") == []
    assert parse("  ;; -- nothing\n ; ") == []
    statements = parse("SELECT 1; INSERT INTO t VALUES (';'); COMMIT;")
    assert [type(s).__name__ for s in statements] == ["QueryStatement", "Insert", "Commit"]
    assert len(parse("select 1;")) == 1


def test_parse_one_wants_exactly_one_statement() -> None:
    assert isinstance(parse_one("COMMIT;"), Commit)
    with pytest.raises(SqlSyntaxError, match="found none"):
        parse_one(" ; ")
    with pytest.raises(SqlSyntaxError, match="found 2") as caught:
        parse_one("COMMIT; ROLLBACK")
    assert caught.value.position == 8


def test_statement_spans_cover_the_statement_text() -> None:
    sql = "  -- lead\nSELECT a\n  FROM t;\n\nINSERT INTO t VALUES (1)  ;"
    first, second = parse(sql)
    assert first.span is not None and second.span is not None
    assert sql[first.span.start : first.span.end] == "SELECT a\n  FROM t"
    assert (first.span.line, first.span.column) == (2, 1)
    assert sql[second.span.start : second.span.end] == "INSERT INTO t VALUES (1)"
    assert (second.span.line, second.span.column) == (5, 1)


def test_expression_spans() -> None:
    sql = "SELECT a + 1, f(x, 'y') FROM tab AS OF SCN 5 t"
    stmt_ = parse_one(sql)
    block = stmt_.query.body  # type: ignore[attr-defined]
    plus, call = (item.expr for item in block.items)
    assert isinstance(plus, Binary)
    assert sql[plus.span.start : plus.span.end] == "a + 1"
    assert sql[plus.left.span.start : plus.left.span.end] == "a"
    assert sql[call.span.start : call.span.end] == "f(x, 'y'"  # the dropped ')' is not a token
    ref = block.from_[0]
    assert sql[ref.span.start : ref.span.end] == "tab AS OF SCN 5 t"
    assert (ref.span.line, ref.span.column) == (1, 30)


def test_parse_results_are_cached_and_shared() -> None:
    sql = "SELECT * FROM cached_table WHERE a = :a"
    first = parse(sql)
    second = parse(sql)
    assert first == second and first[0] is second[0]
    first.append(first[0])  # callers get their own list
    assert len(parse(sql)) == 1


def test_non_text_is_a_programming_error() -> None:
    from heliosql.errors import ProgrammingError

    with pytest.raises(ProgrammingError):
        parse(b"SELECT 1")  # type: ignore[arg-type]
