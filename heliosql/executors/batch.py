"""``executemany`` of UPDATE and DELETE as set-based statements over the parameter rows.

Run once per parameter set, ``UPDATE acct SET balance = :b WHERE id = :id`` costs
a few DuckDB statements per set. The parameter sets can instead become the rows
of one Arrow table that one UPDATE joins (``UPDATE ... FROM batch WHERE id =
batch.id``), which gives the same result as running the statements one by one,
in order, whenever:

- the WHERE clause pins every column of the table's primary key to a parameter
  (``key = :p``), so each parameter set reaches at most one row;
- nothing in the statement reads what an earlier set may have changed: no
  subquery (it could read the table), no RETURNING, no sequence;
- two sets that reach the same row run in rounds, each one set-based: the
  first set of every key, then the second, and so on (keys compared as the
  table's type compares them).

Anything else returns None, and the caller runs the statement once per set.
The history is the same either way: one statement, one version per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from heliosql.compiler.expressions import BATCH_PREFIX
from heliosql.compiler.sequences import sequence_values
from heliosql.executors.common import assigned_values, dml_target, written_value
from heliosql.plan import statements
from heliosql.plan.base import Expr, Statement
from heliosql.plan.expressions import (
    Binary,
    BinaryOp,
    Column,
    Exists,
    InSubquery,
    Parameter,
    QuantifiedComparison,
    ScalarSubquery,
    conjuncts,
)
from heliosql.plan.relations import Select, SelectItem, SubqueryRef, TableRef
from heliosql.plan.walk import walk
from heliosql.result import Result
from heliosql.session import ParameterSets, Session
from heliosql.storage import Batch, TableInfo
from heliosql.storage.sequences import default_sequence
from heliosql.storage.sqltext import quote_ident
from heliosql.storage.staging import BATCH_RELATION, registered

ALIAS = "__p"
_READS_ELSEWHERE = (ScalarSubquery, InSubquery, Exists, QuantifiedComparison)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A batched statement's SQL, the parameters it reads from the batch, and the key
    columns with the parameter each one is pinned to."""

    assignments: dict[str, str] | None  # None for DELETE
    where: str
    params: dict[str, Any]
    names: list[str]
    keys: dict[str, str]  # key column -> parameter name


def execute_batch(session: Session, statement: Statement, seq_of_params: ParameterSets
                  ) -> Result | None:
    """Run ``statement`` once for every parameter set as set-based statements; None when
    that would not give the same result as running it once per set."""
    if isinstance(statement, statements.Insert):
        return _upsert(session, statement, seq_of_params)
    if isinstance(statement, statements.Merge):
        return _merge(session, statement, seq_of_params)
    if not isinstance(statement, statements.Update | statements.Delete) or statement.returning:
        return None
    if isinstance(statement, statements.Update) and statement.from_:
        return None
    name = dml_target(statement.table)
    info = session.engine.table_info(name)
    keys = _pinned_keys(statement, info)
    if keys is None or not _order_free(statement, info):
        return None
    compiled = _compile(session, statement, info, keys)
    rounds = _batch_rounds(session, compiled.names, seq_of_params, compiled.keys, info)
    if rounds is None:
        return None
    alias = statement.table.alias or name
    total = 0
    for batch in rounds:
        if compiled.assignments is None:
            total += session.engine.delete_where(name, compiled.where, compiled.params,
                                                 alias=alias, batch=batch)
        else:
            total += session.engine.update_where(name, compiled.assignments, compiled.where,
                                                 compiled.params, alias=alias, batch=batch)
    return Result(rowcount=total)


def _upsert(session: Session, statement: statements.Insert, seq_of_params: ParameterSets
            ) -> Result | None:
    """``INSERT ... VALUES (:a, :b) ON CONFLICT ...`` as one upsert per round, when the
    conflict columns take parameters."""
    conflict, source = statement.on_conflict, statement.source
    if (conflict is None or statement.returning or not isinstance(source, statements.InsertValues)
            or len(source.rows) != 1):
        return None
    engine = session.engine
    info = engine.table_info(dml_target(statement.table))
    if not _order_free(statement, info):
        return None
    columns = list(statement.columns) or list(info.column_names)
    values = dict(zip((c.lower() for c in columns), source.rows[0], strict=False))
    keys = {}
    for key in conflict.columns or info.key_columns:
        value = values.get(key.lower())
        if not isinstance(value, Parameter):
            return None
        keys[key] = _parameter_name(value)
    if not keys or len(columns) != len(source.rows[0]):
        return None
    compilation = session.compilation(statement, None)
    expressions = compilation.queries.expressions
    expressions.batch_alias = ALIAS
    select = ", ".join(written_value(compilation, info, c, v)
                       for c, v in zip(columns, source.rows[0], strict=True))
    alias = statement.table.alias or info.name
    assignments: dict[str, str] = {}
    for assignment in conflict.assignments:
        assignments.update(assigned_values(compilation, info, assignment, qualify=alias))
    where = (compilation.expression(conflict.where, qualify=alias)
             if conflict.where is not None else None)
    rounds = _batch_rounds(session, expressions.batch_parameters, seq_of_params, keys, info)
    if rounds is None:
        return None
    total = 0
    for batch in rounds:
        result = engine.upsert_select(
            info.name, f"SELECT {select} FROM {BATCH_RELATION} AS {ALIAS}", columns,
            compilation.bound_params(), keys=conflict.columns, assignments=assignments,
            where=where, alias=alias, batch=batch)
        total += result.updated + result.inserted
    return Result(rowcount=total)


