"""The watching cycle: refresh calendars, poll feeds, search what is due, pick, grab, fail."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, Protocol

from homeassistant.util import dt as dt_util

from ..acquire.pipeline import Acquirer
from ..acquire.search import ReleaseSearch
from ..clients.bundle import Connections
from ..clients.errors import ClientError
from ..const import EVENT_EPISODE_FAILED, EVENT_EPISODE_GRABBED
from ..engine.matching import WantedEpisode
from ..engine.naming import printable
from ..engine.quality import Preferences
from ..engine.schedule import feed_due, safety_search_due, window
from ..engine.selection import Ranked, Wanted
from ..errors import ServiceDown
from ..models import EpisodeRelease, EpisodeStatus, FollowStatus, SeriesFollow, StoreData
from . import calendar_sync
from .views import episode_label, episodes_in_air_order, runtime
from .watcher import ReleaseWatcher

_LOGGER = logging.getLogger(__name__)
RESYNC_EVERY = timedelta(hours=24)
OPEN_STATUSES = frozenset({EpisodeStatus.PENDING, EpisodeStatus.SEARCHING})


class FollowHooks(Protocol):
    """What the follows tell the outside world (Home Assistant's bus and repairs)."""

    def fire(self, event: str, data: dict[str, Any]) -> None:
        """Fire an event."""

    def failures(self, follow_id: str, series: str, episodes: list[str]) -> None:
        """One repair issue per series while some of its episodes found no release; none
        when ``episodes`` is empty."""


class Saver(Protocol):
    """Where the data goes after a change."""

    def save(self, data: StoreData) -> None:
        """Persist ``data`` soon (changes close together are written once)."""


class WatchCycle:
    """One entry's watching: feed first, targeted searches as a safety net."""

    def __init__(
        self,
        hooks: FollowHooks,
        conns: Connections,
        store: Saver,
        data: StoreData,
        *,
        releases: ReleaseSearch,
        acquirer: Acquirer | None = None,
    ) -> None:
        """The watcher starts empty. Without ``acquirer`` a chosen release is only recorded."""
        self.hooks = hooks
        self.conns = conns
        self.store = store
        self.data = data
        self.releases = releases
        self.acquirer = acquirer
        self.watcher = ReleaseWatcher(releases)
        self.last_feed_poll: datetime | None = None
        self._running = asyncio.Lock()

    async def run(self, now: datetime, force: set[str] | None = None) -> bool:
        """Poll feeds, search what is due, pick releases, fail what expired; True if changed.
        One cycle at a time (the schedule and an action may ask at once)."""
        async with self._running:
            return await self._run(now, force)

    async def sync(self, follow: SeriesFollow, now: datetime) -> None:
        """Refresh a follow's calendar (a ServiceDown when its source does not answer)."""
        try:
            episodes, status = await calendar_sync.fetch(self.conns, follow)
        except ClientError as err:
            raise ServiceDown(err.service, err.detail) from err
        calendar_sync.apply(self.data, follow, episodes, status, now)

    def preferences(self, follow: SeriesFollow) -> Preferences:
        """What the follow wants of a release."""
        return self.releases.preferences(follow.quality, follow.language, follow.dub)

    def wanted(self, follow: SeriesFollow, episode: EpisodeRelease) -> WantedEpisode:
        """The episode as the watcher matches releases to it."""
        return WantedEpisode(
            episode.id,
            (follow.title, *follow.aliases),
            episode.season,
            episode.episode,
            episode.absolute,
        )

    def wanted_for_selection(self, follow: SeriesFollow, episode: EpisodeRelease) -> Wanted:
        """The episode as the engine filters and ranks its candidates."""
        return Wanted(
            titles=(follow.title, *follow.aliases),
            season=episode.season,
            episode=episode.episode,
            absolute=episode.absolute,
            air_time=episode.air_time,
            runtime=runtime(follow),
            season_aired=self._season_aired(episode),
            year=follow.year,
            country=follow.country,
            owns_bare_title=follow.owns_bare_title,
            ids=follow.ids,
        )

    def _season_aired(self, episode: EpisodeRelease) -> bool:
        """Whether every known episode of this episode's season has aired."""
        now = dt_util.utcnow()
        return all(
            e.air_time is not None and e.air_time <= now
            for e in self.data.episodes.values()
            if e.follow_id == episode.follow_id and e.season == episode.season
        )

    def feeds_due(self, air_times: list[datetime], now: datetime) -> bool:
        """Whether the feeds are worth polling now for episodes aired at ``air_times``."""
        return feed_due(air_times, now, self.last_feed_poll)

    def search_due(self, episode: EpisodeRelease, now: datetime) -> bool:
        """Whether a targeted search is due: only when the feed may have missed a release."""
        trusted = self.releases.feed_trusted(episode.air_time or now)
        return safety_search_due(episode.air_time, now, episode.searched_at, trusted)

    async def _run(self, now: datetime, force: set[str] | None) -> bool:
        changed = await self._resync_due(now)
        watched = [
            (self.data.follows[e.follow_id], e)
            for e in self.data.episodes.values()
            if e.status in OPEN_STATUSES
            and e.follow_id in self.data.follows
            and self.data.follows[e.follow_id].auto_download
            and not self.data.follows[e.follow_id].paused
        ]
        aired = [(f, e) for f, e in watched if window(e.air_time, now) == "open"]
        air_times = [e.air_time for _, e in aired if e.air_time]
        if aired and (force or self.feeds_due(air_times, now)):
            await self.watcher.poll_feeds([self.wanted(f, e) for f, e in aired], now)
            self.last_feed_poll = now
        for follow, episode in aired:
            reopened = episode.status == EpisodeStatus.SEARCHING and episode.searched_at is None
            if self.search_due(episode, now) or reopened or (force and follow.id in force):
                await self._search(follow, episode, now)
                changed = True
            changed |= await self._choose(follow, episode, now)
        for follow, episode in watched:
            if episode.status in OPEN_STATUSES and window(episode.air_time, now) == "expired":
                self._fail(follow, episode, now)
                changed = True
        self.report_failures()
        if changed:
            self.store.save(self.data)
        return changed

    async def _search(self, follow: SeriesFollow, episode: EpisodeRelease, now: datetime) -> None:
        asked = await self.watcher.search(
            self.wanted(follow, episode), follow.title, follow.ids, follow.anime, now
        )
        waiting = [a.until for a in asked if a.until]
        episode.waiting_until = None
        if any(a.outcome == "asked" for a in asked):
            episode.search_attempts += 1
            episode.searched_at = now
            episode.status = EpisodeStatus.SEARCHING
        elif waiting:  # every indexer out of budget (or asked to wait): say until when
            episode.waiting_until = min(waiting)

    def report_failures(self) -> None:
        """Each series' repair issue says which of its episodes found no release (and goes
        when they are grabbed after all)."""
        failed: dict[str, list[str]] = {f: [] for f in self.data.follows}
        for episode in episodes_in_air_order(self.data):
            if episode.status == EpisodeStatus.FAILED and episode.follow_id in failed:
                follow = self.data.follows[episode.follow_id]
                failed[follow.id].append(episode_label(follow, episode))
        for follow_id, labels in failed.items():
            self.hooks.failures(follow_id, self.data.follows[follow_id].title, labels)

    async def _resync_due(self, now: datetime) -> bool:
        changed = False
        for follow in list(self.data.follows.values()):
            if follow.status == FollowStatus.ACTIVE and (
                follow.synced_at is None or now - follow.synced_at >= RESYNC_EVERY
            ):
                try:
                    await self.sync(follow, now)
                    changed = True
                except ServiceDown as err:
                    _LOGGER.warning(
                        "Calendar of %s not refreshed: %s", printable(follow.title), err
                    )
        return changed

    async def _choose(self, follow: SeriesFollow, episode: EpisodeRelease, now: datetime) -> bool:
        candidates = self.watcher.candidates(episode.id)
        if not candidates:
            return False
        decision, record = await self.releases.decide(
            candidates,
            self.wanted_for_selection(follow, episode),
            self.preferences(follow),
            record_id=f"episode:{episode.id}",
            subject=episode_label(follow, episode),
            now=now,
        )
        episode.decision_id = record.id
        await self.releases.take_first(
            decision, record, lambda chosen: self.grab(follow, episode, chosen, now)
        )
        return True

    async def grab(
        self, follow: SeriesFollow, episode: EpisodeRelease, chosen: Ranked, now: datetime
    ) -> bool:
        """Hand the release to the acquire pipeline (its file list is checked before it runs)."""
        if self.acquirer is not None:
            item = self.watcher.item(episode.id, chosen.candidate)
            indexer = self.releases.client(item.indexer) if item else None
            result = await self.acquirer.grab(item, indexer, episode.id, now) if item else None
            if result is None or not result.ok:
                _LOGGER.info(
                    "%s not grabbed: %s",
                    printable(chosen.candidate.name),
                    result.reason if result else "gone",
                )
                return False
        episode.status = EpisodeStatus.DOWNLOADING
        episode.release_name = chosen.candidate.name
        episode.infohash = chosen.candidate.infohash
        self.watcher.forget(episode.id)
        record = self.data.decisions.get(episode.decision_id or "")
        self.hooks.fire(
            EVENT_EPISODE_GRABBED,
            {
                "follow_id": follow.id,
                "series": follow.title,
                "episode": episode_label(follow, episode),
                "season": episode.season,
                "number": episode.episode,
                "absolute": episode.absolute,
                "release": chosen.candidate.name,
                "indexer": chosen.candidate.indexer,
                "score": chosen.score.total,
                "decided_by": record.decided_by if record else "engine",
                "model": record.model if record else None,
                "model_reason": record.advice if record else None,
            },
        )
        return True

    def _fail(self, follow: SeriesFollow, episode: EpisodeRelease, now: datetime) -> None:
        episode.status, episode.failed_at = EpisodeStatus.FAILED, now
        label = episode_label(follow, episode)
        self.hooks.fire(
            EVENT_EPISODE_FAILED,
            {
                "follow_id": follow.id,
                "series": follow.title,
                "episode": label,
                "reason": "no_release",
            },
        )
        _LOGGER.warning("%s: no release within 48 h of air time", printable(label))
