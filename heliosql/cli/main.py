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
from typing import Any

import heliosql
from heliosql.cli.batch import Script, run_scripts
from heliosql.cli.database import open_database
from heliosql.cli.options import FORMATS, Options
from heliosql.cli.repl.commands import CommandError, parse_value

USAGE_ERROR = 2

_EPILOG = """\
DATABASE is a database file (shop.duckdb), created when it does not exist (and
announced as created) in a folder that must exist; a path without a suffix (shop)
is a folder holding heliosql.duckdb.

exit status: 0 when every statement succeeded, 1 when a statement failed (or what
EXIT / WHENEVER SQLERROR EXIT asks for), 2 for a usage error (bad arguments, a missing
script, a database that cannot be opened), 130 interrupted.

Results go to standard output, with feedback lines ("Table created.") in the table,
markdown and vertical formats unless --quiet; errors go to standard error as
FILE:LINE:COL: error: Class (ORA-nnnnn): message. Batch runs use autocommit; a
transaction opened with BEGIN and still open at the end is rolled back. Scripts may
hold dot commands (.mode csv), \\gset and SQL*Plus commands (SET, PROMPT, SPOOL,
WHENEVER SQLERROR, EXIT).

examples:
  heliosql shop.duckdb                                  the interactive shell
  heliosql shop.duckdb -f load.sql -f report.sql        scripts, in order
  heliosql shop.duckdb --format csv -c "SELECT * FROM orders" > orders.csv
  heliosql shop.duckdb -v scn=42 -c "SELECT * FROM orders AS OF SCN :scn"
  heliosql shop.duckdb --readonly                       read while another process reads
  heliosql --quiet -f demobld.sql                       an Oracle script, results only
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
                        help="database file, or a folder for a path without a suffix "
                             "(default: a new in-memory database)")
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
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no feedback lines (\"Table created.\"), no notice of a "
                             "created database: results only")
    parser.add_argument("-v", "--set", action="append", default=[], metavar="NAME=VALUE",
                        dest="variables",
                        help="set a variable, used in statements as :NAME; repeatable")
    parser.add_argument("--readonly", action="store_true",
                        help="open the database read-only (other processes may read it too)")
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
    try:
        variables = tuple(_variable(text) for text in args.variables)
    except ValueError as error:
        return _usage(str(error))
    options = Options(database=args.database, format=args.format, output=args.output,
                      echo=args.echo, continue_on_error=args.continue_on_error, null=args.null,
                      quiet=args.quiet, readonly=args.readonly, variables=variables)
    sources = args.sources or []
    interactive = not sources and sys.stdin.isatty()
    try:
        scripts = [] if interactive else _read_scripts(sources or [("file", "-")])
    except OSError as error:
        return _usage(f"cannot read {error.filename}: {error.strerror}")
    except UnicodeDecodeError as error:
        return _usage(f"a script is not UTF-8 text: {error}")
    try:
        connection, created = open_database(options.database, options.readonly)
    except heliosql.Error as error:
        return _usage(error.message)
    except OSError as error:
        return _usage(f"cannot open database {options.database}: {error.strerror}")
    if created is not None and not options.quiet:
        print(f"Created a new database {created}.", file=sys.stderr)
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
    try:
        return run_scripts(connection, scripts, options, sys.stdout, sys.stderr)
    except CommandError as error:  # --output FILE cannot be written
        return _usage(str(error))


def _variable(text: str) -> tuple[str, Any]:
    """``-v name=value``: the variable and its value (numbers become numbers, as .set)."""
    name, equals, value = text.partition("=")
    if not equals or not name.isidentifier():
        raise ValueError(f"-v takes NAME=VALUE, not {text!r}")
    return name.lower(), parse_value(value)


def _usage(message: str) -> int:
    print(f"heliosql: error: {message}", file=sys.stderr)
    return USAGE_ERROR
