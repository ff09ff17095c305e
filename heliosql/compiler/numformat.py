"""Oracle number format masks for TO_CHAR(n, '9,999.99') and TO_NUMBER(s, mask).

The subset handled is ``[FM][$]`` digits ``9``/``0`` with ``,`` (or ``G``) group
separators every three digits and one ``.`` (or ``D``). Oracle's rules kept:

* the result is ``len(mask) + 1`` wide (a blank where a minus sign would go),
  left-padded, unless FM is given;
* ``9`` positions show no leading zero (0.5 with '9.99' is '  .50'), ``0`` do;
* FM drops the padding and the trailing zeros of ``9`` decimals (1 with
  'FM999.99' is '1.' in Oracle, and here);
* a value too wide for the mask is all ``#``;
* rounding is half away from zero (DuckDB's ROUND of a DECIMAL).

The digits are produced by DuckDB's ``format`` on a DOUBLE, so more than about
15 significant digits are not exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from heliosql.compiler.calls import T, case_when, num, string, type_node
from heliosql.storage.errors import NotSupportedError

_MASK = re.compile(r"(?P<fm>FM)?(?P<dollar>\$)?(?P<int>[90,G]*)(?:[.D](?P<dec>[90]*))?", re.I)


@dataclass(frozen=True, slots=True)
class NumberMask:
    """A parsed number mask."""

    text: str
    fill: bool  # FM
    dollar: bool
    int_digits: int
    min_int_digits: int  # digits from the first 0 onwards are always shown
    grouped: bool
    decimals: int
    min_decimals: int  # up to the last 0 after the point (what FM keeps)

    @property
    def width(self) -> int:
        return len(self.text) - (2 if self.fill else 0) + 1


def parse_number_mask(mask: str) -> NumberMask | None:
    """The parsed mask, or None if ``mask`` is not a number mask heliosql handles."""
    m = _MASK.fullmatch(mask)
    if m is None or not (m["int"] or m["dec"]):
        return None
    int_part = m["int"].upper().replace("G", ",")
    digits = int_part.replace(",", "")
    decimals = m["dec"] or ""
    if int_part and "," in int_part:
        groups = int_part.split(",")
        if any(len(g) != 3 for g in groups[1:]) or not groups[0]:
            raise NotSupportedError(f"group separators in {mask!r} must be every three digits")
        if "0" in digits:
            raise NotSupportedError(f"leading zeros with group separators ({mask!r})")
    return NumberMask(
        text=mask,
        fill=bool(m["fm"]),
        dollar=bool(m["dollar"]),
        int_digits=len(digits),
        min_int_digits=len(digits) - digits.index("0") if "0" in digits else 0,
        grouped="," in int_part,
        decimals=len(decimals),
        min_decimals=decimals.rindex("0") + 1 if "0" in decimals else 0,
    )


def _anon(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def format_number(value: exp.Expression, mask: NumberMask) -> exp.Expression:
    """``TO_CHAR(value, mask)`` for a number."""
    rounded = exp.Round(this=value, decimals=num(mask.decimals))
    magnitude = exp.Cast(this=exp.Abs(this=rounded.copy()), to=type_node(T.DOUBLE))
    pad = f"0{mask.min_int_digits + (mask.decimals + 1 if mask.decimals else 0)}"
    spec = (
        f"{{:{pad if mask.min_int_digits else ''}{',' if mask.grouped else ''}.{mask.decimals}f}}"
    )
    digits: exp.Expression = _anon("FORMAT", string(spec), magnitude)
    if mask.decimals and not mask.min_int_digits:  # '9.99' shows 0.5 as '.50'
        digits = exp.RegexpReplace(this=digits, expression=string(r"^0\."), replacement=string("."))
    if mask.fill and mask.decimals > mask.min_decimals:
        keep = rf"(\.\d{{{mask.min_decimals}}}\d*?)0+$"
        digits = exp.RegexpReplace(this=digits, expression=string(keep), replacement=string(r"\1"))
    if mask.dollar:
        digits = exp.DPipe(this=string("$"), expression=digits)
    negative = exp.LT(this=rounded.copy(), expression=num(0))
    text: exp.Expression = exp.DPipe(
        this=case_when(negative, string("-"), string("")), expression=digits
    )
    if not mask.fill:
        text = exp.Pad(
            this=text, expression=num(mask.width), fill_pattern=string(" "), is_left=True
        )
    too_wide = exp.GTE(
        this=magnitude.copy(), expression=exp.Pow(this=num(10), expression=num(mask.int_digits))
    )
    return case_when(too_wide, string("#" * mask.width), text)


def strip_number_mask(text: exp.Expression, mask: NumberMask) -> exp.Expression:
    """``TO_NUMBER(text, mask)``: drop what the mask adds (group separators, $) before the cast."""
    for mark in (",", "$"):
        if (mark == "," and mask.grouped) or (mark == "$" and mask.dollar):
            text = exp.Replace(this=text, expression=string(mark), replacement=string(""))
    return text
