-- Basic time travel: change a row, then read the table as it was before the
-- change, by SCN and by timestamp, and compare "then" with "now" in one query.
-- A new in-memory database starts at SCN 1 and every commit adds one, so the
-- SCNs below are the same on every run.

CREATE TABLE orders (
    id       VARCHAR2(20) PRIMARY KEY,
    customer VARCHAR2(30),
    amount   NUMBER(10,2),
    status   VARCHAR2(10)
);                                                          -- SCN 2
INSERT INTO orders VALUES ('order_123', 'John Doe', 100.00, 'pending');   -- SCN 3
UPDATE orders SET status = 'shipped' WHERE id = 'order_123';             -- SCN 4

SELECT current_scn FROM v$database;

-- Now.
SELECT id, customer, amount, status FROM orders;

-- As of SCN 3, right after the insert.
SELECT id, customer, amount, status FROM orders AS OF SCN 3;

-- The same moment by time: SCN_TO_TIMESTAMP gives the exact commit time of SCN 3.
SELECT status FROM orders AS OF TIMESTAMP SCN_TO_TIMESTAMP(3);

-- Then versus now: each table reference has its own point in time.
SELECT n.id, o.status AS status_then, n.status AS status_now
FROM orders n JOIN orders AS OF SCN 3 o ON o.id = n.id;

-- Before the insert the table was empty.
SELECT count(*) AS orders_at_scn_2 FROM orders AS OF SCN 2;
