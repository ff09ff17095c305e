"""CREATE / DROP / ALTER TABLE, views, indexes, TRUNCATE, and the type mapping."""

from __future__ import annotations

import pytest
from parse_helpers import stmt

from heliosql.errors import NotSupportedError, SqlSyntaxError
from heliosql.parser import parse_one
from heliosql.plan import (
    AddColumn,
    AlterTable,
    Binary,
    BinaryOp,
    CheckConstraint,
    Column,
    ColumnDef,
    CreateIndex,
    CreateTable,
    CreateView,
    DropColumn,
    DropIndex,
    DropTable,
    DropView,
    FlashbackArchiveClause,
    Literal,
    NotNullConstraint,
    PrimaryKeyConstraint,
    RenameColumn,
    RenameTable,
    SetFlashbackArchive,
    SetRowMovement,
    SetSystemVersioning,
    SpecialKind,
    SpecialValue,
    Truncate,
    TypeName,
    UniqueConstraint,
)
from heliosql.types import duckdb_type_name


def test_create_table_columns_and_constraints() -> None:
    node = stmt(
        "CREATE TABLE IF NOT EXISTS hr.emp ("
        " id NUMBER(10) PRIMARY KEY,"
        " name VARCHAR2(100 CHAR) NOT NULL DEFAULT 'x',"
        " sal NUMBER(10,2) CHECK (sal > 0) UNIQUE,"
        " hired DATE DEFAULT SYSDATE NULL,"
        " CONSTRAINT emp_pk PRIMARY KEY (id, name),"
        " UNIQUE (sal),"
        " CHECK (hired > DATE '2000-01-01'))",
        CreateTable,
    )
    assert node.name == ("hr", "emp")  # type: ignore[attr-defined]
    assert node.if_not_exists and not node.temporary  # type: ignore[attr-defined]
    assert node.system_versioning is None  # type: ignore[attr-defined]
    cols = node.columns  # type: ignore[attr-defined]
    assert cols[0] == ColumnDef("id", TypeName("NUMBER", (10,)), nullable=False, primary_key=True,
                                constraints=(PrimaryKeyConstraint(("id",)),))
    assert cols[1] == ColumnDef(
        "name",
        TypeName("VARCHAR2", (100,), length_unit="CHAR"),
        nullable=False,
        default=Literal("x"),
        constraints=(NotNullConstraint("name"),),
    )
    assert cols[2].unique and cols[2].checks == (Binary(BinaryOp.GT, Column("sal"), Literal(0)),)
    assert cols[3].nullable and cols[3].default == SpecialValue(SpecialKind.SYSDATE)
    pk, unique, check = node.constraints  # type: ignore[attr-defined]
    assert pk == PrimaryKeyConstraint(("id", "name"), "emp_pk")
    assert unique == UniqueConstraint(("sal",))
    assert isinstance(check, CheckConstraint) and check.name is None


def test_create_table_options() -> None:
    node = stmt("CREATE TABLE t (a INT) WITH SYSTEM VERSIONING", CreateTable)
    assert node.system_versioning is True  # type: ignore[attr-defined]
    node = stmt("CREATE TEMPORARY TABLE t (a INT) WITHOUT SYSTEM VERSIONING", CreateTable)
    assert node.temporary and node.system_versioning is False  # type: ignore[attr-defined]
    node = stmt("CREATE GLOBAL TEMPORARY TABLE t (a INT)", CreateTable)
    assert node.temporary  # type: ignore[attr-defined]
    node = stmt("CREATE TABLE t (a INT) FLASHBACK ARCHIVE fa1", CreateTable)
    assert node.flashback_archive == FlashbackArchiveClause("fa1")  # type: ignore[attr-defined]
    node = stmt("CREATE TABLE t (a INT) FLASHBACK ARCHIVE", CreateTable)
    assert node.flashback_archive == FlashbackArchiveClause(None)  # type: ignore[attr-defined]
    with pytest.raises(SqlSyntaxError, match="given twice"):
        parse_one("CREATE TABLE t (a INT) WITH SYSTEM VERSIONING WITHOUT SYSTEM VERSIONING")


def test_create_table_as_select() -> None:
    node = stmt("CREATE TABLE t AS SELECT * FROM u AS OF SCN 5", CreateTable)
    assert node.as_query is not None and node.columns == ()  # type: ignore[attr-defined]
    node = stmt("CREATE TABLE t (a, b) WITHOUT SYSTEM VERSIONING AS SELECT 1, 2", CreateTable)
    assert node.column_names == ("a", "b") and node.system_versioning is False  # type: ignore[attr-defined]
    node = stmt("CREATE TABLE t AS WITH x AS (SELECT 1) SELECT * FROM x", CreateTable)
    assert node.as_query.with_ is not None  # type: ignore[attr-defined]


def test_column_nullability_conflicts() -> None:
    with pytest.raises(SqlSyntaxError, match="both NULL and NOT NULL"):
        parse_one("CREATE TABLE t (a INT NULL NOT NULL)")
    with pytest.raises(SqlSyntaxError, match="more than one DEFAULT"):
        parse_one("CREATE TABLE t (a INT DEFAULT 1 DEFAULT 2)")


