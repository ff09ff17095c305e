"""Oracle datetime format masks ('YYYY-MM-DD HH24:MI:SS', 'DD-MON-YYYY', 'FF6') for DuckDB.

sqlglot's Oracle mapping gets several elements wrong for Oracle semantics (``MON``
gives 'Mar' instead of 'MAR', ``FF3`` is passed through as text, ``MONTH`` is not
blank-padded), so masks are translated here. Formatting (TO_CHAR) needs more
than one strftime call because Oracle lets the *case* of the element choose the
case of the text (``MON`` -> 'MAR', ``Mon`` -> 'Mar', ``mon`` -> 'mar'): the
mask becomes pieces, each a strftime with an optional case change, padding or
cut, joined with ``||``. Parsing (TO_DATE) is one strptime format: DuckDB
matches month and day names case-insensitively.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from heliosql.storage.errors import NotSupportedError

# element -> (strftime code, code in fill mode FM). Longest spellings are tried first.
_CODES: dict[str, tuple[str, str]] = {
    "SYYYY": ("%Y", "%Y"),
    "YYYY": ("%Y", "%Y"),
    "RRRR": ("%Y", "%Y"),
    "IYYY": ("%G", "%G"),
    "YY": ("%y", "%y"),
    "RR": ("%y", "%y"),
    "MM": ("%m", "%-m"),
    "DDD": ("%j", "%-j"),
    "DD": ("%d", "%-d"),
    "IW": ("%V", "%-V"),
    "HH24": ("%H", "%-H"),
    "HH12": ("%I", "%-I"),
    "HH": ("%I", "%-I"),
    "MI": ("%M", "%-M"),
    "SS": ("%S", "%-S"),
}
# Name elements whose case follows the mask; Oracle blank-pads MONTH and DAY to 9 unless FM.
_NAMES: dict[str, tuple[str, int | None]] = {
    "MONTH": ("%B", 9),
    "MON": ("%b", None),
    "DAY": ("%A", 9),
    "DY": ("%a", None),
    "AM": ("%p", None),
    "PM": ("%p", None),
}
_FRACTIONS = {f"FF{n}": n for n in range(1, 10)} | {"FF": 6}
_UNSUPPORTED = (
    "SSSSS",
    "A.M.",
    "P.M.",
    "TZH",
    "TZM",
    "TZR",
    "TZD",
    "YYY",
    "WW",
    "CC",
    "Q",
    "J",
    "D",
    "W",
    "Y",
    "X",
    "I",
)
_MODIFIERS = ("FM", "FX")
_ELEMENTS = sorted(
    [*_CODES, *_NAMES, *_FRACTIONS, *_UNSUPPORTED, *_MODIFIERS], key=len, reverse=True
)


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of strftime codes with at most one text transformation."""

    fmt: str
    case: str | None = None  # "upper" | "lower"
    pad: int | None = None
    left: int | None = None

    @property
    def plain(self) -> bool:
        return self.case is None and self.pad is None and self.left is None


def _case_of(written: str) -> str | None:
    """Oracle: 'MON' -> upper, 'Mon' -> as is (capitalised), 'mon' -> lower."""
    if written[0].islower():
        return "lower"
    return "upper" if len(written) > 1 and written[1].isupper() else None


def _tokens(mask: str) -> list[tuple[str, str]]:
    """Split a mask into ("lit", text) and ("elem", as-written) tokens."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(mask):
        ch = mask[i]
        if ch == '"':
            end = mask.find('"', i + 1)
            if end < 0:
                raise NotSupportedError(f"unterminated quoted text in format mask {mask!r}")
            out.append(("lit", mask[i + 1 : end]))
            i = end + 1
            continue
        if not ch.isalnum():  # punctuation is copied as is
            out.append(("lit", ch))
            i += 1
            continue
        element = next((e for e in _ELEMENTS if mask[i : i + len(e)].upper() == e), None)
        if element is None or element in _UNSUPPORTED:
            shown = element or mask[i:]
            raise NotSupportedError(f"format element {shown!r} in {mask!r} is not supported")
        out.append(("elem", mask[i : i + len(element)]))
        i += len(element)
    return out


def _pieces(mask: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    fill = False
    for kind, text in _tokens(mask):
        element = text.upper()
        if kind == "lit":
            pieces.append(_Piece(text.replace("%", "%%")))
        elif element == "FM":
            fill = not fill  # FM toggles fill mode for the elements after it
        elif element == "FX":
            continue
        elif element in _CODES:
            pieces.append(_Piece(_CODES[element][1 if fill else 0]))
        elif element in _NAMES:
            code, width = _NAMES[element]
            pieces.append(_Piece(code, _case_of(text), None if fill else width))
        else:
            digits = _FRACTIONS[element]
            if digits == 6:
                pieces.append(_Piece("%f"))
            elif digits == 9:
                pieces.append(_Piece("%n"))
            else:
                pieces.append(_Piece("%n" if digits > 6 else "%f", left=digits))
    merged: list[_Piece] = []
    for piece in pieces:
        if merged and piece.plain and merged[-1].plain:
            merged[-1] = _Piece(merged[-1].fmt + piece.fmt)
        else:
            merged.append(piece)
    return merged


def _render(value: exp.Expression, piece: _Piece) -> exp.Expression:
    text: exp.Expression = exp.TimeToStr(this=value.copy(), format=exp.Literal.string(piece.fmt))
    if piece.left is not None:
        text = exp.Left(this=text, expression=exp.Literal.number(piece.left))
    if piece.case == "upper":
        text = exp.Upper(this=text)
    elif piece.case == "lower":
        text = exp.Lower(this=text)
    if piece.pad is not None:
        text = exp.Pad(
            this=text,
            expression=exp.Literal.number(piece.pad),
            fill_pattern=exp.Literal.string(" "),
            is_left=False,
        )
    return text


def format_datetime(value: exp.Expression, mask: str) -> exp.Expression:
    """``TO_CHAR(value, mask)`` for a date/timestamp value."""
    pieces = _pieces(mask)
    if not pieces:
        return exp.Null()
    result = _render(value, pieces[0])
    for piece in pieces[1:]:
        result = exp.DPipe(this=result, expression=_render(value, piece))
    return result


def parse_format(mask: str) -> str:
    """The strptime format for ``TO_DATE(text, mask)`` / ``TO_TIMESTAMP(text, mask)``."""
    out: list[str] = []
    for kind, text in _tokens(mask):
        element = text.upper()
        if kind == "lit":
            out.append(text.replace("%", "%%"))
        elif element in _MODIFIERS:
            continue
        elif element in _CODES:
            out.append(_CODES[element][0])
        elif element in _NAMES:
            out.append(_NAMES[element][0])
        else:
            # %f reads 1..6 digits; only %n reads the 7..9 of FF7-FF9 (and bare FF).
            out.append("%f" if _FRACTIONS[element] <= 6 and element != "FF" else "%n")
    return "".join(out)
