"""Feed first against the PRD's search-only schedule: 200 followed series, 4 simulated weeks.

A generated sandbox world (one Torznab indexer served over HTTP by the sandbox, in this
process) where episodes air at realistic hours, releases appear with realistic delays, some
never, some only as CAMs, some as fakes. The same watching cycle runs twice: feed first as
built, then with the PRD's search-only schedule (air + 2 h, then every 2 h for 48 h).
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, cast

import aiohttp

from custom_components.plex_kiosk.acquire.search import ReleaseSearch
from custom_components.plex_kiosk.clients.bundle import Connections
from custom_components.plex_kiosk.clients.torznab import TorznabClient
from custom_components.plex_kiosk.engine.schedule import window
from custom_components.plex_kiosk.follow.cycle import WatchCycle
from custom_components.plex_kiosk.models import EpisodeRelease, SeriesFollow, StoreData
from tests.sandbox.server import Sandbox, start
from tests.sandbox.world import World

EPOCH = datetime(2026, 1, 5, tzinfo=UTC)
SERIES = 200
WEEKS = 4
STEP = timedelta(minutes=15)
AIR_HOURS = (1, 2, 3, 4, 8, 15, 16, 20, 21)  # US prime time, streaming drops, anime, Europe
ADJECTIVES = "Silent Broken Golden Hidden Crimson Northern Lost Hollow Iron Velvet Wild Distant Frozen Burning Quiet Savage Bright Secret Final Endless".split()
NOUNS = "Harbor Empire Garden Signal Frontier Orchard Kingdom Tides Archive Circuit Valley Station Meridian Covenant Lantern Citadel Horizon Ledger Compass Delta".split()


@dataclass
class Truth:
    """When the first release that should be grabbed appeared (None: never)."""

    key: str
    air: datetime
    first_good: datetime | None


class Hooks:
    """Counts events instead of firing them."""

    def __init__(self) -> None:
        """Nothing yet."""
        self.events: list[str] = []

    def fire(self, event: str, data: dict[str, Any]) -> None:
        """Record the event."""
        self.events.append(event)

    def failures(self, follow_id: str, series: str, episodes: list[str]) -> None:
        """Nothing to repair in a simulation."""


class SearchOnly(WatchCycle):
    """The PRD's schedule: no feed, a targeted search at air + 2 h, then every 2 h."""

    def feeds_due(self, air_times: list[datetime], now: datetime) -> bool:
        """Never."""
        return False

    def search_due(self, episode: EpisodeRelease, now: datetime) -> bool:
        """From air + 2 h, every 2 h, within the 48 h window."""
        air, last = episode.air_time, episode.searched_at
        if air is None or window(air, now) != "open" or now < air + timedelta(hours=2):
            return False
        return last is None or now - last >= timedelta(hours=2)


class NoStore:
    """The simulation keeps everything in memory."""

    def save(self, data: StoreData) -> None:
        """Nothing to write."""


def _add_release(
    releases: list[dict[str, Any]],
    show: str,
    anime: bool,
    numbering: dict[str, int],
    name: str,
    published: datetime,
    seeders: int,
) -> None:
    """One release of the generated world."""
    releases.append(
        {
            "name": name,
            "indexers": ["sim"],
            "category": 5070 if anime else 5040,
            "size": 1_500_000_000,
            "seeders": seeders,
            "show": show,
            **numbering,
            "published": published.isoformat(),
        }
    )


def generate(seed: int = 7) -> tuple[dict[str, Any], list[Truth], StoreData]:
    """The world, the truth about each episode, and the follows as they would be stored."""
    rng = random.Random(seed)
    titles = [f"{a} {n}" for a in ADJECTIVES for n in NOUNS]
    rng.shuffle(titles)
    world: dict[str, Any] = {
        "indexers": [{"slug": "sim", "name": "Sim", "api_key": "k"}],
        "shows": [],
        "releases": [],
    }
    truths: list[Truth] = []
    data = StoreData()
    for index in range(SERIES):
        title, anime = titles[index], index % 5 == 0
        key, tvdb = f"show{index}", 900000 + index
        weekday, hour = rng.randrange(7), rng.choice(AIR_HOURS)
        show: dict[str, Any] = {
            "key": key,
            "ids": {"tvdb": tvdb},
            "titles": {"en": title},
            "episodes": [],
        }
        follow = SeriesFollow(
            id=key,
            title=title,
            ids={"tvdb": str(tvdb)},
            anime=anime,
            created_at=EPOCH - timedelta(days=1),
            synced_at=EPOCH + timedelta(days=365),
        )
        data.follows[key] = follow
        for week in range(WEEKS):
            number, absolute = week + 1, 100 + week + 1
            air = EPOCH + timedelta(days=7 * week + weekday, hours=hour)
            show["episodes"].append(
                {"season": 1, "episode": number, "absolute": absolute, "air": air.isoformat()}
            )
            episode_key = f"{key}:s1e{number}"
            data.episodes[episode_key] = EpisodeRelease(
                episode_key,
                key,
                None if anime else 1,
                None if anime else number,
                absolute if anime else None,
                None,
                air,
            )
            stem = (
                f"{title} - {absolute}" if anime else f"{title.replace(' ', '.')}.S01E{number:02d}"
            )
            numbering = {"season": 1, "episode": number, "absolute": absolute}

            release = partial(_add_release, world["releases"], key, anime, numbering)
            fate = rng.random()
            if rng.random() < 0.1:  # a pre-air fake
                release(f"{stem}.MULTi.1080p.WEB.H264-FAKE", air - timedelta(days=2), 80)
            if fate < 0.05:
                truths.append(Truth(episode_key, air, None))
                continue
            first = air + timedelta(minutes=rng.lognormvariate(math.log(45), 0.9))
            if fate < 0.10:  # only a CAM, and much later the real one
                release(f"{stem}.MULTi.HDCAM.x264-CAM", first, 200)
                first += timedelta(hours=rng.uniform(6, 40))
            if rng.random() < 0.1:  # an executable dressed as the episode, just before
                release(f"{stem}.MULTi.1080p.WEB.x264.mkv.exe", first - timedelta(minutes=5), 500)
            release(f"{stem}.MULTi.1080p.WEB.H264-GRP", first, rng.randint(25, 300))
            truths.append(Truth(episode_key, air, first))
        world["shows"].append(show)
    return world, truths, data


