"""MERGE through the DB-API: what the row count says."""

from __future__ import annotations

import heliosql


def test_sql_rowcount_counts_rows_merged() -> None:
    conn = heliosql.connect(":memory:", autocommit=True)
    cur = conn.cursor()
    cur.execute("CREATE TABLE acct (id INTEGER PRIMARY KEY, bal INTEGER)")
    cur.execute("INSERT INTO acct VALUES (1, 100), (2, 200), (3, 300)")
    cur.execute("MERGE INTO acct t USING (SELECT 1 AS id, 50 AS amount UNION ALL SELECT 3, -300 "
                "UNION ALL SELECT 4, 40 UNION ALL SELECT 5, -5) s ON (t.id = s.id) "
                "WHEN MATCHED THEN UPDATE SET t.bal = t.bal + s.amount DELETE WHERE t.bal = 0 "
                "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.amount) WHERE s.amount > 0")
    assert cur.rowcount == 3
    cur.execute("MERGE INTO acct t USING (SELECT :id AS id) s ON (t.id = s.id) "
                "WHEN MATCHED THEN UPDATE SET bal = :bal", {"id": 2, "bal": 7})
    assert cur.rowcount == 1
    cur.execute("MERGE INTO acct t USING (SELECT ? AS id, ? AS bal) s ON (t.id = s.id) "
                "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.bal)", [9, 90])
    assert cur.rowcount == 1
    cur.execute("SELECT id, bal FROM acct WHERE id IN (2, 9) ORDER BY id")
    assert cur.fetchall() == [(2, 7), (9, 90)]
    conn.close()
