"""Constraints in DDL: the constraints of CREATE TABLE and the ALTER TABLE actions on
them, handed to the storage engine (storage/constraint_ddl.py), which keeps them in
its catalog and enforces them (storage/integrity.py)."""

from __future__ import annotations

from heliosql.compile import Compilation
from heliosql.compiler.expressions import Definition
from heliosql.plan import ddl
from heliosql.plan.expressions import Parameter
from heliosql.plan.relations import Query
from heliosql.plan.walk import walk
from heliosql.session import Session
from heliosql.storage.constraints import Constraint
from heliosql.storage.errors import NotSupportedError, ProgrammingError

CONSTRAINT_ACTIONS = (ddl.AddConstraint, ddl.DropConstraint, ddl.SetConstraintState,
                      ddl.RenameConstraint)


def source_text(session: Session, node: object) -> str | None:
    """The text a plan node was written as, when the statement's text is at hand."""
    span = getattr(node, "span", None)
    if span is None or session.statement_text is None:
        return None
    return session.statement_text[span.start:span.end]


def table_constraints(compilation: Compilation, stmt: ddl.CreateTable) -> list[Constraint]:
    """Every constraint of CREATE TABLE, in the order Oracle numbers them: each column's
    inline constraints in column order, then the table's."""
    nodes = [c for col in stmt.columns for c in col.constraints] + list(stmt.constraints)
    return [storage_constraint(compilation, node) for node in nodes]


def storage_constraint(compilation: Compilation, node: ddl.TableConstraint) -> Constraint:
    """The storage engine's definition of a constraint node (a CHECK compiled to DuckDB SQL)."""
    if isinstance(node, ddl.PrimaryKeyConstraint):
        made = Constraint.primary_key(*node.columns, name=node.name)
    elif isinstance(node, ddl.UniqueConstraint):
        made = Constraint.unique(*node.columns, name=node.name)
    elif isinstance(node, ddl.NotNullConstraint):
        made = Constraint.not_null(node.column, name=node.name)
    elif isinstance(node, ddl.CheckConstraint):
        _check_condition(node.expr)
        sql = compilation.definition(node.expr, Definition.CONSTRAINT)
        made = Constraint.check(sql, name=node.name, condition=node.text or sql)
    else:
        made = Constraint.foreign_key(node.columns, node.table[-1], node.ref_columns,
                                      on_delete=node.on_delete, name=node.name)
    return made.with_state(node.enabled)


def _check_condition(expr: object) -> None:
    """Refuse what a CHECK condition cannot hold: a subquery (ORA-02251) or a parameter
    (ORA-01027); the time of day is refused by the compiler (ORA-02436)."""
    for node in walk(expr):
        if isinstance(node, Query):
            raise ProgrammingError("subquery not allowed here", code="ORA-02251",
                                   position=node.span.start if node.span else None)
        if isinstance(node, Parameter):
            raise ProgrammingError("bind variables not allowed for data definition "
                                   "operations", code="ORA-01027")


def alter_constraint(session: Session, stmt: ddl.AlterTable, table: str,
                     action: ddl.AlterAction) -> None:
    """Run one ALTER TABLE action on constraints."""
    engine = session.engine
    if isinstance(action, ddl.AddConstraint):
        compilation = session.compilation(stmt, None)
        for node in action.constraints:
            engine.add_constraint(table, storage_constraint(compilation, node))
    elif isinstance(action, ddl.DropConstraint):
        engine.drop_constraint(table, action.name, cascade=action.cascade)
    elif isinstance(action, ddl.SetConstraintState):
        engine.set_constraint_enabled(table, action.name, action.enabled,
                                      cascade=action.cascade)
    elif isinstance(action, ddl.RenameConstraint):
        engine.rename_constraint(table, action.old, action.new)
    else:
        raise NotSupportedError(f"ALTER TABLE {type(action).__name__} is not supported yet")
