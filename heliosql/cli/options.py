"""The settings of one command-line run, shared by the batch runner and the REPL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMATS = ("table", "csv", "json", "jsonl", "markdown", "vertical")


@dataclass(frozen=True)
class Options:
    """What the command line asked for (see ``heliosql --help``)."""

    database: str
    format: str
    output: str | None
    echo: bool
    continue_on_error: bool
    null: str = "<null>"
    timing: bool = False
    quiet: bool = False  # no feedback lines
    readonly: bool = False
    variables: tuple[tuple[str, Any], ...] = ()  # -v NAME=VALUE

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown output format {self.format!r}")
