"""A small sqllogictest-style runner for ``tests/sql/*.test`` files.

Format (blocks separated by blank lines; ``#`` lines are comments saying why)::

    statement ok
    <sql>

    statement error ORA-08181          # the text after `error` must appear in the error
    <sql>

    query                               # rows after ----, tab-separated, NULL as NULL
    <sql>
    ----
    1	old

    capture scn                         # the single value of a query becomes :scn
    SELECT current_scn FROM v$database

    connection b                        # later statements run on connection b (default a)

    sleep 0.01                          # wall-clock pause, for timestamp tests

Captured values are passed to every later statement as named parameters, so a
test refers to an SCN as ``:scn`` (bound, never pasted). Unknown directives
fail the test, so a typo cannot hide a case.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import heliosql

DIRECTIVES = ("statement", "query", "capture", "connection", "sleep")


@dataclass
class Block:
    """One directive with its SQL and expected output."""

    directive: str
    argument: str
    sql: str
    expected: list[str] = field(default_factory=list)
    line: int = 0


def parse_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line or line.startswith("#"):
            i += 1
            continue
        directive, _, argument = line.partition(" ")
        if directive not in DIRECTIVES:
            raise ValueError(f"line {i + 1}: unknown directive {directive!r}")
        start = i + 1
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].strip() and lines[i].strip() != "----":
            body.append(lines[i])
            i += 1
        expected: list[str] = []
        if i < len(lines) and lines[i].strip() == "----":
            i += 1
            while i < len(lines) and lines[i].strip():
                expected.append(lines[i].rstrip("\n"))
                i += 1
        blocks.append(Block(directive, argument.split("#")[0].strip(), "\n".join(body),
                            expected, start))
    return blocks


def render(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return str(value)


def run_file(path: Path) -> None:
    connections: dict[str, heliosql.Connection] = {}
    current = "a"
    variables: dict[str, Any] = {}

    def conn() -> heliosql.Connection:
        if current not in connections:  # every connection opens the same database file
            connections[current] = heliosql.connect(shared_db, autocommit=True)
        return connections[current]

    shared_db = str(path.parent / ".scratch" / (path.stem + ".duckdb"))
    Path(shared_db).parent.mkdir(exist_ok=True)
    for suffix in ("", ".wal"):
        Path(shared_db + suffix).unlink(missing_ok=True)
    try:
        for block in parse_blocks(path.read_text()):
            where = f"{path.name}:{block.line}"
            if block.directive == "connection":
                current = block.argument
                continue
            if block.directive == "sleep":
                time.sleep(float(block.argument))
                continue
            cur = conn().cursor()
            if block.directive == "statement" and block.argument.startswith("error"):
                wanted = block.argument[len("error"):].strip()
                try:
                    cur.execute(block.sql, variables)
                except heliosql.Error as exc:
                    assert wanted in f"{exc.code or ''} {exc}", f"{where}: got {exc}"
                else:
                    raise AssertionError(f"{where}: expected an error ({wanted})")
                continue
            cur.execute(block.sql, variables)
            if block.directive == "statement":
                assert block.argument == "ok", f"{where}: bad directive argument"
            elif block.directive == "capture":
                rows = cur.fetchall()
                assert len(rows) == 1 and len(rows[0]) == 1, f"{where}: capture needs 1 value"
                variables[block.argument] = rows[0][0]
            else:
                got = ["\t".join(render(v) for v in row) for row in cur.fetchall()]
                assert got == block.expected, (
                    f"{where}: rows differ\nexpected:\n" + "\n".join(block.expected)
                    + "\ngot:\n" + "\n".join(got))
    finally:
        for connection in connections.values():
            connection.close()
