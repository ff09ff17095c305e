"""Oracle's PIVOT and UNPIVOT FROM items, as DuckDB queries over the source.

``src PIVOT (SUM(sal) AS s FOR deptno IN (10 AS d10, 20))`` groups by every
source column the clause does not name and computes one filtered aggregate per
value and aggregate::

    SELECT * EXCLUDE (sal, deptno),
           SUM(sal) FILTER (WHERE deptno = 10) AS "D10_S",
           SUM(sal) FILTER (WHERE deptno = 20) AS "20_S"
    FROM src GROUP BY ALL

Column names follow Oracle: the value's alias (or its text: ``10``,
``'CLERK'``), then ``_`` and the aggregate's alias when it has one, unquoted
aliases upper-cased. ``src UNPIVOT (v FOR n IN (a AS 'A', b))`` turns each
source row into one row per listed column, in list order, with the other
columns kept: the pairs travel as a list of structs that DuckDB unnests in one
pass over the source; rows whose values are all NULL are left out unless
INCLUDE NULLS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlglot import exp

from heliosql.compiler.from_scope import columns_in
from heliosql.compiler.hierarchical import AGGREGATES
from heliosql.compiler.identifiers import ident, to_duckdb_sql
from heliosql.plan.expressions import Literal
from heliosql.plan.oracle import PivotRef, UnpivotRef
from heliosql.storage.errors import ProgrammingError
from heliosql.storage.sqltext import quote_ident

if TYPE_CHECKING:
    from heliosql.compiler.queries import QueryCompiler


def _position(node: Any) -> int | None:
    span = getattr(node, "span", None)
    return span.start if span is not None else None


def _subquery(select: exp.Select, alias: str | None) -> exp.Subquery:
    return exp.Subquery(this=select, alias=exp.TableAlias(this=ident(alias)) if alias else None)


def pivot(qc: QueryCompiler, ref: PivotRef) -> exp.Expression:
    """The PIVOT FROM item ``ref`` (see the module doc)."""
    named = {c.lower(): c for c in ref.columns}
    for aggregate in ref.aggregates:
        named.update({c.name.lower(): c.name for c in columns_in(aggregate.call)})
    for aggregate in ref.aggregates:
        if ".".join(aggregate.call.name).lower() not in AGGREGATES:
            raise ProgrammingError("expect aggregate function inside pivot operation",
                                   code="ORA-56902", position=_position(aggregate.call))
    multiple = len(ref.aggregates) > 1
    if multiple and any(a.alias is None for a in ref.aggregates):
        raise ProgrammingError("column ambiguously defined: give each PIVOT aggregate an "
                               "alias", code="ORA-00918", position=_position(ref))
    items: list[exp.Expression] = [exp.Star(except_=[exp.column(ident(c))
                                                     for c in named.values()])]
    names: set[str] = set()
    for value in ref.values:
        if len(value.values) != len(ref.columns):
            raise ProgrammingError("a PIVOT value needs one expression per FOR column",
                                   code="ORA-00913", position=_position(ref))
        match = exp.and_(*(exp.EQ(this=exp.column(ident(c)),
                                  expression=qc.expressions.compile(v))
                           for c, v in zip(ref.columns, value.values, strict=True)))
        label = value.alias.upper() if value.alias else value.text
        for aggregate in ref.aggregates:
            name = f"{label}_{aggregate.alias.upper()}" if aggregate.alias else label
            if name.lower() in names:
                raise ProgrammingError(f"column ambiguously defined: {name}", code="ORA-00918",
                                       position=_position(ref))
            names.add(name.lower())
            call = qc.expressions.compile(aggregate.call)
            items.append(exp.Alias(this=exp.Filter(this=call, expression=exp.Where(this=match)),
                                   alias=ident(name)))
    select = exp.Select(expressions=items)
    select.set("from_", exp.From(this=qc.relation(ref.source)))
    select.set("group", exp.Group(all=True))
    return _subquery(select, ref.alias)


def unpivot(qc: QueryCompiler, ref: UnpivotRef) -> exp.Expression:
    """The UNPIVOT FROM item ``ref`` (see the module doc)."""
    width = len(ref.value_columns)
    pairs, listed = [], []
    for item in ref.items:
        if len(item.labels) > 1:
            raise ProgrammingError("UNPIVOT has one FOR column: each IN entry takes one label",
                                   code="ORA-00913", position=_position(ref))
        label = (to_duckdb_sql(qc.expressions.compile(item.labels[0])) if item.labels
                 else to_duckdb_sql(qc.expressions.compile(
                     Literal("_".join(c.upper() for c in item.columns)))))
        fields = [f"'n': {label}"] + [f"'v{k}': {quote_ident(c)}"
                                      for k, c in enumerate(item.columns)]
        pairs.append("{" + ", ".join(fields) + "}")
        listed += item.columns
    excluded = ", ".join(quote_ident(c) for c in dict.fromkeys(listed))
    inner = exp.Select(expressions=[exp.Star(), exp.Alias(
        this=exp.Unnest(expressions=[exp.Var(this="[" + ", ".join(pairs) + "]")]),
        alias=ident("__u"))])
    inner.set("from_", exp.From(this=qc.relation(ref.source)))
    outer_items = [f"* EXCLUDE ({excluded}, __u)",
                   f"struct_extract(__u, 'n') AS {quote_ident(ref.name_column)}"]
    outer_items += [f"struct_extract(__u, 'v{k}') AS {quote_ident(c)}"
                    for k, c in enumerate(ref.value_columns)]
    outer = exp.Select(expressions=[exp.Var(this=", ".join(outer_items))])
    outer.set("from_", exp.From(this=exp.Subquery(this=inner,
                                                 alias=exp.TableAlias(this=ident("__unpivot")))))
    if not ref.include_nulls:
        kept = " OR ".join(f"struct_extract(__u, 'v{k}') IS NOT NULL" for k in range(width))
        outer.set("where", exp.Where(this=exp.Var(this=kept)))
    return _subquery(outer, ref.alias)
