"""TVMaze client (no key): show search and lookup, episodes with exact air stamps."""

from __future__ import annotations

from typing import Any

import aiohttp

from .errors import BadResponse
from .http import fetch_json
from .metadata import EpisodeInfo, ShowInfo, parse_instant, year_of

SERVICE = "tvmaze"
DEFAULT_URL = "https://api.tvmaze.com"


def _show(data: Any) -> ShowInfo:
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise BadResponse(SERVICE, "show without an id")
    externals = data.get("externals") or {}
    ids = {"tvmaze": str(data["id"])}
    for key, name in (("thetvdb", "tvdb"), ("imdb", "imdb")):
        if externals.get(key):
            ids[name] = str(externals[key])
    channel = data.get("network") or data.get("webChannel") or {}
    code = (channel.get("country") or {}).get("code") if isinstance(channel, dict) else None
    return ShowInfo(
        source=SERVICE,
        id=data["id"],
        title=str(data.get("name", "")),
        year=year_of(data.get("premiered")),
        status=data.get("status"),
        ids=ids,
        country={"GB": "UK"}.get(code, code) if isinstance(code, str) else None,
    )


class TVMazeClient:
    """TVMaze's public API."""

    def __init__(self, session: aiohttp.ClientSession, url: str = DEFAULT_URL) -> None:
        """Keep the shared session and the base URL."""
        self._session = session
        self._url = url.rstrip("/")

    async def _get(self, path: str, **params: str | int) -> Any:
        return await fetch_json(self._session, SERVICE, "GET", self._url + path, params=params)

    async def search(self, query: str) -> list[ShowInfo]:
        """Shows matching a title, best first."""
        data = await self._get("/search/shows", q=query)
        if not isinstance(data, list):
            raise BadResponse(SERVICE, "search answer is not a list")
        return [_show(hit.get("show")) for hit in data if isinstance(hit, dict)]

    async def show(self, show_id: int) -> ShowInfo:
        """One show by TVMaze id."""
        return _show(await self._get(f"/shows/{show_id}"))

    async def lookup_tvdb(self, tvdb_id: int) -> ShowInfo:
        """One show by TheTVDB id."""
        return _show(await self._get("/lookup/shows", thetvdb=tvdb_id))

    async def episodes(self, show_id: int) -> list[EpisodeInfo]:
        """Every episode with its exact air time."""
        data = await self._get(f"/shows/{show_id}/episodes")
        if not isinstance(data, list):
            raise BadResponse(SERVICE, "episode answer is not a list")
        return [
            EpisodeInfo(
                season=ep.get("season"),
                number=ep.get("number"),
                absolute=None,
                title=ep.get("name"),
                air_time=parse_instant(SERVICE, ep.get("airstamp")),
            )
            for ep in data
            if isinstance(ep, dict)
        ]

    async def ping(self) -> None:
        """A search that always answers a list (possibly empty) proves the API works."""
        await self.search("kiosk")
