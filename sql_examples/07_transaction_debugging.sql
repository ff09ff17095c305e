-- Debugging a transaction: a named batch job damaged the users table. Find
-- what that transaction changed (FLASHBACK_TRANSACTION_QUERY, with the SQL
-- that undoes each change), look at the versions it wrote, and back it out.

CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR2(20), plan VARCHAR2(10));
INSERT INTO users VALUES (1, 'ann', 'free'), (2, 'bob', 'pro'), (3, 'cyd', 'free');

SET TRANSACTION NAME 'plan-migration';
BEGIN;
UPDATE users SET plan = 'legacy' WHERE plan = 'free';
DELETE FROM users WHERE id = 2;
INSERT INTO users VALUES (4, 'dee', 'legacy');
COMMIT;

-- The transaction, found by its name: one row per changed row, BEGIN last.
SELECT xid, commit_scn, undo_change#, operation, table_name, undo_sql
FROM flashback_transaction_query
WHERE transaction_name = 'plan-migration'
ORDER BY undo_change#;

-- The versions it wrote in users (XID 3, from the query above).
SELECT id, name, plan, versions_operation AS op, versions_startscn AS scn
FROM users FLASHBACK TRANSACTION 3
ORDER BY id;

-- Every version that transaction wrote, joined back through VERSIONS_XID.
SELECT v.id, v.plan, v.versions_operation AS op
FROM users VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE v
WHERE v.versions_xid IN (SELECT xid FROM flashback_transaction_query
                         WHERE transaction_name = 'plan-migration')
ORDER BY v.id;

-- Undo the whole transaction in a new one (it returns the XIDs backed out);
-- history keeps both.
FLASHBACK TRANSACTION 3 BACKOUT;
SELECT * FROM users ORDER BY id;

-- Every write transaction and how many rows it changed: the backout is XID 4.
SELECT xid, commit_scn, count(*) AS changes
FROM flashback_transaction_query
WHERE operation <> 'BEGIN'
GROUP BY xid, commit_scn
ORDER BY xid;
