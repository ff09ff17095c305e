"""heliosql: embedded time-travel SQL over DuckDB with Oracle-style flashback syntax.

>>> import heliosql
>>> with heliosql.connect() as conn:
...     cur = conn.cursor()
...     _ = cur.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR2(10))")
...     _ = cur.execute("INSERT INTO t VALUES (1, 'old')")
...     conn.commit()
...     scn = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
...     _ = cur.execute("UPDATE t SET v = 'new' WHERE id = 1")
...     conn.commit()
...     cur.execute("SELECT v FROM t AS OF SCN :scn", {"scn": scn}).fetchall()
[('old',)]
"""

from heliosql.dbapi import Connection, Cursor, apilevel, connect, paramstyle, threadsafety
from heliosql.dbtypes import (
    BINARY,
    DATETIME,
    NUMBER,
    ROWID,
    STRING,
    Binary,
    Date,
    DateFromTicks,
    Time,
    TimeFromTicks,
    Timestamp,
    TimestampFromTicks,
)
from heliosql.storage.errors import (
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Warning,
)

__version__ = "0.1.0"

__all__ = [
    "BINARY",
    "DATETIME",
    "NUMBER",
    "ROWID",
    "STRING",
    "Binary",
    "Connection",
    "Cursor",
    "DataError",
    "DatabaseError",
    "Date",
    "DateFromTicks",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "Time",
    "TimeFromTicks",
    "Timestamp",
    "TimestampFromTicks",
    "Warning",
    "apilevel",
    "connect",
    "paramstyle",
    "threadsafety",
]
