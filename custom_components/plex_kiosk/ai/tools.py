"""What a model may look at, as tools: the library, the coming week, downloads, follows,
requests and the latest report, read from the real state. The chat offers them to its
model, and the "Plex Kiosk" LLM API to any Home Assistant agent. None of them changes
anything; a family member sees only their own requests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.util import dt as dt_util

from ..engine.selection import normalize_title
from ..follow.views import coming_week, episode_label, next_episode
from ..models import StoreData

MAX_ROWS = 30


@dataclass(frozen=True, slots=True)
class User:
    """Who talks: their id, name, whether they are an administrator, their language."""

    id: str
    name: str
    admin: bool
    language: str = "fr"

    @property
    def french(self) -> bool:
        """Whether to answer in French."""
        return self.language.startswith("fr")


type Reader = Callable[[StoreData, User, dict[str, str], datetime], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Tool:
    """A read-only tool: its arguments are strings, ``required`` ones and the others."""

    name: str
    description: str
    read: Reader
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def spec(self) -> dict[str, Any]:
        """The tool as Ollama's ``tools`` field takes it."""
        return function_spec(self.name, self.description, self.required, self.optional)


def function_spec(
    name: str,
    description: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    enums: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """A function tool with string arguments, in the OpenAI form Ollama reads."""
    properties = {
        arg: {"type": "string", **({"enum": enums[arg]} if enums and arg in enums else {})}
        for arg in (*required, *optional)
    }
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": list(required)},
        },
    }


def _when(moment: datetime | None) -> str | None:
    return dt_util.as_local(moment).isoformat(timespec="minutes") if moment else None


def _matching(title: str) -> Callable[[str], bool]:
    wanted = normalize_title(title)
    return lambda other: wanted in normalize_title(other)


def library(data: StoreData, user: User, args: dict[str, str], now: datetime) -> dict[str, Any]:
    """Library items and follows whose title holds ``title``."""
    holds = _matching(args.get("title", ""))
    items = [
        {
            "title": p.title,
            "year": p.year,
            "season": p.season,
            "episode": p.episode,
            "resolution": p.resolution,
            "audio": p.audio_class,
            "codec": p.video_codec,
        }
        for p in data.profiles.values()
        if holds(p.title)
    ][:MAX_ROWS]
    followed = [f.title for f in data.follows.values() if holds(f.title)]
    return {"in_plex": items, "followed": followed}


def upcoming(data: StoreData, user: User, args: dict[str, str], now: datetime) -> dict[str, Any]:
    """Episodes of the followed series airing in the next seven days (of one series)."""
    holds = _matching(args.get("series", ""))
    return {
        "episodes": [
            {"episode": episode_label(data.follows[e.follow_id], e), "airs": _when(e.air_time)}
            for e in coming_week(data, now)
            if holds(data.follows[e.follow_id].title)
        ][:MAX_ROWS]
    }


def downloads(data: StoreData, user: User, args: dict[str, str], now: datetime) -> dict[str, Any]:
    """Downloads still running, with their progress."""
    return {
        "downloads": [
            {"name": d.name, "state": d.state, "progress": round(d.progress, 3)}
            for d in data.downloads.values()
            if d.state not in ("imported", "failed")
        ][:MAX_ROWS]
    }


def follows(data: StoreData, user: User, args: dict[str, str], now: datetime) -> dict[str, Any]:
    """Followed series and their next episode."""
    rows = []
    for follow in list(data.follows.values())[:MAX_ROWS]:
        episode = next_episode(data, follow.id)
        rows.append(
            {
                "title": follow.title,
                "paused": follow.paused,
                "next": episode_label(follow, episode) if episode else None,
                "airs": _when(episode.air_time) if episode else None,
            }
        )
    return {"follows": rows, "total": len(data.follows)}


def requests(data: StoreData, user: User, args: dict[str, str], now: datetime) -> dict[str, Any]:
    """Movie and season requests: the user's own (an administrator's: everyone's)."""
    mine = [r for r in data.requests.values() if user.admin or r.requested_by == user.id]
    return {
        "requests": [
            {
                "title": r.title,
                "seasons": r.seasons,
                "status": r.status,
                "requested_by": r.requested_by_name,
            }
            for r in sorted(mine, key=lambda r: r.created_at, reverse=True)[:MAX_ROWS]
        ]
    }


def report(data: StoreData, user: User, args: dict[str, str], now: datetime) -> dict[str, Any]:
    """The latest library health report."""
    if not data.reports:
        return {"report": None}
    latest = data.reports[-1]
    return {
        "health_score": latest.health_score,
        "summary": latest.summary,
        "recommendations": [f"{r.title}: {r.description}" for r in latest.recommendations[:5]],
    }


TOOLS = {
    tool.name: tool
    for tool in (
        Tool(
            "library",
            "Looks a movie or series up in the Plex library (quality, audio) and the follows",
            library,
            required=("title",),
        ),
        Tool(
            "upcoming",
            "Episodes of the followed series airing in the next seven days",
            upcoming,
            optional=("series",),
        ),
        Tool("downloads", "What is downloading now, with progress", downloads),
        Tool("follows", "The followed series and their next episode", follows),
        Tool("requests", "Movie and season requests and where they stand", requests),
        Tool("report", "The latest library health report: score, summary, advice", report),
    )
}
