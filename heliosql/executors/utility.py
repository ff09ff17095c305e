"""SHOW TABLES, DESCRIBE and EXPLAIN."""

from __future__ import annotations

from heliosql.compile import Params
from heliosql.executors.sequences import drawing
from heliosql.plan import statements
from heliosql.plan.oracle import InsertMulti
from heliosql.plan.show import show
from heliosql.result import Result
from heliosql.session import Session
from heliosql.storage.errors import NotSupportedError


def run_ShowTables(session: Session, stmt: statements.ShowTables, params: Params) -> Result:
    rows = [(name,) for name in session.engine.list_tables()]
    return Result([("name", "VARCHAR", None, None, None, None, None)], rows, len(rows))


def run_Describe(session: Session, stmt: statements.Describe, params: Params) -> Result:
    info = session.engine.table_info(stmt.table[-1])
    keys = {k.lower() for k in info.key_columns}
    rows = [(c.name, c.type, "NO" if c.not_null or c.name.lower() in keys else "YES",
             "PRI" if c.name.lower() in keys else None, c.default) for c in info.columns]
    description = [(n, "VARCHAR", None, None, None, None, None)
                   for n in ("column_name", "column_type", "null", "key", "default")]
    return Result(description, rows, len(rows))


def run_Explain(session: Session, stmt: statements.Explain, params: Params) -> Result:
    inner = stmt.statement
    if isinstance(inner, statements.QueryStatement):
        lines = _explain_query(session, inner, stmt.analyze, params)
    elif isinstance(inner, _WRITES):
        lines = _explain_write(session, inner, stmt.analyze, params)
    else:
        raise NotSupportedError("EXPLAIN is supported for queries, INSERT (multitable "
                                "too), UPDATE, DELETE and MERGE")
    rows = [(line,) for line in "\n".join(lines).splitlines()]
    return Result([("plan", "VARCHAR", None, None, None, None, None)], rows, len(rows))


_WRITES = (statements.Insert, statements.Update, statements.Delete, statements.Merge,
           InsertMulti)


def _explain_query(session: Session, inner: statements.QueryStatement, analyze: bool,
                   params: Params) -> list[str]:
    compilation = session.compilation(inner, params)
    sql = compilation.query(inner.query, statement=True, numbered=True)
    lines = ["-- logical plan", show(inner.query), "-- DuckDB SQL", sql]
    if analyze:
        cur = session.read_cursor()
        # Sequence numbers the profile computes are never shown: none is handed out.
        with drawing(session, compilation, writes=False) as draw:
            profile = cur.execute(f"EXPLAIN ANALYZE {sql}", draw.params).fetchall()
        lines += ["-- DuckDB profile", *(row[-1] for row in profile)]
    return lines


def _explain_write(session: Session, inner: statements.Statement, analyze: bool,
                   params: Params) -> list[str]:
    """The statements a write runs are chosen as it runs (history first, then the
    table): it is run, traced, and rolled back, so nothing changes."""
    result, log = session.traced(inner, params)
    lines = ["-- logical plan", show(inner),
             f"-- DuckDB SQL: {len(log)} statements, run in a transaction that was rolled back"]
    for traced in log:
        if analyze:
            lines.append(f"-- {traced.seconds * 1000:.3f} ms")
        lines.append(f"{traced.sql.strip()};")
    if analyze:
        lines.append(f"-- rows the statement would change: {result.rowcount}")
    return lines
