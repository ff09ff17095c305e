"""The prompt_toolkit side of completion: reads the catalog, asks the pure engine."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from heliosql.cli.repl import commands
from heliosql.cli.repl.completion import Schema, complete

if TYPE_CHECKING:
    from heliosql.cli.repl.shell import Shell


def schema_of(shell: Shell) -> Schema:
    """The committed catalog (read on each Tab: it is an in-memory dict, and fresh after DDL)."""
    engine = shell.connection.engine
    tables = {name: tuple(engine.table_info(name).column_names) for name in engine.list_tables()}
    return Schema(tables, tuple(shell.variables), (*commands.REGISTRY, *commands.ALIASES))


class ShellCompleter(Completer):
    def __init__(self, shell: Shell):
        self.shell = shell

    def get_completions(self, document: Document, complete_event: CompleteEvent
                        ) -> Iterable[Completion]:
        try:
            schema = schema_of(self.shell)
        except Exception:  # a closed or busy engine must not break typing
            schema = Schema()
        found = complete(document.text, schema, document.cursor_position)
        for candidate in found.candidates:
            yield Completion(candidate.text, -found.length, display_meta=candidate.kind)
