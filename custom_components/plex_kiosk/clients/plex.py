"""Plex client (plexapi, synchronous: every call runs in the executor)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import requests
from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from plexapi.server import PlexServer

from .errors import AuthFailed, BadResponse, CannotConnect, unreachable

SERVICE = "plex"
Executor = Callable[..., Any]
TIMEOUT = 15


@dataclass(frozen=True, slots=True)
class PlexSection:
    """A library section."""

    key: str
    title: str
    type: str
    locations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlexPage:
    """One page of a listing and the listing's total size."""

    items: list[PlexItem]
    total: int


@dataclass(frozen=True, slots=True)
class PlexServerInfo:
    """What the config flow needs to know about a server."""

    machine_id: str
    name: str
    version: str
    sections: tuple[PlexSection, ...]


@dataclass(frozen=True, slots=True)
class PlexStream:
    """One stream of a file: 1 video, 2 audio, 3 subtitles."""

    kind: int
    codec: str | None
    language: str | None
    bit_depth: int | None = None
    color_trc: str | None = None
    dolby_vision: bool = False
    channels: int | None = None


@dataclass(frozen=True, slots=True)
class PlexItem:
    """A movie, show or episode as a listing or a metadata request gives it."""

    rating_key: str
    type: str
    title: str
    original_title: str | None
    year: int | None
    updated_at: str
    guids: dict[str, str]
    show_key: str | None = None
    season: int | None = None
    episode: int | None = None
    file: str | None = None
    size: int = 0
    width: int = 0
    height: int = 0
    video_codec: str | None = None
    audio_codec: str | None = None
    bitrate: int | None = None
    streams: tuple[PlexStream, ...] = ()
    versions: int = 0

    @property
    def fingerprint(self) -> str:
        """Changes when Plex sees another file (or the same file changed)."""
        return f"{self.updated_at}:{self.file}:{self.size}"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None


def _guids(element: Element) -> dict[str, str]:
    """``imdb://tt1``, ``tmdb://2``, ``tvdb://3`` → ``{"imdb": "tt1", ...}``."""
    ids = {}
    for guid in element.iter("Guid"):
        source, _, value = guid.get("id", "").partition("://")
        if value:
            ids[source] = value
    return ids


def _best_media(element: Element) -> Element | None:
    """Of several versions of an item, the largest picture, then the most audio tracks."""

    def rank(media: Element) -> tuple[int, int, int, int]:
        part = media.find("Part")
        streams = part.iter("Stream") if part is not None else iter(())
        tracks = sum(1 for s in streams if s.get("streamType") == "2")
        return (
            _int(media.get("height")) or 0,
            _int(media.get("width")) or 0,
            tracks,
            _int(media.get("bitrate")) or 0,
        )

    return max(element.findall("Media"), key=rank, default=None)


def parse_item(element: Element) -> PlexItem:
    """One ``Video`` or ``Directory`` element; with several versions, the best one (its
    first part is the file)."""
    media = _best_media(element)
    part = media.find("Part") if media is not None else None
    m = media.attrib if media is not None else {}
    streams = tuple(
        PlexStream(
            int(s.get("streamType", 0)),
            s.get("codec"),
            s.get("languageCode") or s.get("languageTag"),
            _int(s.get("bitDepth")),
            s.get("colorTrc"),
            s.get("DOVIPresent") == "1",
            _int(s.get("channels")),
        )
        for s in (part.iter("Stream") if part is not None else ())
    )
    grandparent = element.get("grandparentRatingKey")
    return PlexItem(
        rating_key=element.get("ratingKey", ""),
        type=element.get("type", ""),
        title=element.get("title", ""),
        original_title=element.get("originalTitle"),
        year=_int(element.get("year")),
        updated_at=element.get("updatedAt", ""),
        guids=_guids(element),
        show_key=grandparent,
        season=_int(element.get("parentIndex")) if grandparent else None,
        episode=_int(element.get("index")) if grandparent else None,
        file=part.get("file") if part is not None else None,
        size=_int(part.get("size") if part is not None else None) or 0,
        width=_int(m.get("width")) or 0,
        height=_int(m.get("height")) or 0,
        video_codec=m.get("videoCodec"),
        audio_codec=m.get("audioCodec"),
        bitrate=_int(m.get("bitrate")),
        streams=streams,
        versions=len(element.findall("Media")),
    )


def _call[T](url: str, func: Callable[[], T]) -> T:
    """Run one plexapi call, mapping its exceptions to client errors."""
    try:
        return func()
    except Unauthorized as err:
        raise AuthFailed(SERVICE, "token refused") from err
    except (requests.ConnectionError, requests.Timeout) as err:
        raise CannotConnect(SERVICE, unreachable(err, url)) from err
    except (BadRequest, NotFound, ParseError, requests.RequestException) as err:
        raise BadResponse(SERVICE, str(err) or type(err).__name__) from err


class PlexClient:
    """A Plex Media Server; ``executor`` is ``hass.async_add_executor_job``."""

    def __init__(self, executor: Executor, url: str, token: str) -> None:
        """Keep the coordinates; the first call connects."""
        self._run = executor
        self._url = url.rstrip("/")
        self._token = token
        self._server: PlexServer | None = None
        self._session = requests.Session()

    async def _do[T](self, func: Callable[..., T], *args: Any) -> T:
        result: T = await self._run(_call, self._url, partial(func, *args))
        return result

    def _connect(self) -> PlexServer:
        if self._server is None:
            self._server = PlexServer(
                self._url, self._token, session=self._session, timeout=TIMEOUT
            )
        return self._server

    def _info(self) -> PlexServerInfo:
        server = PlexServer(self._url, self._token, session=self._session, timeout=TIMEOUT)
        self._server = server
        sections = tuple(
            PlexSection(str(s.key), s.title, s.type, tuple(s.locations))
            for s in server.library.sections()
        )
        return PlexServerInfo(
            server.machineIdentifier, server.friendlyName, server.version, sections
        )

    async def server_info(self) -> PlexServerInfo:
        """Connect (checks the token) and list the library sections."""
        return await self._do(self._info)

    def _refresh(self, section_key: str, path: str) -> None:
        self._connect().library.sectionByID(int(section_key)).update(path=path)

    async def refresh_path(self, section_key: str, path: str) -> None:
        """Ask Plex to scan one folder of a section (a partial refresh)."""
        await self._do(self._refresh, section_key, path)

    def _query(self, key: str) -> PlexPage:
        root = self._connect().query(key)
        if root is None:  # an empty answer
            return PlexPage([], 0)
        items = [parse_item(e) for e in root if e.tag in ("Video", "Directory")]
        return PlexPage(items, int(root.get("totalSize") or len(items)))

    async def page(self, section_key: str, plex_type: int, start: int, size: int) -> PlexPage:
        """One page of a section's items of a type (1 movie, 2 show, 4 episode), with ids."""
        key = (
            f"/library/sections/{section_key}/all?type={plex_type}&includeGuids=1"
            f"&X-Plex-Container-Start={start}&X-Plex-Container-Size={size}"
        )
        return await self._do(self._query, key)

    async def metadata(self, rating_keys: list[str]) -> list[PlexItem]:
        """Several items with their streams, in one request."""
        page = await self._do(self._query, f"/library/metadata/{','.join(rating_keys)}")
        return page.items

    async def close(self) -> None:
        """Close the HTTP session."""
        await self._run(self._session.close)
