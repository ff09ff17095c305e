"""Oracle's multitable INSERT (``INSERT ALL|FIRST ... SELECT``): compiled here, written by
the storage engine's ``insert_multi`` in one write."""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.executors.common import dml_target, position, written_value
from heliosql.plan.oracle import InsertMulti
from heliosql.plan.relations import TableRef
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage import MultiInsertSpec, MultiInsertTarget
from heliosql.storage.errors import NoSuchTable, ProgrammingError

_SOURCE = "__src"  # the source's alias in the staged query (storage/multi_insert.py)


def run_InsertMulti(session: Session, stmt: InsertMulti, params: Params) -> Result:
    engine = session.engine
    compilation = session.compilation(stmt, params)
    source = compilation.query(stmt.source)
    conditions = tuple(compilation.expression(b.condition) if b.condition is not None else None
                       for b in stmt.branches)
    targets = []
    for index, branch in enumerate(stmt.branches):
        for into in branch.targets:
            ref = TableRef(into.table, span=into.span)
            try:
                info = engine.table_info(dml_target(ref))
            except NoSuchTable as exc:
                raise NoSuchTable(exc.message, position=position(into)) from None
            columns = into.columns or info.column_names
            values = None
            if into.values is not None:
                if len(into.values) != len(columns):
                    raise ProgrammingError(
                        f"INTO {info.name} gives {len(into.values)} values for {len(columns)} "
                        "columns", code="ORA-00913" if len(into.values) > len(columns)
                        else "ORA-00947", position=position(into))
                values = tuple(written_value(compilation, info, c, v)
                               for c, v in zip(columns, into.values, strict=True))
            targets.append(MultiInsertTarget(info.name, tuple(columns), values, index))
    spec = MultiInsertSpec(source, conditions, tuple(targets), first=stmt.first)
    return Result(rowcount=engine.insert_multi(spec, compilation.bound_params()))
