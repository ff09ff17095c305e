"""Runs every ``tests/sql/*.test`` file (see ``tests/sqllogic.py`` for the format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sqllogic import run_file

CASES = sorted((Path(__file__).parent / "sql").glob("*.test"))


def test_cases_found() -> None:
    assert len(CASES) >= 3


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_sql_case(path: Path) -> None:
    run_file(path)
