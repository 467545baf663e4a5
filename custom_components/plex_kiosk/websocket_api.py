"""Websocket commands for the panel: follows, episodes, the week ahead, requests, upgrades."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import voluptuous as vol
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import (
    async_response,
    require_admin,
    websocket_command,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .ai.tools import User
from .answers import answer_proposal
from .const import DOMAIN
from .errors import ActionError
from .follow.views import coming_week, describe, describe_all, episodes_of
from .models import StoreData, encode
from .services import ATTR_CONFIG_ENTRY_ID, ATTR_FOLLOW_ID, entry_for, public_proposal

WEEK = timedelta(days=7)


def runtime_of(hass: HomeAssistant, msg: dict[str, Any]) -> Any:
    """The runtime data of the entry a message names (the only one by default)."""
    return entry_for(hass, msg.get(ATTR_CONFIG_ENTRY_ID)).runtime_data


@websocket_command(
    {vol.Required("type"): "plex_kiosk/follows", vol.Optional(ATTR_CONFIG_ENTRY_ID): str}
)
@callback
def ws_follows(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Every follow with its next episode."""
    connection.send_result(msg["id"], {"follows": describe_all(runtime_of(hass, msg).data)})


@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/follow",
        vol.Required(ATTR_FOLLOW_ID): str,
        vol.Optional(ATTR_CONFIG_ENTRY_ID): str,
    }
)
@callback
def ws_follow(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """One follow with all its episodes and their decisions."""
    manager = runtime_of(hass, msg).manager
    try:
        follow = manager.get(msg[ATTR_FOLLOW_ID])
    except HomeAssistantError as err:
        connection.send_error(msg["id"], ERR_NOT_FOUND, str(err))
        return
    episodes = [
        {
            **encode(e),
            "decision": encode(manager.data.decisions[e.decision_id])
            if e.decision_id in manager.data.decisions
            else None,
        }
        for e in episodes_of(manager.data, follow.id)
    ]
    connection.send_result(
        msg["id"], {"follow": describe(manager.data, follow), "episodes": episodes}
    )


@websocket_command(
    {vol.Required("type"): "plex_kiosk/upcoming", vol.Optional(ATTR_CONFIG_ENTRY_ID): str}
)
@callback
def ws_upcoming(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Episodes airing in the next 7 days."""
    data = runtime_of(hass, msg).data
    connection.send_result(
        msg["id"],
        {
            "episodes": [
                {**encode(e), "series": data.follows[e.follow_id].title}
                for e in coming_week(data, dt_util.utcnow())
            ]
        },
    )


@websocket_command(
    {vol.Required("type"): "plex_kiosk/requests", vol.Optional(ATTR_CONFIG_ENTRY_ID): str}
)
@callback
def ws_requests(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Every request with its status, newest first (a non-admin sees only their own)."""
    data = runtime_of(hass, msg).data
    user = connection.user
    requests = sorted(
        (r for r in data.requests.values() if user.is_admin or r.requested_by == user.id),
        key=lambda r: r.created_at,
        reverse=True,
    )
    connection.send_result(msg["id"], {"requests": [r.public() for r in requests]})


async def _run(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    service: str,
    data: dict[str, Any],
) -> None:
    """Run an action as the connection's user; errors keep their translation key."""
    try:
        result = await hass.services.async_call(
            DOMAIN,
            service,
            data,
            blocking=True,
            context=connection.context(msg),
            return_response=service not in ("unfollow", "remove_upgrade_rule"),
        )
    except (HomeAssistantError, vol.Invalid) as err:
        connection.async_handle_exception(msg, err)
        return
    connection.send_result(msg["id"], result)


@require_admin
@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/follow/remove",
        vol.Required(ATTR_FOLLOW_ID): str,
        vol.Optional(ATTR_CONFIG_ENTRY_ID): str,
    }
)
@async_response
async def ws_remove(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Stop following a show."""
    data = {k: msg[k] for k in (ATTR_FOLLOW_ID, ATTR_CONFIG_ENTRY_ID) if k in msg}
    await _run(hass, connection, msg, "unfollow", data)


@websocket_command(
    {vol.Required("type"): "plex_kiosk/upgrades", vol.Optional(ATTR_CONFIG_ENTRY_ID): str}
)
@callback
def ws_upgrades(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Candidates (the biggest gain first), rules, and the history (newest first)."""
    data = runtime_of(hass, msg).data
    connection.send_result(msg["id"], upgrades_view(data, hass.config.language))


def upgrades_view(data: StoreData, language: str) -> dict[str, Any]:
    """What the upgrades view shows, reasons in ``language``."""
    candidates = sorted(data.candidates.values(), key=lambda c: -c.gain)
    return {
        "candidates": [c.public(language) for c in candidates],
        "rules": [encode(r) for r in data.rules.values()],
        "history": [h.public(language) for h in data.history],
    }


def _admin_service(command: str, service: str) -> Any:
    """An admin-only command that runs an action with the message's ``data``."""

    @require_admin
    @websocket_command({vol.Required("type"): command, vol.Required("data"): dict})
    @async_response
    async def handler(
        hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
    ) -> None:
        await _run(hass, connection, msg, service, msg["data"])

    return handler


SERVICE_COMMANDS = tuple(
    _admin_service(command, service)
    for command, service in (
        ("plex_kiosk/follow/add", "follow"),
        ("plex_kiosk/follow/update", "update_follow"),
        ("plex_kiosk/upgrade/apply", "apply_upgrade"),
        ("plex_kiosk/upgrade/restore", "restore_upgrade"),
        ("plex_kiosk/upgrade_rule/add", "add_upgrade_rule"),
        ("plex_kiosk/upgrade_rule/update", "update_upgrade_rule"),
        ("plex_kiosk/upgrade_rule/remove", "remove_upgrade_rule"),
        ("plex_kiosk/analyse", "analyse"),
        ("plex_kiosk/recommendation/apply", "apply_recommendation"),
        ("plex_kiosk/recommendation/dismiss", "dismiss_recommendation"),
    )
)


@websocket_command(
    {vol.Required("type"): "plex_kiosk/reports", vol.Optional(ATTR_CONFIG_ENTRY_ID): str}
)
@callback
def ws_reports(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """The kept library reports, newest first, without their details."""
    reports = runtime_of(hass, msg).data.reports
    connection.send_result(
        msg["id"],
        {
            "reports": [
                {
                    "report_id": r.id,
                    "type": r.type,
                    "generated_at": r.at.isoformat(),
                    "health_score": r.health_score,
                    "trend": r.trend,
                    "issues": r.issue_counts,
                    "summary": r.summary,
                    "model": r.model,
                }
                for r in reversed(reports)
            ]
        },
    )


@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/report",
        vol.Optional("report_id"): str,
        vol.Optional(ATTR_CONFIG_ENTRY_ID): str,
    }
)
@callback
def ws_report(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """One report in full (the newest by default), its recommendations with their status."""
    try:
        report = runtime_of(hass, msg).analyst.report(msg.get("report_id"))
    except HomeAssistantError as err:
        connection.send_error(msg["id"], ERR_NOT_FOUND, str(err))
        return
    connection.send_result(msg["id"], {"report": report.public()})


@websocket_command(
    {vol.Required("type"): "plex_kiosk/recommendations", vol.Optional(ATTR_CONFIG_ENTRY_ID): str}
)
@callback
def ws_recommendations(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The latest report's recommendations still to decide (pending or approved)."""
    report = runtime_of(hass, msg).analyst.latest()
    open_ones = [
        {**encode(r), "report_id": report.id}
        for r in (report.recommendations if report else [])
        if r.status in ("pending", "approved")
    ]
    connection.send_result(msg["id"], {"recommendations": open_ones})


def _chat_user(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> User:
    user = connection.user
    return User(
        user.id, user.name or "", user.is_admin, msg.get("language") or hass.config.language
    )


@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/chat/send",
        vol.Required("message"): vol.All(str, vol.Length(min=1, max=2000)),
        vol.Optional("conversation_id"): str,
        vol.Optional("language"): str,
        vol.Optional(ATTR_CONFIG_ENTRY_ID): str,
    }
)
@callback
def ws_chat_send(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """A subscription: the answer comes as ``delta`` events as the model writes it (``tool``
    when it reads one), then one ``proposal`` event per proposal and ``done`` with the whole
    answer, or ``error``; unsubscribing cancels it."""
    runtime = runtime_of(hass, msg)
    user = _chat_user(hass, connection, msg)

    def emit(event: dict[str, Any]) -> None:
        connection.send_event(msg["id"], event)

    async def talk() -> None:
        try:
            reply = await runtime.assistant.send(
                user, msg["message"], msg.get("conversation_id"), emit
            )
        except HomeAssistantError as err:
            emit({"type": "error", "message": str(err)})
            return
        finally:
            runtime.store.save(runtime.data)
        for proposal in reply.proposals:
            emit({"type": "proposal", "proposal": public_proposal(proposal)})
        emit({"type": "done", "conversation_id": reply.conversation_id, "answer": reply.answer})

    connection.send_result(msg["id"])
    task = hass.async_create_task(talk(), "plex_kiosk chat")
    connection.subscriptions[msg["id"]] = task.cancel


def _proposal_command(kind: str) -> Any:
    """``plex_kiosk/chat/confirm`` or ``cancel``: the user's own pending proposal."""

    @websocket_command(
        {
            vol.Required("type"): f"plex_kiosk/chat/{kind}",
            vol.Required("proposal_id"): str,
            vol.Optional(ATTR_CONFIG_ENTRY_ID): str,
        }
    )
    @async_response
    async def handle(
        hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
    ) -> None:
        user = _chat_user(hass, connection, msg)
        try:
            answer = await answer_proposal(
                runtime_of(hass, msg), user, msg["proposal_id"], confirm=kind == "confirm"
            )
        except ActionError as err:
            if err.key != "no_proposal":
                raise
            connection.send_error(msg["id"], ERR_NOT_FOUND, str(err))
            return
        connection.send_result(msg["id"], answer)

    return handle


@websocket_command(
    {vol.Required("type"): "plex_kiosk/chat/history", vol.Optional(ATTR_CONFIG_ENTRY_ID): str}
)
@callback
def ws_chat_history(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """The user's own conversations, newest first."""
    runtime = runtime_of(hass, msg)
    user = _chat_user(hass, connection, msg)
    connection.send_result(
        msg["id"],
        {"conversations": [encode(c) for c in runtime.assistant.history(user)]},
    )


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the commands (once, from async_setup)."""
    for command in (
        ws_follows,
        ws_follow,
        ws_upcoming,
        ws_requests,
        ws_remove,
        ws_upgrades,
        ws_reports,
        ws_report,
        ws_recommendations,
        ws_chat_send,
        _proposal_command("confirm"),
        _proposal_command("cancel"),
        ws_chat_history,
        *SERVICE_COMMANDS,
    ):
        async_register_command(hass, command)
