"""Open the command line's DATABASE, never creating what the user did not mean to.

``heliosql x.duckdb`` opens the file, or creates it when it does not exist, in a
folder that must exist (a mistyped folder is an error, not a new tree of
folders); the caller announces a created database, so a mistyped name is seen
at once. A path without a suffix is a folder holding ``heliosql.duckdb``, as
for ``heliosql.connect``.
"""

from __future__ import annotations

from pathlib import Path

import heliosql
from heliosql.storage.backend import database_file
from heliosql.storage.errors import OperationalError


def open_database(database: str, readonly: bool) -> tuple[heliosql.Connection, str | None]:
    """An autocommit connection, and the file created for it (None when it existed)."""
    file = database_file(database)
    created = None
    if file is not None and not file.exists():
        if readonly:
            raise OperationalError(f"database {database} does not exist "
                                   "(--readonly opens an existing database)")
        _check_folder(database, file)
        created = str(file)
    return heliosql.connect(database, read_only=readonly, autocommit=True), created


def _check_folder(database: str, file: Path) -> None:
    """The folder a new database goes in must exist; for a folder path (no suffix), the
    folder that holds it."""
    path = Path(database)
    needed = path.parent if file.parent == path else file.parent
    if not needed.is_dir():
        raise OperationalError(f"cannot create database {database}: folder {needed} "
                               "does not exist")
