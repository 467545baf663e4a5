"""Typed results shared by the TVMaze, TMDB and AniList clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .errors import BadResponse


@dataclass(frozen=True, slots=True)
class ShowInfo:
    """A show (or movie) as one metadata source describes it."""

    source: str
    id: int
    title: str
    year: int | None = None
    status: str | None = None
    ids: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    country: str | None = None  # of its network: US, UK (not GB, as release names say)
    poster: str | None = None  # TMDB's image path (``/abc.jpg``)


@dataclass(frozen=True, slots=True)
class EpisodeInfo:
    """One episode; ``air_time`` is UTC (midnight UTC when only a date is known)."""

    season: int | None
    number: int | None
    absolute: int | None
    title: str | None
    air_time: datetime | None


def year_of(value: str | None) -> int | None:
    """The year of an ISO date string, if any."""
    return int(value[:4]) if value and value[:4].isdigit() else None


def parse_instant(service: str, value: str | None) -> datetime | None:
    """An ISO timestamp with offset (or a bare date) as an aware UTC datetime."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise BadResponse(service, f"bad date {value!r}") from err
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
