"""Sensors: followed series, the next episode, waiting and failed episodes, downloads,
upgrades available, the library's health and items, the model's calls."""

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
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from . import PlexKioskConfigEntry
from .coordinator import DownloadsCoordinator, FollowCoordinator
from .entity import PlexKioskEntity
from .follow.views import episode_label
from .models import LibraryReport

PARALLEL_UPDATES = 0
BEST_UPGRADES = 5


@dataclass(frozen=True, kw_only=True)
class KioskSensorDescription[C](SensorEntityDescription):
    """A sensor read from its coordinator."""

    value: Callable[[C], int | str | datetime | None]
    attributes: Callable[[C], dict[str, Any]] = lambda coordinator: {}


def _next_episode(coordinator: FollowCoordinator) -> Any:
    return coordinator.manager.data.episodes.get(coordinator.data.next_episode_id or "")


def _next_episode_attributes(coordinator: FollowCoordinator) -> dict[str, Any]:
    episode = _next_episode(coordinator)
    follow = coordinator.manager.data.follows.get(episode.follow_id) if episode else None
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


def _next_episode_title(coordinator: FollowCoordinator) -> str | None:
    """``Slow Horses S05E03 - Tall Tales`` (an en dash): which episode, at a glance."""
    attributes = _next_episode_attributes(coordinator)
    if not attributes:
        return None
    label, title = attributes["episode"], attributes["title"]
    return (f"{label} \u2013 {title}" if title else label)[:255]


def _upgrades_attributes(coordinator: FollowCoordinator) -> dict[str, Any]:
    best = coordinator.upgrades.available()[:BEST_UPGRADES]
    return {
        "best": [
            {
                "candidate_id": c.id,
                "title": c.title,
                "release": c.release_name,
                "gain": c.gain,
                "rule_id": c.rule_id,
            }
            for c in best
        ]
    }


def _report(coordinator: FollowCoordinator) -> LibraryReport | None:
    reports = coordinator.manager.data.reports
    return reports[-1] if reports else None


def _report_attributes(coordinator: FollowCoordinator) -> dict[str, Any]:
    report = _report(coordinator)
    if report is None:
        return {}
    return {
        "report_id": report.id,
        "generated_at": report.at.isoformat(),
        "trend": report.trend,
        **report.issue_counts,
        "summary": report.summary[:255],
    }


FOLLOW_SENSORS: tuple[KioskSensorDescription[FollowCoordinator], ...] = (
    KioskSensorDescription(
        key="followed_series",
        translation_key="followed_series",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda c: c.data.followed,
    ),
    KioskSensorDescription(
        key="next_episode",
        translation_key="next_episode",
        device_class=SensorDeviceClass.TIMESTAMP,
        value=lambda c: episode.air_time if (episode := _next_episode(c)) else None,
        attributes=_next_episode_attributes,
    ),
    KioskSensorDescription(
        key="next_episode_title",
        translation_key="next_episode_title",
        value=_next_episode_title,
    ),
    KioskSensorDescription(
        key="episodes_waiting",
        translation_key="episodes_waiting",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda c: c.data.waiting,
    ),
    KioskSensorDescription(
        key="episodes_failed",
        translation_key="episodes_failed",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda c: c.data.failed_last_week,
    ),
    KioskSensorDescription(
        key="upgrades_available",
        translation_key="upgrades_available",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda c: c.data.upgrades,
        attributes=_upgrades_attributes,
    ),
    KioskSensorDescription(
        key="library_health",
        translation_key="library_health",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement="%",
        value=lambda c: report.health_score if (report := _report(c)) else None,
        attributes=_report_attributes,
    ),
    KioskSensorDescription(
        key="library_items",
        translation_key="library_items",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda c: c.data.items,
        attributes=lambda c: {"audio_classes": c.upgrades.audio_classes()},
    ),
)


AI_SENSORS: tuple[KioskSensorDescription[FollowCoordinator], ...] = (
    KioskSensorDescription(
        key="ai_calls",
        translation_key="ai_calls",
        state_class=SensorStateClass.TOTAL_INCREASING,  # back to 0 at midnight UTC: a reset
        value=lambda c: c.ai_summary()["calls_today"],
        attributes=lambda c: {k: v for k, v in c.ai_summary().items() if k != "calls_today"},
    ),
)
DOWNLOAD_SENSORS: tuple[KioskSensorDescription[DownloadsCoordinator], ...] = (
    KioskSensorDescription(
        key="active_downloads",
        translation_key="active_downloads",
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda c: c.data.active,
    ),
    KioskSensorDescription(
        key="download_speed",
        translation_key="download_speed",
        entity_registry_enabled_default=False,  # changes every 30 s: its history is heavy
        suggested_display_precision=1,
        device_class=SensorDeviceClass.DATA_RATE,
        native_unit_of_measurement=UnitOfDataRate.BYTES_PER_SECOND,
        suggested_unit_of_measurement=UnitOfDataRate.MEGABYTES_PER_SECOND,
        state_class=SensorStateClass.MEASUREMENT,
        value=lambda c: c.data.speed,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexKioskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The follow and download sensors, and the model's calls when the AI is on."""
    follows, downloads = entry.runtime_data.follows, entry.runtime_data.downloads
    async_add_entities(KioskSensor(follows, description) for description in FOLLOW_SENSORS)
    if entry.runtime_data.llm is not None:
        async_add_entities(KioskSensor(follows, description) for description in AI_SENSORS)
    async_add_entities(KioskSensor(downloads, description) for description in DOWNLOAD_SENSORS)


class KioskSensor[C: DataUpdateCoordinator[Any]](PlexKioskEntity[C], SensorEntity):
    """One figure of a coordinator."""

    entity_description: KioskSensorDescription[C]

    def __init__(self, coordinator: C, description: KioskSensorDescription[C]) -> None:
        """Keyed by the description."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    @property
    def native_value(self) -> int | str | datetime | None:
        """The figure."""
        return self.entity_description.value(self.coordinator)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Details (the next episode's series and number)."""
        return self.entity_description.attributes(self.coordinator)
