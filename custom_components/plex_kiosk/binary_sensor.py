"""A connectivity problem sensor per outside service."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import PlexKioskConfigEntry
from .const import INDEXER_PREFIX
from .coordinator import HealthCoordinator
from .entity import PlexKioskEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexKioskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One sensor per checked service; sensors of removed services are deleted."""
    coordinator = entry.runtime_data.health
    sensors = [ServiceProblemSensor(coordinator, key) for key in coordinator.checks]
    current = {sensor.unique_id for sensor in sensors}
    registry = er.async_get(hass)
    for stale in er.async_entries_for_config_entry(registry, entry.entry_id):
        if stale.domain == "binary_sensor" and stale.unique_id not in current:
            registry.async_remove(stale.entity_id)
    async_add_entities(sensors)


class ServiceProblemSensor(PlexKioskEntity[HealthCoordinator], BinarySensorEntity):
    """On when a service does not answer, or answers wrongly."""

    _attr_device_class = BinarySensorDeviceClass.PROBLEM
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, coordinator: HealthCoordinator, key: str) -> None:
        """Named after the service (indexers after the name the user gave)."""
        super().__init__(coordinator, f"problem_{key}")
        self._key = key
        if key.startswith(INDEXER_PREFIX):
            self._attr_translation_key = "indexer_problem"
            self._attr_translation_placeholders = {"name": key.removeprefix(INDEXER_PREFIX)}
        else:
            self._attr_translation_key = f"{key}_problem"

    @property
    def is_on(self) -> bool:
        """A problem when the last check failed."""
        return not self.coordinator.data[self._key].ok

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """The last error, in the service's own words."""
        return {"error": self.coordinator.data[self._key].error}
