"""The Oracle function table: names whose sqlglot mapping is missing or wrong for Oracle.

Each handler receives a ``Call`` (compiled arguments plus what is known about the
plan arguments) and returns a DuckDB-ready sqlglot node. Names not listed here go
through sqlglot's own builders (``sqlglot_functions.py``). Why each one is here:

* TO_CHAR/TO_DATE/TO_TIMESTAMP/TO_NUMBER: Oracle masks (formats.py, numformat.py);
  sqlglot drops number masks and mistranslates MON, FF3, MONTH; without a mask
  dates are written and read with the session's NLS formats.
* ADD_MONTHS, LAST_DAY, MONTHS_BETWEEN, NEXT_DAY, TRUNC/ROUND of dates: see
  temporal_functions.py.
* SUBSTR: Oracle reads start 0 as 1; out of range it gives NULL, never ''.
* REGEXP_REPLACE replaces every match (DuckDB's the first); REGEXP_SUBSTR is
  DuckDB's regexp_extract. Functions that can return '' return NULL instead
  (``EMPTY_IS_NULL``): Oracle has no empty string.
* INSTR: sqlglot drops the occurrence and mishandles a negative start.
* GREATEST/LEAST: sqlglot marks Oracle's as NULL-ignoring; Oracle returns NULL.
* MOD: Oracle's MOD(x, 0) is x, DuckDB's x % 0 is NULL.
* CONCAT, REPLACE: Oracle treats NULL as the empty string.
* DECODE: the builder sqlglot registers is the charset DECODE, not Oracle's.
"""

from __future__ import annotations

from sqlglot import exp

from heliosql.compiler import formats, temporal_functions
from heliosql.compiler.calls import Call, Handler, T, case_when, num, string, type_node
from heliosql.compiler.kinds import TEMPORAL
from heliosql.compiler.numformat import format_number, parse_number_mask, strip_number_mask
from heliosql.storage.errors import NotSupportedError, ProgrammingError


def oracle_concat(parts: list[exp.Expression]) -> exp.Expression:
    """Oracle ``a || b``: NULL acts as '' and an empty result is NULL ('' is NULL in Oracle)."""
    result = exp.Nullif(this=exp.Anonymous(this="CONCAT", expressions=parts), expression=string(""))
    result.meta["oracle_concat"] = True  # lets a || b || c flatten into one CONCAT
    return result


def _to_char(call: Call) -> exp.Expression:
    call.arity(1, 3)
    call.no_nls_argument(2)
    value = call.args[0]
    if len(call.args) == 1:
        kind = call.kinds[0]
        if kind in TEMPORAL:  # the session's NLS_DATE_FORMAT (or timestamp format)
            return formats.format_datetime(
                value, temporal_functions.default_mask(kind, call.nls))
        return exp.Cast(this=value, to=type_node(T.VARCHAR))
    mask = call.mask(1)
    if not mask:  # '' is NULL
        return exp.Cast(this=exp.Null(), to=type_node(T.VARCHAR))
    try:
        number_mask = None if call.temporal[0] else parse_number_mask(mask)
        if number_mask is not None:
            return format_number(value, number_mask)
        return formats.format_datetime(value, mask)
    except NotSupportedError as err:
        raise call.unsupported(err.message) from err


def _to_number(call: Call) -> exp.Expression:
    call.arity(1, 3)
    call.no_nls_argument(2)
    text = call.args[0]
    if len(call.args) == 2:
        mask = call.mask(1)
        try:
            number_mask = parse_number_mask(mask)
        except NotSupportedError as err:
            raise call.unsupported(err.message) from err
        if number_mask is None:
            raise call.unsupported(f"number format mask {mask!r} is not supported")
        text = strip_number_mask(text, number_mask)
    return exp.Cast(this=text, to=type_node(T.DOUBLE))


