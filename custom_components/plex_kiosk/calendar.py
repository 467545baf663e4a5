"""The calendar of followed episodes."""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from . import PlexKioskConfigEntry
from .coordinator import FollowCoordinator
from .entity import PlexKioskEntity
from .follow.views import SERIES_RUNTIME, episode_label, runtime
from .models import EpisodeRelease

PARALLEL_UPDATES = 0
# What an event says, in Home Assistant's language (English when it is neither).
TEXT = {
    "en": {
        "status": "Status: ", "release": "Release: ",
        "pending": "upcoming", "searching": "searching", "downloading": "downloading",
        "completed": "in Plex", "failed": "no release found",
    },
    "fr": {
        "status": "Statut : ", "release": "Version : ",
        "pending": "à venir", "searching": "recherche", "downloading": "téléchargement",
        "completed": "dans Plex", "failed": "aucune version trouvée",
    },
}  # fmt: skip


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexKioskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One calendar per entry."""
    async_add_entities([EpisodeCalendar(entry.runtime_data.follows)])


class EpisodeCalendar(PlexKioskEntity[FollowCoordinator], CalendarEntity):
    """Every followed episode, at its air time, with its status and chosen release."""

    _attr_translation_key = "episodes"

    def __init__(self, coordinator: FollowCoordinator) -> None:
        """The episodes calendar."""
        super().__init__(coordinator, "episodes")

    def _event(self, episode: EpisodeRelease) -> CalendarEvent | None:
        follow = self.coordinator.manager.data.follows.get(episode.follow_id)
        if follow is None or episode.air_time is None:
            return None
        label = episode_label(follow, episode)
        summary = f"{label} \u2013 {episode.title}" if episode.title else label
        text = TEXT.get(self.hass.config.language.split("-")[0], TEXT["en"])
        lines = [text["status"] + text.get(episode.status, episode.status)]
        if episode.release_name:
            lines.append(text["release"] + episode.release_name)
        start = dt_util.as_local(episode.air_time)
        minutes = runtime(follow)
        return CalendarEvent(
            start=start,
            end=start + timedelta(minutes=minutes),
            summary=summary,
            description="\n".join(lines),
            uid=episode.id,
        )

    @property
    def event(self) -> CalendarEvent | None:
        """The next episode to air (or the one airing)."""
        now = dt_util.utcnow()
        current = [
            e
            for e in self.coordinator.manager.data.episodes.values()
            if e.air_time and e.air_time + timedelta(minutes=SERIES_RUNTIME) >= now
        ]
        nearest = min(current, key=lambda e: e.air_time or now, default=None)
        return self._event(nearest) if nearest else None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Episodes airing between two instants."""
        events = [
            self._event(e)
            for e in self.coordinator.manager.data.episodes.values()
            if e.air_time
            and start_date <= e.air_time + timedelta(minutes=1)
            and e.air_time < end_date
        ]
        return sorted((e for e in events if e), key=lambda e: e.start)
