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
    CommentOn,
    CreateIndex,
    CreateTable,
    CreateView,
    DropColumn,
    DropIndex,
    DropTable,
    DropUnusedColumns,
    DropView,
    FlashbackArchiveClause,
    FunctionCall,
    Literal,
    ModifyColumn,
    NotNullConstraint,
    PrimaryKeyConstraint,
    RenameColumn,
    RenameObject,
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
    assert not node.temporary  # type: ignore[attr-defined]
    assert node.global_temporary == "DELETE"  # type: ignore[attr-defined]  # Oracle's default
    node = stmt("CREATE GLOBAL TEMPORARY TABLE t (a INT) ON COMMIT PRESERVE ROWS", CreateTable)
    assert node.global_temporary == "PRESERVE"  # type: ignore[attr-defined]
    node = stmt("CREATE GLOBAL TEMPORARY TABLE t ON COMMIT DELETE ROWS AS SELECT 1 a",
                CreateTable)
    assert node.global_temporary == "DELETE"  # type: ignore[attr-defined]
    with pytest.raises(SqlSyntaxError, match="only for a GLOBAL TEMPORARY table"):
        parse_one("CREATE TABLE t (a INT) ON COMMIT DELETE ROWS")
    with pytest.raises(SqlSyntaxError, match="expected ROWS"):
        parse_one("CREATE GLOBAL TEMPORARY TABLE t (a INT) ON COMMIT DELETE RANGE")
    node = stmt("CREATE TABLE t (a INT) FLASHBACK ARCHIVE fa1", CreateTable)
    assert node.flashback_archive == FlashbackArchiveClause("fa1")  # type: ignore[attr-defined]
    node = stmt("CREATE TABLE t (a INT) FLASHBACK ARCHIVE", CreateTable)
    assert node.flashback_archive == FlashbackArchiveClause(None)  # type: ignore[attr-defined]
    with pytest.raises(SqlSyntaxError, match="given twice"):
        parse_one("CREATE TABLE t (a INT) WITH SYSTEM VERSIONING WITHOUT SYSTEM VERSIONING")


@pytest.mark.parametrize("options", [
    "TABLESPACE users",
    "PCTFREE 10 PCTUSED 40 INITRANS 1 MAXTRANS 255",
    "STORAGE (INITIAL 64K NEXT 1M MINEXTENTS 1 MAXEXTENTS UNLIMITED PCTINCREASE 0 "
    "FREELISTS 1 FREELIST GROUPS 1 BUFFER_POOL DEFAULT)",
    "LOGGING NOCOMPRESS", "NOLOGGING COMPRESS", "COMPRESS BASIC", "COMPRESS FOR OLTP",
    "SEGMENT CREATION IMMEDIATE", "SEGMENT CREATION DEFERRED", "CACHE", "NOCACHE",
    "PARALLEL 4", "NOPARALLEL", "MONITORING", "ENABLE ROW MOVEMENT",
    "PARTITION BY RANGE (a) (PARTITION p1 VALUES LESS THAN (10) TABLESPACE x, "
    "PARTITION p2 VALUES LESS THAN (MAXVALUE))",
    "PARTITION BY RANGE (a) INTERVAL (NUMTOYMINTERVAL(1, 'MONTH')) "
    "(PARTITION p0 VALUES LESS THAN (TO_DATE('2020-01-01', 'YYYY-MM-DD')))",
    "PARTITION BY LIST (a) (PARTITION p1 VALUES (1, 2), PARTITION p2 VALUES (DEFAULT))",
    "PARTITION BY HASH (a) PARTITIONS 4",
    "TABLESPACE users WITHOUT SYSTEM VERSIONING PCTFREE 5",
])
def test_storage_options_are_accepted_and_leave_nothing(options: str) -> None:
    plain = stmt("CREATE TABLE t (a INT)", CreateTable)
    node = stmt(f"CREATE TABLE t (a INT) {options}", CreateTable)
    assert node.columns == plain.columns  # type: ignore[attr-defined]
    assert node.constraints == ()  # type: ignore[attr-defined]
    as_select = stmt(f"CREATE TABLE t {options} AS SELECT 1 a", CreateTable)
    assert as_select.as_query is not None  # type: ignore[attr-defined]


