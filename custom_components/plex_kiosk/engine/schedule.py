"""When to search: the PRD's window after an episode airs, and a per-indexer request budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

SEARCH_DELAY = timedelta(hours=2)  # first targeted search at air time + 2 h
SEARCH_EVERY = timedelta(hours=2)  # then every 2 h
SEARCH_WINDOW = timedelta(hours=48)  # after which the episode has failed

Window = Literal["before", "open", "expired"]


def window(air_time: datetime | None, now: datetime) -> Window:
    """Where ``now`` stands in an episode's search window."""
    if air_time is None or now < air_time:
        return "before"
    return "open" if now < air_time + SEARCH_WINDOW else "expired"


def search_due(air_time: datetime | None, now: datetime, last_search: datetime | None) -> bool:
    """Whether a targeted search is due: from air + 2 h, then every 2 h, within 48 h."""
    if air_time is None or window(air_time, now) != "open" or now < air_time + SEARCH_DELAY:
        return False
    return last_search is None or now - last_search >= SEARCH_EVERY


@dataclass(slots=True)
class TokenBucket:
    """A request budget: ``capacity`` requests, refilled at ``per_hour``; 429 pauses it."""

    capacity: float
    per_hour: float
    tokens: float
    updated: datetime
    paused_until: datetime | None = None

    @classmethod
    def full(cls, capacity: float, per_hour: float, now: datetime) -> TokenBucket:
        """A bucket that starts full."""
        return cls(capacity, per_hour, capacity, now)

    def _refill(self, now: datetime) -> None:
        elapsed = max((now - self.updated).total_seconds(), 0.0)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_hour / 3600)
        self.updated = now

    def take(self, now: datetime) -> bool:
        """Spend one request if the budget allows it now."""
        if self.paused_until and now < self.paused_until:
            return False
        self._refill(now)
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def pause(self, now: datetime, seconds: float) -> None:
        """The indexer asked us to wait (HTTP 429, Retry-After)."""
        self.paused_until = now + timedelta(seconds=seconds)
        self.tokens = 0
        self.updated = now