async def run(feed_first: bool) -> dict[str, float]:
    """Simulate four weeks; return the figures."""
    world_raw, truths, data = generate()
    world = World(world_raw, EPOCH)
    world.releases = [world._release(r) for r in world_raw["releases"]]
    sandbox = Sandbox(world)
    urls, runners = await start(sandbox)
    try:
        async with aiohttp.ClientSession() as session:
            client = TorznabClient(session, "Sim", f"{urls['torznab']}/sim/api", "k")
            conns = cast(Connections, type("C", (), {"indexers": [client]})())
            caps = {"searching": {"tvsearch": ["q", "season", "ep", "tvdbid"]}, "categories": {}}
            options = {"indexers": [{"name": "Sim", "caps": caps}]}
            releases = ReleaseSearch.create(conns.indexers, data, options, EPOCH)
            cycle = (WatchCycle if feed_first else SearchOnly)(
                Hooks(), conns, NoStore(), data, releases=releases
            )
            grabbed: dict[str, datetime] = {}
            now, end = EPOCH, EPOCH + timedelta(weeks=WEEKS, days=2)
            while now <= end:
                sandbox.offset = now - datetime.now(UTC)
                await cycle.run(now)
                for key, episode in data.episodes.items():
                    if episode.status == "downloading" and key not in grabbed:
                        grabbed[key] = now
                now += STEP
    finally:
        for runner in runners:
            await runner.cleanup()
    eligible = [t for t in truths if t.first_good and t.first_good <= end - timedelta(hours=24)]
    delays = [
        (grabbed[t.key] - t.first_good).total_seconds() / 60
        for t in eligible
        if t.key in grabbed and t.first_good
    ]
    within = sum(1 for d in delays if d <= 24 * 60)
    wrong = sum(1 for t in truths if t.key in grabbed and t.first_good is None)
    return {
        "episodes": len(truths),
        "eligible": len(eligible),
        "within_24h": 100 * within / len(eligible),
        "median_minutes": statistics.median(delays),
        "p95_minutes": statistics.quantiles(delays, n=20)[-1],
        "requests_per_episode": releases.requests / len(truths),
        "wrong_grabs": wrong,
    }


def main() -> None:
    """Both strategies, side by side."""
    logging.getLogger("custom_components.plex_kiosk").setLevel(logging.ERROR)
    feed = asyncio.run(run(feed_first=True))
    search = asyncio.run(run(feed_first=False))
    print(
        f"follow simulation — {SERIES} series, {WEEKS} weeks, {feed['episodes']:.0f} episodes ({feed['eligible']:.0f} with a qualifying release)"
    )
    print(f"  {'':<24}{'feed first':>12}{'search only (PRD)':>20}   goal")
    print(
        f"  {'grabbed within 24 h':<24}{feed['within_24h']:>11.1f}%{search['within_24h']:>19.1f}%   ≥ 99%"
    )
    print(
        f"  {'median delay':<24}{feed['median_minutes']:>9.0f} min{search['median_minutes']:>16.0f} min   ≤ 15 min (one poll)"
    )
    print(
        f"  {'95th percentile delay':<24}{feed['p95_minutes']:>9.0f} min{search['p95_minutes']:>16.0f} min"
    )
    print(
        f"  {'requests per episode':<24}{feed['requests_per_episode']:>12.2f}{search['requests_per_episode']:>20.2f}   ≤ 1.5"
    )
    print(
        f"  {'grabs with no good release':<24}{feed['wrong_grabs']:>12.0f}{search['wrong_grabs']:>20.0f}   0"
    )


if __name__ == "__main__":
    main()
