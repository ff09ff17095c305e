"""Oracle's hierarchical queries (START WITH / CONNECT BY) as a recursive CTE.

A block ``SELECT items FROM f WHERE w START WITH s CONNECT BY c`` becomes::

    WITH RECURSIVE
      rows AS MATERIALIZED (SELECT row_number() OVER () AS __seq, a1, a2 ... FROM f
                            WHERE <w's join conditions>),
      h AS (SELECT __seq, 1 AS level, ... FROM <a1, a2 ... unnested> WHERE s
            UNION ALL
            SELECT __seq, parent.level + 1, ... FROM h AS parent, <unnested>
            WHERE NOT parent.__loop AND c')
    SELECT items FROM h JOIN <a1, a2 ... unnested> WHERE <w's other conditions>
    ORDER BY h.__path

The joined rows are numbered (``__seq``) and each FROM item's row kept as a
struct named after its alias (``a1``); the recursion carries only the number,
and every step and the result unnest each struct again under its alias (joined
on the number), so every condition and select item is evaluated in the scope
the user wrote it for. Oracle's order of
work holds: joins first, then CONNECT BY, then WHERE (only conditions reading
two FROM items are joins). ``PRIOR e`` in ``c`` reads ``e`` as the parent row
computed it (a column ``__p<k>`` of ``h``); LEVEL in ``c`` is the child's level.

Rows are output depth first: ``__path`` lists the sibling rank of the row and
of each ancestor (siblings ranked by ORDER SIBLINGS BY, then by the order the
rows were read), and lists compare element by element. Loops: each row carries
the values of its ancestors' PRIOR expressions (``__keys``); a child whose own
values are among them closes a loop. With NOCYCLE it is marked (``__loop``),
not returned and not followed, and its parent gets CONNECT_BY_ISCYCLE = 1;
without, the step raises ORA-01436 from DuckDB (``error()``, evaluated in the
projection, after the join condition has chosen the child). A CONNECT BY
without PRIOR (``CONNECT BY LEVEL <= n``) has no loop check, as in Oracle.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from heliosql.compiler.from_scope import FromScope, aliases
from heliosql.compiler.identifiers import ident, to_duckdb_sql
from heliosql.plan.expressions import (
    Binary,
    BinaryOp,
    Column,
    Expr,
    FunctionCall,
    Literal,
    Star,
    Unary,
    UnaryOp,
    conjoin,
    conjuncts,
)
from heliosql.plan.relations import OrderItem, Query, Select, SelectItem, SubqueryRef
from heliosql.plan.walk import rewrite, walk
from heliosql.storage.errors import ProgrammingError
from heliosql.storage.sqltext import quote_ident

if TYPE_CHECKING:
    from heliosql.compiler.queries import QueryCompiler

_blocks = itertools.count(1)
LEVEL, ISLEAF, ISCYCLE = "level", "connect_by_isleaf", "connect_by_iscycle"
AGGREGATES = frozenset((
    "count", "sum", "avg", "min", "max", "listagg", "string_agg", "stddev", "variance",
    "median", "any_value", "array_agg", "list", "bool_and", "bool_or", "count_star",
))


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _error(message: str, code: str, node: Any) -> ProgrammingError:
    span = getattr(node, "span", None)
    return ProgrammingError(message, code=code, position=span.start if span else None)


def _in_query(node: Any) -> bool:
    return isinstance(node, Query)


def _named(node: Any, name: str) -> bool:
    return isinstance(node, Column) and not node.qualifier and node.name.lower() == name


@dataclass
class _Carried:
    """The expressions each row of the recursion computes for later use."""

    prior: list[Expr] = field(default_factory=list)  # PRIOR e: e on every row (__p<k>)
    parent_of: set[int] = field(default_factory=set)  # PRIOR e read by the result (__pp<k>)
    roots: list[Expr] = field(default_factory=list)  # CONNECT_BY_ROOT e (__r<k>)
    paths: list[tuple[Expr, str]] = field(default_factory=list)  # SYS_CONNECT_BY_PATH

    def index(self, items: list[Any], value: Any) -> int:
        if value not in items:
            items.append(value)
        return items.index(value)


class HierarchicalQuery:
    """Compiles one hierarchical block for a ``QueryCompiler`` (see the module doc)."""

    def __init__(self, compiler: QueryCompiler, block: Select, siblings: tuple[OrderItem, ...],
                 order: tuple[OrderItem, ...] = ()):
        self.qc = compiler
        self.hierarchy = block.hierarchy
        number = next(_blocks)
        self.h, self.rows, self.q = f"__h{number}", f"__hr{number}", f"__hq{number}"
        self.parent = f"__hp{number}"
        items = tuple(replace(i, alias=f"__hs{number}_{k}")
                      if isinstance(i, SubqueryRef) and not i.alias else i
                      for k, i in enumerate(block.from_))
        self.block = replace(block, from_=items)
        self.aliases = [a for item in items for a in aliases(item)]
        self.siblings = siblings
        self.order = order  # the query's ORDER BY, compiled by the caller over the result
        self.carried = _Carried()

    # --- plan rewrites ---------------------------------------------------------------------

    def _result_change(self, node: Any) -> Any:
        """PRIOR, CONNECT_BY_ROOT and SYS_CONNECT_BY_PATH in the result: ``h``'s columns."""
        carried, q = self.carried, (self.q,)
        if isinstance(node, Unary) and node.op is UnaryOp.PRIOR:
            k = carried.index(carried.prior, node.operand)
            carried.parent_of.add(k)
            return Column(f"__pp{k}", q, span=node.span)
        if isinstance(node, Unary) and node.op is UnaryOp.CONNECT_BY_ROOT:
            return Column(f"__r{carried.index(carried.roots, node.operand)}", q, span=node.span)
        if isinstance(node, FunctionCall) and ".".join(node.name).lower() == "sys_connect_by_path":
            if len(node.args) != 2 or not isinstance(node.args[1], Literal) \
                    or not isinstance(node.args[1].value, str):
                raise _error("SYS_CONNECT_BY_PATH takes a column and a literal separator",
                             "ORA-30003", node)
            path = (node.args[0], node.args[1].value)
            return Column(f"__s{carried.index(carried.paths, path)}", q, span=node.span)
        return None

    def _condition_change(self, node: Any) -> Any:
        """PRIOR e in CONNECT BY: the parent's value of e; LEVEL: the child's level."""
        if isinstance(node, Unary) and node.op is UnaryOp.PRIOR:
            k = self.carried.index(self.carried.prior, node.operand)
            return Column(f"__p{k}", (self.parent,), span=node.span)
        if _named(node, LEVEL):
            return Binary(BinaryOp.ADD, Column(LEVEL, (self.parent,)), Literal(1))
        return None

    # --- SQL -------------------------------------------------------------------------------

    def _sql(self, node: Expr) -> str:
        return to_duckdb_sql(self.qc.expressions.compile(node))

    def compile(self) -> exp.Select:
        block, hierarchy = self.block, self.hierarchy
        assert hierarchy is not None
        joins, post = self._split_where()
        condition = rewrite(hierarchy.condition, self._condition_change, _in_query)
        keys = len(self.carried.prior)  # the PRIOR expressions of CONNECT BY: loop keys
        items = tuple(self._result_item(i) for i in block.items)
        post = rewrite(post, self._result_change, _in_query)
        having = rewrite(block.having, self._result_change, _in_query)
        group_by = rewrite(block.group_by, self._result_change, _in_query)
        flags = self._flags_used(items, post, having, group_by, self.order)
        if ISCYCLE in flags and not hierarchy.nocycle:
            raise _error("NOCYCLE keyword is required with CONNECT_BY_ISCYCLE pseudocolumn",
                         "ORA-30930", hierarchy)
        rows_sql, pseudo = self._rows(joins)
        ctes = [exp.CTE(this=exp.Var(this=rows_sql), alias=exp.TableAlias(this=ident(self.rows)),
                        materialized=True),
                exp.CTE(this=exp.Var(this=self._recursion(condition, keys)),
                        alias=exp.TableAlias(this=ident(self.h)))]
        source = self.h
        if flags:
            source = self.h + "f"
            ctes.append(exp.CTE(this=exp.Var(this=self._flags_sql()),
                                alias=exp.TableAlias(this=ident(source))))
        select = exp.Select()
        select.set("with_", exp.With(expressions=ctes, recursive=True))
        select.set("from_", exp.From(this=exp.Table(this=ident(source),
                                                   alias=exp.TableAlias(this=ident(self.q)))))
        select.set("joins", [exp.Join(
            this=exp.Subquery(this=exp.Var(this=self._unnested(a)),
                              alias=exp.TableAlias(this=ident(a))),
            on=exp.Var(this=f"{quote_ident(a)}.__seq = {quote_ident(self.q)}.__seq"))
            for a in self.aliases])
        self.qc.push_star_scope({a.lower(): (*pseudo.get(a.lower(), ()), "__seq")
                                 for a in self.aliases})
        try:
            select.set("expressions", [self.qc.select_item(i) for i in self._stars(items)])
        finally:
            self.qc.pop_star_scope()
        where = [f"NOT {quote_ident(self.q)}.__loop"]
        if keys and not hierarchy.nocycle:
            where.append(f"{quote_ident(self.q)}.__guard IS NULL")  # keeps the loop check
        where_node: exp.Expression = exp.Var(this=" AND ".join(where))
        if post is not None:
            where_node = exp.And(this=where_node, expression=exp.Paren(
                this=self.qc.expressions.compile(post)))
        select.set("where", exp.Where(this=where_node))
        if group_by:
            select.set("group", exp.Group(expressions=[self.qc.expressions.compile(g)
                                                       for g in group_by]))
        if having is not None:
            select.set("having", exp.Having(this=self.qc.expressions.compile(having)))
        if block.distinct:
            select.set("distinct", exp.Distinct())
        elif not group_by and having is None and not _aggregates(items):
            select.set("order", exp.Order(expressions=[exp.Ordered(
                this=exp.column("__path", table=ident(self.q)))]))
        return select

    def _split_where(self) -> tuple[Expr | None, Expr | None]:
        """WHERE's join conditions (they read two FROM items: applied before CONNECT BY)
        and its other conditions (applied to the hierarchy's rows)."""
        where = self.block.where
        if where is None or len(self.block.from_) < 2:
            return None, where
        scope = FromScope(self.block.from_, self.qc.columns_of)
        joins, post = [], []
        for term in conjuncts(where):
            (joins if len(scope.items_read(term)) > 1 else post).append(term)
        return conjoin(joins), conjoin(post)

    def _result_item(self, item: SelectItem) -> SelectItem:
        expr = rewrite(item.expr, self._result_change, _in_query)
        alias = item.alias
        if alias is None and isinstance(item.expr, Column) and item.expr.name.lower() in (
                LEVEL, ISLEAF, ISCYCLE):
            alias = item.expr.name  # the user's spelling, as for any column
        return replace(item, expr=expr, alias=alias)

    def _stars(self, items: tuple[SelectItem, ...]) -> list[SelectItem]:
        """``*`` is every FROM item's columns (``alias.*``), not the recursion's own."""
        out: list[SelectItem] = []
        for item in items:
            if isinstance(item.expr, Star) and not item.expr.qualifier:
                out.extend(SelectItem(Star((a,))) for a in self.aliases)
            else:
                out.append(item)
        return out

    def _flags_used(self, *parts: Any) -> set[str]:
        return {n.name.lower() for n in walk(parts, stop=lambda n: isinstance(n, Query))
                if isinstance(n, Column) and not n.qualifier
                and n.name.lower() in (ISLEAF, ISCYCLE)}

    def _rows(self, joins: Expr | None) -> tuple[str, dict[str, tuple[str, ...]]]:
        """The joined FROM rows, one struct per alias, numbered in the order read."""
        rows = Select(tuple(SelectItem(Column(a)) for a in self.aliases), self.block.from_,
                      joins)
        tree = self.qc.compile_block(rows)
        number = exp.Alias(this=exp.Window(this=exp.RowNumber()), alias=ident("__seq"))
        tree.set("expressions", [number, *tree.expressions])
        return to_duckdb_sql(tree), self.qc.last_star_scope

    def _unnested(self, alias: str) -> str:
        """One FROM item's rows under its alias, with the row number ``__seq``."""
        return f"SELECT __seq, UNNEST({quote_ident(alias)}) FROM {quote_ident(self.rows)}"

    def _scope(self) -> str:
        """FROM text giving the rows' aliases back, joined on their row number (equality
        joins throughout, which DuckDB plans as hash joins in any context)."""
        first = quote_ident(self.aliases[0])
        return " JOIN ".join(
            f"({self._unnested(a)}) AS {quote_ident(a)}"
            + (f" ON {quote_ident(a)}.__seq = {first}.__seq" if i else "")
            for i, a in enumerate(self.aliases))

    def _recursion(self, condition: Expr, keys: int) -> str:
        hierarchy, carried = self.hierarchy, self.carried
        assert hierarchy is not None
        p, seq = quote_ident(self.parent), f"{quote_ident(self.aliases[0])}.__seq"
        rows = f"{seq} AS __seq"
        order = ", ".join(to_duckdb_sql(self.qc.expressions.compile_order_item(o))
                          for o in self.siblings)
        order = f"{order}, {seq}" if order else seq
        condition_sql = self._sql(condition)  # compiled first: it fills carried.prior
        prior = [self._sql(e) for e in carried.prior]
        key = (prior[0] if keys == 1 else f"ROW({', '.join(prior[:keys])})") if keys else ""
        anchor = [rows, f"1 AS {LEVEL}", f"[row_number() OVER (ORDER BY {order})] AS __path",
                  "CASE WHEN FALSE THEN [0::BIGINT] END AS __parent"]
        step = [rows, f"{p}.{LEVEL} + 1",
                f"list_append({p}.__path, row_number() OVER (PARTITION BY {p}.__path "
                f"ORDER BY {order}))", f"{p}.__path"]
        if keys:
            contains = f"COALESCE(list_contains({p}.__keys, {key}), FALSE)"
            anchor += [f"[{key}] AS __keys", "FALSE AS __loop"]
            step += [f"list_append({p}.__keys, {key})", contains]
            if not hierarchy.nocycle:
                message = quote_literal("ORA-01436: CONNECT BY loop in user data")
                anchor.append("CAST(NULL AS BOOLEAN) AS __guard")
                step.append(f"CASE WHEN {contains} THEN error({message}) END")
        else:
            anchor.append("FALSE AS __loop")
            step.append("FALSE")
        for k, sql in enumerate(prior):
            anchor.append(f"{sql} AS __p{k}")
            step.append(sql)
            if k in carried.parent_of:
                anchor.append(f"CASE WHEN FALSE THEN {sql} END AS __pp{k}")
                step.append(f"{p}.__p{k}")
        for k, root in enumerate(carried.roots):
            anchor.append(f"{self._sql(root)} AS __r{k}")
            step.append(f"{p}.__r{k}")
        for k, (value, separator) in enumerate(carried.paths):
            piece = self._path_piece(self._sql(value), separator)
            anchor.append(f"{piece} AS __s{k}")
            step.append(f"{p}.__s{k} || {piece}")
        start = (f" WHERE {self._sql(hierarchy.start_with)}"
                 if hierarchy.start_with is not None else "")
        return (f"SELECT {', '.join(anchor)} FROM {self._scope()}{start} UNION ALL "
                f"SELECT {', '.join(step)} FROM {quote_ident(self.h)} AS {p}, {self._scope()} "
                f"WHERE NOT {p}.__loop AND ({condition_sql})")

    @staticmethod
    def _path_piece(value: str, separator: str) -> str:
        """``separator || value`` of SYS_CONNECT_BY_PATH; ORA-30004 if the value holds it."""
        sep = quote_literal(separator)
        text = f"COALESCE(CAST({value} AS VARCHAR), '')"
        message = quote_literal("ORA-30004: when using SYS_CONNECT_BY_PATH function, cannot "
                                "have separator as part of column value")
        return (f"CASE WHEN strpos({text}, {sep}) > 0 THEN error({message}) "
                f"ELSE {sep} || {text} END")

    def _flags_sql(self) -> str:
        """``h`` with CONNECT_BY_ISLEAF and CONNECT_BY_ISCYCLE, from its children."""
        h = quote_ident(self.h)
        child = f"SELECT 1 FROM {h} AS __c WHERE __c.__parent = {h}.__path AND"
        return (f"SELECT *, CASE WHEN EXISTS ({child} NOT __c.__loop) THEN 0 ELSE 1 END AS "
                f"{ISLEAF}, CASE WHEN EXISTS ({child} __c.__loop) THEN 1 ELSE 0 END AS "
                f"{ISCYCLE} FROM {h}")


def _aggregates(items: tuple[SelectItem, ...]) -> bool:
    """Whether the select list aggregates (then its rows have no hierarchical order)."""
    return any(isinstance(n, FunctionCall) and n.over is None
               and ".".join(n.name).lower() in AGGREGATES
               for n in walk(items, stop=lambda n: isinstance(n, Query)))
