"""When to search: the PRD's window after an episode airs, and a per-indexer request budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

SEARCH_WINDOW = timedelta(hours=48)  # after which the episode has failed

Window = Literal["before", "open", "expired"]


def window(air_time: datetime | None, now: datetime) -> Window:
    """Where ``now`` stands in an episode's search window."""
    if air_time is None or now < air_time:
        return "before"
    return "open" if now < air_time + SEARCH_WINDOW else "expired"


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

    def take(self, now: datetime, reserve: float = 0.0) -> bool:
        """Spend one request if the budget allows it now, leaving ``reserve`` requests for
        what a person asks by hand."""
        if self.paused_until and now < self.paused_until:
            return False
        self._refill(now)
        if self.tokens < 1 + reserve:
            return False
        self.tokens -= 1
        return True

    def ready_at(self, now: datetime, reserve: float = 0.0) -> datetime:
        """When the next request (above ``reserve``) may be sent."""
        if self.paused_until and now < self.paused_until:
            return self.paused_until
        self._refill(now)
        missing = max(1 + reserve - self.tokens, 0.0)
        return now + timedelta(hours=missing / self.per_hour)

    def pause(self, now: datetime, seconds: float) -> None:
        """The indexer asked us to wait (HTTP 429, Retry-After)."""
        self.paused_until = now + timedelta(seconds=seconds)
        self.tokens = 0
        self.updated = now


# Feed first: the feed (paged back to the last item seen) misses nothing while it answers,
# so it is polled often only while an open episode is fresh (most releases come within the
# first hour), less and less after, and targeted searches are a safety net for what a feed
# outage may have hidden.
POLL_STEPS = (
    (timedelta(minutes=10), None),  # nothing is released during the first minutes
    (timedelta(minutes=75), timedelta(0)),  # every cycle
    (timedelta(hours=3), timedelta(minutes=30)),
)
COLD_POLL = timedelta(hours=3)
SAFETY_SEARCHES = (timedelta(hours=2), timedelta(hours=24))


def poll_interval(age: timedelta) -> timedelta:
    """How often the feed is worth polling for an episode aired ``age`` ago (0: every cycle)."""
    every = next((every for limit, every in POLL_STEPS if age < limit), COLD_POLL)
    return COLD_POLL if every is None else every


def feed_due(air_times: list[datetime], now: datetime, last_poll: datetime | None) -> bool:
    """Whether the freshest open episode makes a feed poll worth it now."""
    if not air_times:
        return False
    every = min(poll_interval(now - air) for air in air_times)
    return last_poll is None or now - last_poll >= every


def safety_search_due(
    air_time: datetime | None, now: datetime, last_search: datetime | None, feed_trusted: bool
) -> bool:
    """Feed first: targeted searches at air + 2 h and + 24 h, only when the feed may have
    missed something since the episode aired (an indexer failed, or more came than a poll
    pages through)."""
    if feed_trusted or air_time is None or window(air_time, now) != "open":
        return False
    passed = [air_time + delay for delay in SAFETY_SEARCHES if now >= air_time + delay]
    return bool(passed) and (last_search is None or last_search < passed[-1])
