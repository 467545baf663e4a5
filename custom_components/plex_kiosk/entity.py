"""Base entity: one service device per config entry."""

from __future__ import annotations

from typing import Any

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .const import CONF_PLEX_SERVER_NAME, CONF_PLEX_URL, DOMAIN


class PlexKioskEntity[C: DataUpdateCoordinator[Any]](CoordinatorEntity[C]):
    """An entity of the Plex Kiosk service device."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: C, key: str) -> None:
        """Unique id from the entry and the entity's key."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        assert entry is not None
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            name=f"Plex Kiosk {entry.data.get(CONF_PLEX_SERVER_NAME, '')}".strip(),
            manufacturer="Plex Kiosk",
            model="Media library manager",
            entry_type=DeviceEntryType.SERVICE,
            sw_version=entry.runtime_data.plex_version,  # the Plex server it runs
            configuration_url=f"{entry.data[CONF_PLEX_URL].rstrip('/')}/web",
        )
