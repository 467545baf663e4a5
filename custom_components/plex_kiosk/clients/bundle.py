"""Every client of one config entry, as the features receive them."""

from __future__ import annotations

from dataclasses import dataclass

from .anilist import AniListClient
from .ollama import OllamaClient
from .plex import PlexClient
from .qbittorrent import QBittorrentClient
from .tmdb import TMDBClient
from .torznab import TorznabClient
from .tvmaze import TVMazeClient


@dataclass
class Connections:
    """Every client of one config entry."""

    plex: PlexClient
    qbittorrent: QBittorrentClient
    indexers: list[TorznabClient]
    tvmaze: TVMazeClient
    anilist: AniListClient
    tmdb: TMDBClient | None
    ollama: OllamaClient | None

    async def close(self) -> None:
        """Close the sessions of the clients that keep their own (Plex, qBittorrent,
        Ollama); the others use Home Assistant's shared session."""
        await self.plex.close()
        await self.qbittorrent.close()
        if self.ollama:
            await self.ollama.close()
