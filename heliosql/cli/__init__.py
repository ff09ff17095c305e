"""The ``heliosql`` command: batch runs of SQL scripts and the interactive REPL."""

from heliosql.cli.main import main
from heliosql.cli.options import Options

__all__ = ["Options", "main"]
