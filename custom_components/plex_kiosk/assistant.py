"""The chat's ties to Home Assistant: who talks, the actions a confirmed proposal runs (as
its user, so their permissions and limits apply), and the title lookups of ``/cherche``."""

from __future__ import annotations

from typing import Any

from homeassistant.core import Context, HomeAssistant, SupportsResponse
from homeassistant.util import dt as dt_util

from .acquire.lookup import find_by_title
from .ai.chat import Assistant
from .ai.llm import LLM
from .ai.tools import User
from .clients.bundle import Connections
from .clients.errors import ClientError
from .const import DOMAIN, EVENT_PROPOSAL
from .errors import ServiceDown
from .models import Proposal, StoreData
from .permissions import caller_of

MAX_HITS = 5  # of each kind


async def user_of(hass: HomeAssistant, context: Context, language: str | None = None) -> User:
    """The person talking (an automation talks as the system, an administrator)."""
    caller = await caller_of(hass, context)
    return User(
        caller.user_id or "",
        caller.name or "Home Assistant",
        caller.is_admin,
        language or hass.config.language,
    )


def create_assistant(
    hass: HomeAssistant, entry_id: str, conns: Connections, data: StoreData, llm: LLM | None
) -> Assistant:
    """The entry's assistant."""
    from .services import ACTIONS  # noqa: PLC0415  (services imports this module's users)

    async def run(action: str, data: dict[str, Any], user_id: str) -> Any:
        return await hass.services.async_call(
            DOMAIN,
            action,
            {**data, "config_entry_id": entry_id},
            blocking=True,
            context=Context(user_id=user_id or None),
            return_response=ACTIONS[action][2] is not SupportsResponse.NONE,
        )

    async def find_titles(query: str) -> list[dict[str, Any]]:
        hits: list[dict[str, Any]] = []
        try:
            shows = await find_by_title(conns, query)
        except ServiceDown:
            shows = []
        hits += [{"kind": "series", "title": s.title, "year": s.year} for s in shows[:MAX_HITS]]
        if conns.tmdb is not None:
            try:
                movies = await conns.tmdb.search("movie", query)
            except ClientError:
                movies = []
            hits += [{"kind": "movie", "title": m.title, "year": m.year} for m in movies[:MAX_HITS]]
        return hits

    def announce(proposal: Proposal, user: User) -> None:
        hass.bus.async_fire(EVENT_PROPOSAL, proposal_event(proposal, user))

    return Assistant(data, llm, run, find_titles, dt_util.utcnow, announce=announce)


def answer_id(verb: str, kind: str, key: str) -> str:
    """What a notification button sends back (``plex_kiosk.answer`` reads it)."""
    return f"{DOMAIN}:{verb}:{kind}:{key}"


def proposal_event(proposal: Proposal, user: User) -> dict[str, Any]:
    """A new proposal as automations see it, with its two answers' button ids."""
    return {
        "proposal_id": proposal.id,
        "action": proposal.action,
        "summary": proposal.summary,
        "approval": proposal.approval,
        "user_id": proposal.user_id,
        "user_name": user.name,
        "confirm": answer_id("confirm", "proposal", proposal.id),
        "cancel": answer_id("cancel", "proposal", proposal.id),
    }
