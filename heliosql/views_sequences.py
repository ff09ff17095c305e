"""Oracle's dictionary views of sequences: ``USER_SEQUENCES``, ``ALL_SEQUENCES``,
``DBA_SEQUENCES`` (the last two add ``SEQUENCE_OWNER``; heliosql has one schema).

Definitions are read from the catalog in the statement's own snapshot, so a
transaction sees its own sequence DDL. ``LAST_NUMBER`` is Oracle's: the first
number not yet reserved on disk (numbers cached in memory lie below it). The
marks are committed outside every user transaction, so they are read when the
statement is compiled, as committed then, and joined in as literal rows.
"""

from __future__ import annotations

from heliosql.storage import TemporalEngine
from heliosql.system_views import register
from heliosql.views_archives import literal_rows

View = tuple[str, tuple[str, ...]]

_COLUMNS = ("sequence_name", "min_value", "max_value", "increment_by", "cycle_flag",
            "order_flag", "cache_size", "last_number")
_MARK_COLUMNS = (("token", "BIGINT"), ("last_number", "HUGEINT"))


def _sequences(engine: TemporalEngine, owner: bool) -> View:
    marks = literal_rows(_MARK_COLUMNS, sorted(engine.sequence_counters.last_numbers().items()))
    sql = f"""SELECT {'s.owner AS sequence_owner, ' if owner else ''}s.name AS sequence_name,
    s.min_value, s.max_value, s.increment_by, CASE WHEN s.cycle THEN 'Y' ELSE 'N' END AS cycle_flag,
    CASE WHEN s.ordered THEN 'Y' ELSE 'N' END AS order_flag, s.cache_size,
    coalesce(m.last_number, s.start_value) AS last_number
FROM helios.sequences s LEFT JOIN ({marks}) m ON m.token = s.token"""
    return sql, (("sequence_owner",) if owner else ()) + _COLUMNS


@register("user_sequences")
def user_sequences(engine: TemporalEngine) -> View:
    return _sequences(engine, owner=False)


@register("all_sequences")
@register("dba_sequences")
def all_sequences(engine: TemporalEngine) -> View:
    return _sequences(engine, owner=True)
