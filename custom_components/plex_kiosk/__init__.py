"""Plex Kiosk: a household media library run like Sonarr + Radarr, with an LLM in the loop."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .clients.errors import AuthFailed, ClientError
from .connections import Connections, create_connections
from .const import DOMAIN
from .coordinator import FollowCoordinator, HealthCoordinator
from .follow.manager import FollowManager, HassHooks
from .models import StoreData
from .services import async_setup_services
from .store import PlexKioskStore
from .websocket_api import async_setup_websocket

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

    @property
    def manager(self) -> FollowManager:
        """The follows of this entry."""
        return self.follows.manager


type PlexKioskConfigEntry = ConfigEntry[PlexKioskData]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Actions and websocket commands, once for every entry."""
    async_setup_services(hass)
    async_setup_websocket(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> bool:
    """Check the required services, load the store, start the coordinators."""
    conns = create_connections(hass, entry.data, entry.options)
    try:
        await conns.plex.server_info()
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
    health = HealthCoordinator(hass, entry, conns)
    await health.async_config_entry_first_refresh()
    follows = FollowCoordinator(
        hass, entry, FollowManager(HassHooks(hass), conns, store, data, dict(entry.options))
    )
    await follows.async_config_entry_first_refresh()
    entry.runtime_data = PlexKioskData(conns, store, data, health, follows)
    entry.async_on_unload(conns.plex.close)
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_reload(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> None:
    """Options changed (preferences, indexers): reload."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> bool:
    """Unload platforms; the on-unload callbacks close the clients."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> None:
    """The entry is gone: remove its store file."""
    await PlexKioskStore(hass, entry.entry_id).async_remove()
