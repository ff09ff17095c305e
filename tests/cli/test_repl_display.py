"""Highlighting, the toolbar and the progress bar: pure functions, tested with strings."""

from __future__ import annotations

import io

from prompt_toolkit.document import Document

from heliosql.cli.repl import progress
from heliosql.cli.repl.lexer import SqlLexer, tokenize
from heliosql.cli.repl.toolbar import format_elapsed, toolbar_text


def classes(text: str) -> dict[str, str]:
    return {value: kind for kind, value in tokenize(text) if value.strip()}


def test_flashback_words_are_highlighted_apart_from_keywords() -> None:
    kinds = classes("SELECT versions_startscn, nvl(x, 0) FROM emp VERSIONS BETWEEN SCN :a AND 9")
    assert kinds["SELECT"] == "keyword"
    assert kinds["VERSIONS"] == kinds["SCN"] == kinds["BETWEEN"] == "flashback"
    assert kinds["versions_startscn"] == "pseudocolumn"
    assert kinds["nvl"] == "function"
    assert kinds[":a"] == "param" and kinds["9"] == "number"
    assert kinds["emp"] == "" and kinds["x"] == ""
    assert classes("SELECT name, key FROM t")["name"] == ""  # unreserved words read as names


def test_strings_and_comments_hide_keywords() -> None:
    kinds = classes("SELECT 'as of scn' -- versions\n")
    assert kinds["'as of scn'"] == "string" and kinds["-- versions"] == "comment"


def test_tokens_cover_the_text_and_lines_split() -> None:
    text = "SELECT /* a\nb */ 1;\n.tables"
    assert "".join(v for _, v in tokenize(text)) == text
    lines = SqlLexer().lex_document(Document("SELECT 'a\nb' FROM t"))
    assert lines(0)[-1] == ("class:string", "'a")
    assert lines(1)[0] == ("class:string", "b'")
    assert tokenize(".mode csv") == [("command", ".mode csv")]


def test_toolbar() -> None:
    assert toolbar_text("db.duckdb", 12, True, 1.5) == (
        " db.duckdb │ SCN 12 │ TRANSACTION OPEN │ last: 1.50 s │ Ctrl-D exits ")
    assert "last" not in toolbar_text("in-memory", 1, False, None)
    assert "FLASHBACK AT SCN 3 │" in toolbar_text("in-memory", 9, False, None, flashback_scn=3)
    assert "FLASHBACK" not in toolbar_text("in-memory", 9, False, None)
    assert format_elapsed(0.0042) == "4 ms"


def test_progress_bar_only_on_a_terminal_and_after_a_delay() -> None:
    assert progress.render(50.0, 2.0, width=10) == "[#####.....]  50%  2.0 s"
    assert "running" in progress.render(None, 2.0)
    piped = io.StringIO()
    bar = progress.ProgressBar(piped, delay=0.0)
    bar.update(10.0)
    assert piped.getvalue() == ""  # never into piped output

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = progress.ProgressBar(tty, delay=0.0)
    bar.update(10.0)
    bar.clear()
    assert "10%" in tty.getvalue() and tty.getvalue().endswith("\r")
    late = progress.ProgressBar(Tty(), delay=60.0)
    late.update(10.0)
    assert late.stream.getvalue() == ""
