"""Fuzzing: random and mutated statements only ever raise heliosql errors, and never hang."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_helpers import VALID_STATEMENTS

from heliosql.errors import HeliosError, InternalError
from heliosql.parser import is_complete, parse, split_statements

FUZZ = settings(
    max_examples=int(os.environ.get("HELIOSQL_FUZZ_EXAMPLES", "300")),  # raise for a long run
    deadline=1000,  # milliseconds per example: a hang or blow-up fails the test
    suppress_health_check=[HealthCheck.too_slow],
)
TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\w+|::|<>|!=|<=|>=|\|\||\S")
TOKENS = sorted(
    {tok for sql in VALID_STATEMENTS for tok in TOKEN.findall(sql)}
    | {"/*", "*/", "--", "'", '"', "\n", ":", "$", "#", "@", "\\", "ORA", "1e", "-0"}
)


def _parse_safely(sql: str) -> None:
    try:
        parse(sql)
    except InternalError:  # a builder bug, not bad input
        raise
    except HeliosError:
        pass
    split_statements(sql)
    is_complete(sql)


@FUZZ
@given(st.text(max_size=200))
def test_random_text(sql: str) -> None:
    _parse_safely(sql)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_random_token_soup(tokens: list[str]) -> None:
    _parse_safely(" ".join(tokens))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    tokens = TOKEN.findall(draw(st.sampled_from(VALID_STATEMENTS)))
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        action = draw(st.sampled_from(["delete", "insert", "swap", "duplicate", "replace"]))
        if action == "delete":
            del tokens[i]
        elif action == "insert":
            tokens.insert(i, draw(st.sampled_from(TOKENS)))
        elif action == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif action == "duplicate":
            tokens.insert(i, tokens[i])
        else:
            tokens[i] = draw(st.sampled_from(TOKENS))
    return " ".join(tokens)


@FUZZ
@given(mutated())
def test_mutated_statements(sql: str) -> None:
    _parse_safely(sql)


@FUZZ
@given(st.sampled_from(VALID_STATEMENTS), st.integers(0, 400))
def test_every_prefix_of_a_valid_statement(sql: str, cut: int) -> None:
    _parse_safely(sql[:cut])
