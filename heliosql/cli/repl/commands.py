"""Dot commands as a registry: each is registered with its argument synopsis and a
one-line help, and ``.help`` is generated from the registry, so it cannot drift.

A handler receives the shell and the rest of the line; it returns False to end
the session (``.quit``) and None otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from heliosql.cli.options import FORMATS

if TYPE_CHECKING:  # the shell imports this module
    from heliosql.cli.repl.shell import Shell

Handler = Callable[["Shell", str], bool | None]
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


def dispatch(shell: Shell, line: str) -> bool:
    """Run one dot-command line; False means the session should end."""
    name, _, arg = line.strip().partition(" ")
    return lookup(name.lower()).run(shell, arg.strip()) is not False


def help_text() -> str:
    width = max(len(f"{c.name} {c.synopsis}".rstrip()) for c in REGISTRY.values())
    lines = [f"{f'{c.name} {c.synopsis}'.rstrip():<{width}}  {c.help}" for c in REGISTRY.values()]
    lines.append("")
    lines.append("SQL ends with ';' (or '\\gset [prefix]' to store the single row's columns as")
    lines.append("variables); variables reach statements as bind parameters :name.")
    return "\n".join(lines)


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


@command(".help", "", "show this list")
def _help(shell: Shell, arg: str) -> None:
    shell.message(help_text())


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


@command(".timing", "on|off", "print how long each statement took")
def _timing(shell: Shell, arg: str) -> None:
    shell.timing = _on_off(arg, ".timing on|off")


@command(".nullvalue", "TEXT", "how NULL is printed")
def _nullvalue(shell: Shell, arg: str) -> None:
    shell.null = arg


@command(".output", "[FILE]", "send results to FILE; alone: back to the screen")
def _output(shell: Shell, arg: str) -> None:
    shell.redirect(arg or None)


@command(".read", "FILE", "run the statements and commands of FILE")
def _read(shell: Shell, arg: str) -> bool | None:
    if not arg:
        raise CommandError("usage: .read FILE")
    try:
        with open(arg, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise CommandError(f"cannot read {arg}: {exc.strerror}") from None
    return shell.feed_script(text)


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


@command(".quit", "", "leave (an open transaction is rolled back); also .exit or Ctrl-D")
def _quit(shell: Shell, arg: str) -> bool:
    return False

