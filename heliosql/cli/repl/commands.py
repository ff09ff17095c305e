"""Dot commands as a registry: each is registered with its argument synopsis and a
one-line help, and ``.help`` is generated from the registry, so it cannot drift.

A handler receives the shell and the rest of the line; it returns a ``Flow``
(``Flow.END`` ends the session) or None to go on. psql's backslash commands and
the words ``help``, ``exit``, ``quit`` reach the same handlers (``translate``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from heliosql.cli.options import FORMATS
from heliosql.cli.repl import results, topics
from heliosql.cli.script import Flow

if TYPE_CHECKING:  # the shell imports this module
    from heliosql.cli.repl.shell import Shell

Handler = Callable[["Shell", str], Flow | None]
MODES = FORMATS
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$#]*")


class CommandError(Exception):
    """A dot command was used wrongly; the message says how to use it."""


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # with the leading dot
    synopsis: str  # the arguments, as shown by .help
    help: str
    run: Handler


REGISTRY: dict[str, Command] = {}
ALIASES = {".exit": ".quit", ".q": ".quit"}  # reachable, but not listed twice by .help
# psql's backslash commands -> the dot command that does the same.
BACKSLASH = {
    "\\q": ".quit", "\\?": ".help", "\\h": ".help", "\\dt": ".tables", "\\d": ".schema",
    "\\d+": ".schema", "\\timing": ".timing", "\\o": ".output", "\\i": ".read",
    "\\set": ".set", "\\x": ".x",
}


def command(name: str, synopsis: str, help: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        REGISTRY[name] = Command(name, synopsis, help, fn)
        return fn

    return register


def lookup(name: str) -> Command:
    """The command ``name``, or the only one it is a prefix of (``.ti`` -> ``.timing``)."""
    name = ALIASES.get(name, name)
    if name in REGISTRY:
        return REGISTRY[name]
    matches = [c for n, c in REGISTRY.items() if n.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    hint = f"; did you mean {', '.join(c.name for c in matches)}?" if matches else ""
    raise CommandError(f"unknown command {name!r}{hint} (.help lists the commands)")


def translate(line: str) -> tuple[str, str]:
    """The dot command and argument a command line asks for: ``\\d emp`` -> ``.schema emp``,
    ``\\d`` -> ``.tables``, ``help flashback`` -> ``.help flashback``."""
    name, _, arg = line.strip().partition(" ")
    name, arg = name.lower(), arg.strip()
    if name == "help":
        return ".help", arg
    if name.startswith("\\"):
        if name == "\\gset":
            raise CommandError("\\gset ends a query: SELECT ... \\gset [prefix]")
        if name not in BACKSLASH:
            raise CommandError(f"unknown command {name}: heliosql's commands start with '.' "
                               "(.help lists them)")
        name = ".tables" if name == "\\d" and not arg else BACKSLASH[name]
    return name, arg


def dispatch(shell: Shell, line: str) -> Flow:
    """Run one command line."""
    name, arg = translate(line)
    return lookup(name).run(shell, arg) or Flow.GO


def help_text() -> str:
    width = max(len(f"{c.name} {c.synopsis}".rstrip()) for c in REGISTRY.values())
    lines = [f"{f'{c.name} {c.synopsis}'.rstrip():<{width}}  {c.help}" for c in REGISTRY.values()]
    return "\n".join([*lines, "", *_HELP_FOOTER, f"Topics: {', '.join(topics.TOPICS)}."])


_HELP_FOOTER = (
    "SQL ends with ';' (or '\\gset [prefix]' to store the single row's columns as",
    "variables); variables reach statements as bind parameters :name. Enter runs a",
    "statement that ends with ';'; Alt-Enter inserts a new line instead.",
    "psql's \\q \\d \\dt \\d NAME \\x \\timing \\o \\i and exit, quit, help work too, and so do",
    "SQL*Plus's SET, PROMPT, REM, SPOOL, WHENEVER SQLERROR and EXIT (.help sqlplus).",
)


def _on_off(arg: str, usage: str) -> bool:
    if arg.lower() not in ("on", "off"):
        raise CommandError(f"usage: {usage}")
    return arg.lower() == "on"


def parse_value(text: str) -> Any:
    """``.set`` values: integers and decimals become numbers, everything else text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


# --- the commands, in the order .help lists them -----------------------------------------------


@command(".help", "[TOPIC]", "show this list, or the syntax sheet of a TOPIC (below)")
def _help(shell: Shell, arg: str) -> None:
    if not arg:
        shell.message(help_text())
        return
    sheet = topics.sheet(arg)
    if sheet is None:
        raise CommandError(f"no help on {arg!r}; the topics: {', '.join(topics.TOPICS)}")
    shell.message(sheet)


