-- Change tracking: how often did a product's quantity change within a window
-- of SCNs (or of time), and what was it after each change?

CREATE TABLE inventory (sku VARCHAR2(20) PRIMARY KEY, quantity INTEGER);   -- SCN 2
INSERT INTO inventory VALUES ('product_789', 50), ('product_790', 5);      -- SCN 3
UPDATE inventory SET quantity = 45 WHERE sku = 'product_789';              -- SCN 4
UPDATE inventory SET quantity = 40 WHERE sku = 'product_789';              -- SCN 5
UPDATE inventory SET quantity = 4 WHERE sku = 'product_790';               -- SCN 6
UPDATE inventory SET quantity = 100 WHERE sku = 'product_789';             -- SCN 7
UPDATE inventory SET quantity = 90 WHERE sku = 'product_789';              -- SCN 8

-- Every version of product_789 that was current at some point in SCNs 6 to 7:
-- the version valid when the window opens (quantity 40, since SCN 5) is
-- included, with a NULL start: as in Oracle, it began before the window.
SELECT quantity, versions_operation AS op, versions_startscn AS start_scn,
       versions_endscn AS end_scn
FROM inventory VERSIONS BETWEEN SCN 6 AND 7
WHERE sku = 'product_789'
ORDER BY versions_startscn NULLS FIRST;

-- Only the changes made inside the window.
SELECT count(*) AS changes_in_window
FROM inventory VERSIONS BETWEEN SCN 6 AND 7
WHERE sku = 'product_789' AND versions_startscn BETWEEN 6 AND 7;

-- The same window by time; the bounds are exact commit times.
SELECT quantity, versions_startscn AS start_scn
FROM inventory VERSIONS BETWEEN TIMESTAMP SCN_TO_TIMESTAMP(6) AND SCN_TO_TIMESTAMP(7)
WHERE sku = 'product_789'
ORDER BY versions_startscn NULLS FIRST;

-- Changes per product over the whole history.
SELECT sku, count(*) AS versions, min(quantity) AS low, max(quantity) AS high
FROM inventory VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE
GROUP BY sku
ORDER BY sku;
