"""Who may do what: admins and the system (automations, scripts) everything; any other user
may request (within the daily limit), search without grabbing, and read.

Every action, websocket command and (later) intent or LLM tool goes through :func:`caller_of`
and :func:`require_admin`, so the rule lives in one place."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import wraps
from typing import Any

from homeassistant.core import Context, HomeAssistant, ServiceCall, ServiceResponse
from homeassistant.exceptions import Unauthorized
from homeassistant.helpers.trace import trace_id_get

from .const import DOMAIN


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks. No user is Home Assistant itself: admin rights (Home Assistant's own rule),
    and free of the daily request limit only inside an automation or a script run."""

    user_id: str | None
    name: str | None
    is_admin: bool
    limited: bool


SYSTEM = Caller(None, None, is_admin=True, limited=False)  # an automation or a script
UNATTENDED = Caller(None, None, is_admin=True, limited=True)  # no user, no automation


class AdminOnly(Unauthorized):
    """A non-admin user asked for something only an admin may do (translated)."""

    def __init__(self, context: Context, action: str) -> None:
        """``action`` names what was refused."""
        super().__init__(context=context, permission=f"{DOMAIN}.{action}")
        self.generate_message = True  # str() is the translated message
        self.translation_domain = DOMAIN
        self.translation_key = "admin_only"
        self.translation_placeholders = {"action": action}


async def caller_of(hass: HomeAssistant, context: Context) -> Caller:
    """The user behind ``context``; an unknown user is refused."""
    if context.user_id is None:  # an automation or a script runs with a trace of its own
        return SYSTEM if trace_id_get() is not None else UNATTENDED
    user = await hass.auth.async_get_user(context.user_id)
    if user is None:
        raise AdminOnly(context, "unknown_user")
    return Caller(user.id, user.name, user.is_admin, limited=not user.is_admin)


async def require_admin(hass: HomeAssistant, context: Context, action: str) -> None:
    """Refuse (:class:`AdminOnly`) unless the caller is an admin or the system."""
    if not (await caller_of(hass, context)).is_admin:
        raise AdminOnly(context, action)


type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]


def admin_action(handler: Handler) -> Handler:
    """An action only admins and the system may call."""

    @wraps(handler)
    async def checked(call: ServiceCall) -> ServiceResponse:
        await require_admin(call.hass, call.context, call.service)
        return await handler(call)

    return checked