def _merge(session: Session, statement: statements.Merge, seq_of_params: ParameterSets
           ) -> Result | None:
    """``MERGE INTO t USING (SELECT :a AS a, ... FROM DUAL) s ON (t.key = s.a) ...`` as one
    MERGE per round whose source is the parameter rows, when the ON clause pins the
    target's key to parameters and the clauses read parameters only through the source."""
    items = _dual_items(statement.source)
    if items is None or any(isinstance(n, Parameter)
                            for n in walk((statement.on, statement.actions))):
        return None
    info = session.engine.table_info(dml_target(statement.target))
    if not _order_free(statement, info):
        return None
    source = (statement.source.alias or "").lower()
    target = {(statement.target.alias or info.name).lower(), info.name.lower()}
    pinned: dict[str, str] = {}
    for term in conjuncts(statement.on):
        if not isinstance(term, Binary) or term.op is not BinaryOp.EQ:
            continue
        for mine, theirs in ((term.left, term.right), (term.right, term.left)):
            if (isinstance(mine, Column) and isinstance(theirs, Column)
                    and (not mine.qualifier or mine.qualifier[-1].lower() in target)
                    and theirs.qualifier and theirs.qualifier[-1].lower() == source
                    and isinstance(items.get(theirs.name.lower()), Parameter)):
                pinned[mine.name.lower()] = _parameter_name(items[theirs.name.lower()])
    if not info.key_columns or info.keyed or any(k.lower() not in pinned
                                                  for k in info.key_columns):
        return None
    from heliosql.executors.merge import merge_spec, run_merge

    compilation = session.compilation(statement, None)
    expressions = compilation.queries.expressions
    expressions.batch_alias = ALIAS
    select = ", ".join(f"{compilation.expression(e)} AS {quote_ident(a)}"
                       for a, e in items.items())
    expressions.batch_alias = None  # the clauses read the source, not the parameters
    spec = merge_spec(statement, info, compilation,
                      f"SELECT {select} FROM {BATCH_RELATION} AS {ALIAS}")
    keys = {k: pinned[k.lower()] for k in info.key_columns}
    rounds = _batch_rounds(session, expressions.batch_parameters, seq_of_params, keys, info)
    if rounds is None:
        return None
    return Result(rowcount=sum(run_merge(session, info, spec, compilation, batch)
                               for batch in rounds))


def _dual_items(source: object) -> dict[str, Expr] | None:
    """Alias -> expression of a ``(SELECT e AS a, ... [FROM DUAL])`` source, or None."""
    if not isinstance(source, SubqueryRef) or not source.alias:
        return None
    query = source.query
    body = query.body
    if (query.with_ or query.order_by or query.limit is not None
            or not isinstance(body, Select) or body.where is not None or body.group_by
            or body.having is not None or body.distinct):
        return None
    if body.from_ and not (len(body.from_) == 1 and isinstance(body.from_[0], TableRef)
                           and body.from_[0].name[-1].lower() == "dual"):
        return None
    items = {}
    for item in body.items:
        if not isinstance(item, SelectItem) or item.alias is None:
            return None
        items[item.alias.lower()] = item.expr
    return items


def _batch_rounds(session: Session, names: Sequence[str], seq_of_params: ParameterSets,
                  keys: dict[str, str], info: TableInfo) -> list[Batch] | None:
    """The parameter sets as batches to run in order, no key twice in one; None when
    they do not form a table of parameters."""
    rows = parameter_table(names, seq_of_params)
    if rows is None:
        return None
    rounds = _rounds(session, rows, keys, info)
    return None if rounds is None else [Batch(part, ALIAS) for part in rounds]


def _pinned_keys(statement: statements.Update | statements.Delete, info: TableInfo
                 ) -> dict[str, str] | None:
    """Key column -> parameter for every primary key column pinned by ``key = :p`` in the
    WHERE clause; None unless all of them are."""
    if not info.key_columns or info.keyed or statement.where is None:
        return None
    names = {statement.table.name[-1].lower()}
    if statement.table.alias:
        names.add(statement.table.alias.lower())
    pinned: dict[str, str] = {}
    for term in conjuncts(statement.where):
        if not isinstance(term, Binary) or term.op is not BinaryOp.EQ:
            continue
        for col, param in ((term.left, term.right), (term.right, term.left)):
            if (isinstance(col, Column) and isinstance(param, Parameter)
                    and (not col.qualifier or col.qualifier[-1].lower() in names)):
                pinned[col.name.lower()] = _parameter_name(param)
    found = {}
    for key in info.key_columns:
        if key.lower() not in pinned:
            return None
        found[key] = pinned[key.lower()]
    return found


def _parameter_name(param: Parameter) -> str:
    return param.name.lower() if param.name is not None else f"p{param.position}"