def _rows(shell: Shell, sql: str) -> tuple[Any, list[tuple]]:
    """Run SQL through the DB-API (so an open transaction's own tables are seen)."""
    cursor = shell.call(shell.connection.execute, sql)
    try:
        return cursor.description, shell.call(cursor.fetchall)
    finally:
        cursor.close()


def _table_names(shell: Shell) -> list[str]:
    return [row[0] for row in _rows(shell, "SHOW TABLES")[1]]


@command(".tables", "", "list the tables")
def _tables(shell: Shell, arg: str) -> None:
    names = _table_names(shell)
    shell.message("\n".join(names) if names else "(no tables)")


@command(".schema", "[TABLE]", "show the columns of one table or of all tables")
def _schema(shell: Shell, arg: str) -> None:
    if arg and not _NAME.fullmatch(arg):  # the name goes into SQL text: only a plain name
        raise CommandError(f"usage: .schema [TABLE] ({arg!r} is not a table name)")
    names = [arg] if arg else _table_names(shell)
    if not names:
        shell.message("(no tables)")
    for name in names:
        shell.show(*_rows(shell, f"DESCRIBE {name}"), title=name)


@command(".mode", "FORMAT", f"print results as {', '.join(MODES[:-1])} or {MODES[-1]}")
def _mode(shell: Shell, arg: str) -> None:
    if arg.lower() not in MODES:
        raise CommandError(f"usage: .mode {'|'.join(MODES)} (now: {shell.mode})")
    shell.mode = arg.lower()


@command(".timing", "[on|off]", "print how long each statement took, fetching and printing "
                                "included")
def _timing(shell: Shell, arg: str) -> None:
    shell.timing = not shell.timing if not arg else _on_off(arg, ".timing [on|off]")


@command(".feedback", "on|off|N", "lines such as 'Table created.'; N: row counts of queries "
                                  "from N rows on")
def _feedback(shell: Shell, arg: str) -> None:
    if arg.isdigit():
        shell.feedback = int(arg)
    else:
        shell.feedback = results.FEEDBACK_ROWS if _on_off(arg, ".feedback on|off|N") else 0


@command(".guard", "N|off", f"ask before printing more than N rows (default "
                            f"{results.GUARD_ROWS:,}); off: never ask")
def _guard(shell: Shell, arg: str) -> None:
    if arg.isdigit() and int(arg) > 0:
        shell.guard = int(arg)
    elif arg.lower() == "off":
        shell.guard = None
    else:
        raise CommandError(f"usage: .guard N|off (now: {shell.guard or 'off'})")


@command(".nullvalue", "TEXT", "how NULL is printed")
def _nullvalue(shell: Shell, arg: str) -> None:
    shell.null = arg


@command(".output", "[FILE]", "send results to FILE; alone: back to the screen")
def _output(shell: Shell, arg: str) -> None:
    shell.redirect(arg or None)


@command(".read", "FILE", "run the statements and commands of FILE")
def _read(shell: Shell, arg: str) -> Flow:
    if not arg:
        raise CommandError("usage: .read FILE")
    return shell.run_file(arg)


@command(".scn", "", "show the current SCN and its time")
def _scn(shell: Shell, arg: str) -> None:
    engine = shell.connection.engine
    when: datetime = engine.last_commit_time
    shell.message(f"SCN {engine.current_scn()} committed at {when.isoformat(sep=' ')}")


@command(".set", "[NAME [VALUE]]", "set a variable (used as :NAME), unset it, or list them")
def _set(shell: Shell, arg: str) -> None:
    if not arg:
        for name, value in sorted(shell.variables.items()):
            shell.message(f"{name} = {value!r}")
        return
    name, _, value = arg.partition(" ")
    if not name.isidentifier():
        raise CommandError(f"{name!r} is not a valid variable name")
    if not value.strip():
        shell.variables.pop(name.lower(), None)
    else:
        shell.variables[name.lower()] = parse_value(value.strip())


@command(".x", "", "switch between vertical records and the mode before (psql's \\x)")
def _expanded(shell: Shell, arg: str) -> None:
    if shell.mode == "vertical":
        shell.mode, shell.mode_before_x = shell.mode_before_x, "table"
    else:
        shell.mode, shell.mode_before_x = "vertical", shell.mode


@command(".quit", "", "leave (an open transaction is rolled back); also exit, \\q or Ctrl-D")
def _quit(shell: Shell, arg: str) -> Flow:
    return Flow.END

