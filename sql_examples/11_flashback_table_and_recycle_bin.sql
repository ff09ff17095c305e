-- FLASHBACK TABLE and the recycle bin: name a moment with a restore point,
-- put tables back to it in one all-or-nothing statement, and undo a DROP TABLE
-- (the dropped table waits in the recycle bin with its history).

CREATE TABLE prices (sku VARCHAR2(8) PRIMARY KEY, price NUMBER(8,2));      -- SCN 2
CREATE TABLE stock (sku VARCHAR2(8) PRIMARY KEY, qty INTEGER);             -- SCN 3
INSERT INTO prices VALUES ('A1', 10.00), ('B2', 20.00);                    -- SCN 4
INSERT INTO stock VALUES ('A1', 5), ('B2', 7);                             -- SCN 5
CREATE RESTORE POINT before_repricing;                   -- names SCN 5 (and takes SCN 6)

-- A bad release changes both tables (SCNs 7 and 8).
UPDATE prices SET price = price * 100;
DELETE FROM stock WHERE sku = 'B2';
SELECT name, scn FROM v$restore_point;

-- Both tables back to the restore point, in one transaction.
FLASHBACK TABLE prices, stock TO RESTORE POINT before_repricing;
SELECT p.sku, p.price, s.qty FROM prices p JOIN stock s ON s.sku = p.sku ORDER BY p.sku;

-- DROP TABLE moves the table into the recycle bin, as BIN$<object id>$<drop SCN>.
DROP TABLE prices;
SELECT object_name, original_name, operation, type, dropscn, can_undrop FROM recyclebin;

-- A table in the bin can still be read (not changed) by its BIN$ name.
SELECT count(*) AS rows_in_bin FROM "BIN$1$10";

-- Bring it back under a new name; its history comes along.
FLASHBACK TABLE prices TO BEFORE DROP RENAME TO prices_restored;
SELECT sku, price FROM prices_restored ORDER BY sku;
-- The bad prices of SCN 7 are still in its history.
SELECT sku, price FROM prices_restored AS OF SCN 7 ORDER BY sku;
SELECT count(*) AS objects_in_bin FROM recyclebin;

-- DROP ... PURGE skips the bin: that table is gone for good.
DROP TABLE stock PURGE;
SELECT count(*) AS objects_in_bin FROM recyclebin;
DROP RESTORE POINT before_repricing;
