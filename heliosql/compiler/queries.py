"""Queries of the logical plan → sqlglot: query blocks, set operations, FROM items.

Every table reference is resolved here, in this order: a WITH name in scope,
``DUAL``, ``V$DATABASE``, a heliosql table (through ``SourceBuilder``, which
binds its temporal clause), else ORA-00942 with the closest name. A name with
parentheses is a DuckDB table function (``compiler/table_functions.py``). Expressions
are compiled by ``ExpressionCompiler``; subqueries inside them come back here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlglot import exp

from heliosql.compiler.expressions import ExpressionCompiler
from heliosql.compiler.hierarchical import HierarchicalQuery
from heliosql.compiler.identifiers import ident, to_duckdb_sql
from heliosql.compiler.kinds import Kind, kind_of_type
from heliosql.compiler.outer_joins import rewrite_outer_joins
from heliosql.compiler.passthrough import passed_through
from heliosql.compiler.pivot import pivot, unpivot
from heliosql.compiler.rownum import is_rownum, split_rownum
from heliosql.compiler.sequences import row_number
from heliosql.compiler.table_functions import table_function
from heliosql.key_probes import column_probe, key_probe, without
from heliosql.nls import DEFAULT, NlsSettings
from heliosql.plan.expressions import Column, Star
from heliosql.plan.oracle import PivotRef, UnpivotRef
from heliosql.plan.relations import (
    CommonTableExpr,
    Join,
    JoinKind,
    Limit,
    Query,
    Select,
    SetOperation,
    SetOpKind,
    SubqueryRef,
    TableFunctionRef,
    TableRef,
)
from heliosql.sources import PSEUDOCOLUMNS, Source, SourceBuilder
from heliosql.storage import TableInfo, TemporalEngine
from heliosql.storage.errors import NoSuchColumn, NoSuchTable, ProgrammingError
from heliosql.storage.sqltext import quote_ident
from heliosql.system_views import SYSTEM_VIEWS, VIEW_PROBES

PSEUDOCOLUMN_NAMES = frozenset(PSEUDOCOLUMNS)
SpecialFunctions = dict[str, Callable[[tuple[exp.Expression, ...]], exp.Expression]]


def _lowered(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n.lower() for n in names)


def output_names(query: Query) -> frozenset[str] | None:
    """The lower-case names of a query's result columns (None if it has a ``*``)."""
    body = query.body
    while not isinstance(body, Select):
        body = body.left if isinstance(body, SetOperation) else body.body
    names = []
    for item in body.items:
        if isinstance(item.expr, Star):
            return None
        name = item.alias or (item.expr.name if isinstance(item.expr, Column) else item.heading)
        if name:
            names.append(name)
    return _lowered(tuple(names))


def _position(node: Any) -> int | None:
    span = getattr(node, "span", None)
    return span.start if span is not None else None


