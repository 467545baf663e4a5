"""qBittorrent Web API client (qbittorrent-api, synchronous: every call runs in the executor)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any

import qbittorrentapi

from .errors import AuthFailed, BadResponse, CannotConnect, ClientError, unreachable

SERVICE = "qbittorrent"
TAG_PREFIX = "plex_kiosk:"
STOP_START_API = (2, 11)  # qBittorrent 5.0


def api_version(text: str) -> tuple[int, ...]:
    """``2.11.4`` → (2, 11, 4); anything unreadable counts as the oldest."""
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)


Executor = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Torrent:
    """A torrent as qBittorrent reports it."""

    hash: str
    name: str
    state: str
    progress: float
    size: int
    dlspeed: int
    eta: int
    save_path: str
    category: str
    tags: tuple[str, ...]

    @classmethod
    def from_api(cls, data: Any) -> Torrent:
        """Build from a ``torrents_info`` entry."""
        tags = str(data.get("tags") or "")
        return cls(
            hash=str(data["hash"]),
            name=str(data.get("name", "")),
            state=str(data.get("state", "unknown")),
            progress=float(data.get("progress", 0.0)),
            size=int(data.get("size", 0)),
            dlspeed=int(data.get("dlspeed", 0)),
            eta=int(data.get("eta", 0)),
            save_path=str(data.get("save_path", "")),
            category=str(data.get("category", "")),
            tags=tuple(t.strip() for t in tags.split(",") if t.strip()),
        )


def _call[T](url: str, service_call: Callable[[], T]) -> T:
    """Run one library call, mapping its exceptions to client errors."""
    try:
        return service_call()
    except (qbittorrentapi.LoginFailed, qbittorrentapi.Forbidden403Error) as err:
        raise AuthFailed(SERVICE, str(err) or "login refused") from err
    except qbittorrentapi.APIConnectionError as err:
        raise CannotConnect(SERVICE, unreachable(err, url)) from err
    except qbittorrentapi.APIError as err:
        raise BadResponse(SERVICE, str(err) or type(err).__name__) from err


def _files_or_none(api: qbittorrentapi.Client, torrent_hash: str) -> Any:
    """A torrent's files; None while qBittorrent has not registered the torrent yet."""
    try:
        return api.torrents_files(torrent_hash=torrent_hash)
    except qbittorrentapi.NotFound404Error:
        return None


class QBittorrentClient:
    """A qBittorrent instance; ``executor`` is ``hass.async_add_executor_job``."""

    def __init__(self, executor: Executor, url: str, username: str, password: str) -> None:
        """Create the library client; nothing is sent yet."""
        self._run = executor
        self._url = url
        self._api = qbittorrentapi.Client(
            host=url,
            username=username,
            password=password,
            REQUESTS_ARGS={"timeout": (5, 30)},
            RAISE_NOTIMPLEMENTEDERROR_FOR_UNIMPLEMENTED_API_ENDPOINTS=True,
        )
        self._stop_start: bool | None = None

    async def _do[T](self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        result: T = await self._run(_call, self._url, partial(func, *args, **kwargs))
        return result

    async def login(self) -> str:
        """Log in and return the Web API version (``2.8.19``)."""
        await self._do(self._api.auth_log_in)
        return await self.version()

    async def version(self) -> str:
        """The Web API version, logging in only when the session needs it (health checks:
        a fresh login would reset the session under a concurrent call)."""
        version = str(await self._do(self._api.app_web_api_version))
        self._stop_start = api_version(version) >= STOP_START_API
        return version

    async def _names(self) -> bool:
        """Whether this qBittorrent speaks ``start``/``stop`` (5.x) rather than
        ``resume``/``pause`` (4.x): asked once, whatever qbittorrent-api version is here."""
        if self._stop_start is None:
            await self.version()
        return bool(self._stop_start)

    async def add(
        self,
        *,
        category: str,
        tags: tuple[str, ...] = (),
        urls: str | None = None,
        torrent_file: bytes | None = None,
        save_path: str | None = None,
        paused: bool = True,
    ) -> None:
        """Add a magnet/URL or a .torrent, stopped by default; a duplicate is a BadResponse.

        Sent as the Web API form itself with both ``paused`` (4.x) and ``stopped`` (5.x):
        qbittorrent-api 2024.2 (what Home Assistant 2025.4 pins) knows only ``paused``, and
        qBittorrent 5 would start the torrent before its file list is checked."""
        flag = "true" if paused else "false"
        fields = {
            "urls": urls,
            "category": category,
            "tags": ",".join(tags) or None,
            "savepath": save_path,
            "paused": flag,
            "stopped": flag,
        }
        result = await self._do(
            self._api._post,
            _name="torrents",
            _method="add",
            data={key: (None, value) for key, value in fields.items() if value is not None},
            files={"torrents": ("release.torrent", torrent_file)} if torrent_file else None,
            response_class=str,
        )
        if result != "Ok.":
            raise BadResponse(SERVICE, f"torrent refused: {result}")

    async def files(self, torrent_hash: str) -> list[tuple[str, int]]:
        """(path inside the torrent, size) for each file; empty until qBittorrent knows the
        torrent and its metadata."""
        files: Any = await self._do(_files_or_none, self._api, torrent_hash)
        return [(str(f["name"]), int(f["size"])) for f in files or []]

    async def start(self, torrent_hash: str) -> None:
        """Start a stopped (paused) torrent: ``torrents/start`` on 5.x, ``resume`` on 4.x."""
        method = "start" if await self._names() else "resume"
        await self._do(
            self._api._post,
            _name="torrents",
            _method=method,
            data={"hashes": torrent_hash},
        )

    async def has(self, torrent_hash: str) -> bool:
        """Whether qBittorrent holds this torrent, whoever added it."""
        return bool(await self._do(self._api.torrents_info, torrent_hashes=torrent_hash))

    async def owned(self, torrent_hash: str, category: str) -> bool:
        """Whether the torrent is one Plex Kiosk added (its category and one of its tags):
        nothing else is ever started, stopped or deleted."""
        info = await self._do(self._api.torrents_info, torrent_hashes=torrent_hash)
        return any(
            (t := Torrent.from_api(item)).category == category
            and any(tag.startswith(TAG_PREFIX) for tag in t.tags)
            for item in info
        )

    async def close(self) -> None:
        """Log out (the session's cookie is no longer valid)."""
        with suppress(ClientError):  # already unreachable: nothing to close there
            await self._do(self._api.auth_log_out)

    async def delete(self, torrent_hash: str, *, delete_files: bool) -> None:
        """Remove a torrent, and its data when asked."""
        await self._do(
            self._api.torrents_delete, torrent_hashes=torrent_hash, delete_files=delete_files
        )

    async def maindata(self, rid: int = 0) -> dict[str, Any]:
        """Incremental state since ``rid`` (``sync_maindata``)."""
        return dict(await self._do(self._api.sync_maindata, rid=rid))
