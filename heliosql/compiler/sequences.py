"""``seq.NEXTVAL`` and ``seq.CURRVAL`` of one statement, compiled to SQL over parameters.

Oracle draws NEXTVAL once per row of the statement, however often the row
names it, and refuses it anywhere a row is not clear (ORA-02287: subqueries,
WHERE, ORDER BY, DISTINCT, GROUP BY, set operations, views, defaults and
checks). Here a sequence reference compiles only inside a ``numbered`` block,
which says how the statement numbers its rows (1..n): ``row_number() OVER ()``
in a query's select list, the row's position in INSERT ... VALUES, the
number an UPDATE gave its rows. Row ``k`` then reads number ``k`` of a block
of numbers the executor draws for the statement; the block's first number
and shape are parameters (``storage/sequences.block_params``), so DuckDB
computes every row's number set-based and a re-run gives the same numbers.

CURRVAL in a statement that also draws NEXTVAL of the sequence is the row's
new number (Oracle's rule); otherwise it is the last number this session
drew (ORA-08002 before the first).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from heliosql.plan.relations import Query, Select
from heliosql.plan.sequences import SequenceValue
from heliosql.plan.walk import walk
from heliosql.storage.errors import ProgrammingError
from heliosql.storage.sequences import SequenceInfo

if TYPE_CHECKING:
    from heliosql.storage import TemporalEngine
    from heliosql.storage.sequence_counters import SequenceDraw

_HUGEINT = exp.DataType.build("HUGEINT", dialect="duckdb")
_FOUND: dict[int, tuple[Any, tuple[SequenceValue, ...]]] = {}


def row_number() -> exp.Expression:
    """``row_number() OVER ()``: how a query numbers its rows (its select list, to draw
    sequence numbers, and ROWNUM)."""
    return exp.Window(this=exp.RowNumber())


def updated_row_number(numbered: str, alias: str) -> exp.Expression:
    """The number an UPDATE gave the row of table ``alias``: ``(SELECT n.__n FROM numbered
    AS n WHERE n.__rowid = alias.__rowid)`` (``numbered`` has ``__rowid`` and ``__n``)."""
    def column(name: str, table: str, quoted: bool = False) -> exp.Column:
        return exp.Column(this=exp.to_identifier(name),
                          table=exp.to_identifier(table, quoted=quoted))

    select = exp.Select(expressions=[column("__n", "__num")])
    select.set("from_", exp.From(this=exp.Table(
        this=exp.to_identifier(numbered), alias=exp.TableAlias(this=exp.to_identifier("__num")))))
    select.set("where", exp.Where(this=exp.EQ(this=column("__rowid", "__num"),
                                              expression=column("__rowid", alias, True))))
    return exp.Subquery(this=select)


def sequence_values(node: Any) -> tuple[SequenceValue, ...]:
    """The sequence references in a plan (cached per parsed statement, as plans are)."""
    cached = _FOUND.get(id(node))
    if cached is not None and cached[0] is node:
        return cached[1]
    found = tuple(n for n in walk(node) if isinstance(n, SequenceValue))
    if len(_FOUND) > 4096:
        _FOUND.clear()
    _FOUND[id(node)] = (node, found)
    return found


def numbered_block(query: Query) -> Select | None:
    """The block of ``query`` whose select list may draw sequence numbers: its own SELECT,
    unless the query sorts, limits, locks, is a set operation or the block is DISTINCT or
    grouped (Oracle's ORA-02287 cases)."""
    body = query.body
    if (not isinstance(body, Select) or query.order_by or query.limit is not None
            or query.for_update or body.distinct or body.group_by or body.having is not None):
        return None
    return body


@dataclass(frozen=True, slots=True)
class _Drawn:
    """A sequence the statement draws from, and the prefix of its block's parameters."""

    info: SequenceInfo
    prefix: str


class SequenceReferences:
    """The sequences one statement reads, and the SQL of its references to them."""

    def __init__(self, engine: TemporalEngine, statement: Any, current: Mapping[int, int]):
        self._engine = engine
        self._statement = statement
        self._current = current  # the session's last number of each sequence, by token
        self._infos: dict[str, SequenceInfo] = {}
        self._drawn: dict[int, _Drawn] = {}
        self._read: dict[str, int] = {}  # CURRVAL parameters
        self._rows: exp.Expression | None = None

    @property
    def referenced(self) -> bool:
        """Whether the statement reads any sequence (its SQL then holds numbers that
        change with each execution)."""
        return bool(self._infos or self._drawn or self._read)

    @property
    def drawn(self) -> list[SequenceInfo]:
        """The sequences the statement draws numbers from (NEXTVAL)."""
        return [d.info for d in self._drawn.values()]

    @contextmanager
    def numbered(self, rows: exp.Expression | None) -> Iterator[None]:
        """Compile the block with sequence references allowed, row ``rows`` reading its
        number; with None, references are refused (ORA-02287)."""
        saved = self.swap_rows(rows)
        try:
            yield
        finally:
            self._rows = saved

    def swap_rows(self, rows: exp.Expression | None) -> exp.Expression | None:
        """``numbered`` without a block: set ``rows``, return what was set before."""
        saved, self._rows = self._rows, rows
        return saved

    def compile(self, node: SequenceValue) -> exp.Expression:
        position = node.span.start if node.span is not None else None
        if self._rows is None:
            raise ProgrammingError("sequence number not allowed here", code="ORA-02287",
                                   position=position)
        info = self.sequence(node.sequence[-1], position)
        if node.next or any(v.next and v.sequence[-1].lower() == info.name.lower()
                            for v in sequence_values(self._statement)):
            return self.next_value(info)
        value = self._current.get(info.token)
        if value is None:
            raise ProgrammingError(f"sequence {info.name}.CURRVAL is not yet defined in this "
                                   "session", code="ORA-08002", position=position)
        name = f"__seq_current{len(self._read)}"
        self._read[name] = value
        return _param(name)

    def sequence(self, name: str, position: int | None = None) -> SequenceInfo:
        """The sequence called ``name`` (ORA-02289), read once per statement."""
        info = self._infos.get(name.lower())
        if info is None:
            info = self._infos[name.lower()] = self._engine.sequence(name, position)
        return info

    def next_value(self, info: SequenceInfo, position: int | None = None) -> exp.Expression:
        """The number of the current row in the block drawn from ``info``."""
        if self._rows is None:
            raise ProgrammingError("sequence number not allowed here", code="ORA-02287",
                                   position=position)
        drawn = self._drawn.get(info.token)
        if drawn is None:
            drawn = self._drawn[info.token] = _Drawn(info, f"__seq{len(self._drawn)}")
        return _value(info, drawn.prefix, self._rows)

    def parameters(self, draw: SequenceDraw | None) -> dict[str, int]:
        """The parameters the compiled references read, for ``draw`` (None: no NEXTVAL)."""
        params = dict(self._read)
        if draw is not None:
            for drawn in self._drawn.values():
                params.update(draw.params(drawn.info, drawn.prefix))
        return params


def _param(name: str) -> exp.Expression:
    return exp.Cast(this=exp.Placeholder(this=name), to=_HUGEINT.copy())


def _value(info: SequenceInfo, prefix: str, rows: exp.Expression) -> exp.Expression:
    """Number ``rows`` (1-based) of a block: ``base + step * (k - 1)``, and for a CYCLE
    sequence past the end of the range, the cycle again from its restart value."""
    def p(name: str) -> exp.Expression:
        return _param(f"{prefix}_{name}")

    def offset(*minus: exp.Expression) -> exp.Expression:
        result: exp.Expression = exp.Paren(this=rows.copy())
        for term in (exp.Literal.number(1), *minus):
            result = exp.Sub(this=result, expression=term)
        return exp.Paren(this=result)

    linear = exp.Add(this=p("base"), expression=exp.Mul(this=p("step"), expression=offset()))
    if not info.cycle:
        return exp.Paren(this=linear)
    wrapped = exp.Add(this=p("restart"), expression=exp.Mul(
        this=p("step"), expression=exp.Paren(this=exp.Mod(this=offset(p("left")),
                                                          expression=p("period")))))
    return exp.Case(ifs=[exp.If(this=exp.LTE(this=exp.Paren(this=rows.copy()),
                                             expression=p("left")), true=linear)],
                    default=wrapped)
