"""A SELECT statement that passes one table's relation through unchanged becomes
that relation.

``SELECT *, versions_startscn, versions_operation FROM t VERSIONS BETWEEN ...
WHERE id = :k`` compiles to ``SELECT * ... FROM (<relation>) AS t``: the key
probe has taken the WHERE clause into the relation, and the select list asks
for exactly the relation's columns, in its order. DuckDB binds and plans the
outer layer anew at every execution, a tenth of a flashback key lookup, for
nothing: the statement runs as ``(<relation>)``, with its ORDER BY and LIMIT.

Only the statement's outermost block qualifies, and only when nothing but the
column list is left of it: one table, no WHERE (after the probe), no grouping,
DISTINCT or ROWNUM, the select list ``*`` followed by the table's
pseudocolumns as the relation orders them, spelled as it spells them, and an
ORDER BY of output columns by name or position (which a union accepts).
"""

from __future__ import annotations

from sqlglot import exp

from heliosql.compiler.identifiers import discard, ident
from heliosql.compiler.rownum import split_rownum
from heliosql.plan.expressions import Column, Literal, Star
from heliosql.plan.relations import Query, Select, TableRef
from heliosql.sources import Source

_BLOCK_CLAUSES = ("joins", "where", "group", "having", "distinct", "qualify", "windows")


def passed_through(query: Query, tree: exp.Expression,
                   sources: dict[str, Source]) -> exp.Expression | None:
    """``tree`` (the compiled ``query``) as its one source's relation, or None when the
    statement does more than pass that relation through (``tree`` is then left as
    it is; otherwise it is discarded)."""
    block = query.body
    if (query.with_ is not None or not isinstance(block, Select) or len(block.from_) != 1
            or not isinstance(block.from_[0], TableRef) or not isinstance(tree, exp.Select)
            or block.hierarchy is not None
            or any(tree.args.get(k) for k in _BLOCK_CLAUSES)
            or split_rownum(block)[1] is not None):
        return None
    from_ = tree.args.get("from_")
    table = from_.this if from_ is not None else None
    source = sources.get(table.name) if isinstance(table, exp.Table) else None
    if source is None or not _selects_all_of(block, source):
        return None
    if not all(_orders_by_output(o.expr, source) for o in query.order_by):
        return None
    relation = exp.Subquery(this=exp.column(ident(source.placeholder)))
    for clause in ("order", "limit", "offset"):
        if tree.args.get(clause) is not None:
            relation.set(clause, tree.args[clause].copy())
    discard(tree)
    return relation


def _selects_all_of(block: Select, source: Source) -> bool:
    """Whether the select list is ``*`` (or ``alias.*``) and then exactly the
    source's pseudocolumns, unaliased and spelled as the relation names them."""
    first, *rest = block.items
    ref = block.from_[0]
    alias = (ref.alias or ref.name[-1]).lower()
    if (not isinstance(first.expr, Star) or first.alias
            or not _names(first.expr.qualifier, alias)):
        return False
    if len(rest) != len(source.pseudocolumns):
        return False
    return all(
        not item.alias and isinstance(item.expr, Column) and item.expr.name == name
        and _names(item.expr.qualifier, alias)
        for item, name in zip(rest, source.pseudocolumns, strict=True))


def _names(qualifier: tuple[str, ...], alias: str) -> bool:
    return not qualifier or (len(qualifier) == 1 and qualifier[0].lower() == alias)


def _orders_by_output(expr: object, source: Source) -> bool:
    """An ORDER BY key a union can sort by: an output column, by name or position."""
    if isinstance(expr, Literal):
        return isinstance(expr.value, int) and not isinstance(expr.value, bool)
    if not isinstance(expr, Column) or expr.qualifier:
        return False
    wanted = expr.name.lower()
    return any(c.lower() == wanted for c in (*source.columns, *source.pseudocolumns))
