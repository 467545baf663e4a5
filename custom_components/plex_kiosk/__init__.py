"""Plex Kiosk: a household media library run like Sonarr + Radarr, with an LLM in the loop."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from . import llm_api
from .acquire.grabber import Grabber
from .acquire.importer import Library
from .acquire.pipeline import Acquirer, Libraries
from .acquire.requests import RequestManager
from .acquire.search import ReleaseSearch
from .ai.chat import Assistant
from .ai.llm import LLM, Settings
from .ai.poster import PosterCheck
from .ai.report import Analyst
from .ai.rerank import ModelReranker
from .answers import async_setup_answers
from .assistant import create_assistant
from .clients.bundle import Connections
from .clients.errors import AuthFailed, ClientError
from .clients.tmdb import TMDBClient
from .connections import create_connections
from .const import (
    CONF_AI_DAILY_CALLS,
    CONF_AI_MODE,
    CONF_AI_TIMEOUT,
    CONF_ANIME_ROOT,
    CONF_ANIME_SECTION,
    CONF_DOWNLOAD_DIR,
    CONF_EPISODE_TEMPLATE,
    CONF_LANGUAGE,
    CONF_MOVIE_SECTION,
    CONF_MOVIE_TEMPLATE,
    CONF_MOVIES_ROOT,
    CONF_PATH_MAP,
    CONF_POSTER_CHECK,
    CONF_QBT_CATEGORY,
    CONF_SERIES_ROOT,
    CONF_SERIES_SECTION,
    CONF_UPGRADE_GAIN,
    DEFAULT_OPTIONS,
    DOMAIN,
)
from .coordinator import (
    DOWNLOADS_INTERVAL,
    DownloadsCoordinator,
    FollowCoordinator,
    HealthCoordinator,
    schedule,
)
from .engine.health import Household
from .engine.naming import MOVIE_TEMPLATE
from .follow.manager import FollowManager
from .hooks import HassHooks
from .models import StoreData
from .panel import async_register_panel, async_unregister_panel
from .services import async_setup_services
from .store import PlexKioskStore
from .upgrade.library import Section
from .upgrade.manager import UpgradeManager
from .upgrade.rules import seed_rules
from .websocket_api import async_setup_websocket
from .websocket_panel import async_setup_panel_websocket

PLATFORMS = [Platform.BINARY_SENSOR, Platform.CALENDAR, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


@dataclass
class PlexKioskData:
    """What a loaded entry holds."""

    connections: Connections
    store: PlexKioskStore
    data: StoreData
    health: HealthCoordinator
    follows: FollowCoordinator
    downloads: DownloadsCoordinator
    manager: FollowManager
    requests: RequestManager
    upgrades: UpgradeManager
    analyst: Analyst
    assistant: Assistant
    llm: LLM | None = None  # None: no Ollama, or the AI is off
    plex_version: str | None = None  # the server's, as it said at set-up


type PlexKioskConfigEntry = ConfigEntry[PlexKioskData]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Actions and websocket commands, once for every entry."""
    async_setup_services(hass)
    async_setup_answers(hass)
    async_setup_websocket(hass)
    async_setup_panel_websocket(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> bool:
    """Check the required services, load the store, start the coordinators."""
    conns = create_connections(hass, entry.data, entry.options)
    try:
        return await _async_setup(hass, entry, conns)
    except BaseException:
        await conns.close()  # a retried set-up makes new clients: these must not linger
        raise


async def _async_setup(
    hass: HomeAssistant, entry: PlexKioskConfigEntry, conns: Connections
) -> bool:
    try:
        server = await conns.plex.server_info()
        await conns.qbittorrent.login()
    except AuthFailed as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="auth_failed",
            translation_placeholders={"service": err.service},
        ) from err
    except ClientError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"service": err.service, "detail": err.detail},
        ) from err
    store = PlexKioskStore(hass, entry.entry_id)
    data = await store.async_load()
    hooks = HassHooks(hass)
    acquirer = create_acquirer(hass, entry, conns, data, hooks)
    options = {**DEFAULT_OPTIONS, **entry.options}
    releases = ReleaseSearch.create(conns.indexers, data, options, dt_util.utcnow())
    llm = create_llm(hass, conns, data, options)
    if llm is not None:
        releases.reranker = ModelReranker(llm)
    manager = FollowManager(
        hooks, conns, store, data, options, releases=releases, acquirer=acquirer
    )
    health = HealthCoordinator(hass, entry, conns, releases.search_error)
    await health.async_config_entry_first_refresh()
    requests = RequestManager(hooks, conns, data, acquirer, options, releases=releases)
    upgrades = UpgradeManager(
        hooks,
        conns=conns,
        data=data,
        store=store,
        acquirer=acquirer,
        options=options,
        sections=sections(entry),
        path_map=dict(entry.data.get(CONF_PATH_MAP, {})),
        executor=hass.async_add_executor_job,
        releases=releases,  # one budget per indexer; a 429 pauses it for every search
    )
    acquirer.upgrades = upgrades.swaps  # upgrade downloads are verified and swapped there
    if llm is not None and conns.tmdb is not None and options[CONF_POSTER_CHECK]:
        acquirer.posters = PosterCheck(
            llm,
            conns.tmdb,
            hooks,
            hass.async_add_executor_job,
            lambda check: entry.async_create_background_task(hass, check, "poster check"),
        )
    seed_rules(data, int(options[CONF_UPGRADE_GAIN]))
    await upgrades.swaps.settle(dt_util.utcnow())  # after a crash in the middle of one
    follows = FollowCoordinator(hass, entry, manager, requests, upgrades)
    await follows.async_config_entry_first_refresh()
    downloads = DownloadsCoordinator(hass, entry, acquirer, follows)
    await downloads.async_config_entry_first_refresh()
    entry.runtime_data = PlexKioskData(
        conns,
        store,
        data,
        health,
        follows,
        downloads,
        manager,
        requests,
        upgrades,
        create_analyst(hass, entry, data, llm, upgrades, tmdb=conns.tmdb),
        create_assistant(hass, entry.entry_id, conns, data, llm),
        llm=llm,
        plex_version=server.version,
    )
    schedule(hass, entry, follows, follows.interval)
    schedule(hass, entry, downloads, DOWNLOADS_INTERVAL)
    entry.async_on_unload(conns.close)
    llm_api.async_register(hass, entry)
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await async_register_panel(hass)
    return True


