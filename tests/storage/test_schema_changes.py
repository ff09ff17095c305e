"""Schema changes keep history usable (docs/semantics.md)."""

from __future__ import annotations

import pytest

from heliosql.storage import (
    Constraint,
    FlashbackQuery,
    NameInUse,
    NoSuchColumn,
    NoSuchTable,
    NotInRecycleBin,
    ProgrammingError,
    Row,
    TableExists,
    TemporalEngine,
    TemporalQuery,
    TemporalTable,
)

from .conftest import db_state, fails_cleanly


@pytest.fixture
def accounts(engine: TemporalEngine) -> TemporalEngine:
    engine.create_temporal_table(TemporalTable(
        "accounts", {"id": "BIGINT", "owner": "VARCHAR", "status": "VARCHAR"}, primary_key="id"))
    engine.insert_batch("accounts", [{"id": 1, "owner": "ann", "status": "open"},
                                     {"id": 2, "owner": "bob", "status": "open"}])
    engine.update("accounts", 2, {"status": "frozen"})
    return engine


def at(engine: TemporalEngine, scn: int, table: str = "accounts") -> dict:
    rows = engine.execute_flashback(table, FlashbackQuery.AsOfScn(scn, table)).rows
    return {r.key: r.columns for r in rows}


def history(engine: TemporalEngine, key: object, table: str = "accounts") -> list[tuple]:
    return [(v.operation.code(), v.columns, v.start_scn, v.end_scn)
            for v in engine.query(table, TemporalQuery.KeyHistory(key))]


def view(engine: TemporalEngine, table: str) -> tuple[list[str], list[tuple]]:
    cur = engine.backend.cursor()
    cur.execute(f'SELECT * FROM "{table}" ORDER BY 1')
    return [d[0] for d in cur.description], cur.fetchall()


def test_add_column(accounts: TemporalEngine) -> None:
    s1 = accounts.current_scn()
    accounts.add_column("accounts", "email", "VARCHAR")
    accounts.update("accounts", 1, {"email": "ann@example.com"})
    s2 = accounts.current_scn()
    assert at(accounts, s1) == {1: {"owner": "ann", "status": "open", "email": None},
                                2: {"owner": "bob", "status": "frozen", "email": None}}
    assert at(accounts, s2)[1] == {"owner": "ann", "status": "open",
                                   "email": "ann@example.com"}
    # bob's first version ended before the column existed: NULL there too
    assert [v[1]["email"] for v in history(accounts, 2)] == [None, None]
    assert view(accounts, "accounts")[0] == ["id", "owner", "status", "email"]
    with fails_cleanly(accounts, ProgrammingError, match="already exists"):
        accounts.add_column("accounts", "EMAIL", "VARCHAR")


def test_add_column_with_default(accounts: TemporalEngine) -> None:
    s1 = accounts.current_scn()
    accounts.add_column("accounts", "tier", "VARCHAR", default="'basic'")
    accounts.insert("accounts", {"id": 3, "owner": "cy"})
    assert view(accounts, "accounts")[1] == [(1, "ann", "open", "basic"),
                                             (2, "bob", "frozen", "basic"),
                                             (3, "cy", None, "basic")]
    # A closed version that ended before the column existed reads NULL; a version
    # spanning the change shows the back-filled default (docs/semantics.md).
    assert [v[1]["tier"] for v in history(accounts, 2)] == [None, "basic"]
    assert at(accounts, s1)[1]["tier"] == "basic"


def test_drop_column(accounts: TemporalEngine) -> None:
    s1 = accounts.current_scn()
    before = history(accounts, 2)
    accounts.drop_column("accounts", "status")
    accounts.update("accounts", 1, {"owner": "anne"})
    s2 = accounts.current_scn()
    # the past stays readable, without the dropped column
    assert at(accounts, s1) == {1: {"owner": "ann"}, 2: {"owner": "bob"}}
    assert at(accounts, s2) == {1: {"owner": "anne"}, 2: {"owner": "bob"}}
    assert [(op, cols) for op, cols, *_ in history(accounts, 2)] == [
        ("I", {"owner": "bob"}), ("U", {"owner": "bob"})]
    assert [(s, e) for *_, s, e in history(accounts, 2)] == [(s, e) for *_, s, e in before]
    versions = accounts.execute_versions(
        "accounts", FlashbackQuery.VersionsBetweenScn(None, None, "accounts")).versions
    assert all(set(v.row.columns) == {"owner"} for v in versions)
    assert view(accounts, "accounts")[0] == ["id", "owner"]
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904"):
        accounts.update("accounts", 1, {"status": "x"})
    # A new column of the same name does not bring the old values back.
    accounts.add_column("accounts", "status", "VARCHAR")
    assert at(accounts, s1) == {1: {"owner": "ann", "status": None},
                                2: {"owner": "bob", "status": None}}


