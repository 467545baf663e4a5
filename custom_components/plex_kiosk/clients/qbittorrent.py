"""qBittorrent Web API client (qbittorrent-api, synchronous: every call runs in the executor)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import qbittorrentapi

from .errors import AuthFailed, BadResponse, CannotConnect

SERVICE = "qbittorrent"
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


def _call[T](service_call: Callable[[], T]) -> T:
    """Run one library call, mapping its exceptions to client errors."""
    try:
        return service_call()
    except (qbittorrentapi.LoginFailed, qbittorrentapi.Forbidden403Error) as err:
        raise AuthFailed(SERVICE, str(err) or "login refused") from err
    except qbittorrentapi.APIConnectionError as err:
        raise CannotConnect(SERVICE, str(err) or type(err).__name__) from err
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
        self._api = qbittorrentapi.Client(
            host=url,
            username=username,
            password=password,
            REQUESTS_ARGS={"timeout": (5, 30)},
            RAISE_NOTIMPLEMENTEDERROR_FOR_UNIMPLEMENTED_API_ENDPOINTS=True,
        )

    async def _do[T](self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        result: T = await self._run(_call, partial(func, *args, **kwargs))
        return result

    async def login(self) -> str:
        """Log in and return the Web API version (``2.8.19``)."""
        await self._do(self._api.auth_log_in)
        return str(await self._do(self._api.app_web_api_version))

    async def version(self) -> str:
        """The Web API version, logging in only when the session needs it (health checks:
        a fresh login would reset the session under a concurrent call)."""
        return str(await self._do(self._api.app_web_api_version))

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
        """Add a magnet/URL or a .torrent, paused by default; a duplicate is a BadResponse."""
        result = await self._do(
            self._api.torrents_add,
            urls=urls,
            torrent_files=torrent_file,
            category=category,
            tags=",".join(tags) or None,
            save_path=save_path,
            is_paused=paused,
        )
        if result != "Ok.":
            raise BadResponse(SERVICE, f"torrent refused: {result}")

    async def torrents(
        self, category: str | None = None, hashes: str | None = None
    ) -> list[Torrent]:
        """Torrents of a category (or the given hashes)."""
        info = await self._do(self._api.torrents_info, category=category, torrent_hashes=hashes)
        return [Torrent.from_api(item) for item in info]

    async def files(self, torrent_hash: str) -> list[tuple[str, int]]:
        """(path inside the torrent, size) for each file; empty until qBittorrent knows the
        torrent and its metadata."""
        files: Any = await self._do(_files_or_none, self._api, torrent_hash)
        return [(str(f["name"]), int(f["size"])) for f in files or []]

    async def start(self, torrent_hash: str) -> None:
        """Resume a paused torrent."""
        await self._do(self._api.torrents_resume, torrent_hashes=torrent_hash)

    async def recheck(self, torrent_hash: str) -> None:
        """Re-verify the data already on disk."""
        await self._do(self._api.torrents_recheck, torrent_hashes=torrent_hash)

    async def delete(self, torrent_hash: str, *, delete_files: bool) -> None:
        """Remove a torrent, and its data when asked."""
        await self._do(
            self._api.torrents_delete, torrent_hashes=torrent_hash, delete_files=delete_files
        )

    async def maindata(self, rid: int = 0) -> dict[str, Any]:
        """Incremental state since ``rid`` (``sync_maindata``)."""
        return dict(await self._do(self._api.sync_maindata, rid=rid))
