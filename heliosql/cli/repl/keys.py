"""Key bindings: Enter runs a complete entry and otherwise starts a new line.

Enter runs the entry when the cursor is on its last line and the entry is
complete (a statement ended by ``;``, a command), wherever the cursor is on
that line; elsewhere it starts a new line. Alt-Enter always inserts a new line.
In a Ctrl-R search, Enter takes the match and runs it, as readline does.
"""

from __future__ import annotations

from prompt_toolkit.filters import completion_is_selected, has_completions, is_searching
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.search import accept_search

from heliosql.cli.script import entry_complete


def bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add("enter", filter=~is_searching & ~(has_completions & completion_is_selected))
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        document = buffer.document
        on_last_line = document.cursor_position_row == document.line_count - 1
        if on_last_line and entry_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.newline(copy_margin=False)

    @kb.add("enter", filter=is_searching)
    def _accept_search(event: KeyPressEvent) -> None:
        accept_search()
        buffer = event.app.current_buffer  # the entry again, holding the match
        if entry_complete(buffer.text):
            buffer.validate_and_handle()

    @kb.add("escape", "enter")  # Alt-Enter
    def _newline(event: KeyPressEvent) -> None:
        event.current_buffer.newline(copy_margin=False)

    return kb