def test_drop_column_errors(accounts: TemporalEngine) -> None:
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904", match="did you mean 'status'"):
        accounts.drop_column("accounts", "statuss")
    # A key column goes with its key, as in Oracle; not while a foreign key references it
    # (ORA-12992) or while it is part of a key of several columns (ORA-12991).
    accounts.create_temporal_table(TemporalTable(
        "cards", {"no": "BIGINT", "account": "BIGINT", "kind": "VARCHAR"},
        constraints=[Constraint.foreign_key(["account"], "accounts"),
                     Constraint.unique("account", "kind")]))
    with fails_cleanly(accounts, ProgrammingError, "ORA-12992"):
        accounts.drop_column("accounts", "id")
    with fails_cleanly(accounts, ProgrammingError, "ORA-12991"):
        accounts.drop_column("cards", "kind")


def test_rename_column(accounts: TemporalEngine) -> None:
    s1 = accounts.current_scn()
    accounts.rename_column("accounts", "status", "state")
    accounts.update("accounts", 1, {"state": "closed"})
    assert at(accounts, s1) == {1: {"owner": "ann", "state": "open"},
                                2: {"owner": "bob", "state": "frozen"}}
    assert [v[1] for v in history(accounts, 2)] == [{"owner": "bob", "state": "open"},
                                                    {"owner": "bob", "state": "frozen"}]
    assert view(accounts, "accounts") == (["id", "owner", "state"],
                                          [(1, "ann", "closed"), (2, "bob", "frozen")])
    with fails_cleanly(accounts, ProgrammingError, match="already exists"):
        accounts.rename_column("accounts", "owner", "state")
    with fails_cleanly(accounts, NoSuchColumn, "ORA-00904"):
        accounts.rename_column("accounts", "status", "x")
    # renaming the key column keeps the table keyed
    accounts.rename_column("accounts", "id", "account_id")
    accounts.update("accounts", 2, {"state": "open"})
    assert [v[1]["state"] for v in history(accounts, 2)] == ["open", "frozen", "open"]


def test_rename_table(accounts: TemporalEngine) -> None:
    s1 = accounts.current_scn()
    before = history(accounts, 2)
    accounts.rename_table("accounts", "clients")
    accounts.update("clients", 2, {"status": "open"})
    assert history(accounts, 2, "clients")[:2] == [
        before[0], (*before[1][:3], accounts.current_scn())]
    assert at(accounts, s1, "clients") == {1: {"owner": "ann", "status": "open"},
                                           2: {"owner": "bob", "status": "frozen"}}
    assert view(accounts, "clients")[1] == [(1, "ann", "open"), (2, "bob", "open")]
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942", match="did you mean 'clients'"):
        accounts.query("client", TemporalQuery.KeyHistory(1))
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942"):
        accounts.execute_flashback("accounts", FlashbackQuery.AsOfScn(s1, "accounts"))
    cur = accounts.backend.cursor()
    assert cur.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_name = 'accounts'").fetchone()[0] == 0
    accounts.create_temporal_table(TemporalTable("other", {"x": "INT"}))
    with fails_cleanly(accounts, TableExists, "ORA-00955"):
        accounts.rename_table("clients", "OTHER")


@pytest.mark.parametrize("keyed", [False, True])
def test_truncate_keeps_history(engine: TemporalEngine, keyed: bool) -> None:
    if keyed:
        engine.create_temporal_table(TemporalTable("t"))
        engine.insert_batch("t", [Row(b"a", {"v": b"1"}), Row(b"b", {"v": b"2"})])
        keys = [b"a", b"b"]
    else:
        engine.create_temporal_table(TemporalTable("t", {"k": "INT", "v": "VARCHAR"},
                                                   primary_key="k"))
        engine.insert_batch("t", [{"k": 1, "v": "1"}, {"k": 2, "v": "2"}])
        keys = [1, 2]
    s1 = engine.current_scn()
    assert engine.truncate("t") == 2
    s2 = engine.current_scn()
    assert at(engine, s2, "t") == {}
    assert set(at(engine, s1, "t")) == set(keys)
    markers = engine.execute_versions("t", FlashbackQuery.VersionsBetweenScn(s2, s2, "t"))
    assert [(v.version_operation.code(), v.row.key, v.version_start_scn, v.version_end_scn)
            for v in markers.versions] == [("D", k, s2, None) for k in keys]
    # the keys can be used again, by new rows
    engine.insert("t", Row(keys[0], {"v": b"9"}) if keyed else {"k": 1, "v": "9"})
    assert [op for op, *_ in history(engine, keys[0], "t")] == ["I", "D", "I"]


