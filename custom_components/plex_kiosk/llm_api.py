"""An LLM API "Plex Kiosk" that any Home Assistant conversation agent (its own Ollama or
OpenAI integration) can be given: read-only tools answer from the real state; the one tool
that would change something only proposes, and the user confirms in the chat or the panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import voluptuous as vol
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import llm
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonObjectType

from .assistant import user_of
from .const import DOMAIN
from .engine.selection import normalize_title
from .follow.views import coming_week, episode_label
from .services import public_proposal

if TYPE_CHECKING:
    from . import PlexKioskConfigEntry

API_ID = DOMAIN
PROMPT = (
    "Plex Kiosk runs the household's Plex library. Use its tools to answer about coming "
    "episodes, what Plex holds, downloads and the library's health. To follow a series or "
    "request a movie, call plex_kiosk_propose: the user confirms it in the Plex Kiosk chat."
)


class _Tool(llm.Tool):
    """A tool reading the entry's state."""

    def __init__(self, entry: PlexKioskConfigEntry) -> None:
        self.entry = entry

    async def async_call(
        self, hass: HomeAssistant, tool_input: llm.ToolInput, llm_context: llm.LLMContext
    ) -> JsonObjectType:
        return cast(JsonObjectType, await self.answer(hass, tool_input.tool_args, llm_context))

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        raise NotImplementedError


class Upcoming(_Tool):
    """Episodes of followed series airing in the next seven days."""

    name = "plex_kiosk_upcoming"
    description = "Episodes of the followed series that air in the next seven days"

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        data, now = self.entry.runtime_data.data, dt_util.utcnow()
        return {
            "episodes": [
                {"episode": episode_label(data.follows[e.follow_id], e), "airs": str(e.air_time)}
                for e in coming_week(data, now)
            ][:30]
        }


class Library(_Tool):
    """Whether a title is in Plex, and in which quality; whether it is followed."""

    name = "plex_kiosk_library"
    description = "Looks a movie or series up in the Plex library (quality, audio) and follows"
    parameters = vol.Schema({vol.Required("title"): str})

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        data = self.entry.runtime_data.data
        wanted = normalize_title(str(args["title"]))
        items = [
            {"title": p.title, "year": p.year, "resolution": p.resolution, "audio": p.audio_class}
            for p in data.profiles.values()
            if wanted in normalize_title(p.title)
        ][:20]
        followed = [f.title for f in data.follows.values() if wanted in normalize_title(f.title)]
        return {"in_plex": items, "followed": followed}


class Downloads(_Tool):
    """Active downloads and how far along they are."""

    name = "plex_kiosk_downloads"
    description = "What Plex Kiosk is downloading now, with progress"

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        active = self.entry.runtime_data.downloads.acquirer.active()
        return {"downloads": [{"name": d.name, "progress": round(d.progress, 3)} for d in active]}


class Report(_Tool):
    """The latest library health report."""

    name = "plex_kiosk_report"
    description = "The latest library health report: score, summary, first recommendations"

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        reports = self.entry.runtime_data.data.reports
        if not reports:
            return {"report": None}
        latest = reports[-1]
        return {
            "health_score": latest.health_score,
            "summary": latest.summary,
            "recommendations": [f"{r.title}: {r.description}" for r in latest.recommendations[:5]],
        }


class Propose(_Tool):
    """Propose following a series or requesting a movie (never done here)."""

    name = "plex_kiosk_propose"
    description = (
        "Proposes to follow a series or request a movie; nothing happens until the user "
        "confirms it in the Plex Kiosk chat or panel"
    )
    parameters = vol.Schema(
        {vol.Required("action"): vol.In(["follow", "request"]), vol.Required("title"): str}
    )

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        user = await user_of(hass, llm_context.context or Context(), llm_context.language)
        verb = "/suivre" if args["action"] == "follow" else "/demande"
        reply = await self.entry.runtime_data.assistant.send(user, f"{verb} {args['title']}")
        self.entry.runtime_data.store.save(self.entry.runtime_data.data)
        return {
            "proposals": [public_proposal(p) for p in reply.proposals],
            "conversation_id": reply.conversation_id,
            "to_confirm": "in the Plex Kiosk chat or panel",
        }


TOOLS: tuple[Callable[[PlexKioskConfigEntry], llm.Tool], ...] = (
    Upcoming,
    Library,
    Downloads,
    Report,
    Propose,
)


class PlexKioskAPI(llm.API):
    """The tools of one Plex Kiosk entry."""

    def __init__(self, hass: HomeAssistant, entry: PlexKioskConfigEntry) -> None:
        super().__init__(hass=hass, id=API_ID, name="Plex Kiosk")
        self.entry = entry

    async def async_get_api_instance(self, llm_context: llm.LLMContext) -> llm.APIInstance:
        """The tools, for one conversation."""
        return llm.APIInstance(
            api=self,
            api_prompt=PROMPT,
            llm_context=llm_context,
            tools=[tool(self.entry) for tool in TOOLS],
        )


def async_register(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> None:
    """Offer the API while the entry is loaded (the first entry's, when there are several)."""
    if any(api.id == API_ID for api in llm.async_get_apis(hass)):
        return
    entry.async_on_unload(llm.async_register_api(hass, PlexKioskAPI(hass, entry)))
