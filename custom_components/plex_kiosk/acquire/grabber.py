"""Grab: add paused, check the file list, then start — or reject, remove and blocklist."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from ..clients.errors import ClientError
from ..clients.qbittorrent import TAG_PREFIX, QBittorrentClient
from ..clients.torznab import TorznabClient, TorznabItem
from ..engine.naming import printable
from ..engine.release import DANGEROUS_EXTENSIONS, VIDEO_EXTENSIONS
from ..engine.torrent import NotATorrent, info_hash, magnet_hash, normal_hash
from ..models import Download, StoreData

_LOGGER = logging.getLogger(__name__)
MIN_VIDEO_BYTES = 50_000_000
FILES_WAIT = 30.0  # seconds to wait for a magnet's metadata
FILES_POLL = 0.5


@dataclass(frozen=True, slots=True)
class GrabResult:
    """Whether the torrent runs, and why not."""

    ok: bool
    reason: str | None = None
    infohash: str | None = None


def check_files(files: list[tuple[str, int]]) -> str | None:
    """The reason a file list is refused: an executable or archive, or no plausible video."""
    for path, _ in files:
        extension = path.rpartition(".")[2].lower()
        if extension in DANGEROUS_EXTENSIONS:
            return f"dangerous file: {path}"
    if not any(
        p.rpartition(".")[2].lower() in VIDEO_EXTENSIONS and size >= MIN_VIDEO_BYTES
        for p, size in files
    ):
        return "no video file of plausible size"
    return None


class Grabber:
    """Adds releases to qBittorrent for one config entry."""

    def __init__(
        self, qbittorrent: QBittorrentClient, data: StoreData, category: str, save_path: str
    ) -> None:
        """Every torrent goes to ``category``, saved under ``save_path``."""
        self.qbittorrent = qbittorrent
        self.data = data
        self.category = category
        self.save_path = save_path

    async def _files(self, infohash: str) -> list[tuple[str, int]]:
        waited = 0.0
        while True:
            files = await self.qbittorrent.files(infohash)
            if files or waited >= FILES_WAIT:
                return files
            await asyncio.sleep(FILES_POLL)
            waited += FILES_POLL

    async def _source(
        self, item: TorznabItem, indexer: TorznabClient | None
    ) -> tuple[bytes | None, str | None]:
        """The .torrent file or the magnet to add: the indexer's link first (it may redirect
        to a magnet), the item's magnet when the link fails or there is none."""
        if item.link and indexer:
            try:
                fetched = await indexer.torrent(item.link)
            except ClientError:
                if not item.magnet:
                    raise
            else:
                return (None, fetched) if isinstance(fetched, str) else (fetched, None)
        return None, item.magnet

    async def grab(
        self,
        item: TorznabItem,
        indexer: TorznabClient | None,
        purpose: str,
        target_id: str,
        now: datetime,
    ) -> GrabResult:
        """Add ``item`` paused; start it only if its files are acceptable. The info hash is
        the one the .torrent or magnet really has; a feed that said otherwise is refused."""
        claimed = normal_hash(item.infohash)
        if claimed and self.known(claimed):
            return GrabResult(False, "already grabbed or blocklisted", claimed)
        try:
            torrent, magnet = await self._source(item, indexer)
            infohash = info_hash(torrent) if torrent else magnet_hash(magnet)
        except ClientError as err:
            return GrabResult(False, f"{err.service}: {err.detail}", claimed)
        except NotATorrent as err:
            return GrabResult(False, f"not a torrent file: {err}", claimed)
        if not infohash:
            return GrabResult(False, "no info hash", claimed)
        if claimed and claimed != infohash:
            mismatch = f"the indexer said {claimed} but the torrent is {infohash}"
            self.data.block(claimed, item.title, mismatch, now)
            return GrabResult(False, mismatch, infohash)
        if self.known(infohash):
            return GrabResult(False, "already grabbed or blocklisted", infohash)
        try:
            if not await self.qbittorrent.has(infohash):
                await self.qbittorrent.add(
                    category=self.category,
                    tags=(f"{TAG_PREFIX}{purpose}",),
                    urls=None if torrent else magnet,
                    torrent_file=torrent,
                    save_path=self.save_path,
                    paused=True,
                )
            elif await self.qbittorrent.owned(infohash, self.category):
                # added just before Home Assistant stopped, never written down: taken back
                _LOGGER.info("%s was already added by Plex Kiosk", printable(item.title))
            else:
                return GrabResult(
                    False, "qBittorrent already has it (not added by Plex Kiosk)", infohash
                )
            files = await self._files(infohash)
        except ClientError as err:
            return GrabResult(False, f"{err.service}: {err.detail}", infohash)
        reason = check_files(files) if files else "no file list (metadata never came)"
        if reason:
            _LOGGER.warning("Refused %s: %s", printable(item.title), reason)
            await self.qbittorrent.delete(infohash, delete_files=False)  # it has none of its own
            self.data.block(infohash, item.title, reason, now)
            return GrabResult(False, reason, infohash)
        await self.qbittorrent.start(infohash)
        self.data.downloads[infohash] = Download(
            infohash,
            item.title,
            purpose,
            target_id,
            indexer=item.indexer,
            state="downloading",
            added_at=now,
        )
        return GrabResult(True, None, infohash)

    def known(self, infohash: str) -> bool:
        """Already grabbed, or never to be grabbed again."""
        return infohash in self.data.downloads or infohash in self.data.blocklist
