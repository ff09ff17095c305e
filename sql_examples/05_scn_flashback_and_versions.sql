-- SCN flashback and version queries: the SCN is the database's clock. Read it,
-- map it to time and back, read a table at an SCN, and list the versions
-- written between two SCNs with the operation that wrote each (I, U or D).

CREATE TABLE transactions (txn_key VARCHAR2(10) PRIMARY KEY, amount INTEGER);   -- SCN 2
INSERT INTO transactions VALUES ('txn_1', 10), ('txn_2', 20);                  -- SCN 3
UPDATE transactions SET amount = 25 WHERE txn_key = 'txn_2';                    -- SCN 4
DELETE FROM transactions WHERE txn_key = 'txn_1';                              -- SCN 5
INSERT INTO transactions VALUES ('txn_3', 30);                                  -- SCN 6

-- Three ways to read the clock.
SELECT current_scn,
       DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER AS via_dbms_flashback,
       TIMESTAMP_TO_SCN(SCN_TO_TIMESTAMP(current_scn)) AS round_trip
FROM v$database;

-- Rows found at each SCN.
SELECT 3 AS scn, count(*) AS row_count FROM transactions AS OF SCN 3
UNION ALL SELECT 4, count(*) FROM transactions AS OF SCN 4
UNION ALL SELECT 5, count(*) FROM transactions AS OF SCN 5
UNION ALL SELECT 6, count(*) FROM transactions AS OF SCN 6
ORDER BY scn;

-- The versions written between SCN 4 and SCN 6 (a D row carries the deleted values).
SELECT versions_startscn AS scn, versions_operation AS operation, txn_key, amount
FROM transactions VERSIONS BETWEEN SCN 4 AND 6
WHERE versions_startscn IS NOT NULL
ORDER BY versions_startscn, txn_key;

-- One key's history; commit times are exact, so SCN_TO_TIMESTAMP matches.
SELECT versions_startscn AS scn, versions_operation AS operation, amount,
       SCN_TO_TIMESTAMP(versions_startscn) = versions_starttime AS time_matches
FROM transactions VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE
WHERE txn_key = 'txn_2'
ORDER BY versions_startscn;

-- The SQL:2011 spelling reads the same history.
SELECT txn_key, amount FROM transactions FOR SYSTEM_TIME AS OF SCN 4 ORDER BY txn_key;