class QueryCompiler:
    """Compiles one statement's queries; ``sources`` collects the table relations used."""

    def __init__(
        self, engine: TemporalEngine, sources: SourceBuilder, special_functions: SpecialFunctions,
        session_clause: Any = None, nls: NlsSettings = DEFAULT,
        constant: Callable[[exp.Expression], Any] | None = None,
    ):
        self.engine = engine
        self.sources = sources
        self.expressions = ExpressionCompiler(
            compile_query=self.compile_query, special_functions=special_functions,
            temporal_hint=self._temporal_hint, nls=nls, constant=constant,
        )
        self._ctes: list[dict[str, CommonTableExpr]] = []  # the WITH queries in scope
        # The flashback clause of a view reference, applied to the tables inside the
        # view that have none of their own (the innermost explicit clause wins); at
        # the bottom, the session's (DBMS_FLASHBACK.ENABLE_AT_...), if any.
        self._inherited: list[Any] = [session_clause] if session_clause is not None else []
        self._blocks: list[Select] = []  # the SELECT blocks being compiled, innermost last
        self._probed: list[list[Any]] = []  # per block: WHERE conjuncts a source applies
        # The block whose select list may draw sequence numbers (``numbered_block``).
        self.numbered_block: Select | None = None
        # Pseudocolumns each FROM alias adds, for excluding them from `*`.
        self._pseudo_by_alias: list[dict[str, tuple[str, ...]]] = []
        # The spellings of the columns of the sources, by lower-case name (``_respelled``),
        # and the number of sources they were gathered from.
        self._spellings: dict[str, set[str]] = {}
        self._spellings_of = 0
        self._siblings: tuple[Any, ...] = ()  # ORDER SIBLINGS BY of the query being compiled
        self._order: tuple[Any, ...] = ()  # its ORDER BY (siblings or not)
        self.last_star_scope: dict[str, tuple[str, ...]] = {}  # of the last block compiled

    def _temporal_hint(self, node: Any) -> Kind | None:
        """The kind of value a column reference names in the tables read here."""
        if isinstance(node, Column):
            return self.sources.column_kinds.get(node.name.lower())
        return None

    # --- queries ---------------------------------------------------------------------------

    def compile_query(self, query: Query) -> exp.Expression:
        names = {cte.name.lower(): cte for cte in query.with_.ctes} if query.with_ else {}
        self._ctes.append(names)
        saved = self._siblings, self._order
        self._siblings = query.order_by if query.order_siblings else ()
        self._order = query.order_by  # a hierarchical block computes what its ORDER BY reads
        if query.order_siblings and not (isinstance(query.body, Select)
                                         and query.body.hierarchy is not None):
            raise ProgrammingError("ORDER SIBLINGS BY clause not allowed here",
                                   code="ORA-30929", position=_position(query))
        outer_rows = self._number_rows(None)  # a query inside another draws no numbers
        try:
            body = self._body(query.body)
            if query.with_:
                ctes = [
                    exp.CTE(
                        this=self.compile_query(cte.query),
                        alias=exp.TableAlias(
                            this=ident(cte.name), columns=[ident(c) for c in cte.columns]
                        ),
                    )
                    for cte in query.with_.ctes
                ]
                own = body.args.get("with_")  # a hierarchical block's recursive CTEs
                if own is not None:
                    ctes += own.expressions
                body.set("with_", exp.With(expressions=ctes, recursive=query.with_.recursive
                                           or own is not None))
            if query.order_by and isinstance(query.body, Select) and body.args.get("limit"):
                # ROWNUM limited the block before ORDER BY: sort the limited rows.
                outer = exp.Select(expressions=[exp.Star()])
                outer.set("from_", exp.From(this=exp.Subquery(this=body)))
                body = outer
            if query.order_by and not query.order_siblings:
                body.set("order", exp.Order(expressions=[
                    self.expressions.compile_order_item(o) for o in query.order_by]))
            if query.limit is not None:
                self._limit(body, query.limit)
            return body
        finally:
            self._number_rows(outer_rows)
            self._ctes.pop()
            self._siblings, self._order = saved

    def _number_rows(self, rows: exp.Expression | None) -> exp.Expression | None:
        """Let sequence references number rows by ``rows`` (None: refuse them); returns
        what was in force before."""
        sequences = self.expressions.sequences
        return None if sequences is None else sequences.swap_rows(rows)

    def compile_statement(self, query: Query) -> exp.Expression:
        """``compile_query`` for a whole SELECT statement, whose outermost block may
        just pass its table's relation through (``compiler/passthrough.py``)."""
        tree = self.compile_query(query)
        return passed_through(query, tree, self.sources.sources) or tree

    def _body(self, body: Any) -> exp.Expression:
        if isinstance(body, Select):
            return self._select(body)
        if isinstance(body, SetOperation):
            return self._set_operation(body)
        if isinstance(body, Query):
            return self.compile_query(body)
        raise ProgrammingError(f"unexpected query body {type(body).__name__}")

    def _set_operation(self, op: SetOperation) -> exp.Expression:
        kinds = {
            SetOpKind.UNION: exp.Union,
            SetOpKind.INTERSECT: exp.Intersect,
            SetOpKind.EXCEPT: exp.Except,
        }
        left = self._wrap(self._body(op.left))
        right = self._wrap(self._body(op.right))
        return kinds[op.op](this=left, expression=right, distinct=not op.all)

    @staticmethod
    def _wrap(query: exp.Expression) -> exp.Expression:
        """Parenthesise an operand that carries its own ORDER BY / LIMIT."""
        if any(query.args.get(k) for k in ("order", "limit", "offset", "with_")):
            return exp.Subquery(this=query)
        return query

    def _select(self, block: Select) -> exp.Expression:
        numbered = block is self.numbered_block
        block, rownum_limit = split_rownum(block)
        block = rewrite_outer_joins(block, self.columns_of)
        if block.hierarchy is not None:
            siblings, order = self._siblings, self._order
            self._siblings = self._order = ()
            select = HierarchicalQuery(self, block, siblings, order).compile()
            if rownum_limit is not None:  # ROWNUM counts the rows in hierarchical order
                select.set("limit", exp.Limit(expression=exp.Literal.number(rownum_limit)))
            return select
        self._siblings = self._order = ()  # they belong to the outermost block only
        self._pseudo_by_alias.append({})
        self._blocks.append(block)
        self._probed.append([])
        try:
            select = exp.Select()
            if rownum_limit is not None and numbered:
                # The rows that draw sequence numbers are exactly the ones numbered 1..n.
                select.set("qualify", exp.Qualify(this=exp.LTE(
                    this=row_number(), expression=exp.Literal.number(rownum_limit))))
            elif rownum_limit is not None:
                select.set("limit", exp.Limit(expression=exp.Literal.number(rownum_limit)))
            joins: list[exp.Expression] = []
            for index, item in enumerate(block.from_):
                base, item_joins = self._flatten(item)
                if index == 0:
                    select.set("from_", exp.From(this=base))
                else:
                    joins.append(exp.Join(this=base))  # a comma-separated FROM item
                joins.extend(item_joins)
            if joins:
                select.set("joins", joins)
            outer_rows = self._number_rows(row_number() if numbered else None)
            try:
                select.set("expressions", [self._select_item(i) for i in block.items])
            finally:
                self._number_rows(outer_rows)
            where = block.where
            if where is not None and self._probed[-1]:
                where = without(where, self._probed[-1])
            if where is not None:
                select.set("where", exp.Where(this=self.expressions.compile(where)))
            if block.group_by:
                select.set(
                    "group",
                    exp.Group(expressions=[self.expressions.compile(g) for g in block.group_by]),
                )
            if block.having is not None:
                select.set("having", exp.Having(this=self.expressions.compile(block.having)))
            if block.distinct:
                select.set("distinct", exp.Distinct())
            if block.windows:
                raise ProgrammingError(
                    "named WINDOW clauses are not supported yet", position=_position(block)
                )
            return select
        finally:
            self.last_star_scope = self._pseudo_by_alias.pop()
            self._blocks.pop()
            self._probed.pop()

    compile_block = _select

    def push_star_scope(self, scope: dict[str, tuple[str, ...]]) -> None:
        """Pseudocolumns by FROM alias for the ``*`` of items compiled until the pop."""
        self._pseudo_by_alias.append(scope)

    def pop_star_scope(self) -> None:
        self._pseudo_by_alias.pop()

    def select_item(self, item: Any) -> exp.Expression:
        return self._select_item(item)

    def _select_item(self, item: Any) -> exp.Expression:
        if isinstance(item.expr, Star):
            return self._star(item.expr)
        if is_rownum(item.expr):
            number = exp.Window(this=exp.RowNumber())
            return exp.Alias(this=number, alias=ident(item.alias or item.expr.name))
        compiled = self.expressions.compile(item.expr)
        if item.alias or item.heading:  # an expression is named after its text, as in Oracle
            return exp.Alias(this=compiled, alias=ident(item.alias or item.heading))
        if isinstance(item.expr, Column) and self._respelled(item.expr.name):
            # DuckDB would name the result column as the table spells it; keep the user's.
            return exp.Alias(this=compiled, alias=ident(item.expr.name))
        return compiled

    def _respelled(self, name: str) -> bool:
        """True when a table read here has a column ``name`` spelled differently."""
        sources = self.sources.sources
        if self._spellings_of != len(sources):  # sources are only ever added
            spellings: dict[str, set[str]] = {}
            for source in sources.values():
                for c in source.columns:
                    spellings.setdefault(c.lower(), set()).add(c)
            self._spellings, self._spellings_of = spellings, len(sources)
        return any(c != name for c in self._spellings.get(name.lower(), ()))

    def _star(self, star: Star) -> exp.Expression:
        """``*`` / ``t.*`` without the pseudocolumns the FROM items carry."""
        scope = self._pseudo_by_alias[-1] if self._pseudo_by_alias else {}
        if star.qualifier:
            hidden = scope.get(star.qualifier[-1].lower(), ())
            node: exp.Expression = exp.Column(
                this=exp.Star(except_=self._excluded(hidden)) if hidden else exp.Star(),
                table=ident(star.qualifier[-1]),
            )
            return node
        hidden = tuple(sorted({p for names in scope.values() for p in names}))
        return exp.Star(except_=self._excluded(hidden)) if hidden else exp.Star()

    @staticmethod
    def _excluded(names: tuple[str, ...]) -> list[exp.Expression]:
        return [exp.column(ident(n)) for n in names]

    def _limit(self, body: exp.Expression, limit: Limit) -> None:
        if limit.count is not None:
            body.set("limit", exp.Limit(expression=self.expressions.compile(limit.count)))
        if limit.offset is not None:
            body.set("offset", exp.Offset(expression=self.expressions.compile(limit.offset)))

    # --- FROM items --------------------------------------------------------------------------

    def columns_of(self, item: Any) -> frozenset[str] | None:
        """The lower-case column names of a FROM item, None where they are not known."""
        if isinstance(item, Join):
            left, right = self.columns_of(item.left), self.columns_of(item.right)
            return None if left is None or right is None else left | right
        if isinstance(item, SubqueryRef):
            return _lowered(item.column_aliases) or output_names(item.query)
        if isinstance(item, TableFunctionRef):
            return _lowered(item.column_aliases)
        if not isinstance(item, TableRef):
            return None
        name = item.name[-1]
        for scope in reversed(self._ctes):
            cte = scope.get(name.lower()) if len(item.name) == 1 else None
            if cte is not None:
                return _lowered(cte.columns) or output_names(cte.query)
        view = self.engine.find_view(name) if len(item.name) == 1 else None
        if view is not None:
            return _lowered(view.columns)
        try:
            info = self.engine.readable_table(name)
        except NoSuchTable:
            return None
        return _lowered(info.column_names) | PSEUDOCOLUMN_NAMES

    def relation(self, rel: Any) -> exp.Expression:
        """A FROM item other than a join's chain (``_flatten`` gives those)."""
        return self._relation(rel)

    def _relation(self, rel: Any) -> exp.Expression:
        if isinstance(rel, TableRef):
            return self._table(rel)
        if isinstance(rel, SubqueryRef):
            alias = (
                exp.TableAlias(
                    this=ident(rel.alias), columns=[ident(c) for c in rel.column_aliases]
                )
                if rel.alias
                else None
            )
            return exp.Subquery(this=self.compile_query(rel.query), alias=alias)
        if isinstance(rel, TableFunctionRef):
            return table_function(rel, self.expressions.compile)
        if isinstance(rel, PivotRef):
            return pivot(self, rel)
        if isinstance(rel, UnpivotRef):
            return unpivot(self, rel)
        if isinstance(rel, Join):  # a parenthesised join inside a join: (b JOIN c ON ...)
            base, joins = self._flatten(rel)
            base.set("joins", joins)
            return exp.Subquery(this=base)
        raise ProgrammingError(f"unexpected FROM item {type(rel).__name__}")

    def _flatten(self, rel: Any) -> tuple[exp.Expression, list[exp.Expression]]:
        """A FROM item as its leftmost relation and the joins that follow it."""
        if not isinstance(rel, Join):
            return self._relation(rel), []
        base, joins = self._flatten(rel.left)
        node = exp.Join(this=self._relation(rel.right))
        if rel.kind is JoinKind.CROSS:
            node.set("kind", "CROSS")
        elif rel.kind is not JoinKind.INNER:
            node.set("side", rel.kind.value)
        if rel.natural:
            node.set("method", "NATURAL")
        if rel.on is not None:
            node.set("on", self.expressions.compile(rel.on))
        if rel.using:
            node.set("using", [ident(c) for c in rel.using])
        joins.append(node)
        return base, joins

    def _table(self, ref: TableRef) -> exp.Expression:
        name = ref.name[-1]
        lowered = name.lower()
        alias = ref.alias or name
        if len(ref.name) == 1 and any(lowered in scope for scope in self._ctes):
            if ref.temporal is not None:
                raise ProgrammingError(
                    f"a flashback clause cannot be applied to the WITH query {name!r}; "
                    "put it on the tables inside the WITH query",
                    position=_position(ref),
                )
            return exp.Table(
                this=ident(name), alias=exp.TableAlias(this=ident(alias)) if ref.alias else None
            )
        if len(ref.name) == 1:
            view = self.engine.find_view(name)
            if view is not None:
                return self._view(view, ref, alias)
        source = self._special(lowered, ref)  # an inherited clause does not reach these
        if source is None:
            clause = ref.temporal if ref.temporal is not None else (
                self._inherited[-1] if self._inherited else None)
            source = self._stored(ref if clause is ref.temporal
                                  else replace(ref, temporal=clause))
        if source.pseudocolumns and self._pseudo_by_alias:
            self._pseudo_by_alias[-1][alias.lower()] = source.pseudocolumns
        return exp.Table(this=ident(source.placeholder), alias=exp.TableAlias(this=ident(alias)))

    def _view(self, view: Any, ref: TableRef, alias: str) -> exp.Expression:
        """A view reference: its query compiled in place, under the reference's clause."""
        from heliosql.parser import parse_one
        from heliosql.plan.temporal import Versions

        if isinstance(ref.temporal, Versions):
            raise ProgrammingError(f"VERSIONS is not allowed on view {view.name!r}; use it "
                                   "in the view's definition", code="ORA-30051",
                                   position=_position(ref))
        if len(self._inherited) > 32:
            raise ProgrammingError(f"view {view.name!r} refers to itself")
        statement = parse_one(view.query)  # the view's CREATE VIEW text
        inherited = ref.temporal if ref.temporal is not None else (
            self._inherited[-1] if self._inherited else None)
        self._inherited.append(inherited)
        saved_ctes, self._ctes = self._ctes, []  # the caller's WITH names are not visible
        try:
            body = self.compile_query(statement.query)
        except ProgrammingError as exc:
            if not isinstance(exc, NoSuchTable | NoSuchColumn) and exc.code != "ORA-04063":
                raise
            # A table or column the view reads is gone (Oracle: the view is invalid);
            # the view's own text holds the culprit, so the caret goes to the reference.
            raise ProgrammingError(f"view {view.name!r} has errors: {exc.message}",
                                   code="ORA-04063", position=_position(ref)) from None
        finally:
            self._ctes = saved_ctes
            self._inherited.pop()
        return exp.Subquery(this=body, alias=exp.TableAlias(
            this=ident(alias), columns=[ident(c) for c in view.columns]))

    def _special(self, lowered: str, ref: TableRef) -> Source | None:
        view = SYSTEM_VIEWS.get(lowered) if len(ref.name) == 1 else None
        if view is None:
            return None
        if ref.temporal is not None:
            raise ProgrammingError(f"{ref.name[-1]} cannot be read with a flashback clause",
                                   position=_position(ref))
        column = VIEW_PROBES.get(lowered)
        if column is None:
            sql, columns = view(self.engine)
        else:
            sql, columns = view(self.engine, self._view_probe(ref, column))
        return self.sources.constant(sql, columns)

    def _view_probe(self, ref: TableRef, column: str) -> Any:
        """The value ``WHERE column = value`` gives a system view's probe column, or None."""
        probe = column_probe(self._blocks[-1], ref, column) if self._blocks else None
        return None if probe is None else self.sources.binder.value(probe.value, column.upper())

    def _key_probe(self, ref: TableRef, info: TableInfo) -> str | None:
        """``key = value`` from the enclosing WHERE for a flashback relation (key_probes)."""
        if ref.temporal is None or not self._blocks or self._blocks[-1].hierarchy is not None:
            return None
        probe = key_probe(self._blocks[-1], ref, info)
        if probe is None:
            return None
        if probe.alone:
            self._probed[-1].append(probe.conjunct)
        key = info.find_column(info.key_columns[0])  # text for a date key reads as a date
        value = self.expressions.compile_into(probe.value,
                                              kind_of_type(key.type) if key else None)
        return f"{quote_ident(info.key_columns[0])} = {to_duckdb_sql(value)}"

    def _stored(self, ref: TableRef) -> Source:
        name = ref.name[-1]
        try:
            info = self.engine.readable_table(name)  # a BIN$ name reads the bin
        except NoSuchTable as exc:
            raise NoSuchTable(exc.message, position=_position(ref)) from None
        try:
            return self.sources.table(info, ref.temporal, self._key_probe(ref, info))
        except Exception as exc:  # give flashback errors the position of the reference
            if getattr(exc, "position", 1) is None and hasattr(exc, "position"):
                exc.position = _position(ref.temporal) or _position(ref)
            raise
