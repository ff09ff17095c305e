"""Key bindings: Enter runs a complete entry and otherwise starts a new line."""

from __future__ import annotations

from prompt_toolkit.filters import completion_is_selected, has_completions
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

from heliosql.cli.repl.shell import entry_complete


def bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add("enter", filter=~(has_completions & completion_is_selected))
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        # Only at the end of the text: Enter in the middle of an entry edits it.
        at_end = not buffer.document.text_after_cursor.strip()
        if at_end and entry_complete(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.newline(copy_margin=False)

    @kb.add("escape", "enter")  # Alt-Enter runs whatever is there, finished or not
    def _force(event: KeyPressEvent) -> None:
        event.current_buffer.validate_and_handle()

    return kb
