"""The acquire pipeline of one config entry: grab, track, import, refresh Plex, notify."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from homeassistant.util import dt as dt_util

from ..clients.errors import ClientError
from ..clients.plex import PlexClient
from ..clients.qbittorrent import QBittorrentClient
from ..clients.torznab import TorznabClient, TorznabItem
from ..const import EVENT_EPISODE_DOWNLOADED, EVENT_EPISODE_FAILED, EVENT_REQUEST_UPDATED
from ..engine.naming import (
    MOVIE_TEMPLATE,
    EpisodeName,
    UnsafePath,
    episode_path,
    movie_path,
    printable,
)
from ..engine.release import parse_release
from ..models import (
    Download,
    EpisodeRelease,
    EpisodeStatus,
    MediaRequest,
    RequestStatus,
    SeriesFollow,
    StoreData,
)
from .grabber import Grabber, GrabResult
from .importer import Imported, Library, import_file, main_video, pack_episodes
from .tracker import DownloadTracker

_LOGGER = logging.getLogger(__name__)
PAUSED = frozenset({"pausedDL", "stoppedDL"})
FRENCH_AUDIO = frozenset({"MULTI", "VFF", "VFQ", "VF"})


class Hooks(Protocol):
    """Events out of the pipeline."""

    def fire(self, event: str, data: dict[str, Any]) -> None:
        """Fire an event."""


class UpgradeHandler(Protocol):
    """What completes or fails an upgrade download (the upgrade manager)."""

    async def complete(self, download: Download, now: datetime) -> None:
        """Verify the new file and swap it in, or refuse it."""

    async def failed(self, download: Download, reason: str, now: datetime) -> None:
        """The download failed: the candidate is over."""


class PosterHandler(Protocol):
    """What looks at an imported movie (the AI's poster check)."""

    def imported(self, request_id: str, tmdb_id: int, title: str, path: Path) -> None:
        """A movie was imported."""


@dataclass(frozen=True, slots=True)
class Libraries:
    """The entry's libraries by kind."""

    series: Library
    anime: Library
    movies: Library


def label(follow: SeriesFollow, episode: EpisodeRelease) -> str:
    """``Slow Horses S05E02`` or ``One Piece 1151``."""
    if episode.season is not None and episode.episode is not None:
        return f"{follow.title} S{episode.season:02d}E{episode.episode:02d}"
    return f"{follow.title} {episode.absolute}"


class Acquirer:
    """Grabs, follows the downloads, imports what completes."""

    def __init__(
        self,
        hooks: Hooks,
        *,
        qbittorrent: QBittorrentClient,
        plex: PlexClient,
        data: StoreData,
        libraries: Libraries,
        grabber: Grabber,
        executor: Callable[..., Any],
        episode_template: str | None = None,
        movie_template: str = MOVIE_TEMPLATE,
    ) -> None:
        """Everything comes from the config entry."""
        self.hooks = hooks
        self.plex = plex
        self.data = data
        self.libraries = libraries
        self.grabber = grabber
        self.episode_template = episode_template
        self.movie_template = movie_template
        self.tracker = DownloadTracker(qbittorrent)
        self.upgrades: UpgradeHandler | None = None
        self.posters: PosterHandler | None = None
        self._polling = asyncio.Lock()
        self._run = executor

    async def grab(
        self, item: TorznabItem, indexer: TorznabClient | None, target_id: str, now: datetime
    ) -> GrabResult:
        """Grab an episode's release (checked before it downloads)."""
        return await self.grabber.grab(item, indexer, "episode", target_id, now)

    def active(self) -> list[Download]:
        """Downloads still running."""
        return [d for d in self.data.downloads.values() if d.state not in ("imported", "failed")]

    async def poll(self, now: datetime) -> bool:
        """One look at qBittorrent; True when something changed. One poll at a time: two
        would import the same download twice."""
        async with self._polling:
            return await self._poll(now)

    async def _poll(self, now: datetime) -> bool:
        downloads = self.active()
        if not downloads:
            return False
        changed = False
        for progress in await self.tracker.poll(downloads, now):
            if progress.failure:
                await self._failed(progress.download, progress.failure, now)
                changed = True
            elif progress.complete:
                await self._complete(progress.download, now)
                changed = True
            elif progress.download.state in PAUSED and self.tracker.owned(
                progress.download.infohash, self.grabber.category
            ):
                # Plex Kiosk never pauses: a restart restored the paused state it was added in
                await self.grabber.qbittorrent.start(progress.download.infohash)
        return changed

    def _target(self, download: Download) -> tuple[SeriesFollow, EpisodeRelease] | None:
        episode = self.data.episodes.get(download.target_id)
        follow = self.data.follows.get(episode.follow_id) if episode else None
        return (follow, episode) if follow and episode else None

    async def discard(self, download: Download, reason: str, now: datetime) -> None:
        """Blocklist a download's release and remove it from qBittorrent with its files."""
        download.error = reason
        self.data.block(download.infohash, download.name, reason, now)
        qbittorrent = self.grabber.qbittorrent
        try:
            if await qbittorrent.owned(download.infohash, self.grabber.category):
                await qbittorrent.delete(download.infohash, delete_files=True)
        except ClientError as err:
            _LOGGER.warning("Could not remove %s: %s", printable(download.name), err)

    async def _failed(self, download: Download, reason: str, now: datetime) -> None:
        download.state = "failed"
        await self.discard(download, reason, now)
        if request := self.data.requests.get(download.target_id):
            request.status, request.updated_at = (
                RequestStatus.SEARCHING,
                None,
            )  # searched again next cycle
            self.hooks.fire(
                EVENT_REQUEST_UPDATED,
                {
                    "request_id": request.id,
                    "title": request.title,
                    "status": "searching",
                    "reason": reason,
                },
            )
        if download.purpose == "upgrade" and self.upgrades:
            await self.upgrades.failed(download, reason, now)
        if target := self._target(download):
            follow, episode = target
            # searched again at the next cycle (the feed already went past this release)
            episode.status, episode.searched_at = EpisodeStatus.SEARCHING, None
            episode.release_name, episode.infohash = None, None
            self._notify_failure(follow, episode, reason, download.name)

    async def _import(
        self, download: Download, library: Library, relative_of: Callable[[str], PurePosixPath]
    ) -> Imported:
        """The main video file of a completed torrent, placed under its library name."""
        files = await self.grabber.qbittorrent.files(download.infohash)
        video = main_video(files)
        if video is None:
            raise FileNotFoundError("no video file in the torrent")
        save_path = self.save_path(download)
        imported: Imported = await self._run(
            import_file,
            save_path / video,
            self.downloads,
            library,
            relative_of(video.rpartition(".")[2]),
        )
        download.state, download.completed_at, download.imported_path = (
            "imported",
            dt_util.utcnow(),
            str(imported.path),
        )
        download.error = None
        return imported

    async def _import_pack(self, download: Download, request: MediaRequest) -> list[Imported]:
        """Every episode file of a season pack, each under its own name."""
        files = await self.grabber.qbittorrent.files(download.infohash)
        save_path = self.save_path(download)
        imports = []
        for path, season, number in pack_episodes(files):
            name = EpisodeName(request.title, request.year, season, number)
            relative = episode_path(name, path.rpartition(".")[2], self.episode_template)
            imported: Imported = await self._run(
                import_file, save_path / path, self.downloads, self.libraries.series, relative
            )
            imports.append(imported)
        if not imports:
            raise FileNotFoundError("no episode file in the season pack")
        download.state, download.completed_at = "imported", dt_util.utcnow()
        download.imported_path, download.error = str(imports[0].path.parent), None
        return imports

    def _fake_french(self, download: Download, imports: list[Imported], now: datetime) -> bool:
        """A release named MULTI or VF whose files have no French audio: kept, but
        blocklisted, and the search goes on (True)."""
        audio = parse_release(download.name).audio
        if audio not in FRENCH_AUDIO or all("fra" in i.probe.audio_languages for i in imports):
            return False
        download.error = f"the release says {audio} but the file has no French audio"
        self.data.block(download.infohash, download.name, download.error, now)
        return True

    @property
    def downloads(self) -> Path:
        """The download folder: every imported file must come from inside it."""
        return Path(self.grabber.save_path)

    def save_path(self, download: Download) -> Path:
        """Where qBittorrent keeps a download's files."""
        torrent = self.tracker.torrents.get(download.infohash, {})
        return Path(str(torrent.get("save_path") or self.grabber.save_path))

    def library_of(self, section: str | None) -> Library:
        """The library of a Plex section (movies when unknown)."""
        libraries = (self.libraries.series, self.libraries.anime, self.libraries.movies)
        return next((lib for lib in libraries if lib.section == section), self.libraries.movies)

    async def refresh(self, library: Library, folder: Path) -> None:
        try:
            await self.plex.refresh_path(library.section, library.plex_path(folder))
        except ClientError as err:
            _LOGGER.warning("Plex did not take the refresh of %s: %s", folder, err)

    async def _complete_request(self, download: Download, now: datetime) -> None:
        request = self.data.requests.get(download.target_id)
        if request is None:
            download.state = "imported"
            return
        try:
            if request.kind == "season":
                library = self.libraries.series
                imports = await self._import_pack(download, request)
            else:
                library = self.libraries.movies
                imports = [
                    await self._import(
                        download,
                        library,
                        lambda ext: movie_path(
                            request.title, request.year, ext, self.movie_template
                        ),
                    )
                ]
        except (OSError, UnsafePath, ClientError) as err:
            download.state, download.error = "import_failed", f"import failed: {err}"
            return
        for folder in dict.fromkeys(i.path.parent for i in imports):
            await self.refresh(library, folder)
        status = (
            RequestStatus.SEARCHING
            if self._fake_french(download, imports, now)
            else RequestStatus.COMPLETED
        )
        request.status, request.updated_at = status, now
        if status == RequestStatus.SEARCHING:
            request.updated_at = None  # searched again at the next cycle
        elif self.posters and request.kind == "movie" and request.ids.get("tmdb", "").isdigit():
            self.posters.imported(
                request.id, int(request.ids["tmdb"]), request.title, imports[0].path
            )
        self.hooks.fire(
            EVENT_REQUEST_UPDATED,
            {
                "request_id": request.id,
                "title": request.title,
                "status": status,
                "path": str(imports[0].path),
                **({"reason": download.error} if download.error else {}),
            },
        )

    def _notify_failure(
        self, follow: SeriesFollow, episode: EpisodeRelease, reason: str, release: str
    ) -> None:
        self.hooks.fire(
            EVENT_EPISODE_FAILED,
            {
                "follow_id": follow.id,
                "series": follow.title,
                "episode": label(follow, episode),
                "reason": reason,
                "release": release,
            },
        )

    async def _complete(self, download: Download, now: datetime) -> None:
        if download.purpose == "upgrade" and self.upgrades:
            await self.upgrades.complete(download, now)
            return
        if download.purpose == "request":
            await self._complete_request(download, now)
            return
        target = self._target(download)
        if target is None:
            download.state = "imported"
            return
        follow, episode = target
        library = self.libraries.anime if follow.anime else self.libraries.series
        name = EpisodeName(
            follow.title,
            follow.year,
            episode.season,
            episode.episode,
            episode.absolute,
            episode.title,
        )
        try:
            template = None if follow.anime else self.episode_template  # anime keep absolutes
            imported = await self._import(
                download, library, lambda ext: episode_path(name, ext, template)
            )
        except (OSError, UnsafePath, ClientError) as err:
            # The download is kept (a full disk is not the release's fault): retried each poll.
            reason = f"import failed: {err}"
            if download.error != reason:
                self._notify_failure(follow, episode, reason, download.name)
            download.state, download.error = "import_failed", reason
            return
        # a fake MULTi: keep the file, keep looking for a better release
        episode.status = (
            EpisodeStatus.SEARCHING
            if self._fake_french(download, [imported], now)
            else EpisodeStatus.COMPLETED
        )
        await self.refresh(library, imported.path.parent)
        self.hooks.fire(
            EVENT_EPISODE_DOWNLOADED,
            {
                "follow_id": follow.id,
                "series": follow.title,
                "episode": label(follow, episode),
                "release": download.name,
                "path": str(imported.path),
                "audio": imported.probe.audio_class,
                "resolution": imported.probe.resolution,
            },
        )
