"""The README's command-line examples run, and its list of dot commands is the real one."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import heliosql
from heliosql.cli.options import Options
from heliosql.cli.repl.commands import help_text
from heliosql.cli.repl.shell import Shell
from heliosql.cli.repl.topics import sheet

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SHELL_LINES = [line for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S)
               for line in block.splitlines() if line.startswith("heliosql ")]


def test_every_heliosql_command_line_runs(tmp_path: Path) -> None:
    assert len(SHELL_LINES) >= 5
    shutil.copytree(ROOT / "sql_examples", tmp_path / "sql_examples")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # `heliosql` as the README writes it: this interpreter's module, on PATH.
    launcher = bin_dir / "heliosql"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m heliosql "$@"\n')
    launcher.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    for line in SHELL_LINES:
        command = line.split("  #")[0]
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, (line, done.stderr)
    assert (tmp_path / "orders.csv").read_text().startswith("id,customer,amount,status")
    assert '"sku"' in (tmp_path / "checks.json").read_text()


def test_the_dot_command_list_is_the_generated_one() -> None:
    assert help_text() in README
    assert sheet("flashback") in README  # the .help TOPIC example


def test_the_shell_example_runs() -> None:
    block = re.search(r"For example, to see what changed.*?```text\n(.*?)```", README,
                      flags=re.S)
    assert block is not None
    lines = [line.removeprefix("heliosql> ") for line in block[1].splitlines()]
    connection = heliosql.connect(autocommit=True)
    connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, status VARCHAR)")
    connection.execute("INSERT INTO orders VALUES (1, 'open')")
    out, err = io.StringIO(), io.StringIO()
    shell = Shell(connection, Options(database=":memory:", format="csv", output=None,
                                      echo=False, continue_on_error=False),
                  stdout=out, stderr=err, interactive=True)
    shell.feed_script("\n".join(lines) + "\n")
    assert err.getvalue() == ""
    assert out.getvalue().strip().splitlines()[-1] == "open,lost"


def test_the_script_examples_print_what_the_readme_shows(tmp_path: Path) -> None:
    """Each ``-- name.sql`` block followed by a ``$ heliosql ...`` transcript: standard
    output and standard error as a terminal shows them, in order."""
    pairs = re.findall(r"```sql\n-- (\S+\.sql)\n(.*?)```\s*```text\n\$ (heliosql [^\n]*)\n(.*?)```",
                       README, flags=re.S)
    assert len(pairs) >= 2
    for name, sql, command, shown in pairs:
        (tmp_path / name).write_text(f"-- {name}\n{sql}")
        done = subprocess.run([sys.executable, "-m", *command.split()], cwd=tmp_path,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=60)
        assert done.stdout == shown, name
