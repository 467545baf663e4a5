"""Downloads: qBittorrent's incremental state, failures, and completed downloads to import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..clients.qbittorrent import TAG_PREFIX, QBittorrentClient
from ..models import Download

STALL_LIMIT = timedelta(hours=6)
ERROR_STATES = frozenset({"error", "missingFiles"})
COMPLETE_STATES = frozenset(
    {"uploading", "stalledUP", "pausedUP", "queuedUP", "forcedUP", "checkingUP", "stoppedUP"}
)


@dataclass
class Progress:
    """What changed for one download in a poll."""

    download: Download
    failure: str | None = None
    complete: bool = False


@dataclass
class DownloadTracker:
    """Merges ``sync_maindata`` updates; keeps qBittorrent's view of our torrents."""

    qbittorrent: QBittorrentClient
    rid: int = 0
    torrents: dict[str, dict[str, Any]] = field(default_factory=dict)
    stalled_since: dict[str, datetime] = field(default_factory=dict)

    async def poll(self, downloads: list[Download], now: datetime) -> list[Progress]:
        """Update each active download; report failures and completions."""
        data = await self.qbittorrent.maindata(self.rid)
        if data.get("full_update"):
            self.torrents = {}
        self.rid = int(data.get("rid", self.rid))
        for infohash, changes in (data.get("torrents") or {}).items():
            self.torrents.setdefault(infohash, {}).update(changes)
        for infohash in data.get("torrents_removed") or []:
            self.torrents.pop(infohash, None)
        return [self._progress(d, now) for d in downloads]

    def _progress(self, download: Download, now: datetime) -> Progress:
        torrent = self.torrents.get(download.infohash)
        if torrent is None:
            return Progress(download, failure="removed from qBittorrent")
        state = str(torrent.get("state", download.state))
        retry_import = download.state == "import_failed"
        download.state = state
        download.progress = float(torrent.get("progress", download.progress))
        if state in ERROR_STATES:
            return Progress(download, failure=f"qBittorrent reports {state}")
        if download.progress >= 1.0 or state in COMPLETE_STATES or retry_import:
            return Progress(download, complete=True)
        if state == "stalledDL":
            since = self.stalled_since.setdefault(download.infohash, now)
            if now - since >= STALL_LIMIT:
                return Progress(download, failure=f"stalled for {STALL_LIMIT}")
        else:
            self.stalled_since.pop(download.infohash, None)
        return Progress(download)

    def owned(self, infohash: str, category: str) -> bool:
        """Whether qBittorrent lists the torrent in Plex Kiosk's category with its tag (a user
        may have moved it: then it is theirs)."""
        torrent = self.torrents.get(infohash, {})
        tags = str(torrent.get("tags") or "").split(",")
        return torrent.get("category") == category and any(
            t.strip().startswith(TAG_PREFIX) for t in tags
        )

    def speed(self, downloads: list[Download]) -> int:
        """Total download speed of these downloads, bytes/s."""
        return sum(int(self.torrents.get(d.infohash, {}).get("dlspeed", 0)) for d in downloads)
