"""An LLM API "Plex Kiosk" that any Home Assistant conversation agent (its own Ollama or
OpenAI integration) can be given: read-only tools answer from the real state; the one tool
that would change something only proposes, and the user confirms in the chat or the panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import voluptuous as vol
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import llm
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonObjectType

from .ai.tools import TOOLS, Tool
from .assistant import user_of
from .const import DOMAIN
from .services import public_proposal

if TYPE_CHECKING:
    from . import PlexKioskConfigEntry

API_ID = DOMAIN
PROMPT = (
    "Plex Kiosk runs the household's Plex library. Use its tools to answer about coming "
    "episodes, what Plex holds, downloads, follows, requests and the library's health. To "
    "follow a series, request a movie or upgrade a title, call plex_kiosk_propose: the user "
    "confirms it in the Plex Kiosk chat, the panel or a notification."
)


class _Tool(llm.Tool):
    """A tool of the entry."""

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


class Reading(_Tool):
    """One of the chat's read-only tools (:data:`TOOLS`), as the person talking sees it."""

    def __init__(self, entry: PlexKioskConfigEntry, tool: Tool) -> None:
        super().__init__(entry)
        self.tool = tool
        self.name = f"{DOMAIN}_{tool.name}"
        self.description = tool.description
        fields: dict[vol.Marker, type] = {vol.Required(arg): str for arg in tool.required}
        fields |= {vol.Optional(arg): str for arg in tool.optional}
        self.parameters = vol.Schema(fields)

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        user = await user_of(hass, llm_context.context or Context(), llm_context.language)
        return self.tool.read(self.entry.runtime_data.data, user, args, dt_util.utcnow())


class Propose(_Tool):
    """Propose following a series, requesting a movie or upgrading a title (never done
    here)."""

    name = "plex_kiosk_propose"
    description = (
        "Proposes to follow a series, request a movie or upgrade a library title; nothing "
        "happens until the user confirms it in the Plex Kiosk chat or panel"
    )
    parameters = vol.Schema(
        {
            vol.Required("action"): vol.In(["follow", "request", "upgrade"]),
            vol.Required("title"): str,
        }
    )

    async def answer(
        self, hass: HomeAssistant, args: dict[str, Any], llm_context: llm.LLMContext
    ) -> dict[str, Any]:
        user = await user_of(hass, llm_context.context or Context(), llm_context.language)
        reply = await self.entry.runtime_data.assistant.send(
            user, f"/{args['action']} {args['title']}"
        )
        self.entry.runtime_data.store.save(self.entry.runtime_data.data)
        return {
            "proposals": [public_proposal(p) for p in reply.proposals],
            "conversation_id": reply.conversation_id,
            "to_confirm": "in the Plex Kiosk chat or panel",
        }


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
            tools=[*(Reading(self.entry, tool) for tool in TOOLS.values()), Propose(self.entry)],
        )


def async_register(hass: HomeAssistant, entry: PlexKioskConfigEntry) -> None:
    """Offer the API while the entry is loaded (the first entry's, when there are several)."""
    if any(api.id == API_ID for api in llm.async_get_apis(hass)):
        return
    entry.async_on_unload(llm.async_register_api(hass, PlexKioskAPI(hass, entry)))
