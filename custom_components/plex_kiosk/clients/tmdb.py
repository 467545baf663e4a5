"""TMDB client (API key or read-access token): search, shows, seasons, movies, French titles,
collections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from .errors import BadResponse
from .http import fetch_bytes, fetch_json
from .metadata import EpisodeInfo, ShowInfo, parse_instant, year_of

SERVICE = "tmdb"
DEFAULT_URL = "https://api.themoviedb.org/3"


@dataclass(frozen=True, slots=True)
class Part:
    """One movie of a collection: its id, title and release date (``YYYY-MM-DD`` or None)."""

    tmdb_id: int
    title: str
    released: str | None


def _dict(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BadResponse(SERVICE, "expected a JSON object")
    return data


def _info(data: dict[str, Any], kind: str) -> ShowInfo:
    if not isinstance(data.get("id"), int):
        raise BadResponse(SERVICE, "item without an id")
    external = data.get("external_ids") or {}
    ids = {"tmdb": str(data["id"])}
    for key, name in (("tvdb_id", "tvdb"), ("imdb_id", "imdb")):
        if external.get(key) or data.get(key):
            ids[name] = str(external.get(key) or data.get(key))
    titles = data.get("alternative_titles") or {}
    aliases = [
        alt.get("title", "")
        for alt in titles.get("results", titles.get("titles", []))
        if isinstance(alt, dict)
    ]
    original = data.get("original_name" if kind == "tv" else "original_title")
    title = data.get("name" if kind == "tv" else "title") or original or ""
    date = data.get("first_air_date" if kind == "tv" else "release_date")
    return ShowInfo(
        source=SERVICE,
        id=data["id"],
        title=str(title),
        year=year_of(date),
        status=data.get("status"),
        ids=ids,
        aliases=tuple(a for a in dict.fromkeys([original or "", *aliases]) if a and a != title),
        poster=data["poster_path"] if isinstance(data.get("poster_path"), str) else None,
    )


class TMDBClient:
    """TMDB API v3, in French by default."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        url: str = DEFAULT_URL,
        language: str = "fr-FR",
    ) -> None:
        """A v3 key goes as ``api_key``; a v4 read-access token as a bearer header."""
        self._session = session
        self._url = url.rstrip("/")
        self._language = language
        self._params: dict[str, str | int] = {}
        self._images: str | None = None  # the image server, once asked
        self._headers: dict[str, str] = {}
        if api_key.startswith("eyJ"):
            self._headers["Authorization"] = f"Bearer {api_key}"
        else:
            self._params["api_key"] = api_key

    async def _get(self, path: str, **params: str | int) -> dict[str, Any]:
        query = {**self._params, "language": self._language, **params}
        return _dict(
            await fetch_json(
                self._session, SERVICE, "GET", self._url + path, params=query, headers=self._headers
            )
        )

    async def validate(self) -> None:
        """Check the key (``/configuration`` answers 401 to a bad one)."""
        await self._get("/configuration")

    async def search(self, kind: str, query: str) -> list[ShowInfo]:
        """Search ``tv`` or ``movie`` by title."""
        data = await self._get(f"/search/{kind}", query=query)
        return [_info(item, kind) for item in data.get("results", []) if isinstance(item, dict)]

    async def details(self, kind: str, tmdb_id: int) -> ShowInfo:
        """A show or movie with its external ids and alternative titles."""
        data = await self._get(
            f"/{kind}/{tmdb_id}", append_to_response="external_ids,alternative_titles"
        )
        return _info(data, kind)

    async def collection_of(self, tmdb_id: int) -> int:
        """The collection a movie belongs to (its id; 0: none)."""
        found = (await self._get(f"/movie/{tmdb_id}")).get("belongs_to_collection")
        return found["id"] if isinstance(found, dict) and isinstance(found.get("id"), int) else 0

    async def collection(self, collection_id: int) -> tuple[str, list[Part]]:
        """A collection's name and its movies."""
        data = await self._get(f"/collection/{collection_id}")
        parts = [
            Part(p["id"], str(p.get("title") or ""), p.get("release_date") or None)
            for p in data.get("parts", [])
            if isinstance(p, dict) and isinstance(p.get("id"), int)
        ]
        return str(data.get("name") or ""), parts

    async def image_url(self, path: str, size: str = "w342") -> str:
        """Where an image path (``/abc.jpg``) is served (no key in it: a browser may load it)."""
        if self._images is None:
            images = (await self._get("/configuration")).get("images") or {}
            self._images = str(images.get("secure_base_url") or images.get("base_url") or "")
        return f"{self._images.rstrip('/')}/{size}{path}"

    async def poster(self, tmdb_id: int) -> bytes | None:
        """A movie's poster (342 pixels wide), if it has one."""
        path = (await self._get(f"/movie/{tmdb_id}")).get("poster_path")
        if not isinstance(path, str) or not path:
            return None
        return await fetch_bytes(self._session, SERVICE, await self.image_url(path))

    async def season(self, tmdb_id: int, season: int) -> list[EpisodeInfo]:
        """A season's episodes; TMDB only knows air dates."""
        data = await self._get(f"/tv/{tmdb_id}/season/{season}")
        return [
            EpisodeInfo(
                season=ep.get("season_number", season),
                number=ep.get("episode_number"),
                absolute=None,
                title=ep.get("name"),
                air_time=parse_instant(SERVICE, ep.get("air_date")),
            )
            for ep in data.get("episodes", [])
            if isinstance(ep, dict)
        ]
