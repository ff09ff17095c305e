"""Docstring examples of the command-line packages run (the top-level doctest test skips
them)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import heliosql.cli as cli
import heliosql.cli.repl as repl


def test_cli_docstring_examples_pass() -> None:
    attempted = 0
    for package in (cli, repl):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if info.ispkg:
                continue
            result = doctest.testmod(importlib.import_module(info.name))
            assert result.failed == 0, info.name
            attempted += result.attempted
    assert attempted >= 12  # completion, toolbar, output, script, sqlplus, feedback