def test_quoted_names_are_noted() -> None:
    node = stmt('CREATE TABLE "Mixed" ("Col" INT, plain INT)', CreateTable)
    assert node.quoted and [c.quoted for c in node.columns] == [True, False]  # type: ignore[attr-defined]
    assert not stmt("CREATE TABLE plain (a INT)", CreateTable).quoted  # type: ignore[attr-defined]
    assert stmt('CREATE VIEW "V" AS SELECT 1 a', CreateView).quoted  # type: ignore[attr-defined]
    assert stmt('ALTER TABLE t RENAME COLUMN a TO "B"', AlterTable).actions == (  # type: ignore[attr-defined]
        RenameColumn("a", "B", True),)
    assert stmt('ALTER TABLE t RENAME TO "U"', AlterTable).actions == (  # type: ignore[attr-defined]
        RenameTable(("U",), True),)
    assert stmt('RENAME t TO "U"', RenameObject) == RenameObject(("t",), ("U",), True)


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


def test_alter_table_oracle_forms() -> None:
    actions = stmt("ALTER TABLE t ADD (a INT DEFAULT 1 NOT NULL, b VARCHAR2(10))",
                   AlterTable).actions  # type: ignore[attr-defined]
    assert actions == (
        AddColumn(ColumnDef("a", TypeName("INT"), nullable=False, default=Literal(1),
                            constraints=(NotNullConstraint("a"),))),
        AddColumn(ColumnDef("b", TypeName("VARCHAR2", (10,)))),
    )
    actions = stmt("ALTER TABLE t ADD (c INT, CONSTRAINT c_pos CHECK (c > 0))",
                   AlterTable).actions  # type: ignore[attr-defined]
    assert [type(a).__name__ for a in actions] == ["AddColumn", "AddConstraint"]
    actions = stmt("ALTER TABLE t MODIFY (a NUMBER(10) DEFAULT NULL NOT NULL, b NULL)",
                   AlterTable).actions  # type: ignore[attr-defined]
    assert actions == (
        ModifyColumn("a", TypeName("NUMBER", (10,)), Literal(None), nullable=False),
        ModifyColumn("b", nullable=True),
    )
    assert stmt("ALTER TABLE t MODIFY b VARCHAR2(20)", AlterTable).actions == (  # type: ignore[attr-defined]
        ModifyColumn("b", TypeName("VARCHAR2", (20,))),)
    assert stmt("ALTER TABLE t MODIFY COLUMN b DEFAULT 3", AlterTable).actions == (  # type: ignore[attr-defined]
        ModifyColumn("b", default=Literal(3)),)
    assert stmt("ALTER TABLE t DROP (a, b)", AlterTable).actions == (  # type: ignore[attr-defined]
        DropColumn("a"), DropColumn("b"))
    assert stmt("ALTER TABLE t SET UNUSED COLUMN a", AlterTable).actions == (  # type: ignore[attr-defined]
        DropColumn("a"),)
    assert stmt("ALTER TABLE t SET UNUSED (a, b)", AlterTable).actions == (  # type: ignore[attr-defined]
        DropColumn("a"), DropColumn("b"))
    assert stmt("ALTER TABLE t DROP UNUSED COLUMNS", AlterTable).actions == (  # type: ignore[attr-defined]
        DropUnusedColumns(),)
    with pytest.raises(SqlSyntaxError, match="changes nothing"):
        parse_one("ALTER TABLE t MODIFY (a)")
    with pytest.raises(SqlSyntaxError, match="ADD CONSTRAINT"):
        parse_one("ALTER TABLE t MODIFY (a PRIMARY KEY)")
    with pytest.raises(SqlSyntaxError, match="both NULL and NOT NULL"):
        parse_one("ALTER TABLE t MODIFY (a NULL NOT NULL)")
    with pytest.raises(SqlSyntaxError, match="more than one DEFAULT"):
        parse_one("ALTER TABLE t MODIFY (a DEFAULT 1 DEFAULT 2)")


def test_comment_on() -> None:
    assert stmt("COMMENT ON TABLE s.t IS 'it''s'", CommentOn) == CommentOn(("s", "t"), None,
                                                                          "it's")
    assert stmt("COMMENT ON COLUMN t.c IS ''", CommentOn) == CommentOn(("t",), "c", "")
    with pytest.raises(SqlSyntaxError, match=r"table\.column"):
        parse_one("COMMENT ON COLUMN c IS 'x'")