def create_llm(
    hass: HomeAssistant, conns: Connections, data: StoreData, options: Mapping[str, Any]
) -> LLM | None:
    """The model as the agent uses it, unless there is no Ollama or the AI is off."""
    if conns.ollama is None or options[CONF_AI_MODE] == "off":
        return None
    settings = Settings(
        mode=str(options[CONF_AI_MODE]),
        timeout=float(options[CONF_AI_TIMEOUT]),
        daily_calls=int(options[CONF_AI_DAILY_CALLS]),
        language=hass.config.language,
    )
    return LLM(conns.ollama, data, settings, dt_util.utcnow)


def create_analyst(
    hass: HomeAssistant,
    entry: ConfigEntry,
    data: StoreData,
    llm: LLM | None,
    upgrades: UpgradeManager,
    *,
    tmdb: TMDBClient | None,
) -> Analyst:
    """The library reports, over the library folders Home Assistant sees."""
    conf = entry.data
    roots = [conf[CONF_MOVIES_ROOT], conf[CONF_SERIES_ROOT], conf.get(CONF_ANIME_ROOT) or ""]
    options = {**DEFAULT_OPTIONS, **entry.options}
    return Analyst(
        data,
        llm,
        household=lambda: Household(
            language=str(options[CONF_LANGUAGE]),
            hevc_rule=any(r.enabled and r.target == "HEVC" for r in data.rules.values()),
        ),
        roots=[root for root in roots if root],
        local_path=upgrades.local_path,
        executor=hass.async_add_executor_job,
        language=hass.config.language,
        tmdb=tmdb,
    )


def sections(entry: ConfigEntry) -> list[Section]:
    """The Plex sections the entry looks after (the anime one when it is its own)."""
    conf = entry.data
    found = [
        Section(str(conf[CONF_MOVIE_SECTION]), "movie"),
        Section(str(conf[CONF_SERIES_SECTION]), "series"),
    ]
    anime = conf.get(CONF_ANIME_SECTION)
    if anime and str(anime) not in (s.key for s in found):
        found.append(Section(str(anime), "anime"))
    return found


def create_acquirer(
    hass: HomeAssistant, entry: ConfigEntry, conns: Connections, data: StoreData, hooks: HassHooks
) -> Acquirer:
    """The acquire pipeline from the entry's folders, libraries and qBittorrent category."""
    conf = entry.data
    path_map = dict(conf.get(CONF_PATH_MAP, {}))
    series = Library(Path(conf[CONF_SERIES_ROOT]), str(conf[CONF_SERIES_SECTION]), path_map)
    anime = Library(
        Path(conf.get(CONF_ANIME_ROOT) or conf[CONF_SERIES_ROOT]),
        str(conf.get(CONF_ANIME_SECTION) or conf[CONF_SERIES_SECTION]),
        path_map,
    )
    movies = Library(Path(conf[CONF_MOVIES_ROOT]), str(conf[CONF_MOVIE_SECTION]), path_map)
    grabber = Grabber(conns.qbittorrent, data, conf[CONF_QBT_CATEGORY], conf[CONF_DOWNLOAD_DIR])
    return Acquirer(
        hooks,
        qbittorrent=conns.qbittorrent,
        plex=conns.plex,
        data=data,
        libraries=Libraries(series, anime, movies),
        grabber=grabber,
        executor=hass.async_add_executor_job,
        episode_template=entry.options.get(CONF_EPISODE_TEMPLATE),
        movie_template=entry.options.get(CONF_MOVIE_TEMPLATE, MOVIE_TEMPLATE),
    )


async def _async_reload(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> None:
    """Options changed (preferences, indexers): reload."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> bool:
    """Unload platforms and write what waits; the on-unload callbacks close the clients."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    await entry.runtime_data.store.async_flush()  # the next set-up reads the file
    if unloaded and not any(
        e.state is ConfigEntryState.LOADED
        for e in hass.config_entries.async_entries(DOMAIN)
        if e.entry_id != entry.entry_id
    ):
        async_unregister_panel(hass)
    return unloaded


async def async_remove_entry(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> None:
    """The entry is gone: remove its repair issues and its store files."""
    store = PlexKioskStore(hass, entry.entry_id)
    data = await store.async_load()
    hooks = HassHooks(hass)
    for follow in data.follows.values():
        hooks.failures(follow.id, follow.title, [])
    await store.async_remove()
