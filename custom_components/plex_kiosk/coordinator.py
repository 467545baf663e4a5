"""The health coordinator: is every outside service reachable, and with valid credentials?"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .acquire.pipeline import Acquirer
from .acquire.requests import RequestManager
from .ai.llm import summary
from .clients.bundle import Connections
from .clients.errors import AuthFailed, ClientError
from .const import (
    CONF_KEEP_DAYS,
    CONF_POLL_MINUTES,
    DOMAIN,
    HEALTH_INTERVAL,
    INDEXER_PREFIX,
    SERVICE_ANILIST,
    SERVICE_OLLAMA,
    SERVICE_PLEX,
    SERVICE_QBITTORRENT,
    SERVICE_TMDB,
    SERVICE_TVMAZE,
)
from .follow.manager import FollowManager
from .follow.views import next_episode
from .models import EpisodeStatus, FollowStatus
from .upgrade.manager import UpgradeManager

_LOGGER = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(days=1)  # the retention rule runs once a day
DOWNLOADS_INTERVAL = timedelta(seconds=30)
REQUIRED = (SERVICE_PLEX, SERVICE_QBITTORRENT)


@dataclass(frozen=True, slots=True)
class ServiceHealth:
    """One service's state: ``error`` is None when it answers."""

    name: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the service answered as expected."""
        return self.error is None


def health_checks(conns: Connections) -> dict[str, tuple[str, Callable[[], Awaitable[Any]]]]:
    """Service key → (display name, cheapest call that proves it works)."""
    checks: dict[str, tuple[str, Callable[[], Awaitable[Any]]]] = {
        SERVICE_PLEX: ("Plex", conns.plex.server_info),
        SERVICE_QBITTORRENT: ("qBittorrent", conns.qbittorrent.version),
        SERVICE_TVMAZE: ("TVMaze", conns.tvmaze.ping),
        SERVICE_ANILIST: ("AniList", conns.anilist.ping),
    }
    if conns.tmdb:
        checks[SERVICE_TMDB] = ("TMDB", conns.tmdb.validate)
    if conns.ollama:
        checks[SERVICE_OLLAMA] = ("Ollama", conns.ollama.capabilities)
    for indexer in conns.indexers:
        checks[INDEXER_PREFIX + indexer.name] = (indexer.name, indexer.caps)
    return checks


type HealthData = dict[str, ServiceHealth]


class HealthCoordinator(DataUpdateCoordinator[HealthData]):
    """Checks every service every few minutes; logs each outage once and each recovery once."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        conns: Connections,
        searches: Callable[[str], str | None] = lambda name: None,
    ) -> None:
        """One check per configured service; ``searches`` says what an indexer's last search
        failed with (an indexer whose caps answer but whose searches fail is a problem)."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} health",
            update_interval=HEALTH_INTERVAL,
            always_update=False,
        )
        self.checks = health_checks(conns)
        self.searches = searches

    async def _check(self, key: str) -> ServiceHealth:
        name, call = self.checks[key]
        try:
            await call()
        except AuthFailed as err:
            if key in REQUIRED:
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN,
                    translation_key="auth_failed",
                    translation_placeholders={"service": name},
                ) from err
            return ServiceHealth(name, err.detail)
        except ClientError as err:
            return ServiceHealth(name, err.detail)
        if key.startswith(INDEXER_PREFIX):
            return ServiceHealth(name, self.searches(name))
        return ServiceHealth(name)

    async def _async_update_data(self) -> HealthData:
        results = await asyncio.gather(*(self._check(key) for key in self.checks))
        data = dict(zip(self.checks, results, strict=True))
        previous = self.data or {}
        for key, health in data.items():
            was_ok = previous[key].ok if key in previous else True
            if was_ok and not health.ok:
                _LOGGER.warning("%s is unavailable: %s", health.name, health.error)
            elif not was_ok and health.ok:
                _LOGGER.info("%s is back", health.name)
        return data


@dataclass(frozen=True, slots=True)
class FollowStats:
    """What the follow entities show; equal stats mean no entity update."""

    followed: int
    waiting: int
    failed_last_week: int
    next_episode_id: str | None
    upgrades: int
    items: int
    version: int
    ai_calls: datetime | None = None  # when the model was last called
    report: str | None = None  # the latest library report


def schedule(
    hass: HomeAssistant,
    entry: ConfigEntry,
    coordinator: DataUpdateCoordinator[Any],
    interval: timedelta,
) -> None:
    """Run a coordinator's work every ``interval`` whether or not an entity listens (Home
    Assistant polls a coordinator only while one does); cancelled on unload. A run still
    going when the next is due is not doubled."""
    running = asyncio.Lock()

    async def tick(now: datetime) -> None:
        if running.locked():
            return
        async with running:
            await coordinator.async_refresh()

    entry.async_on_unload(
        async_track_time_interval(
            hass, tick, interval, name=str(coordinator.name), cancel_on_shutdown=True
        )
    )


def _outage(err: ClientError) -> UpdateFailed:
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="cannot_connect",
        translation_placeholders={"service": err.service, "detail": err.detail},
    )


class FollowCoordinator(DataUpdateCoordinator[FollowStats]):
    """Runs the watching cycle (scheduled by :func:`schedule`) and summarises the follows."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        manager: FollowManager,
        requests: RequestManager,
        upgrades: UpgradeManager,
    ) -> None:
        """Requests and the recycle folders' clean-up ride the same cycle."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} follows",
            update_interval=None,
            always_update=False,
        )
        self.interval = timedelta(minutes=int(entry.options.get(CONF_POLL_MINUTES, 15)))
        self.manager = manager
        self.requests = requests
        self.upgrades = upgrades
        self._version = 0
        self._pruned_at: datetime | None = None

    def stats(self) -> FollowStats:
        """The current summary (a new version after every change)."""
        now = dt_util.utcnow()
        data = self.manager.data
        week_ago = now - timedelta(days=7)
        upcoming = next_episode(data, now=now)
        return FollowStats(
            followed=sum(1 for f in data.follows.values() if f.status == FollowStatus.ACTIVE),
            waiting=sum(
                1
                for e in data.episodes.values()
                if e.status in (EpisodeStatus.PENDING, EpisodeStatus.SEARCHING)
                and e.air_time
                and e.air_time <= now
            ),
            failed_last_week=sum(
                1
                for e in data.episodes.values()
                if e.status == EpisodeStatus.FAILED and e.failed_at and e.failed_at >= week_ago
            ),
            next_episode_id=upcoming.id if upcoming else None,
            upgrades=len(self.upgrades.available()),
            items=len(data.profiles),
            version=self._version,
            ai_calls=data.ai_calls[-1].at if data.ai_calls else None,
            report=data.reports[-1].id if data.reports else None,
        )

    def ai_summary(self) -> dict[str, Any]:
        """Today's model calls: by outcome, fallbacks, latency, tokens."""
        return summary(self.manager.data.ai_calls, dt_util.utcnow())

    def changed(self) -> None:
        """Something changed outside the cycle (an action): push it to the entities."""
        self._version += 1
        self.async_set_updated_data(self.stats())

    async def _async_update_data(self) -> FollowStats:
        now = dt_util.utcnow()
        try:
            changed = await self.manager.cycle(now)
            changed = await self.requests.cycle(now) or changed
        except ClientError as err:
            raise _outage(err) from err
        if await self.upgrades.swaps.purge(now) or changed:
            self._version += 1
            self.manager.store.save(self.manager.data)
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            keep = timedelta(days=int(self.manager.options[CONF_KEEP_DAYS]))
            if forgotten := self.manager.data.prune(now, keep):
                _LOGGER.debug("Forgot %d records older than %s", forgotten, keep)
                self.manager.store.save(self.manager.data)
        return self.stats()


@dataclass(frozen=True, slots=True)
class DownloadStats:
    """What the download sensors show."""

    active: int
    speed: int
    version: int


class DownloadsCoordinator(DataUpdateCoordinator[DownloadStats]):
    """Follows qBittorrent every 30 s; imports what completes, fails what breaks."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        acquirer: Acquirer,
        follows: FollowCoordinator,
    ) -> None:
        """Changes are pushed to the follow entities (an episode completed or reopened)."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} downloads",
            update_interval=None,  # scheduled by :func:`schedule`
            always_update=False,
        )
        self.acquirer = acquirer
        self.follows = follows
        self._version = 0

    async def _async_update_data(self) -> DownloadStats:
        try:
            changed = await self.acquirer.poll(dt_util.utcnow())
        except ClientError as err:
            raise _outage(err) from err
        if changed:
            self._version += 1
            self.follows.manager.store.save(self.follows.manager.data)
            self.follows.changed()
        active = self.acquirer.active()
        return DownloadStats(len(active), self.acquirer.tracker.speed(active), self._version)
