"""Plan-builder rules for ALTER SESSION."""

from __future__ import annotations

from lark import Token

from heliosql.parsing.common import BuilderBase, Loc, span_of, unquote_string
from heliosql.plan.session import AlterSession, SessionSetting


class SessionRules(BuilderBase):
    """ALTER SESSION SET parameter = value ..."""

    def alter_session(self, loc: Loc, *settings: SessionSetting) -> AlterSession:
        return AlterSession(settings, span=span_of(loc))

    def session_setting(self, loc: Loc, parameter: str, eq: Token,
                        value: Token | str) -> SessionSetting:
        if isinstance(value, Token):
            text = unquote_string(value) if value.type == "STRING" else str(value)
        else:
            text = value
        return SessionSetting(parameter, text, span=span_of(loc))
