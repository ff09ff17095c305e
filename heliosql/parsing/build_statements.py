"""Plan-builder rules for DML, transaction control and utility statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, span_of
from heliosql.parsing.common import unquote_string as _unquote_string
from heliosql.parsing.headings import with_headings
from heliosql.plan import (
    Assignment,
    Begin,
    Commit,
    DefaultValue,
    Delete,
    Describe,
    Explain,
    Expr,
    Insert,
    InsertValues,
    Merge,
    MergeAction,
    MergeDelete,
    MergeInsert,
    MergeUpdate,
    OnConflict,
    Query,
    QueryStatement,
    Relation,
    ReleaseSavepoint,
    Rollback,
    Savepoint,
    SelectItem,
    SetTransaction,
    ShowRecycleBin,
    ShowTables,
    Statement,
    TableRef,
    Update,
)


@dataclass(frozen=True, slots=True)
class _Assignment:
    """An assignment with the (possibly qualified) names it was written with."""

    targets: tuple[tuple[str, ...], ...]
    assignment: Assignment
    position: int


@dataclass(frozen=True, slots=True)
class _PendingUpdate:
    """SET assignments waiting for the target table (MERGE / ON CONFLICT) to be checked."""

    assignments: tuple[_Assignment, ...]
    condition: Expr | None = None
    where: Expr | None = None
    conflict_columns: tuple[str, ...] = ()
    delete_where: Expr | None = None  # MERGE only: Oracle's DELETE WHERE


class StatementRules(BuilderBase):
    """Rules for queries as statements, DML, transactions, EXPLAIN / SHOW / DESCRIBE."""

    def query_statement(self, loc: Loc, query: Query) -> Statement:
        return QueryStatement(query, span=span_of(loc))

    def explain(self, loc: Loc, analyze: Token | None, statement: Statement) -> Statement:
        if isinstance(statement, Explain):
            self._fail(loc, "EXPLAIN cannot explain an EXPLAIN")
        return Explain(statement, analyze=analyze is not None, span=span_of(loc))

    # --- INSERT ---------------------------------------------------------------------------

    def insert(
        self,
        loc: Loc,
        table: TableRef,
        columns: tuple[str, ...] | None,
        source: InsertValues | Query,
        on_conflict: OnConflict | _PendingUpdate | None,
        returning: tuple[SelectItem, ...] | None,
    ) -> Statement:
        if isinstance(on_conflict, _PendingUpdate):
            on_conflict = OnConflict(
                on_conflict.conflict_columns,
                True,
                self._resolve(table, on_conflict.assignments),
                on_conflict.where,
            )
        return Insert(table, source, columns or (), on_conflict, returning or (), span=span_of(loc))

    def values_source(self, loc: Loc, *rows: tuple[Expr, ...]) -> InsertValues:
        if len({len(row) for row in rows}) > 1:
            self._fail(loc, "VALUES rows must all have the same number of values")
        return InsertValues(rows)

    def values_row(self, loc: Loc, *values: Expr) -> tuple[Expr, ...]:
        return values

    def default_value(self, loc: Loc) -> Expr:
        return DefaultValue(span=span_of(loc))

    def do_nothing(self, loc: Loc, columns: tuple[str, ...] | None) -> OnConflict:
        return OnConflict(columns or ())

    def do_update(
        self,
        loc: Loc,
        columns: tuple[str, ...] | None,
        assignments: tuple[_Assignment, ...],
        where: Expr | None,
    ) -> _PendingUpdate:
        return _PendingUpdate(assignments, where=where, conflict_columns=columns or ())

    def returning(self, loc: Loc, *items: SelectItem) -> tuple[SelectItem, ...]:
        first = items[0].span.start if items[0].span is not None else loc.start_pos
        keyword = self._text.upper().rfind("RETURNING", 0, first)  # the items follow it
        return with_headings(self._text, keyword + len("RETURNING") if keyword >= 0 else first,
                             items)

    # --- UPDATE, DELETE, MERGE ------------------------------------------------------------

    def insert_target(self, loc: Loc, name: tuple[str, ...]) -> TableRef:
        return TableRef(name, span=span_of(loc))

    def dml_target(self, loc: Loc, name: tuple[str, ...], alias: str | None) -> TableRef:
        return TableRef(name, alias, span=span_of(loc))

    def update(
        self,
        loc: Loc,
        table: TableRef,
        assignments: tuple[_Assignment, ...],
        from_: tuple[Relation, ...] | None,
        where: Expr | None,
        returning: tuple[SelectItem, ...] | None,
    ) -> Statement:
        return Update(
            table,
            self._resolve(table, assignments),
            from_ or (),
            where,
            returning or (),
            span=span_of(loc),
        )

    def assignments(self, loc: Loc, *items: _Assignment) -> tuple[_Assignment, ...]:
        return items

    def assign_one(self, loc: Loc, column: tuple[str, ...], _eq: Token, value: Expr) -> _Assignment:
        return _Assignment((column,), Assignment((column[-1],), value), loc.start_pos)

    def assign_many(self, loc: Loc, *rest: Any) -> _Assignment:
        *columns, _eq, value = rest  # qualified names, the "=" token, the value
        names = tuple(column[-1] for column in columns)
        return _Assignment(tuple(columns), Assignment(names, value), loc.start_pos)

    def _resolve(self, target: TableRef, items: tuple[_Assignment, ...]) -> tuple[Assignment, ...]:
        """Check that qualified SET targets name the target table or alias; drop the qualifier."""
        allowed = (
            {(target.alias.upper(),)}
            if target.alias
            else {tuple(p.upper() for p in target.name[i:]) for i in range(len(target.name))}
        )
        for item in items:
            for column in item.targets:
                qualifier = tuple(p.upper() for p in column[:-1])
                if qualifier and qualifier not in allowed:
                    owner = target.alias or ".".join(target.name)
                    raise self._error_at(
                        item.position,
                        f"SET can only assign columns of {owner}, not {'.'.join(column)}",
                    )
        return tuple(item.assignment for item in items)

    def delete(
        self,
        loc: Loc,
        table: TableRef,
        where: Expr | None,
        returning: tuple[SelectItem, ...] | None,
    ) -> Statement:
        return Delete(table, where, returning or (), span=span_of(loc))

    def merge(self, loc: Loc, target: TableRef, source: Relation, on: Expr,
              *rest: MergeAction | _PendingUpdate | tuple[SelectItem, ...] | None) -> Statement:
        *actions, returning = rest
        if returning:
            span = returning[0].span
            raise self._error_at(span.start if span else loc.start_pos,
                                 "RETURNING is not supported with MERGE")
        resolved = tuple(
            MergeUpdate(self._resolve(target, a.assignments), a.condition, a.where,
                        a.delete_where)
            if isinstance(a, _PendingUpdate)
            else a
            for a in actions
        )
        return Merge(target, source, on, resolved, span=span_of(loc))

    def merge_update(
        self,
        loc: Loc,
        condition: Expr | None,
        assignments: tuple[_Assignment, ...],
        where: Expr | None,
        delete_where: Expr | None,
    ) -> _PendingUpdate:
        return _PendingUpdate(assignments, condition, where, delete_where=delete_where)

    def merge_delete(self, loc: Loc, condition: Expr | None) -> MergeAction:
        return MergeDelete(condition)

    def merge_insert(
        self,
        loc: Loc,
        condition: Expr | None,
        columns: tuple[str, ...] | None,
        values: tuple[Expr, ...],
        where: Expr | None,
    ) -> MergeAction:
        if columns and len(columns) != len(values):
            self._fail(loc, "MERGE INSERT lists a different number of columns and values")
        return MergeInsert(values, columns or (), condition, where)

    # --- transactions ---------------------------------------------------------------------

    def begin(self, loc: Loc) -> Statement:
        return Begin(span=span_of(loc))

    def commit(self, loc: Loc) -> Statement:
        return Commit(span=span_of(loc))

    def rollback(self, loc: Loc, savepoint: str | None) -> Statement:
        return Rollback(savepoint, span=span_of(loc))

    def savepoint(self, loc: Loc, name: str) -> Statement:
        return Savepoint(name, span=span_of(loc))

    def release(self, loc: Loc, name: str) -> Statement:
        return ReleaseSavepoint(name, span=span_of(loc))

    def set_transaction(self, loc: Loc, name: Token) -> Statement:
        return SetTransaction(_unquote_string(name), span=span_of(loc))

    # --- utility --------------------------------------------------------------------------

    def show_tables(self, loc: Loc) -> Statement:
        return ShowTables(span=span_of(loc))

    def show_recyclebin(self, loc: Loc) -> Statement:
        return ShowRecycleBin(span=span_of(loc))

    def describe(self, loc: Loc, table: tuple[str, ...]) -> Statement:
        return Describe(table, span=span_of(loc))
