-- Error handling: what heliosql reports, and that a failed statement changes
-- nothing. Errors go to standard error (12_error_handling.err) as
-- FILE:LINE:COL with the line and a caret; results to standard output.
-- options: --continue-on-error

CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER);    -- SCN 2
INSERT INTO accounts VALUES (1, 100), (2, 200);                     -- SCN 3

-- ORA-00942: a table that does not exist (with a hint).
SELECT * FROM acounts;

-- A syntax error is located in this file, not just in the statement.
SELECT id,
       balance
FROM accounts
WHERE balance >;

-- ORA-08181: an SCN that does not exist yet.
SELECT * FROM accounts AS OF SCN 99;

-- ORA-01466: the table did not exist at SCN 1.
SELECT * FROM accounts AS OF SCN 1;

-- ORA-00001: a duplicate key. The failed statement leaves no trace.
INSERT INTO accounts VALUES (3, 300), (1, 999);
SELECT count(*) AS accounts, current_scn FROM accounts, v$database GROUP BY current_scn;

-- ORA-55504: a later transaction depends on the one being backed out.
UPDATE accounts SET balance = balance + 1 WHERE id = 1;             -- SCN 4, XID 3
UPDATE accounts SET balance = balance + 1 WHERE id = 1;             -- SCN 5, XID 4
FLASHBACK TRANSACTION 3 BACKOUT;

-- ORA-01555: history removed by retention cannot be read.
CREATE FLASHBACK ARCHIVE short_term RETENTION 1 DAY;
ALTER TABLE accounts FLASHBACK ARCHIVE short_term;
ALTER FLASHBACK ARCHIVE short_term PURGE ALL;
SELECT * FROM accounts AS OF SCN 3;

-- An error inside BEGIN ... COMMIT undoes only the failed statement (Oracle's rule):
-- the transaction goes on, and COMMIT keeps the rest. ROLLBACK TO SAVEPOINT undoes more.
BEGIN;
UPDATE accounts SET balance = 0 WHERE id = 2;
UPDATE accounts SET balance = 'x' WHERE id = 1;
SAVEPOINT before_bonus;
UPDATE accounts SET balance = balance + 1000;
ROLLBACK TO SAVEPOINT before_bonus;
COMMIT;
SELECT id, balance FROM accounts ORDER BY id;

-- A transaction still open at the end of the script is rolled back, with a notice.
BEGIN;
DELETE FROM accounts;
