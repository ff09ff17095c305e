"""Examples in public docstrings run, and the suite knows it found them."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import heliosql
import heliosql.plan
import heliosql.storage

PACKAGES = (heliosql, heliosql.plan, heliosql.storage)


def _modules() -> list[object]:
    found = []
    for package in PACKAGES:
        found.append(package)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if not info.ispkg and not info.name.endswith(("__main__", ".cli")):
                found.append(importlib.import_module(info.name))
    return found


def test_docstring_examples_pass() -> None:
    attempted = 0
    for module in _modules():
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module
        attempted += result.attempted
    assert attempted >= 5  # the storage package's own example at least
