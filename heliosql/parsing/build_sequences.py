"""Plan-builder rules for sequences: CREATE / ALTER / DROP SEQUENCE and identity columns."""

from __future__ import annotations

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, span_of, unquote_identifier
from heliosql.plan import Statement
from heliosql.plan.sequences import (
    AlterSequence,
    CreateSequence,
    DropSequence,
    Identity,
    SequenceOption,
    SequenceOptionKind,
)

K = SequenceOptionKind
# Options that exclude each other (or repeat), with Oracle's code for saying both.
_CLASHES = (
    ((K.START,), "ORA-02285", "START WITH"),
    ((K.INCREMENT,), "ORA-02284", "INCREMENT BY"),
    ((K.MAXVALUE, K.NOMAXVALUE), "ORA-02278", "NOMAXVALUE/MAXVALUE"),
    ((K.MINVALUE, K.NOMINVALUE), "ORA-02279", "MINVALUE/NOMINVALUE"),
    ((K.CYCLE, K.NOCYCLE), "ORA-02280", "CYCLE/NOCYCLE"),
    ((K.CACHE, K.NOCACHE), "ORA-02281", "CACHE/NOCACHE"),
    ((K.ORDER, K.NOORDER), "ORA-02282", "ORDER/NOORDER"),
    ((K.RESTART,), None, "RESTART"),
)


class SequenceRules(BuilderBase):
    """Rules for sequence DDL, sequence options and ``GENERATED ... AS IDENTITY``."""

    def create_sequence(self, loc: Loc, name: str, *options: SequenceOption) -> Statement:
        return CreateSequence(name, self._options(loc, options, restart=False),
                              span=span_of(loc))

    def alter_sequence(self, loc: Loc, name: str, *options: SequenceOption) -> Statement:
        return AlterSequence(name, self._options(loc, options, restart=True), span=span_of(loc))

    def drop_sequence(self, loc: Loc, name: str) -> Statement:
        return DropSequence(name, span=span_of(loc))

    def sequence_name(self, loc: Loc, first: Token, second: Token | None) -> str:
        """The sequence's own name (a schema is ignored: heliosql has one) as Oracle keeps
        it: upper-cased unless quoted."""
        token = second if second is not None else first
        name = unquote_identifier(token)
        return name if token.type == "QUOTED_IDENT" else name.upper()

    def identity(self, loc: Loc, keyword: Token, generation: str | None,
                 *options: SequenceOption) -> Identity:
        return Identity(generation or "ALWAYS", self._options(loc, options, restart=False))

    def generated_always(self, loc: Loc) -> str:
        return "ALWAYS"

    def generated_by_default(self, loc: Loc) -> str:
        return "BY DEFAULT"

    def generated_on_null(self, loc: Loc) -> str:
        return "BY DEFAULT ON NULL"

    def _options(self, loc: Loc, options: tuple[SequenceOption, ...], *, restart: bool
                 ) -> tuple[SequenceOption, ...]:
        """The options, each at most once and none with its opposite (Oracle's codes)."""
        kinds = [option.kind for option in options]
        for group, code, label in _CLASHES:
            if sum(kinds.count(kind) for kind in group) > 1:
                self._fail(loc, f"duplicate or conflicting {label} specifications", code)
        if K.RESTART in kinds and not restart:
            self._fail(loc, "RESTART is an option of ALTER SEQUENCE only")
        return options

    # --- options ---------------------------------------------------------------------------

    def seq_start(self, loc: Loc, value: int) -> SequenceOption:
        return SequenceOption(K.START, value)

    def seq_increment(self, loc: Loc, value: int) -> SequenceOption:
        return SequenceOption(K.INCREMENT, value)

    def seq_minvalue(self, loc: Loc, keyword: Token, value: int) -> SequenceOption:
        return SequenceOption(K.MINVALUE, value)

    def seq_nominvalue(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.NOMINVALUE)

    def seq_maxvalue(self, loc: Loc, keyword: Token, value: int) -> SequenceOption:
        return SequenceOption(K.MAXVALUE, value)

    def seq_nomaxvalue(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.NOMAXVALUE)

    def seq_cycle(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.CYCLE)

    def seq_nocycle(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.NOCYCLE)

    def seq_cache(self, loc: Loc, value: int) -> SequenceOption:
        return SequenceOption(K.CACHE, value)

    def seq_nocache(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.NOCACHE)

    def seq_order(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.ORDER)

    def seq_noorder(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.NOORDER)

    def seq_restart(self, loc: Loc) -> SequenceOption:
        return SequenceOption(K.RESTART)

    def signed_number(self, loc: Loc, token: Token) -> int:
        return self._integer(loc, str(token))

    def negative_number(self, loc: Loc, token: Token) -> int:
        return -self._integer(loc, str(token))

    def _integer(self, loc: Loc, text: str) -> int:
        """A sequence parameter: an integer (ORA-04001), written without a fraction."""
        if not text.isdigit():
            self._fail(loc, f"sequence parameter {text} must be an integer", "ORA-04001")
        return int(text)
