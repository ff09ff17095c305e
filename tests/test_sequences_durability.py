"""A process killed with SIGKILL while it draws sequence numbers: after reopening, no
number it was handed is handed out again.

A child process draws numbers in a loop (single rows, many rows, rows it inserts and
commits; a cached and an uncached sequence) and prints each number as soon as a
statement returns it. The test kills it at once (no cleanup), starts another child
on the same file, kills that too, and finally draws in the test process: every
number printed, by any of them, is printed once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

import heliosql

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL needs POSIX")

DRAWER = textwrap.dedent(
    """
    import sys
    import heliosql
    conn = heliosql.connect(sys.argv[1], autocommit=True)
    cur = conn.cursor()
    if sys.argv[2] == "create":
        cur.execute("CREATE SEQUENCE cached CACHE 50")
        cur.execute("CREATE SEQUENCE exact NOCACHE")
        cur.execute("CREATE TABLE log (id INTEGER GENERATED AS IDENTITY (CACHE 7), n INTEGER)")
    print("ready", flush=True)
    while True:
        a, b = cur.execute("SELECT cached.NEXTVAL, exact.NEXTVAL FROM dual").fetchone()
        print("cached", a, flush=True)
        print("exact", b, flush=True)
        for (n,) in cur.execute("SELECT cached.NEXTVAL FROM range(13)").fetchall():
            print("cached", n, flush=True)
        for row in cur.execute("INSERT INTO log (n) SELECT exact.NEXTVAL FROM range(3) "
                               "RETURNING id, n").fetchall():
            print("log", row[0], flush=True)
            print("exact", row[1], flush=True)
    """
)


def _run_and_kill(path: Path, mode: str, lines_wanted: int) -> list[tuple[str, int]]:
    """Run the drawer, SIGKILL it once it printed ``lines_wanted`` numbers; the numbers."""
    proc = subprocess.Popen([sys.executable, "-c", DRAWER, str(path), mode],
                            stdout=subprocess.PIPE, text=True)
    numbers: list[tuple[str, int]] = []
    deadline = time.monotonic() + 120
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "ready"
        while len(numbers) < lines_wanted and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            name, value = line.split()
            numbers.append((name, int(value)))
    finally:
        proc.send_signal(signal.SIGKILL)  # while it goes on drawing
        proc.wait()
    assert len(numbers) == lines_wanted, "the drawer stopped early"
    return numbers


def test_no_number_is_handed_out_twice_after_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "drawn.duckdb"
    numbers = _run_and_kill(path, "create", 250)
    numbers += _run_and_kill(path, "again", 100)
    numbers += _run_and_kill(path, "again", 300)
    with heliosql.connect(str(path), autocommit=True) as conn:
        cur = conn.cursor()
        for _ in range(5):
            numbers += [("cached", n) for (n,) in
                        cur.execute("SELECT cached.NEXTVAL FROM range(30)").fetchall()]
            numbers += [("exact", n) for (n,) in
                        cur.execute("SELECT exact.NEXTVAL FROM range(4)").fetchall()]
            for row in cur.execute("INSERT INTO log (n) VALUES (0), (0) RETURNING id"):
                numbers.append(("log", row[0]))
        # The committed rows hold identity numbers that were all handed out once.
        ids = [row[0] for row in cur.execute("SELECT id FROM log").fetchall()]
        assert len(ids) == len(set(ids))
    counts = Counter(numbers)
    repeated = [number for number, times in counts.items() if times > 1]
    assert not repeated, f"numbers handed out twice: {repeated[:10]}"
    # Each kind of draw happened in every run, so each was interrupted somewhere.
    assert {name for name, _ in numbers} == {"cached", "exact", "log"}
