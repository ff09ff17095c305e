-- Point-in-time recovery: a bad batch corrupts a table; read the good state
-- back with AS OF, then restore it (one row by hand, then the whole table with
-- FLASHBACK TABLE). Recovery writes new versions: the history is kept.

CREATE TABLE critical_data (id INTEGER PRIMARY KEY, name VARCHAR2(20), value NUMBER(8,2));
INSERT INTO critical_data VALUES (1, 'alpha', 10.00), (2, 'beta', 20.00), (3, 'gamma', 30.00);
SELECT current_scn AS good_scn FROM v$database;

-- The corruption: one bad update, one accidental delete.
UPDATE critical_data SET value = -1;
DELETE FROM critical_data WHERE id = 3;
SELECT * FROM critical_data ORDER BY id;

-- What changed since the good state (SCN 3)?
SELECT coalesce(n.id, o.id) AS id, o.value AS was, n.value AS now
FROM critical_data n FULL JOIN critical_data AS OF SCN 3 o ON o.id = n.id
WHERE n.value IS DISTINCT FROM o.value
ORDER BY 1;

-- Repair one row by hand from the past...
UPDATE critical_data c
SET value = (SELECT o.value FROM critical_data AS OF SCN 3 o WHERE o.id = c.id)
WHERE id = 1;
SELECT * FROM critical_data ORDER BY id;

-- ...or put the whole table back as it was at SCN 3, in one transaction.
FLASHBACK TABLE critical_data TO SCN 3;
SELECT * FROM critical_data ORDER BY id;

-- The recovery is itself history: row 3 came back as a new row (I).
SELECT id, value, versions_operation AS op, versions_startscn AS scn
FROM critical_data VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE
ORDER BY versions_startscn, id;
