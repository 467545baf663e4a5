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


# Feed first: the feed (paged back to the last item seen) misses nothing while it answers,
# so it is polled at the configured interval only while an episode is fresh, and targeted
# searches are a safety net for what a feed outage may have hidden.
HOT_WINDOW = timedelta(hours=4)
COLD_POLL = timedelta(hours=2)
SAFETY_SEARCHES = (timedelta(hours=2), timedelta(hours=24))


def feed_due(air_times: list[datetime], now: datetime, last_poll: datetime | None) -> bool:
    """Poll every cycle while an open episode aired less than 4 h ago, else every 2 h."""
    if not air_times:
        return False
    hot = any(now - air < HOT_WINDOW for air in air_times)
    return hot or last_poll is None or now - last_poll >= COLD_POLL


def safety_search_due(
    air_time: datetime | None, now: datetime, last_search: datetime | None
) -> bool:
    """Feed first: one targeted search at air + 2 h, another at air + 24 h."""
    if air_time is None or window(air_time, now) != "open":
        return False
    passed = [air_time + delay for delay in SAFETY_SEARCHES if now >= air_time + delay]
    return bool(passed) and (last_search is None or last_search < passed[-1])
