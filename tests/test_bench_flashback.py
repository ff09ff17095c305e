"""The FLASHBACK TABLE benchmark runs end to end at a tiny size (no timing assertions)."""

from __future__ import annotations

import re

import pytest

from bench.flashback_table import main


def test_flashback_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rows", "500", "--repeat", "2"]) == 0
    out = capsys.readouterr().out
    assert "N=500 rows" in out
    for heading in ("update round s", "FLASHBACK TABLE s", "ratio", "median"):
        assert heading in out
    assert re.search(r"round 1\s+50\s", out)  # 10% of the rows
    assert re.search(r"target: FLASHBACK TABLE <= 3x the update round: (met|MISSED)", out)
    assert "flashback state equals AS OF: yes" in out


def test_flashback_benchmark_rejects_tiny_sizes() -> None:
    with pytest.raises(SystemExit):
        main(["--rows", "5"])
