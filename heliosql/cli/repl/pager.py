"""Long and wide results on a terminal: a pager for output taller than the screen
(``$PAGER``, else ``less``), fed line by line as the rows arrive, and a test for
rows wider than the screen (the shell then prints records vertically)."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from typing import IO


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False


def too_wide(lines: Iterable[str]) -> bool:
    from heliosql.cli.output import width

    columns = shutil.get_terminal_size().columns
    return any(width(line) > columns for line in lines)


def show(text: str, stream: IO[str]) -> None:
    """Write ``text`` to a terminal ``stream``, through the pager when it would scroll away."""
    page(iter(text.rstrip("\n").split("\n")), stream)


def page(lines: Iterator[str], stream: IO[str]) -> None:
    """Write ``lines`` to the terminal, or into the pager once they outgrow the screen."""
    room = shutil.get_terminal_size().lines - 2  # room for the prompt
    head = list(itertools.islice(lines, room + 1))
    if len(head) <= room:
        stream.write("".join(line + "\n" for line in head))
        stream.flush()
        return
    # less: quit if one screen, keep colours, do not clear the screen (pgcli's choice)
    env = {**os.environ, "LESS": os.environ.get("LESS", "-SRXF")}
    stream.flush()
    process = subprocess.Popen(os.environ.get("PAGER") or "less", shell=True,
                               stdin=subprocess.PIPE, env=env, encoding="utf-8",
                               errors="replace")
    assert process.stdin is not None
    try:
        for line in itertools.chain(head, lines):
            process.stdin.write(line + "\n")
    except BrokenPipeError:
        pass  # the reader left the pager: the rest is not wanted
    finally:
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        process.wait()
