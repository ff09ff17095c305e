"""Durability: a commit that returned survives a SIGKILL; a half-done one leaves no trace.

A child process writes to a database file and reports on stdout after each
commit returns; the test kills it with SIGKILL (no cleanup, no atexit) and
reopens the file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from heliosql.storage import FlashbackQuery, TemporalEngine, TemporalQuery

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL needs POSIX")

WRITER = textwrap.dedent(
    """
    import sys
    from heliosql.storage import TemporalEngine, TemporalTable
    engine = TemporalEngine(sys.argv[1])
    engine.create_temporal_table(TemporalTable(
        "ledger", {"id": "BIGINT", "balance": "BIGINT"}, primary_key="id"))
    engine.insert_batch("ledger", [{"id": i, "balance": 100} for i in range(10)])
    print("ready", engine.current_scn(), flush=True)
    i = 0
    while True:
        # Move one unit between two accounts: the total is invariant.
        with engine.transaction():
            engine.update_where("ledger", {"balance": "balance - 1"}, "id = $a", {"a": i % 10})
            engine.update_where("ledger", {"balance": "balance + 1"}, "id = $b",
                                {"b": (i + 3) % 10})
        print("committed", engine.current_scn(), flush=True)
        i += 1
    """
)

BIG_TRANSACTION = textwrap.dedent(
    """
    import sys
    from heliosql.storage import TemporalEngine, TemporalTable
    engine = TemporalEngine(sys.argv[1])
    engine.create_temporal_table(TemporalTable("big", {"id": "BIGINT", "v": "VARCHAR"}))
    print("ready", engine.current_scn(), flush=True)
    with engine.transaction():
        for round in range(1000):
            engine.insert_select("big", "SELECT range, 'x' || range FROM range(100000)",
                                 ["id", "v"])
            print("inserted", round, flush=True)
    print("committed", flush=True)
    """
)


def _run_until(script: str, path: Path, wanted: str, count: int) -> list[str]:
    """Run ``script`` on ``path``; SIGKILL it once ``count`` lines start with ``wanted``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    seen = 0
    deadline = time.monotonic() + 120
    assert proc.stdout is not None
    try:
        while seen < count and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            seen += line.startswith(wanted)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert seen == count, f"child stopped early: {lines[-5:]}"
    return lines


def test_committed_transactions_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    lines = _run_until(WRITER, path, "committed", 40)
    last_reported = max(int(line.split()[1]) for line in lines if line.startswith("committed"))

    with TemporalEngine(path) as engine:
        # Every commit that returned is there; at most the one in flight may be extra.
        assert engine.current_scn() >= last_reported
        rows = engine.query("ledger", TemporalQuery.AsOf(engine.scn_to_timestamp(
            engine.current_scn())))
        assert sum(r.columns["balance"] for r in rows) == 1000
        # No half-done transaction: every committed state keeps the invariant.
        ready = int(lines[0].split()[1])
        for scn in range(ready, engine.current_scn() + 1):
            state = engine.execute_flashback(
                "ledger", FlashbackQuery.AsOfScn(scn=scn, table_name="ledger")).rows
            assert sum(r.columns["balance"] for r in state) == 1000, scn
        # The engine carries on writing after the crash.
        engine.update_where("ledger", {"balance": "balance"}, "id = 0")
        assert engine.current_scn() > last_reported


def test_killed_transaction_leaves_no_trace(tmp_path: Path) -> None:
    path = tmp_path / "big.duckdb"
    lines = _run_until(BIG_TRANSACTION, path, "inserted", 3)
    ready_scn = int(lines[0].split()[1])

    with TemporalEngine(path) as engine:
        assert engine.current_scn() == ready_scn
        assert engine.get_stats("big").current_rows == 0
        assert engine.get_stats("big").history_rows == 0
        count = engine.fetch("SELECT count(*) FROM helios.scn_log WHERE scn > ?", [ready_scn])
        assert count[0][0] == 0

