"""What the command-line tests share: script files and in-process runs of ``main()``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from heliosql.cli import main


@pytest.fixture
def script(tmp_path: Path) -> Callable[..., str]:
    """Write a script file; its path."""
    def write(text: str, name: str = "script.sql") -> str:
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``heliosql ARGV`` in-process: exit status, standard output, standard error."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err
