"""A naive ``datetime`` (no tzinfo) is a time in the session's time zone: the machine's
local zone, which is also DuckDB's TimeZone setting (heliosql leaves it at its
default). Checked in a child process whose zone is Asia/Kolkata (UTC+05:30, no
daylight saving), so that local time and UTC differ."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import heliosql

    cur = heliosql.connect(autocommit=True).cursor()
    assert cur.connection.engine.backend.cursor().execute(
        "SELECT current_setting('TimeZone')").fetchone() == ("Asia/Kolkata",)
    cur.execute("CREATE TABLE t (id NUMBER(5) PRIMARY KEY, ts TIMESTAMP WITH TIME ZONE)")
    cur.execute("INSERT INTO t VALUES (1, TIMESTAMP '2024-01-01 12:00:00 +00:00')")
    scn = cur.execute("SELECT current_scn FROM v$database").fetchone()[0]
    cur.execute("UPDATE t SET id = 2")
    commit = cur.execute("SELECT SCN_TO_TIMESTAMP(:s) FROM dual", {"s": scn}).fetchone()[0]
    local = commit.astimezone(ZoneInfo("Asia/Kolkata")).replace(tzinfo=None)

    def ids(sql, **params):
        return [r[0] for r in cur.execute(sql, params).fetchall()]

    # AS OF TIMESTAMP / FOR SYSTEM_TIME AS OF: the naive local time of the commit sees it,
    # a microsecond earlier does not (read as UTC, the time would be 5.5 hours off).
    assert ids("SELECT id FROM t AS OF TIMESTAMP :t", t=local) == [1]
    assert ids("SELECT id FROM t FOR SYSTEM_TIME AS OF TIMESTAMP :t",
               t=local - timedelta(microseconds=1)) == []
    assert ids("SELECT id FROM t AS OF TIMESTAMP :t", t=commit) == [1]
    # Window bounds: naive and aware values mix.
    assert ids("SELECT id FROM t VERSIONS BETWEEN TIMESTAMP :a AND :b ORDER BY id",
               a=local, b=datetime.now(ZoneInfo("UTC"))) == [1, 2]
    assert ids("SELECT id FROM t FOR SYSTEM_TIME FROM :a TO :b ORDER BY id", a=local,
               b=datetime.now()) == [1, 2]
    # Comparisons in SQL: noon UTC is 17:30 in Kolkata.
    assert ids("SELECT id FROM t WHERE ts = :t", t=datetime(2024, 1, 1, 17, 30)) == [2]
    assert ids("SELECT id FROM t WHERE ts < :t", t=datetime(2024, 1, 1, 17, 0)) == []
    # LOCALTIMESTAMP and SYSDATE are local wall-clock times.
    offset = cur.execute("SELECT LOCALTIMESTAMP - CAST(SYSTIMESTAMP AS TIMESTAMP) "
                         "FROM dual").fetchone()[0]
    assert offset == timedelta(0), offset
    # TO_CHAR of a zoned value writes it in the session's zone, TZR as the offset.
    text = cur.execute("SELECT TO_CHAR(TIMESTAMP '2024-01-01 12:00:00 +00:00') "
                       "FROM dual").fetchone()[0]
    assert text == "01-JAN-24 05.30.00.000000 PM +05:30", text
    cur.execute("ALTER SESSION SET NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD HH24:MI TZH TZM'")
    assert cur.execute("SELECT TO_CHAR(ts) FROM t").fetchone() == ("2024-01-01 17:30 +05 30",)
    print("ok")
""")


def test_naive_datetimes_are_in_the_local_time_zone() -> None:
    env = dict(os.environ, TZ="Asia/Kolkata")
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
