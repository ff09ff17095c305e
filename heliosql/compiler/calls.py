"""What a function handler gets (``Call``) and the small node builders handlers share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

from heliosql.compiler.kinds import TEMPORAL, Kind
from heliosql.nls import DEFAULT, NlsSettings
from heliosql.plan.base import Expr
from heliosql.plan.expressions import Literal
from heliosql.storage.errors import NotSupportedError, ProgrammingError

T = exp.DataType.Type


@dataclass(frozen=True, slots=True)
class Call:
    """One function call being compiled: its arguments, compiled and as plan nodes."""

    name: str
    args: tuple[exp.Expression, ...]
    nodes: tuple[Expr, ...]
    kinds: tuple[Kind | None, ...]  # per argument, what it is known to hold
    position: int | None = None
    nls: NlsSettings = DEFAULT  # the session's default formats

    @property
    def temporal(self) -> tuple[bool, ...]:
        """Per argument: known to be a date/time value."""
        return tuple(kind in TEMPORAL for kind in self.kinds)

    def arity(self, low: int, high: int) -> None:
        """Raise ORA-00909 unless the call has between ``low`` and ``high`` arguments."""
        if not low <= len(self.args) <= high:
            wanted = str(low) if low == high else f"{low} to {high}"
            raise ProgrammingError(
                f"{self.name} takes {wanted} arguments, got {len(self.args)}",
                code="ORA-00909",
                position=self.position,
            )

    def literal(self, i: int) -> int | str | None:
        """The constant value of argument ``i`` if it is a plain int/str literal (else None)."""
        node = self.nodes[i] if i < len(self.nodes) else None
        if isinstance(node, Literal) and isinstance(node.value, int | str):
            return node.value
        return None

    def mask(self, i: int) -> str:
        """Argument ``i`` as a format mask: it must be written as a string literal."""
        value = self.literal(i)
        if not isinstance(value, str):
            raise self.unsupported("the format mask must be a string literal")
        return value

    def no_nls_argument(self, index: int) -> None:
        """Oracle's optional NLS parameter argument: DuckDB formats in English only."""
        if len(self.args) > index:
            raise self.unsupported("the NLS parameter argument is not supported")

    def unsupported(self, what: str) -> NotSupportedError:
        return NotSupportedError(f"{self.name}: {what}", position=self.position)


Handler = Callable[[Call], exp.Expression]


def type_node(kind: exp.DataType.Type) -> exp.DataType:
    return exp.DataType(this=kind)


def num(n: int) -> exp.Expression:
    return exp.Literal.number(n)


def string(s: str) -> exp.Expression:
    return exp.Literal.string(s)


def case_when(cond: exp.Expression, then: exp.Expression, default: exp.Expression) -> exp.Case:
    return exp.Case(ifs=[exp.If(this=cond, true=then)], default=default)


def raise_error(*parts: exp.Expression | str) -> exp.Expression:
    """DuckDB's ``error(text)``: raises when (and only for the rows where) it is evaluated;
    a text starting ``ORA-nnnnn:`` becomes that error (``storage.translate``)."""
    pieces = [exp.Literal.string(p) if isinstance(p, str) else
              exp.Cast(this=p, to=exp.DataType.build("VARCHAR")) for p in parts]
    return exp.Anonymous(this="error", expressions=[exp.func("concat", *pieces)])
