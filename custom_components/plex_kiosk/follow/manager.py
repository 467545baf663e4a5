"""Follows: the follow actions, the watching cycle, events and repairs."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any, Protocol

from homeassistant.util import dt as dt_util
from homeassistant.util.ulid import ulid_now

from ..acquire import lookup
from ..acquire.pipeline import Acquirer
from ..acquire.search import ReleaseSearch
from ..clients.bundle import Connections
from ..clients.errors import ClientError
from ..const import (
    DEFAULT_OPTIONS,
    EVENT_EPISODE_FAILED,
    EVENT_EPISODE_GRABBED,
)
from ..engine.matching import WantedEpisode
from ..engine.naming import printable
from ..engine.quality import Preferences
from ..engine.schedule import feed_due, safety_search_due, search_due, window
from ..engine.selection import Ranked, Wanted
from ..errors import ActionError, ServiceDown
from ..models import EpisodeRelease, EpisodeStatus, FollowStatus, SeriesFollow, StoreData, encode
from . import calendar_sync
from .watcher import ReleaseWatcher

_LOGGER = logging.getLogger(__name__)
RESYNC_EVERY = timedelta(hours=24)
OPEN_STATUSES = frozenset({EpisodeStatus.PENDING, EpisodeStatus.SEARCHING})
ANIME_RUNTIME = 24
SERIES_RUNTIME = 45


def episode_label(follow: SeriesFollow, episode: EpisodeRelease) -> str:
    """``Slow Horses S05E02`` or ``One Piece 1151``."""
    if episode.season is not None and episode.episode is not None:
        return f"{follow.title} S{episode.season:02d}E{episode.episode:02d}"
    return f"{follow.title} {episode.absolute}"


class FollowHooks(Protocol):
    """What the manager tells the outside world (Home Assistant's bus and repairs)."""

    def fire(self, event: str, data: dict[str, Any]) -> None:
        """Fire an event."""

    def failures(self, follow_id: str, series: str, episodes: list[str]) -> None:
        """One repair issue per series while some of its episodes found no release; none
        when ``episodes`` is empty."""


class Saver(Protocol):
    """Where the data goes after a change."""

    def save(self, data: StoreData) -> None:
        """Persist ``data`` soon (changes close together are written once)."""


class FollowManager:
    """Everything about followed series for one config entry."""

    def __init__(
        self,
        hooks: FollowHooks,
        conns: Connections,
        store: Saver,
        data: StoreData,
        options: dict[str, Any],
        *,
        releases: ReleaseSearch,
        acquirer: Acquirer | None = None,
        feed_first: bool = True,
    ) -> None:
        """The watcher starts empty. Without ``acquirer`` a chosen release is only recorded;
        ``feed_first=False`` is the PRD's search-only schedule (kept for the benchmark)."""
        self.hooks = hooks
        self.acquirer = acquirer
        self.feed_first = feed_first
        self.last_feed_poll: datetime | None = None
        self._cycling = asyncio.Lock()
        self.conns = conns
        self.store = store
        self.data = data
        self.options = {**DEFAULT_OPTIONS, **options}
        self.releases = releases
        self.watcher = ReleaseWatcher(releases)

    # --- follow actions -------------------------------------------------------------

    async def follow(
        self,
        *,
        title: str | None = None,
        ids: dict[str, int] | None = None,
        quality: str | None = None,
        language: str | None = None,
        dub: str | None = None,
        auto_download: bool = True,
        monitor: str = "future",
        from_season: int | None = None,
        aliases: list[str] | None = None,
    ) -> dict[str, Any]:
        """Follow a show by title or by one id; an ambiguous title follows nothing."""
        if ids:
            source, ident = next(iter(ids.items()))
            match = await lookup.find_by_id(self.conns, source, ident)
        else:
            found = await lookup.find_by_title(self.conns, title or "")
            if not found:
                raise ActionError("show_not_found", source="title", ident=title or "")
            if len(found) > 1:
                return {"followed": False, "candidates": [m.as_dict() for m in found]}
            match = await lookup.enrich(self.conns, found[0])
        for existing in self.data.follows.values():
            if any(
                existing.ids.get(k) == v for k, v in match.ids.items() if k in lookup.ID_SOURCES
            ):
                raise ActionError("already_followed", title=existing.title)
        follow = SeriesFollow(
            id=ulid_now(),
            title=match.title,
            ids=match.ids,
            year=match.year,
            anime=match.anime,
            quality=quality or str(self.options["quality"]),
            language=language or str(self.options["language"]),
            dub=dub or str(self.options["dub"]),
            auto_download=auto_download,
            monitor=monitor,
            from_season=from_season,
            aliases=[*match.aliases, *(aliases or [])],
            country=match.country,
            owns_bare_title=match.owns_bare_title,
        )
        self.data.follows[follow.id] = follow
        now = dt_util.utcnow()
        await self._sync(follow, now)
        self.store.save(self.data)
        await self.cycle(now, force={follow.id})  # aired episodes are searched at once
        return {"followed": True, "follow": self.describe(follow)}

    def get(self, follow_id: str) -> SeriesFollow:
        """A follow by id, or a translated error."""
        if follow_id not in self.data.follows:
            raise ActionError("unknown_follow", follow_id=follow_id)
        return self.data.follows[follow_id]

    async def unfollow(self, follow_id: str) -> None:
        """Stop following; its episodes go, decisions stay for the record."""
        follow = self.get(follow_id)
        for key in [k for k, e in self.data.episodes.items() if e.follow_id == follow.id]:
            del self.data.episodes[key]
            self.watcher.forget(key)
        del self.data.follows[follow_id]
        self.hooks.failures(follow_id, follow.title, [])
        self.store.save(self.data)

    async def update(self, follow_id: str, **changes: Any) -> dict[str, Any]:
        """Pause/resume, preferences, extra aliases."""
        follow = self.get(follow_id)
        for key, value in changes.items():
            if value is None:
                continue
            if key == "aliases":
                follow.aliases = list(dict.fromkeys([*follow.aliases, *value]))
            else:
                setattr(follow, key, value)
        self.store.save(self.data)
        return self.describe(follow)

    async def check(self, follow_id: str | None = None) -> dict[str, Any]:
        """Re-sync and search now (one follow or all), within the indexers' budgets."""
        now = dt_util.utcnow()
        follows = [self.get(follow_id)] if follow_id else list(self.data.follows.values())
        for follow in follows:
            await self._sync(follow, now)
        await self.cycle(now, force={f.id for f in follows})
        return {"follows": [self.describe(f) for f in follows]}

    async def manual_search(
        self,
        follow_id: str,
        *,
        season: int | None = None,
        episode: int | None = None,
        absolute: int | None = None,
        grab: str | None = None,
        language: str = "en",
    ) -> dict[str, Any]:
        """Search one episode now: every release with its score and its reason (in
        ``language``, English or French); grab one if asked."""
        follow = self.get(follow_id)
        target = next(
            (
                e
                for e in self.episodes_of(follow_id)
                if (absolute is not None and e.absolute == absolute)
                or (absolute is None and (e.season, e.episode) == (season, episode))
            ),
            None,
        )
        if target is None:
            raise ActionError("unknown_episode", series=follow.title)
        now = dt_util.utcnow()
        asked = await self.watcher.search(
            self._wanted(follow, target), follow.title, follow.ids, follow.anime, now, manual=True
        )
        decision = await self.releases.choose(
            self.watcher.candidates(target.id),
            self._wanted_for_selection(follow, target),
            self._preferences(follow),
        )
        grabbed = None
        if grab is not None:
            chosen = next((r for r in decision.survivors if r.candidate.name == grab), None)
            if chosen is None:
                raise ActionError("not_grabbable", release=grab)
            if await self._grab(follow, target, chosen, now):
                grabbed = grab
                self.store.save(self.data)
        return {
            "episode": episode_label(follow, target),
            "grabbed": grabbed,
            "indexers": [encode(a) for a in asked],
            "releases": [
                {
                    "name": r.candidate.name,
                    "indexer": r.candidate.indexer,
                    "seeders": r.candidate.seeders,
                    "size": r.candidate.size,
                    "score": r.score.total,
                    "breakdown": r.score.breakdown,
                    "rank": r.rank,
                    "rejected": r.rejected.code if r.rejected else None,
                    "reason": r.reason(language),
                }
                for r in decision.ranked
            ],
        }

    # --- views ----------------------------------------------------------------------

    def episodes_of(self, follow_id: str) -> list[EpisodeRelease]:
        """A follow's episodes in air order."""
        return [e for e in self.episodes_in_air_order() if e.follow_id == follow_id]

    def episodes_in_air_order(self) -> list[EpisodeRelease]:
        """Every episode, the earliest first."""
        return sorted(
            self.data.episodes.values(),
            key=lambda e: (e.air_time or datetime.max.replace(tzinfo=dt_util.UTC), e.absolute or 0),
        )

    def next_episode(
        self, follow_id: str | None = None, now: datetime | None = None
    ) -> EpisodeRelease | None:
        """The next episode to air (of one follow, or of all)."""
        now = now or dt_util.utcnow()
        upcoming = [
            e
            for e in self.data.episodes.values()
            if e.air_time and e.air_time >= now and (follow_id is None or e.follow_id == follow_id)
        ]
        return min(upcoming, key=lambda e: e.air_time or now, default=None)

    def describe(self, follow: SeriesFollow) -> dict[str, Any]:
        """A follow and its next episode, JSON-ready."""
        upcoming = self.next_episode(follow.id)
        return {**encode(follow), "next_episode": encode(upcoming) if upcoming else None}

    # --- the cycle ------------------------------------------------------------------

    async def _sync(self, follow: SeriesFollow, now: datetime) -> None:
        try:
            episodes, status = await calendar_sync.fetch(self.conns, follow)
        except ClientError as err:
            raise ServiceDown(err.service, err.detail) from err
        calendar_sync.apply(self.data, follow, episodes, status, now)

    def _preferences(self, follow: SeriesFollow) -> Preferences:
        return self.releases.preferences(follow.quality, follow.language, follow.dub)

    def _wanted_for_selection(self, follow: SeriesFollow, episode: EpisodeRelease) -> Wanted:
        return Wanted(
            titles=(follow.title, *follow.aliases),
            season=episode.season,
            episode=episode.episode,
            absolute=episode.absolute,
            air_time=episode.air_time,
            runtime=ANIME_RUNTIME if follow.anime else SERIES_RUNTIME,
            season_aired=self._season_aired(episode),
            year=follow.year,
            country=follow.country,
            owns_bare_title=follow.owns_bare_title,
        )

    def _season_aired(self, episode: EpisodeRelease) -> bool:
        """Whether every known episode of this episode's season has aired."""
        now = dt_util.utcnow()
        return all(
            e.air_time is not None and e.air_time <= now
            for e in self.data.episodes.values()
            if e.follow_id == episode.follow_id and e.season == episode.season
        )

    def _wanted(self, follow: SeriesFollow, episode: EpisodeRelease) -> WantedEpisode:
        return WantedEpisode(
            episode.id,
            (follow.title, *follow.aliases),
            episode.season,
            episode.episode,
            episode.absolute,
        )

    async def cycle(self, now: datetime, force: set[str] | None = None) -> bool:
        """Poll feeds, search what is due, pick releases, fail what expired; True if changed.
        One cycle at a time (the schedule and an action may ask at once)."""
        async with self._cycling:
            return await self._cycle(now, force)

    async def _cycle(self, now: datetime, force: set[str] | None) -> bool:
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
        if self.feed_first and aired and (force or feed_due(air_times, now, self.last_feed_poll)):
            await self.watcher.poll_feeds([self._wanted(f, e) for f, e in aired], now)
            self.last_feed_poll = now
        for follow, episode in aired:
            if self.feed_first:
                trusted = self.releases.feed_trusted(episode.air_time or now)
                due = safety_search_due(episode.air_time, now, episode.searched_at, trusted)
            else:
                due = search_due(episode.air_time, now, episode.searched_at)
            reopened = episode.status == EpisodeStatus.SEARCHING and episode.searched_at is None
            if due or reopened or (force and follow.id in force):
                asked = await self.watcher.search(
                    self._wanted(follow, episode), follow.title, follow.ids, follow.anime, now
                )
                waiting = [a.until for a in asked if a.until]
                episode.waiting_until = None
                if any(a.outcome == "asked" for a in asked):
                    episode.search_attempts += 1
                    episode.searched_at = now
                    episode.status = EpisodeStatus.SEARCHING
                elif waiting:  # every indexer out of budget (or asked to wait): say until when
                    episode.waiting_until = min(waiting)
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

    def report_failures(self) -> None:
        """Each series' repair issue says which of its episodes found no release (and goes
        when they are grabbed after all)."""
        failed: dict[str, list[str]] = {f: [] for f in self.data.follows}
        for episode in self.episodes_in_air_order():
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
                    await self._sync(follow, now)
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
            self._wanted_for_selection(follow, episode),
            self._preferences(follow),
            record_id=f"episode:{episode.id}",
            subject=episode_label(follow, episode),
            now=now,
        )
        episode.decision_id = record.id
        await self.releases.take_first(
            decision, record, lambda chosen: self._grab(follow, episode, chosen, now)
        )
        return True

    async def _grab(
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
