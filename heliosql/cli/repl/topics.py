"""``.help TOPIC``: a short syntax sheet per statement family, one example each.

The examples are real: a test runs every one of them, in order, on a database
holding the ``emp`` table the first sheet creates.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Form:
    """One form of a statement and an example of it."""

    syntax: str
    example: str


@dataclass(frozen=True, slots=True)
class Topic:
    title: str
    forms: tuple[Form, ...]


TOPICS: dict[str, Topic] = {
    "ddl": Topic("Tables, views and indexes", (
        Form("CREATE TABLE t (col type [PRIMARY KEY|NOT NULL|DEFAULT e|CHECK (c)], ...)",
             "CREATE TABLE emp (id NUMBER(6) PRIMARY KEY, name VARCHAR2(20), sal NUMBER(8,2));"),
        Form("CREATE TABLE t AS SELECT ...",
             "CREATE TABLE emp_copy AS SELECT * FROM emp;"),
        Form("ALTER TABLE t ADD|DROP|RENAME COLUMN ... | RENAME TO u",
             "ALTER TABLE emp_copy ADD bonus NUMBER(8,2);"),
        Form("CREATE [OR REPLACE] VIEW v AS SELECT ...",
             "CREATE VIEW rich AS SELECT * FROM emp WHERE sal > 1000;"),
        Form("CREATE INDEX i ON t (col, ...)", "CREATE INDEX emp_name ON emp (name);"),
        Form("DROP TABLE t [PURGE] (into the recycle bin unless PURGE)",
             "DROP TABLE emp_copy;"),
    )),
    "dml": Topic("Changing rows", (
        Form("INSERT INTO t [(cols)] VALUES (...), ... | SELECT ...",
             "INSERT INTO emp VALUES (1, 'ann', 800), (2, 'bob', 1200);"),
        Form("UPDATE t SET col = e, ... [WHERE c]",
             "UPDATE emp SET sal = sal * 1.1 WHERE id = 1;"),
        Form("DELETE FROM t [WHERE c]", "DELETE FROM emp WHERE id = 2;"),
        Form("MERGE INTO t USING s ON (c) WHEN MATCHED THEN UPDATE SET ... "
             "WHEN NOT MATCHED THEN INSERT ...",
             "MERGE INTO emp e USING (SELECT 2 AS id, 'bob' AS name, 1300 AS sal FROM dual) s\n"
             "  ON (e.id = s.id) WHEN MATCHED THEN UPDATE SET e.sal = s.sal\n"
             "  WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name, s.sal);"),
        Form("... RETURNING col, ...",
             "UPDATE emp SET sal = sal + 1 WHERE id = 2 RETURNING sal;"),
    )),
    "queries": Topic("Queries", (
        Form("SELECT ... FROM t [WHERE] [GROUP BY] [HAVING] [ORDER BY] [FETCH FIRST n ROWS ONLY]",
             "SELECT name, sal FROM emp ORDER BY sal DESC FETCH FIRST 1 ROWS ONLY;"),
        Form("WITH q AS (SELECT ...) SELECT ... FROM q",
             "WITH top AS (SELECT max(sal) AS m FROM emp) SELECT name FROM emp, top "
             "WHERE sal = m;"),
        Form("Oracle functions: NVL, DECODE, TO_CHAR, TO_DATE, ADD_MONTHS, TRUNC, ...",
             "SELECT TO_CHAR(DATE '2024-03-01', 'DD-MON-YYYY') AS d FROM dual;"),
        Form("EXPLAIN SELECT ... (the plan and the DuckDB SQL)",
             "EXPLAIN SELECT * FROM emp WHERE id = 1;"),
    )),
    "flashback": Topic("Reading the past", (
        Form("SELECT current_scn FROM v$database (the SCN now)",
             "SELECT current_scn FROM v$database;"),
        Form("t AS OF SCN n | AS OF TIMESTAMP t",
             "SELECT * FROM emp AS OF SCN 2;"),
        Form("t VERSIONS BETWEEN SCN|TIMESTAMP {e|MINVALUE} AND {e|MAXVALUE} (VERSIONS_* "
             "pseudocolumns)",
             "SELECT id, sal, versions_operation FROM emp "
             "VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE;"),
        Form("t FOR SYSTEM_TIME AS OF ... | ALL (SQL:2011)",
             "SELECT count(*) FROM emp FOR SYSTEM_TIME ALL;"),
        Form("SCN_TO_TIMESTAMP(n), TIMESTAMP_TO_SCN(t), ORA_ROWSCN",
             "SELECT id, ora_rowscn FROM emp;"),
        Form("EXEC DBMS_FLASHBACK.ENABLE_AT_SYSTEM_CHANGE_NUMBER(n) | DISABLE (the session "
             "reads the past)",
             "EXEC DBMS_FLASHBACK.DISABLE;"),
    )),
    "restore": Topic("Putting tables back", (
        Form("CREATE RESTORE POINT p | DROP RESTORE POINT p",
             "CREATE RESTORE POINT before_raise;"),
        Form("FLASHBACK TABLE t TO SCN n | TO TIMESTAMP t | TO RESTORE POINT p",
             "FLASHBACK TABLE emp TO RESTORE POINT before_raise;"),
        Form("FLASHBACK TABLE t TO BEFORE DROP [RENAME TO u] (from the recycle bin)",
             "FLASHBACK TABLE emp_copy TO BEFORE DROP;"),
        Form("SHOW RECYCLEBIN | PURGE TABLE t | PURGE RECYCLEBIN",
             "PURGE RECYCLEBIN;"),
    )),
    "transactions": Topic("Transactions", (
        Form("BEGIN ... COMMIT | ROLLBACK (the shell commits each statement otherwise)",
             "BEGIN;"),
        Form("SAVEPOINT s | ROLLBACK TO [SAVEPOINT] s | RELEASE [SAVEPOINT] s",
             "SAVEPOINT s1;"),
        Form("SET TRANSACTION NAME 'x' (recorded with the commit)",
             "ROLLBACK;"),
        Form("FLASHBACK_TRANSACTION_QUERY (what each transaction changed, with UNDO_SQL)",
             "SELECT operation, undo_sql FROM flashback_transaction_query "
             "FETCH FIRST 2 ROWS ONLY;"),
        Form("FLASHBACK TRANSACTION xid BACKOUT [CASCADE] (undo one transaction)",
             "SELECT versions_xid FROM emp VERSIONS BETWEEN SCN MINVALUE AND MAXVALUE\n"
             "  FETCH FIRST 1 ROWS ONLY;"),
    )),
    "sqlplus": Topic("SQL*Plus commands in scripts and at the prompt", (
        Form("SET ECHO|FEEDBACK|HEADING|TERMOUT|TIMING ON|OFF (PAGESIZE, LINESIZE: no effect)",
             "SET FEEDBACK OFF"),
        Form("PROMPT text | REM[ARK] comment", "PROMPT Building the tables."),
        Form("SPOOL file | SPOOL OFF (results to a file, as .output)", "SPOOL OFF"),
        Form("WHENEVER SQLERROR EXIT [SUCCESS|FAILURE|n|SQL.SQLCODE] [COMMIT|ROLLBACK] "
             "| CONTINUE", "WHENEVER SQLERROR CONTINUE"),
        Form("/ alone on a line: end the statement, or run the last one again",
             "SET FEEDBACK ON"),
        Form("EXIT|QUIT [SUCCESS|FAILURE|n] [COMMIT|ROLLBACK] (rolls back by default)",
             "REM EXIT ends the session"),
    )),
}


def sheet(name: str) -> str | None:
    """The syntax sheet of a topic (its name may be shortened: ``.help flash``)."""
    key = name.strip().lower()
    found = [t for n, t in TOPICS.items() if n.startswith(key)] if key else []
    if len(found) != 1:
        return None
    topic = found[0]
    lines = [topic.title, ""]
    for form in topic.forms:
        lines.append(f"  {form.syntax}")
        lines += [f"      {line}" for line in form.example.split("\n")]
    return "\n".join(lines)
