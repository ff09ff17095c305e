"""Docstring examples of the REPL package run (the top-level doctest test skips subpackages)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import heliosql.cli.repl as repl


def test_repl_docstring_examples_pass() -> None:
    attempted = 0
    for info in pkgutil.iter_modules(repl.__path__, repl.__name__ + "."):
        result = doctest.testmod(importlib.import_module(info.name))
        assert result.failed == 0, info.name
        attempted += result.attempted
    assert attempted >= 3  # completion.py and toolbar.py