def test_views_indexes_truncate() -> None:
    node = stmt("CREATE OR REPLACE VIEW v (a, b) AS SELECT 1, 2", CreateView)
    assert node.or_replace and node.columns == ("a", "b")  # type: ignore[attr-defined]
    node = stmt("CREATE VIEW v AS SELECT * FROM t AS OF TIMESTAMP SYSTIMESTAMP", CreateView)
    assert not node.or_replace  # type: ignore[attr-defined]
    assert stmt("DROP VIEW IF EXISTS v", DropView) == DropView(("v",), True)
    node = stmt("CREATE OR REPLACE FORCE VIEW v AS SELECT 1 a", CreateView)
    assert node.force and node.or_replace  # type: ignore[attr-defined]
    assert stmt("CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a, b)", CreateIndex) == CreateIndex(
        ("i",), ("t",), (Column("a"), Column("b")), True, True
    )
    assert stmt("CREATE INDEX i ON t (a)", CreateIndex) == CreateIndex(("i",), ("t",),
                                                                      (Column("a"),))
    node = stmt("CREATE INDEX i ON t (UPPER(a) DESC, b ASC) TABLESPACE x COMPUTE STATISTICS "
                "NOLOGGING PCTFREE 10 STORAGE (INITIAL 1M) ONLINE", CreateIndex)
    assert node.keys[1] == Column("b")  # type: ignore[attr-defined]
    assert isinstance(node.keys[0], FunctionCall)  # type: ignore[attr-defined]
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
        ("integer", "BIGINT"),
        ("INT", "BIGINT"),
        ("SMALLINT", "BIGINT"),
        ("decimal(5,2)", "DECIMAL(5,2)"),
        ("double precision", "DOUBLE"),
        ("NUMBER(*,0)", "DECIMAL(38,0)"),
        ("NUMBER(*, 2)", "DECIMAL(38,2)"),
        ("NUMBER(*)", "DOUBLE"),
        ("FLOAT", "DOUBLE"),
        ("FLOAT(126)", "DOUBLE"),
        ("REAL", "DOUBLE"),
        ("TIMESTAMP(3)", "TIMESTAMP"),
        ("TIMESTAMP(9) WITH LOCAL TIME ZONE", "TIMESTAMPTZ"),
        ("INTERVAL YEAR TO MONTH", "INTERVAL"),
        ("INTERVAL YEAR(4) TO MONTH", "INTERVAL"),
        ("INTERVAL DAY(3) TO SECOND(6)", "INTERVAL"),
        ("LONG", "VARCHAR"),
        ("NCHAR(2)", "VARCHAR"),
    ],
)
def test_type_mapping(written: str, duckdb: str) -> None:
    node = stmt(f"CREATE TABLE t (c {written})", CreateTable)
    assert duckdb_type_name(node.columns[0].type) == duckdb  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("NUMBER(39)", "ORA-01727: NUMBER(39): numeric precision specifier is out of range"),
        ("NUMBER(0)", "ORA-01727"),
        ("NUMBER(5,6)", "DuckDB cannot store a scale"),
        ("NUMBER(*,*)", "the scale must be a number"),
        ("FLOAT(127)", "ORA-01724: FLOAT(127): floating point precision is out of range"),
        ("FLOAT(0)", "ORA-01724"),
        ("TIMESTAMP(10)", "ORA-30088"),
        ("INTERVAL DAY(10) TO SECOND", "ORA-30088"),
        ("ROWID", "ROWID: heliosql has no such type"),
        ("BFILE", "no such type"),
    ],
)
def test_type_mapping_rejects_what_duckdb_cannot_store(written: str, message: str) -> None:
    node = stmt(f"CREATE TABLE t (c {written})", CreateTable)
    with pytest.raises(NotSupportedError) as info:
        duckdb_type_name(node.columns[0].type)  # type: ignore[attr-defined]
    assert message in str(info.value)
    start = len("CREATE TABLE t (c ")  # the caret points into the type
    assert start <= (info.value.position or 0) < start + len(written)


def test_type_length_semantics_must_be_char_or_byte() -> None:
    with pytest.raises(SqlSyntaxError, match="CHAR or BYTE"):
        parse_one("CREATE TABLE t (c VARCHAR2(10 WORDS))")
