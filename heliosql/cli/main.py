"""``heliosql [DATABASE] [-f FILE | -c SQL]...``: argument parsing and dispatch.

Scripts (``-f``, ``-c``, or standard input when it is not a terminal) run in
batch mode; otherwise the interactive REPL starts. Exit status: 0 success,
1 a statement failed, 2 a usage error (bad arguments, unreadable script,
database that cannot be opened), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import heliosql
from heliosql.cli.batch import Script, run_scripts
from heliosql.cli.options import FORMATS, Options

USAGE_ERROR = 2

_EPILOG = """\
exit status: 0 when every statement succeeded, 1 when a statement failed,
2 for a usage error (bad arguments, a missing script, a database that cannot be opened).

Results go to standard output and nothing else does; errors go to standard error as
FILE:LINE:COL: error: Class (ORA-nnnnn): message. Batch runs use autocommit; a transaction
opened with BEGIN and still open at the end is rolled back.
"""


class _AddSource(argparse.Action):
    """Collect -f and -c in command-line order, so they run in that order."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        kind = "file" if option_string in ("-f", "--file") else "command"
        sources = list(getattr(namespace, "sources", None) or [])
        sources.append((kind, values))
        namespace.sources = sources


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="heliosql",
        description="Time-travel SQL with Oracle flashback syntax. Runs SQL scripts (-f, -c, or "
                    "standard input); with no script on a terminal, opens the interactive shell.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("database", nargs="?", default=":memory:", metavar="DATABASE",
                        help="database file (default: a new in-memory database)")
    parser.add_argument("-f", "--file", action=_AddSource, dest="sources", metavar="FILE",
                        help="run the SQL script FILE ('-' for standard input); repeatable")
    parser.add_argument("-c", "--command", action=_AddSource, dest="sources", metavar="SQL",
                        help="run the SQL text; repeatable, in order with -f")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="result format (default: table)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write results to FILE")
    parser.add_argument("--echo", action="store_true",
                        help="print each statement before its result")
    parser.add_argument("--continue-on-error", action="store_true",
                        help="keep going after a failed statement (default: stop); exit 1")
    parser.add_argument("--null", default="<null>", metavar="TEXT",
                        help="how NULL is shown in table, markdown and vertical output "
                             "(default: <null>)")
    parser.add_argument("--version", action="version",
                        version=f"heliosql {heliosql.__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and usage errors
        return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
    options = Options(database=args.database, format=args.format, output=args.output,
                      echo=args.echo, continue_on_error=args.continue_on_error, null=args.null)
    sources = args.sources or []
    interactive = not sources and sys.stdin.isatty()
    try:
        scripts = [] if interactive else _read_scripts(sources or [("file", "-")])
    except OSError as error:
        return _usage(f"cannot read {error.filename}: {error.strerror}")
    except UnicodeDecodeError as error:
        return _usage(f"a script is not UTF-8 text: {error}")
    try:
        connection = heliosql.connect(options.database, autocommit=True)
    except heliosql.Error as error:
        return _usage(error.message)
    except OSError as error:
        return _usage(f"cannot open database {options.database}: {error.strerror}")
    try:
        if interactive:
            from heliosql.cli.repl import run_repl  # prompt-toolkit loads only when needed

            return run_repl(connection, options)
        return _batch(connection, scripts, options)
    except KeyboardInterrupt:
        print("heliosql: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError):  # a stream without a descriptor
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        connection.close()


def _read_scripts(sources: list[tuple[str, str]]) -> list[Script]:
    """Read every script before running any, so a missing file changes nothing."""
    scripts = []
    for kind, value in sources:
        if kind == "command":
            scripts.append(Script("<command>", value))
        elif value == "-":
            scripts.append(Script("<stdin>", sys.stdin.read()))
        else:
            with open(value, encoding="utf-8") as file:
                scripts.append(Script(value, file.read()))
    return scripts


def _batch(connection: heliosql.Connection, scripts: list[Script], options: Options) -> int:
    if options.output is None:
        return run_scripts(connection, scripts, options, sys.stdout, sys.stderr)
    try:
        out: TextIO = open(options.output, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        return _usage(f"cannot write {options.output}: {error.strerror}")
    with out:
        return run_scripts(connection, scripts, options, out, sys.stderr)


def _usage(message: str) -> int:
    print(f"heliosql: error: {message}", file=sys.stderr)
    return USAGE_ERROR
