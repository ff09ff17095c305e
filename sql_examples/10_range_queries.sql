-- Range queries: the seed's FROM / TO / BETWEEN windows over a table's
-- history, in Oracle's VERSIONS BETWEEN and in the SQL:2011 FOR SYSTEM_TIME
-- spellings (MINVALUE and MAXVALUE leave a side of the window open).

CREATE TABLE products (sku VARCHAR2(10) PRIMARY KEY, price NUMBER(8,2));   -- SCN 2
INSERT INTO products VALUES ('p1', 10.00), ('p2', 20.00);                  -- SCN 3
UPDATE products SET price = 11.00 WHERE sku = 'p1';                        -- SCN 4
INSERT INTO products VALUES ('p3', 30.00);                                 -- SCN 5
UPDATE products SET price = 21.00 WHERE sku = 'p2';                        -- SCN 6
DELETE FROM products WHERE sku = 'p3';                                     -- SCN 7
UPDATE products SET price = 12.00 WHERE sku = 'p1';                        -- SCN 8

-- FROM: the changes from SCN 6 onwards.
SELECT sku, price, versions_operation AS op, versions_startscn AS scn
FROM products VERSIONS BETWEEN SCN 6 AND MAXVALUE
WHERE versions_startscn IS NOT NULL
ORDER BY versions_startscn;

-- TO: every version that existed up to SCN 4.
SELECT sku, price, versions_startscn AS start_scn, versions_endscn AS end_scn
FROM products VERSIONS BETWEEN SCN MINVALUE AND 4
ORDER BY sku, versions_startscn;

-- BETWEEN, by time: the versions current at some moment from SCN 5's commit to SCN 6's.
SELECT sku, price
FROM products VERSIONS BETWEEN TIMESTAMP SCN_TO_TIMESTAMP(5) AND SCN_TO_TIMESTAMP(6)
ORDER BY sku, price;

-- SQL:2011 windows are times: BETWEEN includes the upper bound, FROM ... TO excludes it, CONTAINED IN
-- keeps only versions that started and ended inside the window.
SELECT 'between 4 and 6' AS window, count(*) AS versions
    FROM products FOR SYSTEM_TIME BETWEEN SCN_TO_TIMESTAMP(4) AND SCN_TO_TIMESTAMP(6)
UNION ALL SELECT 'from 4 to 6', count(*)
    FROM products FOR SYSTEM_TIME FROM SCN_TO_TIMESTAMP(4) TO SCN_TO_TIMESTAMP(6)
UNION ALL SELECT 'contained in (3, 8)', count(*)
    FROM products FOR SYSTEM_TIME CONTAINED IN (SCN_TO_TIMESTAMP(3), SCN_TO_TIMESTAMP(8))
UNION ALL SELECT 'all', count(*)
    FROM products FOR SYSTEM_TIME ALL
ORDER BY versions, window;
