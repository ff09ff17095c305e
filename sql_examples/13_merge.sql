-- MERGE: load a feed of changes in one statement, then use MERGE with AS OF to
-- take back part of it. Every MERGE is one write: one SCN, history kept.

CREATE TABLE prices (sku VARCHAR2(10) PRIMARY KEY, price NUMBER(8,2), active NUMBER(1));
INSERT INTO prices VALUES ('A', 10.00, 1), ('B', 20.00, 1), ('C', 30.00, 1);
SELECT current_scn AS before_feed FROM v$database;

CREATE TABLE feed (sku VARCHAR2(10), price NUMBER(8,2), active NUMBER(1));
INSERT INTO feed VALUES ('A', 11.00, 1), ('C', 30.00, 0), ('D', 40.00, 1);

-- Update the known SKUs, drop the ones the feed retires, add the new ones.
MERGE INTO prices p USING feed f ON (p.sku = f.sku)
WHEN MATCHED THEN UPDATE SET price = f.price, active = f.active DELETE WHERE p.active = 0
WHEN NOT MATCHED THEN INSERT VALUES (f.sku, f.price, f.active);
SELECT * FROM prices ORDER BY sku;

-- The feed was wrong about C: merge it back from the state before the feed (SCN 3).
MERGE INTO prices p USING prices AS OF SCN 3 old ON (p.sku = old.sku)
WHEN NOT MATCHED THEN INSERT VALUES (old.sku, old.price, old.active) WHERE old.sku = 'C';
SELECT * FROM prices ORDER BY sku;

-- What each MERGE did, from the history.
SELECT sku, price, versions_operation AS op, versions_startscn AS scn
FROM prices VERSIONS BETWEEN SCN 4 AND MAXVALUE
WHERE versions_operation IS NOT NULL
ORDER BY versions_startscn, sku, op;