def _order_free(statement: Statement, info: TableInfo) -> bool:
    """Whether no part of the statement can see what an earlier parameter set changed, and
    nothing is numbered in the order of the sets (sequences, identity columns)."""
    if sequence_values(statement) or any(default_sequence(c.default) for c in info.columns):
        return False
    return not any(isinstance(node, _READS_ELSEWHERE) for node in walk(statement))


def _compile(session: Session, statement: statements.Update | statements.Delete,
             info: TableInfo, keys: dict[str, str]) -> _Compiled:
    compilation = session.compilation(statement, None)
    expressions = compilation.queries.expressions
    expressions.batch_alias = ALIAS
    assignments = None
    if isinstance(statement, statements.Update):
        assignments = {}
        for assignment in statement.assignments:
            assignments.update(assigned_values(compilation, info, assignment))
    assert statement.where is not None
    where = compilation.expression(statement.where)
    # Parameters left in the SQL are the engine's own (the statement's time).
    return _Compiled(assignments, where, compilation.bound_params(),
                     list(expressions.batch_parameters), keys)


def parameter_table(names: Sequence[str], seq_of_params: ParameterSets) -> pa.Table | None:
    """The parameter sets as an Arrow table: a column ``__p_<name>`` per parameter and
    ``__seq`` (the set's position); None when the sets do not form columns (a set
    lacking a value, values of mixed types): then they run one by one."""
    try:
        columns = parameter_columns(names, seq_of_params)
        arrays = {BATCH_PREFIX + n: parameter_array(c)
                  for n, c in zip(names, columns, strict=True)}
    except (KeyError, IndexError, TypeError, ValueError, pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    arrays["__seq"] = pa.array(range(len(seq_of_params)), type=pa.int64())
    return pa.table(arrays)


def parameter_array(values: Any) -> Any:
    """One parameter's values as Arrow, '' made NULL (Oracle stores NULL for it)."""
    array = values if isinstance(values, pa.ChunkedArray | pa.Array) else pa.array(values)
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        array = pc.if_else(pc.equal(array, ""), pa.scalar(None, array.type), array)
    return array


def parameter_columns(names: Sequence[str], seq_of_params: ParameterSets) -> list[Any]:
    """The value of each parameter in each set, column by column. A set is a mapping
    (``:name`` or ``:1`` keys, any case, with or without the colon) or a sequence
    (``:1``/``?``); every set must be of the first set's kind and use its keys. An Arrow
    table holds one set per row, a column per parameter (named as in a mapping)."""
    if isinstance(seq_of_params, pa.Table):
        spelled = {c.lower().lstrip(":"): c for c in seq_of_params.column_names}
        return [seq_of_params.column(_mapping_key(n, spelled)) for n in names]
    first = seq_of_params[0]
    if isinstance(first, Mapping):
        spelled = {str(k).lower().lstrip(":"): k for k in first}
        getters = [_mapping_key(n, spelled) for n in names]
        return [[row[key] for row in seq_of_params] for key in getters]
    positions = [int(n[1:]) - 1 for n in names]
    return [[row[i] for row in seq_of_params] for i in positions]


def _mapping_key(name: str, spelled: dict[str, Any]) -> Any:
    if name in spelled:
        return spelled[name]
    if name.startswith("p") and name[1:] in spelled:  # :1 given as {"1": ...}
        return spelled[name[1:]]
    raise KeyError(name)


def _rounds(session: Session, rows: pa.Table, keys: dict[str, str], info: TableInfo
            ) -> list[pa.Table] | None:
    """``rows`` cut into rounds in which no key occurs twice (keys cast to the columns'
    types, as the WHERE clause compares them); None when a key cannot be cast."""
    casts = ", ".join(
        f"CAST({quote_ident(BATCH_PREFIX + param)} AS {_column_type(info, column)})"
        for column, param in keys.items())
    backend = session.engine.backend
    cur = backend.new_cursor()  # the thread's shared one may hold a result being read
    try:
        with registered(cur, rows) as name:
            worst = cur.execute(f"SELECT max(n) FROM (SELECT count(*) AS n FROM {name} "
                                f"GROUP BY {casts})").fetchone()[0]
            if not worst or worst == 1:
                return [rows]
            numbered = cur.execute(
                f"SELECT row_number() OVER (PARTITION BY {casts} ORDER BY __seq) AS r "
                f"FROM {name} ORDER BY __seq").fetchnumpy()["r"]
    except duckdb.Error:
        return None
    finally:
        backend.release_cursor(cur)
    rounds = pa.array(numbered)
    return [rows.filter(pc.equal(rounds, r)) for r in range(1, worst + 1)]


def as_parameter_sets(data: Any) -> pa.Table:
    """An Arrow table, record batch reader or pandas DataFrame as parameter sets."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatchReader):
        return data.read_all()
    if hasattr(data, "to_arrow"):  # polars and others
        return data.to_arrow()
    return pa.Table.from_pandas(data, preserve_index=False)


def _column_type(info: TableInfo, name: str) -> str:
    found = info.find_column(name)
    assert found is not None
    return found.type
