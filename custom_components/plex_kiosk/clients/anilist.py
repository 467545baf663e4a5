"""AniList GraphQL client (no key): anime search and airing schedules with absolute numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiohttp

from .errors import BadResponse
from .http import fetch_json
from .metadata import EpisodeInfo, ShowInfo

SERVICE = "anilist"
DEFAULT_URL = "https://graphql.anilist.co"

_FIELDS = """id idMal status seasonYear episodes
title { romaji english native } synonyms"""
SEARCH_QUERY = (
    "query ($search: String) { Page(perPage: 10) { media(search: $search, type: ANIME) { "
    + _FIELDS
    + " } } }"
)
MEDIA_QUERY = (
    "query ($id: Int, $page: Int) { Media(id: $id, type: ANIME) { "
    + _FIELDS
    + " airingSchedule(page: $page, perPage: 50) { pageInfo { hasNextPage } "
    "nodes { airingAt episode } } } }"
)
MAX_PAGES = 40  # of 50 episodes: One Piece has about 1,150


def _show(media: Any) -> ShowInfo:
    if not isinstance(media, dict) or not isinstance(media.get("id"), int):
        raise BadResponse(SERVICE, "media without an id")
    titles = media.get("title") or {}
    names = [titles.get(k) for k in ("english", "romaji", "native")]
    names += list(media.get("synonyms") or [])
    unique = [n for n in dict.fromkeys(names) if n]
    ids = {"anilist": str(media["id"])}
    if media.get("idMal"):
        ids["mal"] = str(media["idMal"])
    return ShowInfo(
        source=SERVICE,
        id=media["id"],
        title=unique[0] if unique else "",
        year=media.get("seasonYear"),
        status=media.get("status"),
        ids=ids,
        aliases=tuple(unique[1:]),
    )


class AniListClient:
    """AniList's public GraphQL endpoint."""

    def __init__(self, session: aiohttp.ClientSession, url: str = DEFAULT_URL) -> None:
        """Keep the shared session and the endpoint."""
        self._session = session
        self._url = url

    async def _query(self, query: str, **variables: Any) -> dict[str, Any]:
        data = await fetch_json(
            self._session,
            SERVICE,
            "POST",
            self._url,
            payload={"query": query, "variables": variables},
        )
        if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
            errors = data.get("errors") if isinstance(data, dict) else None
            raise BadResponse(SERVICE, f"GraphQL errors: {errors}")
        result: dict[str, Any] = data["data"]
        return result

    async def search(self, query: str) -> list[ShowInfo]:
        """Anime matching a title."""
        data = await self._query(SEARCH_QUERY, search=query)
        return [_show(m) for m in (data.get("Page") or {}).get("media", [])]

    async def show(self, anilist_id: int) -> tuple[ShowInfo, list[EpisodeInfo]]:
        """An anime and its whole airing schedule (absolute numbers, exact times)."""
        episodes: list[EpisodeInfo] = []
        page = 1
        while True:
            media = (await self._query(MEDIA_QUERY, id=anilist_id, page=page)).get("Media")
            info = _show(media)
            schedule = media.get("airingSchedule") or {}  # type: ignore[union-attr]
            for node in schedule.get("nodes", []):
                episodes.append(
                    EpisodeInfo(
                        season=None,
                        number=None,
                        absolute=node.get("episode"),
                        title=None,
                        air_time=datetime.fromtimestamp(node["airingAt"], UTC),
                    )
                )
            if not (schedule.get("pageInfo") or {}).get("hasNextPage") or page >= MAX_PAGES:
                return info, episodes
            page += 1

    async def ping(self) -> None:
        """Cheapest query that proves the endpoint answers."""
        await self._query("query { Viewer: Page(perPage: 1) { pageInfo { total } } }")
