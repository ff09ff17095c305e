"""The multitable INSERT (Oracle's ``INSERT ALL`` / ``INSERT FIRST``): one write.

The source is evaluated once, before anything is written: its rows are staged
in a temporary table together with, per branch, whether the row goes there
(``__w<i>``) and every value a target writes (``__v<t>_<j>``), so each target
then gets one set-based ``INSERT ... SELECT`` of the staged rows of its branch.
A source that reads a target sees it as it was before the statement, and
values drawn at random are drawn once. The caller runs it inside one
``Transaction.run``: one SCN, and a failure in any target undoes every one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from . import dml
from .catalog import TableInfo
from .errors import ProgrammingError
from .sqltext import params_used

if TYPE_CHECKING:
    from .transaction import Transaction

_SOURCE = "__src"


@dataclass(frozen=True, slots=True)
class MultiInsertTarget:
    """One ``INTO table (columns) VALUES (values)`` of branch ``branch``; ``values`` are
    SQL over the source's columns (None: the source's columns, in order)."""

    table: str
    columns: tuple[str, ...]
    values: tuple[str, ...] | None
    branch: int


@dataclass(frozen=True, slots=True)
class MultiInsertSpec:
    """The source query, the condition of each branch (None: ELSE, or the one branch of an
    unconditional INSERT ALL) and the targets. ``first``: a row goes to the first branch
    whose condition holds (INSERT FIRST), else to every such branch (INSERT ALL)."""

    source: str
    conditions: tuple[str | None, ...]
    targets: tuple[MultiInsertTarget, ...]
    first: bool = False


def _flags(spec: MultiInsertSpec) -> list[str]:
    """Per branch, SQL saying whether a source row goes there."""
    whens = [(i, c) for i, c in enumerate(spec.conditions) if c is not None]
    otherwise = [i for i, c in enumerate(spec.conditions) if c is None]
    if not whens:  # unconditional INSERT ALL
        return ["TRUE"] * len(spec.conditions)
    flags = [""] * len(spec.conditions)
    if spec.first:
        chosen = " ".join(f"WHEN {c} THEN {i}" for i, c in whens)
        chosen = f"CASE {chosen} ELSE {otherwise[0] if otherwise else 'NULL'} END"
        return [f"COALESCE(({chosen}) = {i}, FALSE)" for i in range(len(spec.conditions))]
    for i, condition in whens:
        flags[i] = f"COALESCE(({condition}), FALSE)"
    for i in otherwise:
        flags[i] = "NOT (" + " OR ".join(flags[j] for j, _ in whens) + ")"
    return flags


def insert_multi(tx: Transaction, cur: duckdb.DuckDBPyConnection, infos: Mapping[str, TableInfo],
                 spec: MultiInsertSpec, params: Mapping[str, Any] | None, scn: int) -> int:
    """Stage the source once, then insert each target's rows; the rows inserted in all."""
    staged = f"__helios_insert_{scn}"
    items = [f"{flag} AS __w{i}" for i, flag in enumerate(_flags(spec))]
    for t, target in enumerate(spec.targets):
        items += [f"({value}) AS __v{t}_{j}" for j, value in enumerate(target.values or ())]
    sql = (f"CREATE TEMP TABLE {staged} AS SELECT {_SOURCE}.*, {', '.join(items)} "
           f"FROM ({spec.source}) AS {_SOURCE}")
    cur.execute(sql, params_used(sql, params))
    width = len(cur.execute(f"SELECT * FROM {staged} LIMIT 0").description) - len(items)
    source_columns = [f"#{k + 1}" for k in range(width)]  # by position: names may repeat
    chosen = []
    for t, target in enumerate(spec.targets):
        values = ([f"__v{t}_{j}" for j in range(len(target.values))]
                  if target.values is not None else source_columns)
        if len(values) != len(target.columns):
            code = "ORA-00913" if len(values) > len(target.columns) else "ORA-00947"
            raise ProgrammingError(f"INTO {target.table} gives {len(values)} values for "
                                   f"{len(target.columns)} columns", code=code)
        chosen.append(values)
    total = 0
    for target, values in zip(spec.targets, chosen, strict=True):
        info = infos[target.table]
        tx.pin_statement_time(*info.columns)
        base = tx.take_rowids(info, 0)
        select = f"SELECT {', '.join(values)} FROM {staged} WHERE __w{target.branch}"
        count = dml.insert_select(cur, info, select, target.columns, {}, scn, base)
        tx.used_rowids(info, base, count)
        tx.changed_tables.add(info.object_id)
        total += count
    cur.execute(f"DROP TABLE {staged}")
    return total
