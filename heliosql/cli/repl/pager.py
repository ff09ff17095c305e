"""Long and wide results on a terminal: a pager for results taller than the screen
(``$PAGER``, else ``less``, through :func:`pydoc.pager`), and a test for rows wider
than the screen (the shell then prints records vertically)."""

from __future__ import annotations

import os
import pydoc
import shutil
from typing import IO


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False


def too_tall(text: str) -> bool:
    return text.count("\n") + 1 > shutil.get_terminal_size().lines - 2  # room for the prompt


def too_wide(text: str) -> bool:
    columns = shutil.get_terminal_size().columns
    return any(len(line) > columns for line in text.splitlines())


def show(text: str, stream: IO[str]) -> None:
    """Write ``text`` to a terminal ``stream``, through the pager when it would scroll away."""
    if too_tall(text):
        # less: quit if one screen, keep colours, do not clear the screen (pgcli's choice)
        os.environ.setdefault("LESS", "-SRXF")
        pydoc.pager(text)
        return
    stream.write(text if text.endswith("\n") else text + "\n")
    stream.flush()
