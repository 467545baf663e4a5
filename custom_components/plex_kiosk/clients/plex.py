"""Plex client (plexapi, synchronous: every call runs in the executor)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from xml.etree.ElementTree import ParseError

import requests
from plexapi.exceptions import BadRequest, NotFound, Unauthorized
from plexapi.server import PlexServer

from .errors import AuthFailed, BadResponse, CannotConnect

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
class PlexServerInfo:
    """What the config flow needs to know about a server."""

    machine_id: str
    name: str
    version: str
    sections: tuple[PlexSection, ...]


def _call[T](func: Callable[[], T]) -> T:
    """Run one plexapi call, mapping its exceptions to client errors."""
    try:
        return func()
    except Unauthorized as err:
        raise AuthFailed(SERVICE, "token refused") from err
    except (requests.ConnectionError, requests.Timeout) as err:
        raise CannotConnect(SERVICE, type(err).__name__) from err
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
        result: T = await self._run(_call, partial(func, *args))
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

    async def close(self) -> None:
        """Close the HTTP session."""
        await self._run(self._session.close)