def _substr(call: Call) -> exp.Expression:
    call.arity(2, 3)
    text, start = call.args[0], call.args[1]
    first, count = call.literal(1), call.literal(2)
    if isinstance(count, int) and count < 1:
        return exp.Null()
    # Oracle gives NULL (its empty string) for a length below 1 or a start before the text;
    # DuckDB gives '' or counts backwards from the end.
    nulls: list[exp.Expression] = []
    if len(call.args) == 3 and not isinstance(count, int):
        nulls.append(exp.LT(this=call.args[2].copy(), expression=num(1)))
    size = exp.Length(this=text.copy())
    if not isinstance(first, int):
        nulls.append(exp.LT(this=start.copy(), expression=exp.Neg(this=size)))
        start = case_when(exp.EQ(this=start.copy(), expression=num(0)), num(1), start)
    elif first < 0:
        nulls.append(exp.LT(this=size, expression=num(-first)))
    elif first == 0:
        start = num(1)  # Oracle reads start 0 as 1
    length = call.args[2] if len(call.args) == 3 else None
    result = exp.Nullif(
        this=exp.Substring(this=text, start=start, length=length), expression=string("")
    )
    if not nulls:
        return result
    return case_when(exp.or_(*nulls) if len(nulls) > 1 else nulls[0], exp.Null(), result)


def _instr(call: Call) -> exp.Expression:
    call.arity(2, 4)
    text, sub = call.args[0], call.args[1]
    if len(call.args) == 2:
        return exp.StrPosition(this=text, substr=sub)
    start = call.args[2]
    nth = call.args[3] if len(call.args) == 4 else num(1)
    occurrence = call.literal(3)
    if isinstance(occurrence, int) and occurrence < 1:
        raise ProgrammingError(
            f"INSTR occurrence must be 1 or more, not {occurrence}",
            code="ORA-01428",
            position=call.position,
        )
    size = exp.Length(this=text.copy())
    # Candidate start positions in search order (backwards for a negative start),
    # keep those where the substring matches, take the n-th; overlapping matches count.
    forward = exp.Anonymous(
        this="RANGE", expressions=[start.copy(), exp.Add(this=size.copy(), expression=num(1))]
    )
    backward = exp.Anonymous(
        this="RANGE",
        expressions=[
            exp.Add(this=exp.Add(this=size.copy(), expression=start.copy()), expression=num(1)),
            num(0),
            num(-1),
        ],
    )
    candidates = case_when(exp.GT(this=start.copy(), expression=num(0)), forward, backward)
    i = exp.to_identifier("i")
    matches = exp.Anonymous(
        this="LIST_FILTER",
        expressions=[
            candidates,
            exp.Lambda(
                this=exp.EQ(
                    this=exp.Substring(
                        this=text.copy(), start=exp.column(i), length=exp.Length(this=sub)
                    ),
                    expression=sub.copy(),
                ),
                expressions=[i],
            ),
        ],
    )
    found = exp.Bracket(this=matches, expressions=[nth], offset=1)  # 1-based like Oracle
    return exp.Coalesce(this=found, expressions=[num(0)])


def _replace(call: Call) -> exp.Expression:
    call.arity(2, 3)
    empty = string("")
    new = exp.Coalesce(this=call.args[2], expressions=[empty]) if len(call.args) == 3 else empty
    search = exp.Coalesce(this=call.args[1], expressions=[empty.copy()])
    return _no_empty(exp.Replace(this=call.args[0], expression=search, replacement=new))


def _no_empty(text: exp.Expression) -> exp.Expression:
    """NULL for '': Oracle has no empty string."""
    return exp.Nullif(this=text, expression=string(""))


def _regexp_replace(call: Call) -> exp.Expression:
    """Every match replaced (DuckDB's 'g' flag); a NULL replacement removes the matches."""
    call.arity(2, 3)
    new = call.args[2] if len(call.args) == 3 else string("")
    replacement = exp.Coalesce(this=new, expressions=[string("")])
    return _no_empty(exp.Anonymous(this="REGEXP_REPLACE", expressions=[
        call.args[0], call.args[1], replacement, string("g")]))


def _regexp_substr(call: Call) -> exp.Expression:
    """The first match, NULL when there is none (DuckDB gives '')."""
    call.arity(2, 2)
    return _no_empty(exp.Anonymous(this="REGEXP_EXTRACT", expressions=list(call.args)))