def test_drop_and_restore_table(accounts: TemporalEngine) -> None:
    s1 = accounts.current_scn()
    before = history(accounts, 2)
    accounts.drop_table("accounts")
    dropped_at = accounts.current_scn()
    assert accounts.list_tables() == []
    [entry] = accounts.recycle_bin()
    assert (entry.original_name, entry.dropped_scn) == ("accounts", dropped_at)
    assert entry.bin_name.startswith("BIN$")
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942"):
        accounts.query("accounts", TemporalQuery.KeyHistory(2))
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942"):
        accounts.insert("accounts", {"id": 3})
    cur = accounts.backend.cursor()
    assert cur.execute("SELECT count(*) FROM information_schema.tables "
                       "WHERE table_name = 'accounts'").fetchone()[0] == 0

    accounts.restore_dropped_table("accounts")
    assert accounts.recycle_bin() == []
    assert history(accounts, 2) == before
    assert at(accounts, s1) == {1: {"owner": "ann", "status": "open"},
                                2: {"owner": "bob", "status": "frozen"}}
    assert view(accounts, "accounts")[1] == [(1, "ann", "open"), (2, "bob", "frozen")]
    accounts.update("accounts", 1, {"status": "closed"})  # usable again
    assert [op for op, *_ in history(accounts, 1)] == ["I", "U"]


def test_restore_under_a_new_name_when_the_name_is_taken(accounts: TemporalEngine) -> None:
    before = history(accounts, 2)
    accounts.drop_table("accounts")
    accounts.create_temporal_table(TemporalTable("accounts", {"id": "INT"}, primary_key="id"))
    with fails_cleanly(accounts, NameInUse, "ORA-38312", match="new name"):
        accounts.restore_dropped_table("accounts")
    restored = accounts.restore_dropped_table("accounts", "accounts_old")
    assert restored.name == "accounts_old"
    assert history(accounts, 2, "accounts_old") == before
    assert accounts.list_tables() == ["accounts", "accounts_old"]
    assert view(accounts, "accounts_old")[0] == ["id", "owner", "status"]


def test_restore_by_bin_name_and_most_recent_drop_first(engine: TemporalEngine) -> None:
    engine.create_temporal_table(TemporalTable("t"))
    engine.insert("t", Row(b"k", {"gen": b"1"}))
    engine.drop_table("t")
    engine.create_temporal_table(TemporalTable("t"))
    engine.insert("t", Row(b"k", {"gen": b"2"}))
    engine.drop_table("t")
    newest, oldest = engine.recycle_bin()
    assert newest.dropped_scn > oldest.dropped_scn
    engine.restore_dropped_table("t")
    assert engine.query("t", TemporalQuery.KeyHistory(b"k"))[0].columns == {"gen": b"2"}
    engine.restore_dropped_table(oldest.bin_name, "t_first")
    assert engine.query("t_first", TemporalQuery.KeyHistory(b"k"))[0].columns == {"gen": b"1"}


def test_restore_and_purge_errors(accounts: TemporalEngine) -> None:
    with fails_cleanly(accounts, NotInRecycleBin, "ORA-38305"):
        accounts.restore_dropped_table("accounts")
    with fails_cleanly(accounts, NotInRecycleBin, "ORA-38305"):
        accounts.restore_dropped_table("nothing")
    with fails_cleanly(accounts, NotInRecycleBin, "ORA-38305"):
        accounts.purge_table("accounts")
    with fails_cleanly(accounts, NoSuchTable, "ORA-00942"):
        accounts.drop_table("nothing")


def test_purge(accounts: TemporalEngine) -> None:
    physical = accounts.table_info("accounts")
    accounts.drop_table("accounts")
    accounts.purge_table("accounts")
    assert accounts.recycle_bin() == []
    with fails_cleanly(accounts, NotInRecycleBin, "ORA-38305"):
        accounts.restore_dropped_table("accounts")
    state = db_state(accounts)["physical"]
    assert physical.current not in state and physical.history not in state
    assert [name for name in state if name.startswith("helios_data.")] == []


def test_drop_table_purge(accounts: TemporalEngine) -> None:
    accounts.drop_table("accounts", purge=True)
    assert accounts.recycle_bin() == []
    assert accounts.list_tables() == []
    with fails_cleanly(accounts, NotInRecycleBin, "ORA-38305"):
        accounts.restore_dropped_table("accounts")
    accounts.create_temporal_table(TemporalTable("accounts", {"id": "INT"}))
    assert accounts.query("accounts", TemporalQuery.AsOf(
        accounts.scn_to_timestamp(accounts.current_scn()))) == []


def test_ddl_rolls_back_with_its_transaction(accounts: TemporalEngine) -> None:
    before = db_state(accounts)
    with accounts.transaction() as tx:
        accounts.add_column("accounts", "email", "VARCHAR")
        accounts.rename_column("accounts", "owner", "holder")
        accounts.drop_column("accounts", "status")
        accounts.rename_table("accounts", "clients")
        accounts.drop_table("clients")
        tx.rollback()
    assert db_state(accounts) == before
    assert view(accounts, "accounts")[0] == ["id", "owner", "status"]
    with pytest.raises(ZeroDivisionError), accounts.transaction():
        accounts.drop_table("accounts")
        1 / 0  # noqa: B018
    assert db_state(accounts) == before
