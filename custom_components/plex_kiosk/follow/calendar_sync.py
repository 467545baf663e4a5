"""Episodes from TVMaze, AniList and TMDB merged into EpisodeRelease rows, statuses kept."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..clients.bundle import Connections
from ..clients.errors import ClientError
from ..clients.metadata import EpisodeInfo
from ..models import EpisodeRelease, EpisodeStatus, FollowStatus, SeriesFollow, StoreData

SAME_AIRING = timedelta(hours=36)  # AniList and TVMaze times of one episode differ by less
ENDED = frozenset({"Ended", "FINISHED", "Canceled", "CANCELLED"})


@dataclass
class MergedEpisode:
    """One episode as the sources agree on it."""

    season: int | None
    episode: int | None
    absolute: int | None
    air_time: datetime | None
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable id within a follow."""
        if self.season is not None and self.episode is not None:
            return f"s{self.season}e{self.episode}"
        return f"a{self.absolute}"


def merge(
    tvmaze: list[EpisodeInfo], anilist: list[EpisodeInfo], tmdb: list[EpisodeInfo]
) -> list[MergedEpisode]:
    """TVMaze numbering and exact times, AniList absolute numbers, TMDB French titles."""
    merged = [
        MergedEpisode(e.season, e.number, None, e.air_time, {"en": e.title} if e.title else {})
        for e in tvmaze
        if e.number is not None
    ]
    unmatched = []
    for node in anilist:
        target = next(
            (
                m
                for m in merged
                if m.absolute is None
                and m.air_time
                and node.air_time
                and abs(m.air_time - node.air_time) < SAME_AIRING
            ),
            None,
        )
        if target:
            target.absolute = node.absolute
        else:
            unmatched.append(MergedEpisode(None, None, node.absolute, node.air_time))
    if not merged:
        merged = unmatched
    french = {(e.season, e.number): e.title for e in tmdb if e.title}
    for item in merged:
        if title := french.get((item.season, item.episode)):
            item.titles["fr"] = title
    return merged


async def fetch(conns: Connections, follow: SeriesFollow) -> tuple[list[MergedEpisode], str | None]:
    """Every episode of a follow, and the show's status; a missing source only loses detail."""

    async def tvmaze() -> tuple[list[EpisodeInfo], str | None]:
        if "tvmaze" not in follow.ids:
            return [], None
        show_id = int(follow.ids["tvmaze"])
        info, episodes = await asyncio.gather(
            conns.tvmaze.show(show_id), conns.tvmaze.episodes(show_id)
        )
        return episodes, info.status

    async def anilist() -> tuple[list[EpisodeInfo], str | None]:
        if "anilist" not in follow.ids:
            return [], None
        info, episodes = await conns.anilist.show(int(follow.ids["anilist"]))
        return episodes, info.status

    async def tmdb(seasons: set[int]) -> list[EpisodeInfo]:
        if conns.tmdb is None or "tmdb" not in follow.ids:
            return []
        found: list[EpisodeInfo] = []
        for season in sorted(seasons):
            try:
                found += await conns.tmdb.season(int(follow.ids["tmdb"]), season)
            except ClientError:
                continue
        return found

    (tv_eps, tv_status), (ani_eps, ani_status) = await asyncio.gather(tvmaze(), anilist())
    tmdb_eps = await tmdb({e.season for e in tv_eps if e.season is not None})
    return merge(tv_eps, ani_eps, tmdb_eps), tv_status or ani_status


def _wanted(follow: SeriesFollow, item: MergedEpisode, now: datetime) -> bool:
    """What the follow monitors: future episodes, all missing, or from a season on."""
    if follow.monitor == "all":
        return True
    if follow.monitor == "from_season":
        return item.season is None or item.season >= (follow.from_season or 1)
    return item.air_time is None or item.air_time >= follow.created_at - timedelta(hours=48)


def apply(
    data: StoreData,
    follow: SeriesFollow,
    episodes: list[MergedEpisode],
    status: str | None,
    now: datetime,
) -> int:
    """Insert new episodes, update titles and times, keep statuses; returns how many are new."""
    added = 0
    for item in episodes:
        key = f"{follow.id}:{item.key}"
        title = item.titles.get("fr") or item.titles.get("en")
        if existing := data.episodes.get(key):
            existing.air_time, existing.title = (
                item.air_time or existing.air_time,
                title or existing.title,
            )
            existing.absolute = existing.absolute or item.absolute
            continue
        if not _wanted(follow, item, now):
            continue
        data.episodes[key] = EpisodeRelease(
            key, follow.id, item.season, item.episode, item.absolute, title, item.air_time
        )
        added += 1
    follow.synced_at = now
    if status in ENDED and not any(
        e.follow_id == follow.id and e.status in (EpisodeStatus.PENDING, EpisodeStatus.SEARCHING)
        for e in data.episodes.values()
    ):
        follow.status = FollowStatus.COMPLETED
    return added
