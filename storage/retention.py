"""Retention policies: how much history a table keeps (the seed's ``RetentionPolicy``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import timedelta


class CleanupStrategy(enum.Enum):
    """Which history versions a cleanup removes."""

    #: Versions that ended longer ago than ``max_age``; then, while the table is
    #: over its size or entry limit, the versions that ended first.
    TIME_BASED_OLDEST = "time_based_oldest"
    #: Only versions older than ``max_age``; the limits are reported, not enforced.
    AGE_ONLY = "age_only"


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Keep ``max_age`` of history; clean up at most every ``cleanup_interval``.

    A history version is *older than max_age* when it stopped being current
    more than ``max_age`` ago. Builders return new policies (the type is frozen).
    """

    max_age: timedelta
    cleanup_interval: timedelta
    size_limit: int | None = None
    entry_limit: int | None = None
    strategy: CleanupStrategy = CleanupStrategy.TIME_BASED_OLDEST

    def __post_init__(self) -> None:
        if self.max_age < timedelta(0):
            raise ValueError("max_age must not be negative")
        if self.cleanup_interval < timedelta(0):
            raise ValueError("cleanup_interval must not be negative")
        for name in ("size_limit", "entry_limit"):
            limit = getattr(self, name)
            if limit is not None and limit < 0:
                raise ValueError(f"{name} must not be negative")

    def with_size_limit(self, size_bytes: int) -> RetentionPolicy:
        """Also keep the table's history under ``size_bytes`` (approximate bytes)."""
        return replace(self, size_limit=size_bytes)

    def with_entry_limit(self, entries: int) -> RetentionPolicy:
        """Also keep at most ``entries`` history versions."""
        return replace(self, entry_limit=entries)

    def with_cleanup_strategy(self, strategy: CleanupStrategy) -> RetentionPolicy:
        """Choose how cleanup picks what to remove."""
        return replace(self, strategy=strategy)
