"""Every script in sql_examples/ runs through the real program and prints its golden output.

``NN_name.out`` is the exact standard output of ``heliosql --quiet -f NN_name.sql`` (run
from sql_examples/, table format); ``NN_name.err``, when present, the exact
standard error. A ``-- options: ...`` line in a script adds command-line options.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "sql_examples"
SCRIPTS = sorted(EXAMPLES.glob("*.sql"))


def _options(script: Path) -> list[str]:
    for line in script.read_text().splitlines():
        if line.startswith("-- options:"):
            return line.removeprefix("-- options:").split()
    return []


def test_every_use_case_has_an_example() -> None:
    assert len(SCRIPTS) >= 12  # the seed document's twelve use cases, then more
    assert [s.name[:3] for s in SCRIPTS] == [f"{n:02d}_" for n in range(1, len(SCRIPTS) + 1)]
    for script in SCRIPTS:
        assert script.read_text().startswith("-- "), f"{script.name} starts with what it shows"
        assert script.with_suffix(".out").exists(), f"{script.name} has a golden output"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_example_matches_golden(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "heliosql", "--quiet", *_options(script), "-f", script.name],
        cwd=EXAMPLES, capture_output=True, text=True, timeout=120,
    )
    expected_err = script.with_suffix(".err")
    assert done.stdout == script.with_suffix(".out").read_text()
    if expected_err.exists():
        assert done.stderr == expected_err.read_text()
        assert done.returncode == 1
    else:
        assert done.stderr == ""
        assert done.returncode == 0
