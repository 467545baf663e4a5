"""Voice (Assist): what is coming this week, what is new, whether a title is in Plex, the
downloads, a movie request and a series follow — answered from the real state, in the
sentence's language. Requests and follows run as the speaker's own actions (their limits and
permissions apply). Every handler is also a tool of Home Assistant's Assist LLM API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import voluptuous as vol
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import intent
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine.selection import normalize_title
from .follow.views import episode_label, next_episode
from .services import entry_for

DAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MAX_SPOKEN = 8


def _say(intent_obj: intent.Intent, fr: str, en: str) -> intent.IntentResponse:
    response = intent_obj.create_response()
    response.async_set_speech(fr if intent_obj.language.startswith("fr") else en)
    return response


def _listed(items: list[str], fr: bool) -> str:
    shown = items[:MAX_SPOKEN]
    more = len(items) - len(shown)
    text = ", ".join(shown)
    if more:
        text += f" et {more} autres" if fr else f" and {more} more"
    return text


class _Handler(intent.IntentHandler):
    """A Plex Kiosk intent: the loaded entry's runtime, the title slot when there is one."""

    platforms = None

    def runtime(self, intent_obj: intent.Intent) -> Any:
        return entry_for(intent_obj.hass, None).runtime_data

    @staticmethod
    def title(intent_obj: intent.Intent) -> str:
        return str(intent_obj.slots.get("title", {}).get("value") or "").strip()


class Upcoming(_Handler):
    """Episodes of followed series airing in the next seven days."""

    intent_type = "PlexKioskUpcoming"
    description = "Lists the episodes of followed series that air in the next seven days"

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        data = self.runtime(intent_obj).data
        now = dt_util.now()
        fr = intent_obj.language.startswith("fr")
        days = DAYS["fr" if fr else "en"]
        coming = [
            f"{episode_label(data.follows[e.follow_id], e)} "
            f"{days[dt_util.as_local(e.air_time).weekday()]}"
            for e in sorted(data.episodes.values(), key=lambda e: e.air_time or now)
            if e.air_time
            and now <= e.air_time <= now + timedelta(days=7)
            and e.follow_id in data.follows
        ]
        if not coming:
            return _say(intent_obj, "Rien cette semaine.", "Nothing this week.")
        return _say(
            intent_obj,
            f"Cette semaine : {_listed(coming, True)}.",
            f"This week: {_listed(coming, False)}.",
        )


class Recent(_Handler):
    """What was imported into Plex lately."""

    intent_type = "PlexKioskRecent"
    description = "Says what Plex Kiosk added to the Plex library in the last seven days"

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        data = self.runtime(intent_obj).data
        since = dt_util.utcnow() - timedelta(days=7)
        new = [
            d.name
            for d in sorted(  # the newest first
                data.downloads.values(), key=lambda d: d.completed_at or since, reverse=True
            )
            if d.state == "imported" and d.completed_at and d.completed_at >= since
        ]
        if not new:
            return _say(intent_obj, "Rien de nouveau cette semaine.", "Nothing new this week.")
        return _say(intent_obj, f"Nouveau : {_listed(new, True)}.", f"New: {_listed(new, False)}.")


class InLibrary(_Handler):
    """Whether a title is in Plex, or when a followed series' next episode airs."""

    intent_type = "PlexKioskInLibrary"
    description = "Says whether a movie or series is in Plex, and when its next episode airs"

    @property
    def slot_schema(self) -> dict[Any, Any]:
        return {vol.Required("title"): cv.string}

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        runtime = self.runtime(intent_obj)
        wanted = normalize_title(self.title(intent_obj))
        held = sorted(
            {
                f"{p.title} ({p.year})" if p.year and p.media_type == "movie" else p.title
                for p in runtime.data.profiles.values()
                if normalize_title(p.title) == wanted
            }
        )
        follow = next(
            (f for f in runtime.data.follows.values() if normalize_title(f.title) == wanted),
            None,
        )
        fr = intent_obj.language.startswith("fr")
        parts = []
        if held:
            parts.append(
                f"Oui, {' et '.join(held)} est dans Plex."
                if fr
                else f"Yes, {' and '.join(held)} is in Plex."
            )
        if follow is not None and (coming := next_episode(runtime.data, follow.id)):
            day = DAYS["fr" if fr else "en"][
                dt_util.as_local(coming.air_time or dt_util.utcnow()).weekday()
            ]
            label = episode_label(follow, coming)
            parts.append(f"Prochain épisode : {label}, {day}." if fr else f"Next: {label}, {day}.")
        if not parts:
            title = self.title(intent_obj)
            return _say(
                intent_obj,
                f"Non, {title} n'est pas dans Plex.",
                f"No, {title} is not in Plex.",
            )
        return _say(intent_obj, " ".join(parts), " ".join(parts))


class Downloads(_Handler):
    """What is downloading, and how far along."""

    intent_type = "PlexKioskDownloads"
    description = "Says what Plex Kiosk is downloading and how far each download is"

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        runtime = self.runtime(intent_obj)
        active = runtime.downloads.acquirer.active()
        said = [f"{d.name} {round((d.progress or 0) * 100)} %" for d in active]
        if not said:
            return _say(intent_obj, "Aucun téléchargement en cours.", "Nothing is downloading.")
        return _say(
            intent_obj,
            f"En cours : {_listed(said, True)}.",
            f"Downloading: {_listed(said, False)}.",
        )


class _Acting(_Handler):
    """An intent that runs one of the actions as the speaker."""

    action = ""

    @property
    def slot_schema(self) -> dict[Any, Any]:
        return {vol.Required("title"): cv.string}

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        title = self.title(intent_obj)
        try:
            await intent_obj.hass.services.async_call(
                DOMAIN,
                self.action,
                {"title": title},
                blocking=True,
                context=intent_obj.context,
                return_response=True,
            )
        except HomeAssistantError as err:
            return _say(intent_obj, f"Impossible : {err}", f"Cannot do it: {err}")
        return self.done(intent_obj, title)

    def done(self, intent_obj: intent.Intent, title: str) -> intent.IntentResponse:
        raise NotImplementedError


class RequestMovie(_Acting):
    """Request a movie (a family member's daily limit applies)."""

    intent_type = "PlexKioskRequestMovie"
    description = "Requests a movie: Plex Kiosk searches, downloads and adds it to Plex"
    action = "request"

    def done(self, intent_obj: intent.Intent, title: str) -> intent.IntentResponse:
        return _say(intent_obj, f"C'est demandé : {title}.", f"Requested: {title}.")


class FollowSeries(_Acting):
    """Follow a series (administrators only)."""

    intent_type = "PlexKioskFollowSeries"
    description = "Follows a series: each new episode is downloaded into Plex (admins only)"
    action = "follow"

    def done(self, intent_obj: intent.Intent, title: str) -> intent.IntentResponse:
        return _say(intent_obj, f"{title} est suivie.", f"{title} is followed.")


HANDLERS = (Upcoming, Recent, InLibrary, Downloads, RequestMovie, FollowSeries)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents (Home Assistant's intent component calls this platform)."""
    for handler in HANDLERS:
        intent.async_register(hass, handler())
