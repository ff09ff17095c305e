"""UNDO_SQL of FLASHBACK_TRANSACTION_QUERY: a statement of the dialect that reverses
one change, built inside DuckDB from the change's before and after images.

Oracle's format (docs/semantics.md): lower-case keywords, double-quoted
identifiers, every non-NULL value a quoted literal (numbers too), NULL
unquoted, a trailing ``;``. heliosql has no ROWID in SQL, so a row is named by
its primary key (its value *after* the change); a table without a primary key
gets no UNDO_SQL for inserts and updates (no predicate names exactly that row),
while the undo of a delete, an INSERT, needs none. Timestamps are written as
``TO_TIMESTAMP('...','YYYY-MM-DD HH24:MI:SS.FF6')``, timestamps with a time
zone as a quoted UTC literal with offset, binary values as ``HEXTORAW('...')``.
"""

from __future__ import annotations

from heliosql.storage import TableInfo
from heliosql.storage.sqltext import quote_ident

_TIMESTAMP_MASK = "YYYY-MM-DD HH24:MI:SS.FF6"


def string(text: str) -> str:
    """A DuckDB string literal holding ``text``."""
    return "'" + text.replace("'", "''") + "'"


def literal(expr: str, type_: str) -> str:
    """DuckDB SQL giving the dialect literal for the value of ``expr`` (of ``type_``)."""
    kind = type_.upper()
    if kind.startswith("TIMESTAMP") and ("TIME ZONE" in kind or kind.endswith("TZ")):
        text = (f"'''' || strftime(timezone('UTC', {expr}), '%Y-%m-%d %H:%M:%S.%f') "
                "|| '+00:00'''")
    elif kind.startswith(("TIMESTAMP", "DATETIME")):
        text = (f"'TO_TIMESTAMP(''' || strftime(CAST({expr} AS TIMESTAMP), "
                f"'%Y-%m-%d %H:%M:%S.%f') || ''',''{_TIMESTAMP_MASK}'')'")
    elif kind in ("BLOB", "BYTEA", "BINARY", "VARBINARY"):
        text = f"'HEXTORAW(''' || hex({expr}) || ''')'"
    else:
        text = f"'''' || replace(CAST({expr} AS VARCHAR), '''', '''''') || ''''"
    return f"CASE WHEN {expr} IS NULL THEN 'NULL' ELSE {text} END"


def undo_sql(info: TableInfo, alias: str) -> str:
    """DuckDB SQL for the UNDO_SQL of the change row ``alias`` (``transaction_log.changes``)."""
    columns = info.columns
    table = string(quote_ident(info.name))
    before = {c.name: literal(f"{alias}.__b{i}", c.type) for i, c in enumerate(columns)}
    after = {c.name: literal(f"{alias}.__a{i}", c.type) for i, c in enumerate(columns)}
    names = ",".join(quote_ident(c.name) for c in columns)
    values = " || ',' || ".join(before[c.name] for c in columns)
    reinsert = (f"'insert into ' || {table} || {string('(' + names + ') values (')} || "
                f"{values} || ');'")
    keys = [c for c in columns if c.name.lower() in {k.lower() for k in info.key_columns}]
    if not keys:
        return f"CASE WHEN {alias}.__op = 'DELETE' THEN {reinsert} END"
    where = " || ' and ' || ".join(f"{string(quote_ident(k.name) + ' = ')} || {after[k.name]}"
                                   for k in keys)
    changed = ", ".join(
        f"CASE WHEN {alias}.__b{i} IS DISTINCT FROM {alias}.__a{i} THEN "
        f"{string(quote_ident(c.name) + ' = ')} || {before[c.name]} END"
        for i, c in enumerate(columns))
    # An update that changed no value still gets a valid (no-op) statement.
    unchanged = f"{string(quote_ident(keys[0].name) + ' = ')} || {after[keys[0].name]}"
    sets = f"COALESCE(NULLIF(concat_ws(', ', {changed}), ''), {unchanged})"
    return (
        f"CASE {alias}.__op "
        f"WHEN 'INSERT' THEN 'delete from ' || {table} || ' where ' || {where} || ';' "
        f"WHEN 'UPDATE' THEN 'update ' || {table} || ' set ' || {sets} || ' where ' || "
        f"{where} || ';' "
        f"WHEN 'DELETE' THEN {reinsert} END"
    )
