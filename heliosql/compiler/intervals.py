"""Oracle INTERVAL literals as DuckDB intervals.

Oracle writes the fields positionally (``INTERVAL '2 10:30:00' DAY TO SECOND``,
``INTERVAL '-1-2' YEAR TO MONTH``) with one sign for the whole value; DuckDB's
interval text puts a sign on each part, so the value is checked here and
re-spelled part by part (``'-1 years -2 months'``).
"""

from __future__ import annotations

import re

from sqlglot import exp

from heliosql.plan.expressions import Interval, IntervalField
from heliosql.storage.errors import DataError

F = IntervalField
_ORDER = [F.YEAR, F.MONTH, F.DAY, F.HOUR, F.MINUTE, F.SECOND]
# Separator written before each trailing field, and its upper bound.
_SEPARATOR = {F.MONTH: "-", F.HOUR: " ", F.MINUTE: ":", F.SECOND: ":"}
_LIMIT = {F.MONTH: 12, F.HOUR: 24, F.MINUTE: 60, F.SECOND: 60}
_YEAR_MONTH = {F.YEAR, F.MONTH}
_NUMBER = r"(\d+)"
_SECONDS = r"(\d+(?:\.\d*)?|\.\d+)"


def _fields(node: Interval) -> list[IntervalField]:
    assert node.unit is not None
    start = _ORDER.index(node.unit)
    end = _ORDER.index(node.to_unit) if node.to_unit else start
    fields = _ORDER[start : end + 1]
    if not fields or (fields[0] in _YEAR_MONTH) != (fields[-1] in _YEAR_MONTH):
        to = f" TO {node.to_unit.value}" if node.to_unit else ""
        raise DataError(
            f"invalid interval field range {node.unit.value}{to}",
            code="ORA-01867",
            position=node.span.start if node.span else None,
        )
    return fields


def compile_interval(node: Interval) -> exp.Interval:
    """``INTERVAL 'text' [field [TO field]]`` as a DuckDB interval literal."""
    if node.unit is None:  # DuckDB/PostgreSQL style '1 hour': DuckDB checks the text
        return exp.Interval(this=exp.Literal.string(node.value))
    fields = _fields(node)
    pattern = (
        r"\s*([+-]?)"
        + "".join(
            (_SEPARATOR[f] if i else "") + (_SECONDS if f is F.SECOND else _NUMBER)
            for i, f in enumerate(fields)
        )
        + r"\s*"
    )
    match = re.fullmatch(pattern, node.value)
    if match is None or any(
        i and float(v) >= _LIMIT[f]
        for i, (f, v) in enumerate(zip(fields, match.groups()[1:], strict=True))
    ):
        raise DataError(
            f"the interval '{node.value}' does not match "
            f"{' TO '.join(dict.fromkeys([fields[0].value, fields[-1].value]))}",
            code="ORA-01867",
            position=node.span.start if node.span else None,
        )
    sign = "-" if match.group(1) == "-" else ""
    values = match.groups()[1:]
    if len(fields) == 1:
        return exp.Interval(
            this=exp.Literal.string(sign + values[0]), unit=exp.Var(this=fields[0].value)
        )
    text = " ".join(f"{sign}{v} {f.value.lower()}s" for f, v in zip(fields, values, strict=True))
    return exp.Interval(this=exp.Literal.string(text))
