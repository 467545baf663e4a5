"""Plex Kiosk: a household media library run like Sonarr + Radarr, with an LLM in the loop."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady

from .clients.errors import AuthFailed, ClientError
from .connections import Connections, create_connections
from .const import DOMAIN
from .coordinator import HealthCoordinator
from .models import StoreData
from .store import PlexKioskStore

PLATFORMS = [Platform.BINARY_SENSOR]


@dataclass
class PlexKioskData:
    """What a loaded entry holds."""

    connections: Connections
    store: PlexKioskStore
    data: StoreData
    health: HealthCoordinator


type PlexKioskConfigEntry = ConfigEntry[PlexKioskData]


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
    health = HealthCoordinator(hass, entry, conns)
    await health.async_config_entry_first_refresh()
    entry.runtime_data = PlexKioskData(conns, store, await store.async_load(), health)
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
