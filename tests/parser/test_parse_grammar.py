"""The grammar and the plan builder agree; plans hold only plain values; conflicts are known."""

from __future__ import annotations

import dataclasses
import enum
import logging
from decimal import Decimal
from importlib.resources import files

import pytest
from lark import Lark, Token, Tree
from parse_helpers import VALID_STATEMENTS

import heliosql.plan as plan
from heliosql.parser import parse
from heliosql.parsing.builder import PlanBuilder
from heliosql.parsing.keywords import ReservedWords
from heliosql.storage.names import QuotedName

GRAMMAR = files("heliosql.grammar").joinpath("heliosql.lark").read_text()

# Deliberate shift/reduce conflicts (see the grammar's header): terminal -> rule resolved.
KNOWN_CONFLICTS = {
    ("STRING", "<system_time_kind : TIMESTAMP>"),
    ("TO", "<type_name : INTERVAL INTERVAL_UNIT>"),
    ("TO", "<type_name : INTERVAL INTERVAL_UNIT field_precision>"),
    ("TO", "<atom : INTERVAL STRING INTERVAL_UNIT>"),
    ("TO", "<atom : INTERVAL NUMBER INTERVAL_UNIT>"),
}


def _fresh_parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=True, postlex=ReservedWords())


def test_only_the_known_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lark")
    _fresh_parser()
    found = set()
    for record in caplog.records:
        if record.getMessage().startswith("Shift/Reduce conflict"):
            terminal = record.args[0]  # type: ignore[index]
            found.add(terminal)
    rules = {
        record.getMessage().strip(" *")
        for record in caplog.records
        if record.getMessage().startswith(" * ")
    }
    assert found == {terminal for terminal, _ in KNOWN_CONFLICTS}
    assert rules == {rule for _, rule in KNOWN_CONFLICTS}


def test_every_rule_that_builds_a_node_has_a_builder_method() -> None:
    missing = set()
    for rule in _fresh_parser().rules:
        name = rule.alias or rule.origin.name
        if str(name).startswith("_") or name == "start":  # parser.py splits `start` itself
            continue
        kept = [s for s in rule.expansion if not (s.is_term and s.filter_out)]
        if rule.options.expand1 and not rule.alias and len(kept) == 1:
            continue  # an inlined ?rule passes its only child through
        if not callable(getattr(PlanBuilder, str(name), None)):
            missing.add(str(name))
    assert not missing


def _walk(value: object, path: str) -> None:
    assert not isinstance(value, Tree | Token), path
    if isinstance(value, str | bool | int | Decimal | enum.Enum) or value is None:
        if isinstance(value, str):  # a quoted identifier is marked (storage/names.py)
            assert type(value) in (str, QuotedName), path
        return
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]")
        return
    assert dataclasses.is_dataclass(value), f"{path}: {type(value).__name__}"
    assert isinstance(value, plan.Node | plan.Span), path
    for field in dataclasses.fields(value):
        _walk(getattr(value, field.name), f"{path}.{field.name}")


@pytest.mark.parametrize("sql", VALID_STATEMENTS)
def test_plans_hold_only_plain_values(sql: str) -> None:
    for i, statement in enumerate(parse(sql)):
        assert isinstance(statement, plan.Statement)
        _walk(statement, f"statement{i}")
        hash(statement)  # frozen all the way down


def test_plan_classes_are_frozen_slotted_and_documented() -> None:
    for name in plan.__all__:
        cls = getattr(plan, name)
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            continue
        assert cls.__dataclass_params__.frozen, name  # type: ignore[attr-defined]
        assert "__slots__" in cls.__dict__, name
        doc = (cls.__doc__ or "").strip()
        assert doc and "\n" not in doc.split("\n\n")[0], name
        spans = [f for f in dataclasses.fields(cls) if f.name == "span"]
        for span in spans:
            assert span.kw_only and not span.compare, name


@pytest.mark.parametrize("sql", VALID_STATEMENTS)
def test_iterative_walk_builds_the_same_plan(sql: str) -> None:
    from heliosql.parser import _lark

    for child in _lark().parse(sql).children:
        if child is not None:
            fast = PlanBuilder(sql).build(child)
            assert PlanBuilder(sql)._build_iteratively(child) == fast


def test_builder_works_with_a_freshly_compiled_grammar_too() -> None:
    # Without Lark's cache, rule names are lark Tokens rather than str; deep trees
    # must still fall back to the iterative walk instead of failing.
    sql = "SELECT " + "f(" * 3000 + "1" + ")" * 3000 + " FROM t AS OF SCN 1"
    tree = _fresh_parser().parse(sql)
    assert isinstance(PlanBuilder(sql).build(tree.children[0]), plan.QueryStatement)
