"""The complete plan builder: one mixin per statement family."""

from __future__ import annotations

from heliosql.parsing.build_ddl import DdlRules
from heliosql.parsing.build_expressions import ExpressionRules
from heliosql.parsing.build_flashback import FlashbackRules
from heliosql.parsing.build_oracle import OracleRules
from heliosql.parsing.build_queries import QueryRules
from heliosql.parsing.build_sequences import SequenceRules
from heliosql.parsing.build_session import SessionRules
from heliosql.parsing.build_statements import StatementRules


class PlanBuilder(ExpressionRules, QueryRules, StatementRules, DdlRules, FlashbackRules,
                  SequenceRules, OracleRules, SessionRules):
    """Builds the plan of one statement from its parse tree (one instance per statement)."""
