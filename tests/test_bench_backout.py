"""The backout benchmark runs end to end at a tiny size (no timing assertions)."""

from __future__ import annotations

import pytest

from bench import backout


def test_backout_bench_restores_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert backout.main(["--rows", "500", "--changed", "50"]) == 0
    out = capsys.readouterr().out
    assert "FLASHBACK ... BACKOUT" in out
    assert "rows written by backout" in out and "50" in out
    assert "table restored" in out and "yes" in out


def test_backout_bench_in_memory(capsys: pytest.CaptureFixture[str]) -> None:
    assert backout.main(["--rows", "200", "--changed", "200", "--path", ":memory:"]) == 0
    assert "N=200 rows" in capsys.readouterr().out
