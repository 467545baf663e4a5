"""One versioned Home Assistant Store per config entry, with migrations."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .models import StoreData, decode, encode

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 2


class _VersionedStore(Store[dict[str, Any]]):
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """1.1 kept the blocklist as a list of hashes; 1.2 keeps name, reason and date."""
        data = dict(old_data)
        if old_major_version == 1 and old_minor_version < 2:
            data["blocklist"] = {
                h: {"infohash": h, "reason": "migrated"} for h in data.get("blocklist", [])
            }
        return data


class PlexKioskStore:
    """Loads and saves a :class:`StoreData`; each save writes the file atomically."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """One file per entry: ``.storage/plex_kiosk.<entry_id>``."""
        self._store = _VersionedStore(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
        )

    async def async_load(self) -> StoreData:
        """The stored data, migrated; empty data on a first start."""
        raw = await self._store.async_load()
        return decode(StoreData, raw) if raw else StoreData()

    async def async_save(self, data: StoreData) -> None:
        """Write now (encoded in the loop, so no worker thread sees a changing object)."""
        await self._store.async_save(encode(data))

    async def async_remove(self) -> None:
        """Delete the file (the entry was removed)."""
        await self._store.async_remove()
