"""The search window, the feed's polling rhythm and the indexer budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.plex_kiosk.engine.schedule import (
    TokenBucket,
    feed_due,
    poll_interval,
    safety_search_due,
    window,
)

AIR = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_window() -> None:
    """Before air, open for 48 h, then expired; no air time means not yet."""
    assert window(AIR, AIR - H) == "before"
    assert window(AIR, AIR + 47 * H) == "open"
    assert window(AIR, AIR + 48 * H) == "expired"
    assert window(None, AIR) == "before"


def test_feed_rhythm() -> None:
    """Every cycle while an episode is fresh, every 30 min up to 3 h, then every 3 h."""
    assert poll_interval(timedelta(minutes=5)) == 3 * H
    assert poll_interval(timedelta(minutes=30)) == timedelta(0)
    assert poll_interval(2 * H) == timedelta(minutes=30)
    assert poll_interval(10 * H) == 3 * H
    assert not feed_due([], AIR, None)
    assert feed_due([AIR], AIR + timedelta(minutes=30), AIR + timedelta(minutes=15))
    assert not feed_due([AIR], AIR + 2 * H, AIR + 2 * H - timedelta(minutes=15))
    assert feed_due([AIR - 10 * H], AIR, AIR - 3 * H)


def test_safety_searches_only_after_a_gap() -> None:
    """A trusted feed needs no targeted search; after a gap: at +2 h and +24 h."""
    assert not safety_search_due(AIR, AIR + 3 * H, None, feed_trusted=True)
    assert safety_search_due(AIR, AIR + 3 * H, None, feed_trusted=False)
    assert not safety_search_due(AIR, AIR + 10 * H, AIR + 3 * H, feed_trusted=False)
    assert safety_search_due(AIR, AIR + 25 * H, AIR + 3 * H, feed_trusted=False)
    assert not safety_search_due(AIR, AIR + H, None, feed_trusted=False)


def test_token_bucket() -> None:
    """A burst is allowed, then the refill rate; a 429 pauses the indexer."""
    bucket = TokenBucket.full(2, per_hour=60, now=AIR)
    assert bucket.take(AIR)
    assert bucket.take(AIR)
    assert not bucket.take(AIR)
    assert bucket.take(AIR + timedelta(minutes=1))
    bucket.pause(AIR + timedelta(minutes=1), 120)
    assert not bucket.take(AIR + timedelta(minutes=2))
    assert bucket.take(AIR + timedelta(minutes=4))
