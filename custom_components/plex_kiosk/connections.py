"""Builds the clients of one config entry from its data (HA's session, HA's executor)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import get_default_context

from .clients import anilist, tmdb, tvmaze
from .clients.anilist import AniListClient
from .clients.bundle import Connections
from .clients.ollama import OllamaClient
from .clients.plex import PlexClient
from .clients.qbittorrent import QBittorrentClient
from .clients.tmdb import TMDBClient
from .clients.torznab import TorznabClient
from .clients.tvmaze import TVMazeClient
from .const import (
    CONF_ANILIST_URL,
    CONF_INDEXER_API_KEY,
    CONF_INDEXER_NAME,
    CONF_INDEXER_URL,
    CONF_INDEXERS,
    CONF_OLLAMA_MODEL,
    CONF_OLLAMA_URL,
    CONF_PLEX_TOKEN,
    CONF_PLEX_URL,
    CONF_QBT_PASSWORD,
    CONF_QBT_URL,
    CONF_QBT_USERNAME,
    CONF_TMDB_API_KEY,
    CONF_TMDB_URL,
    CONF_TVMAZE_URL,
    DEFAULT_OLLAMA_MODEL,
)


def plex_client(hass: HomeAssistant, data: Mapping[str, Any]) -> PlexClient:
    """The Plex server of ``data``."""
    return PlexClient(hass.async_add_executor_job, data[CONF_PLEX_URL], data[CONF_PLEX_TOKEN])


def qbittorrent_client(hass: HomeAssistant, data: Mapping[str, Any]) -> QBittorrentClient:
    """The qBittorrent of ``data``."""
    return QBittorrentClient(
        hass.async_add_executor_job,
        data[CONF_QBT_URL],
        data[CONF_QBT_USERNAME],
        data[CONF_QBT_PASSWORD],
    )


def indexer_client(hass: HomeAssistant, conf: Mapping[str, Any]) -> TorznabClient:
    """One Torznab indexer."""
    return TorznabClient(
        async_get_clientsession(hass),
        conf[CONF_INDEXER_NAME],
        conf[CONF_INDEXER_URL],
        conf[CONF_INDEXER_API_KEY],
    )


def tmdb_client(hass: HomeAssistant, data: Mapping[str, Any]) -> TMDBClient | None:
    """TMDB, when a key is configured."""
    if not data.get(CONF_TMDB_API_KEY):
        return None
    return TMDBClient(
        async_get_clientsession(hass),
        data[CONF_TMDB_API_KEY],
        data.get(CONF_TMDB_URL) or tmdb.DEFAULT_URL,
    )


def ollama_client(hass: HomeAssistant, data: Mapping[str, Any]) -> OllamaClient | None:
    """Ollama, when a URL is configured (AI features are off otherwise)."""
    if not data.get(CONF_OLLAMA_URL):
        return None
    return OllamaClient(
        data[CONF_OLLAMA_URL],
        data.get(CONF_OLLAMA_MODEL) or DEFAULT_OLLAMA_MODEL,
        verify=get_default_context(),
        session=async_get_clientsession(hass),
    )


def create_connections(
    hass: HomeAssistant, data: Mapping[str, Any], options: Mapping[str, Any]
) -> Connections:
    """All clients from an entry's data and options (indexers live in the options)."""
    session = async_get_clientsession(hass)
    return Connections(
        plex=plex_client(hass, data),
        qbittorrent=qbittorrent_client(hass, data),
        indexers=[indexer_client(hass, conf) for conf in options.get(CONF_INDEXERS, [])],
        tvmaze=TVMazeClient(session, data.get(CONF_TVMAZE_URL) or tvmaze.DEFAULT_URL),
        anilist=AniListClient(session, data.get(CONF_ANILIST_URL) or anilist.DEFAULT_URL),
        tmdb=tmdb_client(hass, data),
        ollama=ollama_client(hass, data),
    )
