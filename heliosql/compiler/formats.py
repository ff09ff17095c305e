"""Oracle datetime format masks ('YYYY-MM-DD HH24:MI:SS', 'DD-MON-YYYY', 'FF6') for DuckDB.

sqlglot's Oracle mapping gets several elements wrong for Oracle semantics (``MON``
gives 'Mar' instead of 'MAR', ``FF3`` is passed through as text, ``MONTH`` is not
blank-padded), so masks are translated here. Formatting (TO_CHAR) needs more
than one strftime call because Oracle lets the *case* of the element choose the
case of the text (``MON`` -> 'MAR', ``Mon`` -> 'Mar', ``mon`` -> 'mar'): the
mask becomes pieces, each a strftime with an optional case change, padding or
cut, joined with ``||``. Parsing (TO_DATE) is one strptime format: DuckDB
matches month and day names case-insensitively. A parse accepts what Oracle's
format matching accepts: MON also reads a full month name (and MONTH an
abbreviation), YY, RR and RRRR read two or four digits, and the text may stop
before the mask's time of day.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlglot import exp

from heliosql.storage.errors import NotSupportedError

# element -> (strftime code, code in fill mode FM). Longest spellings are tried first.
_CODES: dict[str, tuple[str, str]] = {
    "SYYYY": ("%Y", "%Y"),
    "YYYY": ("%Y", "%Y"),
    "RRRR": ("%Y", "%Y"),
    "X": (".", "."),  # the decimal point (NLS_TIMESTAMP_FORMAT's HH.MI.SSXFF)
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
    "TZD",
    "YYY",
    "WW",
    "CC",
    "Q",
    "J",
    "D",
    "W",
    "Y",
    "I",
)
_MODIFIERS = ("FM", "FX")
# The session's zone offset of a TIMESTAMP WITH TIME ZONE: hours, minutes, both (TZR).
_ZONES = ("TZH", "TZM", "TZR")
_ELEMENTS = sorted(
    [*_CODES, *_NAMES, *_FRACTIONS, *_UNSUPPORTED, *_MODIFIERS, *_ZONES], key=len, reverse=True
)
# Parsing: what else an element reads (Oracle's format matching), two-digit years,
# and the elements of a time of day (the text may end before them).
_ALSO_READS = {"MON": ("%b", "%B"), "MONTH": ("%B", "%b")}
_TWO_DIGIT_YEARS = {"YY": "YY", "RR": "RR", "RRRR": "RR"}
_TIME_OF_DAY = frozenset({"HH", "HH12", "HH24", "MI", "SS", "X", "AM", "PM", *_FRACTIONS})


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of strftime codes with at most one text transformation."""

    fmt: str
    case: str | None = None  # "upper" | "lower"
    pad: int | None = None
    left: int | None = None
    zone: str | None = None  # "TZH" | "TZM" | "TZR": the zone offset, not a strftime code

    @property
    def plain(self) -> bool:
        return self.case is None and self.pad is None and self.left is None and self.zone is None


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
        elif element in _ZONES:
            pieces.append(_Piece("", zone=element))
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


def _two_digits(number: exp.Expression) -> exp.Expression:
    text = exp.Cast(this=exp.Abs(this=number), to=exp.DataType.build("VARCHAR"))
    return exp.Pad(this=text, expression=exp.Literal.number(2),
                   fill_pattern=exp.Literal.string("0"), is_left=True)


def _zone(value: exp.Expression, element: str) -> exp.Expression:
    """TZH (``+02``), TZM (``00``) or TZR (``+02:00``, the offset: values keep no region)."""
    hours = exp.Anonymous(this="DATE_PART",
                          expressions=[exp.Literal.string("timezone_hour"), value.copy()])
    minutes = exp.Anonymous(this="DATE_PART",
                            expressions=[exp.Literal.string("timezone_minute"), value.copy()])
    if element == "TZM":
        return _two_digits(minutes)
    zero = exp.Literal.number(0)
    west = exp.or_(exp.LT(this=hours.copy(), expression=zero),
                   exp.LT(this=minutes.copy(), expression=zero.copy()))
    sign = exp.Case(ifs=[exp.If(this=west, true=exp.Literal.string("-"))],
                    default=exp.Literal.string("+"))
    text = exp.DPipe(this=sign, expression=_two_digits(hours))
    if element == "TZH":
        return text
    return exp.DPipe(this=exp.DPipe(this=text, expression=exp.Literal.string(":")),
                     expression=_two_digits(minutes))


def _render(value: exp.Expression, piece: _Piece) -> exp.Expression:
    if piece.zone is not None:
        return _zone(value, piece.zone)
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


def check_mask(mask: str) -> None:
    """Raise NotSupportedError unless ``mask`` is a datetime mask heliosql can write."""
    if not any(kind == "elem" for kind, _ in _tokens(mask)):
        raise NotSupportedError(f"{mask!r} has no format element")
    _pieces(mask)


def format_datetime(value: exp.Expression, mask: str) -> exp.Expression:
    """``TO_CHAR(value, mask)`` for a date/timestamp value."""
    pieces = _pieces(mask)
    if not pieces:
        return exp.Null()
    result = _render(value, pieces[0])
    for piece in pieces[1:]:
        result = exp.DPipe(this=result, expression=_render(value, piece))
    return result


@dataclass(frozen=True, slots=True)
class ParseFormats:
    """How to read text with a mask: strptime formats to try in order.

    ``two_digit`` read the year as two digits (``%y``), to be moved to the
    century ``century_rule`` says (``RR`` or ``YY``); ``formats`` read it as written.
    """

    formats: tuple[str, ...]
    two_digit: tuple[str, ...] = ()
    century_rule: str | None = None


def parse_formats(mask: str) -> ParseFormats:
    """The strptime formats for ``TO_DATE(text, mask)`` / ``TO_TIMESTAMP(text, mask)``."""
    options: list[tuple[str, ...]] = []  # per token, what it may read
    literal: list[bool] = []
    rule = None
    date_part: int | None = None  # tokens before the first time-of-day element
    for kind, text in _tokens(mask):
        element = text.upper()
        literal.append(kind == "lit")
        if kind == "lit":
            options.append((text.replace("%", "%%"),))
            continue
        if element in _ZONES:
            raise NotSupportedError(f"format element {text!r} cannot be read (in {mask!r})")
        if element in _TIME_OF_DAY and date_part is None:
            date_part = len(options)
        if element in _MODIFIERS:
            literal.pop()
            continue
        if element in _TWO_DIGIT_YEARS:
            rule = _TWO_DIGIT_YEARS[element]
            options.append(("%y",))
        elif element in _ALSO_READS:
            options.append(_ALSO_READS[element])
        elif element in _CODES:
            options.append((_CODES[element][0],))
        elif element in _NAMES:
            options.append((_NAMES[element][0],))
        else:
            # %f reads 1..6 digits; only %n reads the 7..9 of FF7-FF9 (and bare FF).
            options.append(("%f" if _FRACTIONS[element] <= 6 and element != "FF" else "%n",))
    masks = [options]
    if date_part:  # Oracle lets the text end before the time of day
        end = date_part
        while end and literal[end - 1] and not options[end - 1][0].strip(" -/,.:;"):
            end -= 1  # without the separators before the time
        masks.append(options[:end])
    two_digit = tuple(dict.fromkeys("".join(p) for m in masks for p in itertools.product(*m)))
    if rule is None:
        return ParseFormats(two_digit)
    four = tuple(f.replace("%y", "%Y") for f in two_digit)
    return ParseFormats(four, two_digit, rule)
