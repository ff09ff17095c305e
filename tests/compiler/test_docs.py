"""The compiler package's docstring examples run (tests/test_doctests.py skips subpackages)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import heliosql.compiler


def test_compiler_docstring_examples_pass() -> None:
    modules = [heliosql.compiler] + [
        importlib.import_module(info.name)
        for info in pkgutil.iter_modules(heliosql.compiler.__path__, "heliosql.compiler.")
    ]
    attempted = 0
    for module in modules:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module
        attempted += result.attempted
    assert attempted >= 2
