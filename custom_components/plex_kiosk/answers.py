"""Answers from notification buttons. A tap on a phone comes back as a
``mobile_app_notification_action`` event; the "buttons" blueprint passes its action id
(``plex_kiosk:<verb>:<kind>:<id>``) and the tapping person to ``plex_kiosk.answer``, which runs
the answer as that person through the same paths as the chat and the panel: their
permissions and limits apply, whoever runs the automation."""

from __future__ import annotations

import re
from typing import Any

import voluptuous as vol
from homeassistant.core import (
    Context,
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)

from .ai.tools import User
from .const import DOMAIN
from .errors import ActionError
from .permissions import AdminOnly, caller_of
from .services import ATTR_CONFIG_ENTRY_ID, KEY, entry_for, public_proposal

ANSWER = re.compile(
    rf"^{DOMAIN}:(confirm|cancel|apply|dismiss):(proposal|upgrade|recommendation):(.{{1,300}})$"
)
ROUTES = {  # (verb, kind) → the action and its id field
    ("apply", "upgrade"): ("apply_upgrade", "candidate_id"),
    ("dismiss", "upgrade"): ("dismiss_upgrade", "candidate_id"),
    ("apply", "recommendation"): ("apply_recommendation", "recommendation_id"),
    ("dismiss", "recommendation"): ("dismiss_recommendation", "recommendation_id"),
}
ANSWER_SCHEMA = vol.Schema(
    {
        vol.Required("answer"): vol.All(str, vol.Length(max=400)),
        vol.Optional("user_id"): vol.Any(None, "", KEY),
        vol.Optional(ATTR_CONFIG_ENTRY_ID): KEY,
    }
)


async def tapper(call: ServiceCall) -> User:
    """Who answers: the person calling, or — from an automation — the person it names (who
    tapped the button; only an administrator can write an automation or fire its event).
    Nobody may answer as someone else."""
    hass = call.hass
    caller = await caller_of(hass, call.context)
    named = call.data.get("user_id") or None
    if caller.user_id is not None and named not in (None, caller.user_id):
        raise AdminOnly(call.context, "answer_as_another")
    if caller.user_id is None and named is None:
        raise ActionError("answer_without_user")
    person = await hass.auth.async_get_user(named or caller.user_id or "")
    if person is None:
        raise AdminOnly(call.context, "unknown_user")
    return User(person.id, person.name or "", person.is_admin, hass.config.language)


async def _answer(call: ServiceCall) -> ServiceResponse:
    match = ANSWER.match(call.data["answer"])
    if match is None:
        raise ActionError("unknown_answer", answer=call.data["answer"][:80])
    verb, kind, key = match.groups()
    user = await tapper(call)
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    if kind == "proposal" and verb in ("confirm", "cancel"):
        return await answer_proposal(entry.runtime_data, user, key, confirm=verb == "confirm")
    if (verb, kind) not in ROUTES:
        raise ActionError("unknown_answer", answer=call.data["answer"][:80])
    action, field = ROUTES[(verb, kind)]
    result: Any = await call.hass.services.async_call(
        DOMAIN,
        action,
        {field: key, ATTR_CONFIG_ENTRY_ID: entry.entry_id},
        blocking=True,
        context=Context(user_id=user.id),
        return_response=True,
    )
    return {"answered": action, "result": result}


async def answer_proposal(
    runtime: Any, user: User, proposal_id: str, *, confirm: bool
) -> dict[str, Any]:
    """Confirm or cancel a proposal ``user`` may answer (else ``no_proposal``)."""
    proposal = runtime.assistant.pending(user, proposal_id)
    if proposal is None:
        raise ActionError("no_proposal")
    try:
        if confirm:
            result = await runtime.assistant.confirm(user, proposal)
        else:
            runtime.assistant.cancel(proposal)
            result = None
    finally:
        runtime.store.save(runtime.data)
    return {"proposal": public_proposal(proposal), "result": result}


@callback
def async_setup_answers(hass: HomeAssistant) -> None:
    """Register ``plex_kiosk.answer`` (for everyone: the answer checks who taps)."""
    hass.services.async_register(
        DOMAIN, "answer", _answer, ANSWER_SCHEMA, SupportsResponse.OPTIONAL
    )