def test_drop_table() -> None:
    assert stmt("DROP TABLE t", DropTable) == DropTable(("t",))
    assert stmt("DROP TABLE IF EXISTS t PURGE", DropTable) == DropTable(("t",), True, True)


def test_alter_table() -> None:
    node = stmt(
        "ALTER TABLE t ADD COLUMN c INT DEFAULT 0 NOT NULL, DROP COLUMN d, "
        "RENAME COLUMN a TO b, ADD e DATE, DROP f",
        AlterTable,
    )
    actions = node.actions  # type: ignore[attr-defined]
    assert actions[0] == AddColumn(
        ColumnDef("c", TypeName("INT"), nullable=False, default=Literal(0),
                  constraints=(NotNullConstraint("c"),))
    )
    assert actions[1:] == (
        DropColumn("d"),
        RenameColumn("a", "b"),
        AddColumn(ColumnDef("e", TypeName("DATE"))),
        DropColumn("f"),
    )
    cases = {
        "RENAME TO u": RenameTable(("u",)),
        "ADD SYSTEM VERSIONING": SetSystemVersioning(True),
        "DROP SYSTEM VERSIONING": SetSystemVersioning(False),
        "FLASHBACK ARCHIVE": SetFlashbackArchive(FlashbackArchiveClause(None)),
        "FLASHBACK ARCHIVE fa": SetFlashbackArchive(FlashbackArchiveClause("fa")),
        "NO FLASHBACK ARCHIVE": SetFlashbackArchive(None),
        "ENABLE ROW MOVEMENT": SetRowMovement(True),
        "DISABLE ROW MOVEMENT": SetRowMovement(False),
    }
    for text, action in cases.items():
        assert stmt(f"ALTER TABLE t {text}", AlterTable) == AlterTable(("t",), (action,))


def test_views_indexes_truncate() -> None:
    node = stmt("CREATE OR REPLACE VIEW v (a, b) AS SELECT 1, 2", CreateView)
    assert node.or_replace and node.columns == ("a", "b")  # type: ignore[attr-defined]
    node = stmt("CREATE VIEW v AS SELECT * FROM t AS OF TIMESTAMP SYSTIMESTAMP", CreateView)
    assert not node.or_replace  # type: ignore[attr-defined]
    assert stmt("DROP VIEW IF EXISTS v", DropView) == DropView(("v",), True)
    assert stmt("CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a, b)", CreateIndex) == CreateIndex(
        ("i",), ("t",), ("a", "b"), True, True
    )
    assert stmt("CREATE INDEX i ON t (a)", CreateIndex) == CreateIndex(("i",), ("t",), ("a",))
    assert stmt("DROP INDEX IF EXISTS i", DropIndex) == DropIndex(("i",), True)
    assert stmt("TRUNCATE TABLE t", Truncate) == Truncate(("t",))


@pytest.mark.parametrize(
    ("written", "duckdb"),
    [
        ("NUMBER", "DOUBLE"),
        ("NUMBER(10)", "BIGINT"),
        ("NUMBER(18,0)", "BIGINT"),
        ("NUMBER(19)", "DECIMAL(19,0)"),
        ("NUMBER(10,2)", "DECIMAL(10,2)"),
        ("VARCHAR2(10 CHAR)", "VARCHAR"),
        ("NVARCHAR2(10)", "VARCHAR"),
        ("CHAR(3 BYTE)", "VARCHAR"),
        ("CLOB", "VARCHAR"),
        ("NCLOB", "VARCHAR"),
        ("DATE", "TIMESTAMP"),
        ("TIMESTAMP", "TIMESTAMP"),
        ("TIMESTAMP(6) WITH TIME ZONE", "TIMESTAMPTZ"),
        ("TIMESTAMP WITH LOCAL TIME ZONE", "TIMESTAMPTZ"),
        ("BLOB", "BLOB"),
        ("RAW(16)", "BLOB"),
        ("BINARY_FLOAT", "FLOAT"),
        ("BINARY_DOUBLE", "DOUBLE"),
        ("integer", "INTEGER"),
        ("decimal(5,2)", "DECIMAL(5,2)"),
        ("double precision", "DOUBLE PRECISION"),
    ],
)
def test_type_mapping(written: str, duckdb: str) -> None:
    node = stmt(f"CREATE TABLE t (c {written})", CreateTable)
    assert duckdb_type_name(node.columns[0].type) == duckdb  # type: ignore[attr-defined]


@pytest.mark.parametrize("written", ["NUMBER(39)", "NUMBER(5,6)", "NUMBER(0)"])
def test_type_mapping_rejects_what_duckdb_cannot_store(written: str) -> None:
    node = stmt(f"CREATE TABLE t (c {written})", CreateTable)
    with pytest.raises(NotSupportedError, match="DuckDB cannot store"):
        duckdb_type_name(node.columns[0].type)  # type: ignore[attr-defined]


def test_type_length_semantics_must_be_char_or_byte() -> None:
    with pytest.raises(SqlSyntaxError, match="CHAR or BYTE"):
        parse_one("CREATE TABLE t (c VARCHAR2(10 WORDS))")
