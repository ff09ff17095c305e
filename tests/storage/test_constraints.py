"""Constraints through the storage API: definitions, enforcement after each call, constraint
DDL, and failures that change nothing (docs/semantics.md, "Constraints")."""

from __future__ import annotations

import pytest

from heliosql.storage import (
    BadReference,
    CannotBeNull,
    CheckViolated,
    ChildRecordFound,
    Column,
    Constraint,
    ConstraintDependency,
    ConstraintExists,
    ConstraintNotValidated,
    ConstraintViolation,
    DuplicateKey,
    IntegrityError,
    NoSuchConstraint,
    ParentKeyNotFound,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
    ValueTooLarge,
)

from .conftest import fails_cleanly


@pytest.fixture
def shop(engine: TemporalEngine) -> TemporalEngine:
    """``customer`` and ``orders`` (a foreign key with ON DELETE CASCADE), with rows."""
    engine.create_temporal_table(TemporalTable(
        "customer", [Column("id", "BIGINT"), Column("name", "VARCHAR", nullable=False)],
        primary_key="id", checks=["length(name) > 1"]))
    engine.create_temporal_table(TemporalTable(
        "orders", [Column("no", "BIGINT"), Column("customer", "BIGINT"),
                   Column("code", "VARCHAR", declared="VARCHAR2(4)")],
        constraints=[Constraint.primary_key("no", name="pk_orders"),
                     Constraint.foreign_key(["customer"], "customer", on_delete="CASCADE",
                                            name="fk_customer"),
                     Constraint.unique("code")]))
    engine.insert_batch("customer", [{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}])
    engine.insert_batch("orders", [{"no": 10, "customer": 1, "code": "a"},
                                   {"no": 11, "customer": 2, "code": "b"},
                                   {"no": 12, "customer": 1, "code": "c"}])
    return engine


def test_definitions_become_catalog_entries(shop: TemporalEngine) -> None:
    customer, orders = shop.table_info("customer"), shop.table_info("orders")
    assert [(c.name, c.kind, c.columns) for c in customer.constraints] == [
        ("SYS_C000001", "N", ("name",)), ("SYS_C000002", "P", ("id",)),
        ("SYS_C000003", "C", ("name",))]
    fk = orders.constraints[1]
    assert (fk.name, fk.ref_object_id, fk.ref_constraint, fk.ref_columns, fk.delete_rule) == (
        "fk_customer", customer.object_id, "SYS_C000002", ("id",), "CASCADE")
    assert customer.key_columns == ("id",) and customer.columns[1].not_null


def test_every_error_is_an_integrity_error_and_changes_nothing(shop: TemporalEngine) -> None:
    cases = [
        (lambda: shop.insert("orders", {"no": 13, "customer": 9}), ParentKeyNotFound),
        (lambda: shop.update_where("customer", {"id": "id + 10"}, "id = 2"), ChildRecordFound),
        (lambda: shop.insert("customer", {"id": 3, "name": "x"}), CheckViolated),
        (lambda: shop.insert("customer", {"id": 3}), CannotBeNull),
        (lambda: shop.insert("orders", {"no": 10, "customer": 1}), DuplicateKey),
    ]
    for call, error in cases:
        with fails_cleanly(shop, error) as info:
            call()
        assert isinstance(info.value, IntegrityError)
    for call, _ in cases[:4]:  # the ones heliosql checks are ConstraintViolations
        with fails_cleanly(shop, ConstraintViolation):
            call()
    with fails_cleanly(shop, ValueTooLarge, "ORA-12899"):
        shop.insert("orders", {"no": 13, "customer": 1, "code": "toolong"})


def test_a_cascade_writes_history_at_the_deletes_scn(shop: TemporalEngine) -> None:
    shop.delete("customer", 1)
    scn = shop.current_scn()
    assert [r[0] for r in shop.fetch(f"SELECT no FROM {shop.table_info('orders').current}")] \
        == [11]
    history = shop.query("orders", TemporalQuery.KeysHistory([10, 12]))
    markers = [(v.key, v.start_scn) for v in history if v.operation.value == "D"]
    assert markers == [(10, scn), (12, scn)]
    xid = shop.scn_log.xid_of(scn)
    assert xid is not None
    assert {c.table for c in shop.transaction_changes(xid)} == {"customer", "orders"}


