"""One versioned Home Assistant Store per config entry, with migrations."""

from __future__ import annotations

import inspect
from dataclasses import fields
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .models import StoreData, decode, decode_profiles, encode, encode_profiles

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 3
LIBRARY_VERSION = 1
SAVE_DELAY = 10  # seconds: the changes made within it are written once
# Newer Home Assistant serializes in the event loop unless told otherwise; the library rows
# are a fresh structure no one changes, so a worker thread may turn them into JSON.
OFF_LOOP: dict[str, Any] = (
    {"serialize_in_event_loop": False}
    if "serialize_in_event_loop" in inspect.signature(Store.__init__).parameters
    else {}
)


def _encode(data: StoreData) -> dict[str, Any]:
    """In the loop, so that no worker thread sees an object that is changing."""
    return {f.name: encode(getattr(data, f.name)) for f in fields(data) if f.name != "profiles"}


def changed_signal(entry_id: str) -> str:
    """The dispatcher signal sent whenever an entry's data changes (the panel listens)."""
    return f"{DOMAIN}_changed_{entry_id}"


class _VersionedStore(Store[dict[str, Any]]):
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """1.1 kept the blocklist as a list of hashes; 1.2 keeps name, reason and date; 1.3
        keeps upgrade reasons in English and French (older ones stay as they were said)."""
        data = dict(old_data)
        if old_major_version == 1 and old_minor_version < 2:
            data["blocklist"] = {
                h: {"infohash": h, "reason": "migrated"} for h in data.get("blocklist", [])
            }
        if old_major_version == 1 and old_minor_version < 3:
            for record in [*data.get("candidates", {}).values(), *data.get("history", [])]:
                if isinstance(said := record.get("reason"), str):
                    record["reason"] = {"code": "earlier", "en": said, "fr": said}
        return data


class PlexKioskStore:
    """Loads and saves a :class:`StoreData`; each write replaces the file atomically.

    Changes are written together after :data:`SAVE_DELAY` (Home Assistant writes what is
    pending when it stops); the swap journal is written before the next step.

    The library profiles (thousands of rows, changed only by scans and upgrades) live in a
    second file, so that the frequent saves of follows and downloads never rewrite them."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Two files per entry: ``.storage/plex_kiosk.<entry_id>`` and ``….library``."""
        self._hass = hass
        self._store = _VersionedStore(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
        )
        self._library: Store[dict[str, Any]] = Store(
            hass,
            LIBRARY_VERSION,
            f"{DOMAIN}.{entry_id}.library",
            atomic_writes=True,
            **OFF_LOOP,
        )
        self._pending: StoreData | None = None
        self._signal = changed_signal(entry_id)

    async def async_load(self) -> StoreData:
        """The stored data, migrated; empty data on a first start."""
        raw = await self._store.async_load()
        data = decode(StoreData, raw) if raw else StoreData()
        if library := await self._library.async_load():
            data.profiles = await self._hass.async_add_executor_job(decode_profiles, library)
        return data

    def save(self, data: StoreData) -> None:
        """Write ``data`` soon, with whatever else changes meanwhile; tell the panel now."""
        self._pending = data
        async_dispatcher_send(self._hass, self._signal)

        def encoded() -> dict[str, Any]:
            self._pending = None
            return _encode(data)

        self._store.async_delay_save(encoded, SAVE_DELAY)

    async def async_save(self, data: StoreData) -> None:
        """Write now, before the next step (and what was waiting with it)."""
        self._pending = None
        async_dispatcher_send(self._hass, self._signal)
        await self._store.async_save(_encode(data))

    async def async_flush(self) -> None:
        """Write what is waiting (the entry unloads)."""
        if self._pending is not None:
            await self.async_save(self._pending)

    async def async_save_library(self, data: StoreData) -> None:
        """Write the library profiles now."""
        async_dispatcher_send(self._hass, self._signal)
        await self._library.async_save(encode_profiles(data.profiles))

    async def async_remove(self) -> None:
        """Delete the files (the entry was removed)."""
        await self._store.async_remove()
        await self._library.async_remove()