def _greatest(cls: type[exp.Greatest] | type[exp.Least]) -> Handler:
    def build(call: Call) -> exp.Expression:
        call.arity(1, 255)
        return cls(this=call.args[0], expressions=list(call.args[1:]), ignore_nulls=False)

    return build


def _mod(call: Call) -> exp.Expression:
    call.arity(2, 2)
    left, right = call.args
    remainder = exp.Mod(this=exp.Paren(this=left), expression=exp.Paren(this=right))
    divisor = call.literal(1)
    if isinstance(divisor, int) and divisor != 0:
        return remainder
    return case_when(exp.EQ(this=right.copy(), expression=num(0)), left.copy(), remainder)


def _concat(call: Call) -> exp.Expression:
    call.arity(2, 2)
    return oracle_concat(list(call.args))


def _decode(call: Call) -> exp.Expression:
    call.arity(3, 255)  # sqlglot's DECODE builder is the charset one; DecodeCase is Oracle's
    return exp.DecodeCase(expressions=list(call.args))


def _sys_guid(call: Call) -> exp.Expression:
    """RAW(16) like Oracle's: the 16 bytes of a random UUID."""
    call.arity(0, 0)
    uuid = exp.Cast(this=exp.Anonymous(this="GEN_RANDOM_UUID"), to=type_node(T.VARCHAR))
    return exp.Unhex(this=exp.Replace(this=uuid, expression=string("-"), replacement=string("")))


def _one(cls: type[exp.Func]) -> Handler:
    def build(call: Call) -> exp.Expression:
        call.arity(1, 1)
        return cls(this=call.args[0])

    return build


HANDLERS: dict[str, Handler] = {
    "TO_CHAR": _to_char,
    "TO_DATE": temporal_functions.to_datetime,
    "TO_TIMESTAMP": temporal_functions.to_datetime,
    "TO_NUMBER": _to_number,
    "ADD_MONTHS": temporal_functions.add_months,
    "LAST_DAY": temporal_functions.last_day,
    "MONTHS_BETWEEN": temporal_functions.months_between,
    "NEXT_DAY": temporal_functions.next_day,
    "REGEXP_REPLACE": _regexp_replace,
    "REGEXP_SUBSTR": _regexp_substr,
    "TRUNC": temporal_functions.trunc,
    "ROUND": temporal_functions.round_,
    "SUBSTR": _substr,
    "INSTR": _instr,
    "REPLACE": _replace,
    "GREATEST": _greatest(exp.Greatest),
    "LEAST": _greatest(exp.Least),
    "MOD": _mod,
    "CONCAT": _concat,
    "SYS_GUID": _sys_guid,
    "DECODE": _decode,
    "RAWTOHEX": _one(exp.Hex),
    "HEXTORAW": _one(exp.Unhex),
}

# Oracle names whose sqlglot Oracle builder was checked to give Oracle's answer on DuckDB,
# with Oracle's argument counts (sqlglot's own checks accept e.g. NVL(x)).
ORACLE_BUILT: dict[str, tuple[int, int]] = {
    **dict.fromkeys(["NVL", "POWER", "NULLIF"], (2, 2)),
    "LOG": (1, 2),  # LOG(base, n) in Oracle; DuckDB's LOG(n) (base 10) keeps working
    "NVL2": (3, 3),
    "COALESCE": (1, 255),
    **dict.fromkeys(["LPAD", "RPAD"], (2, 3)),
    **dict.fromkeys(["LTRIM", "RTRIM"], (1, 2)),
    **dict.fromkeys(["LENGTH", "UPPER", "LOWER", "INITCAP", "TRIM"], (1, 1)),
    **dict.fromkeys(["LN", "EXP", "SQRT", "ABS", "CEIL", "FLOOR", "SIGN"], (1, 1)),
}

# Functions built by sqlglot that can give '' for a text that is not empty: NULL instead.
EMPTY_IS_NULL = frozenset({"TRIM", "LTRIM", "RTRIM", "LPAD", "RPAD", "TRANSLATE"})