def test_cascades_inside_a_transaction_that_failed_before(shop: TemporalEngine) -> None:
    with shop.transaction():
        shop.update("orders", 11, {"code": "bb"})
        with pytest.raises(ParentKeyNotFound):
            shop.insert("orders", {"no": 20, "customer": 7})
        shop.delete("customer", 1)
    assert sorted(r[0] for r in shop.fetch(
        f"SELECT code FROM {shop.table_info('orders').current}")) == ["bb"]


def test_constraint_ddl(shop: TemporalEngine) -> None:
    with fails_cleanly(shop, ConstraintDependency, "ORA-02273"):
        shop.drop_constraint("customer", None)
    with fails_cleanly(shop, ConstraintExists, "ORA-02264"):
        shop.add_constraint("customer", Constraint.check("id > 0", name="FK_CUSTOMER"))
    with fails_cleanly(shop, NoSuchConstraint, "ORA-02443"):
        shop.drop_constraint("customer", "nope")
    with fails_cleanly(shop, BadReference, "ORA-02270"):
        shop.add_constraint("orders", Constraint.foreign_key(["code"], "customer", ["name"]))
    with fails_cleanly(shop, ConstraintNotValidated, "ORA-02293"):
        shop.add_constraint("orders", Constraint.check("no > 10"))
    shop.add_constraint("orders", Constraint.check("no > 10", name="ck_no").with_state(False))
    shop.set_constraint_enabled("orders", "fk_customer", False)
    shop.insert("orders", {"no": 30, "customer": 99})
    with fails_cleanly(shop, ConstraintNotValidated, "ORA-02298"):
        shop.set_constraint_enabled("orders", "fk_customer", True)
    # Dropping the primary key with its foreign keys: the table has no key any more.
    shop.drop_constraint("customer", None, cascade=True)
    assert shop.table_info("customer").key_columns == ()
    assert [c.name for c in shop.table_info("orders").constraints] == [
        "pk_orders", "SYS_C000006", "ck_no"]
    shop.insert("customer", {"id": 1, "name": "dup"})
    with fails_cleanly(shop, ConstraintNotValidated, "ORA-02437"):
        shop.add_constraint("customer", Constraint.primary_key("id"))


def test_renamed_columns_stay_checked(shop: TemporalEngine) -> None:
    shop.rename_column("customer", "name", "full_name")
    check = shop.table_info("customer").constraints[2]
    assert check.columns == ("full_name",) and "full_name" in (check.check_sql or "")
    with fails_cleanly(shop, CheckViolated):
        shop.insert("customer", {"id": 5, "full_name": "x"})
    shop.rename_column("customer", "id", "cid")
    assert shop.table_info("orders").constraints[1].ref_columns == ("cid",)
    with fails_cleanly(shop, ChildRecordFound):
        shop.update_where("customer", {"cid": "cid + 100"}, "cid = 2")


def test_names_given_to_the_api_are_shown_upper_cased_unless_quoted(
        engine: TemporalEngine) -> None:
    from heliosql.dbapi import Connection
    from heliosql.storage.names import QuotedName

    engine.create_temporal_table(TemporalTable(QuotedName("Mixed"), {"Col": "BIGINT"}))
    engine.create_temporal_table(TemporalTable(
        "plain", [Column(QuotedName("Kept"), "BIGINT"), Column("low", "VARCHAR")]))
    assert engine.table_info("MIXED").quoted and not engine.table_info("Plain").quoted
    conn = Connection(engine, autocommit=True)
    rows = conn.execute("SELECT table_name, column_name, data_type FROM user_tab_columns "
                        "ORDER BY table_name, column_id").fetchall()
    assert rows == [("Mixed", "COL", "BIGINT"), ("PLAIN", "Kept", "BIGINT"),
                    ("PLAIN", "LOW", "VARCHAR")]


def test_system_names_step_around_a_name_taken_by_a_user(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable(
        "t", {"a": "BIGINT", "b": "BIGINT"},
        constraints=[Constraint.not_null("a", name="SYS_C000002"), Constraint.not_null("b")]))
    assert [c.name for c in engine.table_info("t").constraints] == ["SYS_C000002",
                                                                   "SYS_C000003"]


def test_the_key_of_a_key_columns_table_stays(orders: TemporalEngine) -> None:
    from heliosql.storage import ProgrammingError

    with fails_cleanly(orders, ProgrammingError, match="key/columns table"):
        orders.drop_constraint("orders", None)
    with fails_cleanly(orders, ProgrammingError, match="key/columns table"):
        orders.set_constraint_enabled("orders", "SYS_C000001", False)
