"""How follows read from outside: episode labels, episodes in air order, the next one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from homeassistant.util import dt as dt_util

from ..acquire.search import Asked
from ..models import EpisodeRelease, SeriesFollow, StoreData, encode

ANIME_RUNTIME = 24
SERIES_RUNTIME = 45


def episode_label(follow: SeriesFollow, episode: EpisodeRelease) -> str:
    """``Slow Horses S05E02`` or ``One Piece 1151``."""
    if episode.season is not None and episode.episode is not None:
        return f"{follow.title} S{episode.season:02d}E{episode.episode:02d}"
    return f"{follow.title} {episode.absolute}"


def runtime(follow: SeriesFollow) -> int:
    """An episode's usual length in minutes (the calendar's event, the release's size)."""
    return ANIME_RUNTIME if follow.anime else SERIES_RUNTIME


def _air_order(episode: EpisodeRelease) -> tuple[datetime, int]:
    return (episode.air_time or datetime.max.replace(tzinfo=dt_util.UTC), episode.absolute or 0)


def episodes_in_air_order(data: StoreData) -> list[EpisodeRelease]:
    """Every episode, the earliest first."""
    return sorted(data.episodes.values(), key=_air_order)


def episodes_of(data: StoreData, follow_id: str) -> list[EpisodeRelease]:
    """A follow's episodes in air order."""
    return sorted((e for e in data.episodes.values() if e.follow_id == follow_id), key=_air_order)


def next_episode(
    data: StoreData, follow_id: str | None = None, now: datetime | None = None
) -> EpisodeRelease | None:
    """The next episode to air (of one follow, or of all)."""
    now = now or dt_util.utcnow()
    upcoming = [
        e
        for e in data.episodes.values()
        if e.air_time and e.air_time >= now and (follow_id is None or e.follow_id == follow_id)
    ]
    return min(upcoming, key=lambda e: e.air_time or now, default=None)


def describe(data: StoreData, follow: SeriesFollow) -> dict[str, Any]:
    """A follow and its next episode, JSON-ready."""
    return describe_all(data, [follow])[0]


def describe_all(
    data: StoreData, follows: Iterable[SeriesFollow] | None = None
) -> list[dict[str, Any]]:
    """Follows (all by default) with their next episodes, the episodes read once."""
    now = dt_util.utcnow()
    coming: dict[str, EpisodeRelease] = {}
    for episode in data.episodes.values():
        if episode.air_time and episode.air_time >= now:
            best = coming.get(episode.follow_id)
            if best is None or episode.air_time < (best.air_time or now):
                coming[episode.follow_id] = episode
    return [
        {**encode(f), "next_episode": encode(coming[f.id]) if f.id in coming else None}
        for f in (data.follows.values() if follows is None else follows)
    ]


def _local(moment: datetime) -> str:
    return dt_util.as_local(moment).strftime("%Y-%m-%d %H:%M")


def why_empty(
    episode: EpisodeRelease, asked: list[Asked], now: datetime, language: str
) -> str | None:
    """Why a search by hand found nothing, when something says why (French for ``fr…``)."""
    french = language.startswith("fr")
    if episode.air_time is None or episode.air_time > now:
        if episode.air_time is None:
            return "pas encore de date de diffusion" if french else "no air date yet"
        when = _local(episode.air_time)
        return (
            f"diffusé le {when} : pas encore de release"
            if french
            else (f"airs on {when}: no release can exist yet")
        )
    waiting = [a.until for a in asked if a.outcome == "waiting" and a.until]
    if asked and not any(a.outcome == "asked" for a in asked) and waiting:
        when = _local(min(waiting))
        return (
            f"budget des indexeurs épuisé jusqu'au {when}"
            if french
            else f"the indexers' budget is spent until {when}"
        )
    return None


def coming_week(data: StoreData, now: datetime) -> list[EpisodeRelease]:
    """Episodes of followed series that air in the seven days from ``now``, in air order."""
    end = now + timedelta(days=7)
    return sorted(
        (
            e
            for e in data.episodes.values()
            if e.air_time and now <= e.air_time <= end and e.follow_id in data.follows
        ),
        key=lambda e: e.air_time or now,
    )
