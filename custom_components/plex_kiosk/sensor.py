"""Sensors of the follows: how many, the next episode, waiting and failed episodes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfDataRate
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback

from . import PlexKioskConfigEntry
from .coordinator import DownloadsCoordinator, DownloadStats, FollowCoordinator, FollowStats
from .entity import PlexKioskEntity
from .follow.manager import FollowManager, episode_label

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class FollowSensorDescription(SensorEntityDescription):
    """A follow sensor: its value from the stats, its attributes from the manager."""

    value: Callable[[FollowStats, FollowManager], int | datetime | None]
    attributes: Callable[[FollowStats, FollowManager], dict[str, Any]] = lambda s, m: {}


def _next_episode_time(stats: FollowStats, manager: FollowManager) -> datetime | None:
    episode = manager.data.episodes.get(stats.next_episode_id or "")
    return episode.air_time if episode else None


def _next_episode_attributes(stats: FollowStats, manager: FollowManager) -> dict[str, Any]:
    episode = manager.data.episodes.get(stats.next_episode_id or "")
    follow = manager.data.follows.get(episode.follow_id) if episode else None
    if episode is None or follow is None:
        return {}
    return {
        "series": follow.title,
        "episode": episode_label(follow, episode),
        "season": episode.season,
        "number": episode.episode,
        "absolute": episode.absolute,
        "title": episode.title,
    }


SENSORS = (
    FollowSensorDescription(
        key="followed_series",
        translation_key="followed_series",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda s, m: s.followed,
    ),
    FollowSensorDescription(
        key="next_episode",
        translation_key="next_episode",
        device_class=SensorDeviceClass.TIMESTAMP,
        value=_next_episode_time,
        attributes=_next_episode_attributes,
    ),
    FollowSensorDescription(
        key="episodes_waiting",
        translation_key="episodes_waiting",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda s, m: s.waiting,
    ),
    FollowSensorDescription(
        key="episodes_failed",
        translation_key="episodes_failed",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda s, m: s.failed_last_week,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: PlexKioskConfigEntry, async_add_entities: AddEntitiesCallback
) -> None:
    """The follow and download sensors."""
    coordinator = entry.runtime_data.follows
    async_add_entities(FollowSensor(coordinator, description) for description in SENSORS)
    downloads = entry.runtime_data.downloads
    async_add_entities(DownloadSensor(downloads, description) for description in DOWNLOAD_SENSORS)


class FollowSensor(PlexKioskEntity[FollowCoordinator], SensorEntity):
    """One figure about the follows."""

    entity_description: FollowSensorDescription

    def __init__(
        self, coordinator: FollowCoordinator, description: FollowSensorDescription
    ) -> None:
        """Keyed by the description."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> int | datetime | None:
        """The figure."""
        return self.entity_description.value(self.coordinator.data, self.coordinator.manager)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Details (the next episode's series and number)."""
        return self.entity_description.attributes(self.coordinator.data, self.coordinator.manager)


@dataclass(frozen=True, kw_only=True)
class DownloadSensorDescription(SensorEntityDescription):
    """A download sensor."""

    value: Callable[[DownloadStats], int]


DOWNLOAD_SENSORS = (
    DownloadSensorDescription(
        key="active_downloads",
        translation_key="active_downloads",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda s: s.active,
    ),
    DownloadSensorDescription(
        key="download_speed",
        translation_key="download_speed",
        device_class=SensorDeviceClass.DATA_RATE,
        native_unit_of_measurement=UnitOfDataRate.BYTES_PER_SECOND,
        suggested_unit_of_measurement=UnitOfDataRate.MEGABYTES_PER_SECOND,
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda s: s.speed,
    ),
)


class DownloadSensor(PlexKioskEntity[DownloadsCoordinator], SensorEntity):
    """Active downloads and their total speed."""

    entity_description: DownloadSensorDescription

    def __init__(
        self, coordinator: DownloadsCoordinator, description: DownloadSensorDescription
    ) -> None:
        """Keyed by the description."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> int:
        """The figure."""
        return self.entity_description.value(self.coordinator.data)
