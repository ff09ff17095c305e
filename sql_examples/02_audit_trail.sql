-- Audit trail: every change to an account balance is kept; VERSIONS BETWEEN
-- lists them all with Oracle's pseudocolumns, oldest first.

CREATE TABLE accounts (
    id          VARCHAR2(20) PRIMARY KEY,
    balance     NUMBER(12,2),
    last_change VARCHAR2(12)
);
INSERT INTO accounts VALUES ('account_456', 1000.00, 'deposit');
UPDATE accounts SET balance = 750.00, last_change = 'withdrawal' WHERE id = 'account_456';
UPDATE accounts SET balance = 500.00, last_change = 'withdrawal' WHERE id = 'account_456';

-- The complete history of the account: three versions.
SELECT row_number() OVER (ORDER BY versions_startscn) AS version,
       balance, last_change, versions_operation AS op,
       versions_startscn AS start_scn, versions_endscn AS end_scn
FROM accounts VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE
WHERE id = 'account_456'
ORDER BY versions_startscn;

-- How much each change moved the balance.
SELECT versions_startscn AS scn, last_change,
       balance - lag(balance) OVER (ORDER BY versions_startscn) AS delta
FROM accounts VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE
ORDER BY versions_startscn;

-- ORA_ROWSCN: the SCN of the row's last change.
SELECT id, balance, ora_rowscn FROM accounts;
