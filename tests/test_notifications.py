"""Phone notifications with buttons, through the shipped blueprints and real automations:
a tap comes back as the Companion app's event and is answered as the person who tapped —
a family member cannot approve their own over-limit request nor apply an upgrade; the
voice blueprint requests for the person who speaks, within their limit."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components import conversation
from homeassistant.components.blueprint import models
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError, Unauthorized
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_mock_service,
)

from custom_components.plex_kiosk.const import CONF_REQUEST_LIMIT, DOMAIN
from custom_components.plex_kiosk.models import CandidateStatus
from tests.test_blueprints import FOLDER, load
from tests.test_upgrades import call, candidate_for, proposed
from tests.test_voice import say


async def automations(hass: HomeAssistant, **blueprints: dict[str, Any]) -> None:
    """One automation per blueprint (file stem → inputs), as a user would make them."""
    configs = [
        models.BlueprintInputs(
            load(FOLDER / f"{name}.yaml"),
            {"use_blueprint": {"path": f"{name}.yaml", "input": inputs}},
        ).async_substitute()
        for name, inputs in blueprints.items()
    ]
    assert await async_setup_component(hass, "automation", {"automation": configs})


async def tap(hass: HomeAssistant, action: str, user_id: str | None) -> None:
    """A button tapped in the Companion app of ``user_id`` (the event it fires)."""
    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": action}, context=Context(user_id=user_id)
    )
    await hass.async_block_till_done()


async def request_as(hass: HomeAssistant, user_id: str, **data: Any) -> Any:
    """The request action as ``user_id``."""
    return await hass.services.async_call(
        DOMAIN, "request", data, blocking=True, context=Context(user_id=user_id),
        return_response=True,
    )  # fmt: skip


async def limit(hass: HomeAssistant, entry: MockConfigEntry, count: int) -> None:
    """The daily request limit of family members (the entry reloads)."""
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_REQUEST_LIMIT: count}
    )
    await hass.async_block_till_done()


async def test_an_over_limit_request_is_approved_from_a_phone(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    phone: str,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    """Over their limit, a member's request waits: the administrator's phone gets Approve
    and Refuse buttons. The member's own tap, or a tap without a user, approves nothing;
    the administrator's makes the request for the member; a second tap does nothing."""
    await limit(hass, loaded_entry, 1)
    notified = async_mock_service(hass, "notify", "mobile_app_pixel")
    await automations(hass, proposal_notify={"notify_device": phone}, notification_buttons={})
    member = hass_read_only_user.id
    await request_as(hass, member, title="Dune")
    with pytest.raises(ServiceValidationError) as refused:
        await request_as(hass, member, tmdb_id=872585)  # Oppenheimer
    assert refused.value.translation_key == "request_limit_asked"
    await hass.async_block_till_done()
    (sent,) = notified
    assert sent.data["title"] == "🙋 Demande à approuver"
    assert sent.data["message"] == "Mock User asks for “TMDB 872585” (daily limit reached)"
    approve, refuse = sent.data["data"]["actions"]
    assert (approve["title"], refuse["title"]) == ("Approuver", "Refuser")
    data = loaded_entry.runtime_data.data
    for who in (member, None):
        await tap(hass, approve["action"], who)
        assert len(data.requests) == 1
    await tap(hass, approve["action"], hass_admin_user.id)
    made = {r.title: r for r in data.requests.values()}
    assert made["Oppenheimer"].requested_by == member
    await tap(hass, approve["action"], hass_admin_user.id)
    assert len(data.requests) == 2
    (proposal,) = data.proposals.values()
    assert proposal.status == "done"


async def test_a_chat_proposal_is_confirmed_by_its_own_user_only(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    phone: str,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    """Every proposal may be sent with Confirm and Cancel; another person's tap is
    refused, the owner's cancel closes it."""
    notified = async_mock_service(hass, "notify", "mobile_app_pixel")
    await automations(
        hass,
        proposal_notify={"notify_device": phone, "every_proposal": True},
        notification_buttons={},
    )
    await hass.services.async_call(
        DOMAIN, "chat", {"message": "/demande Dune"}, blocking=True, return_response=True,
        context=Context(user_id=hass_read_only_user.id),
    )  # fmt: skip
    await hass.async_block_till_done()
    confirm, cancel = notified[0].data["data"]["actions"]
    assert notified[0].data["title"] == "💬 Proposition"
    (proposal,) = loaded_entry.runtime_data.data.proposals.values()
    await tap(hass, confirm["action"], hass_admin_user.id)  # not the administrator's own
    assert (proposal.status, loaded_entry.runtime_data.data.requests) == ("pending", {})
    await tap(hass, cancel["action"], hass_read_only_user.id)
    assert proposal.status == "cancelled"


async def test_upgrade_buttons_work_for_an_administrator_only(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    phone: str,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    """An upgrade found comes with Apply and Dismiss; a family member's tap changes
    nothing; the administrator's Dismiss keeps that release from being proposed again."""
    notified = async_mock_service(hass, "notify", "mobile_app_pixel")
    await automations(hass, upgrade_notify={"notify_device": phone}, notification_buttons={})
    _, _, candidate = await proposed(hass, loaded_entry, sandbox)
    await hass.async_block_till_done()
    buttons = next(n.data["data"]["actions"] for n in notified if "Oppenheimer" in n.data["title"])
    apply, dismiss = (b["action"] for b in buttons)
    assert apply == f"plex_kiosk:apply:upgrade:{candidate.id}"
    for action in (apply, dismiss):
        await tap(hass, action, hass_read_only_user.id)
    assert candidate.status == CandidateStatus.AVAILABLE
    await tap(hass, dismiss, hass_admin_user.id)
    assert candidate.status == CandidateStatus.DISMISSED
    await call(hass, "scan_upgrades")
    assert candidate_for(loaded_entry, "Oppenheimer (2023)").id == candidate.id  # not again


async def test_the_answer_action_checks_who_answers(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_read_only_user: MockUser
) -> None:
    """A person answers only as themselves; an answer that is not one is said so."""
    member = Context(user_id=hass_read_only_user.id)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN, "answer", {"answer": "plex_kiosk:apply:upgrade:x", "user_id": "someone"},
            blocking=True, context=member,
        )  # fmt: skip
    with pytest.raises(ServiceValidationError) as wrong:
        await hass.services.async_call(
            DOMAIN, "answer", {"answer": "plex_kiosk:launch:missiles:1"}, blocking=True,
            context=member,
        )  # fmt: skip
    assert wrong.value.translation_key == "unknown_answer"
    with pytest.raises(ServiceValidationError) as gone:
        await hass.services.async_call(
            DOMAIN, "answer", {"answer": "plex_kiosk:confirm:proposal:nothere"}, blocking=True,
            context=member,
        )  # fmt: skip
    assert gone.value.translation_key == "no_proposal"
    with pytest.raises(HomeAssistantError):  # an administrator's action, as the member
        await hass.services.async_call(
            DOMAIN, "answer", {"answer": "plex_kiosk:dismiss:upgrade:nothere"}, blocking=True,
            context=member,
        )  # fmt: skip


async def test_a_movie_requested_by_voice_counts_for_the_speaker(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_read_only_user: MockUser,
) -> None:
    """The voice blueprint's sentence requests for the person speaking (their limit holds,
    over it an administrator is asked); a voice without a person is refused."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, conversation.DOMAIN, {})
    await limit(hass, loaded_entry, 1)
    await automations(hass, request_by_voice={})
    member = hass_read_only_user.id
    said = await say(hass, "télécharge le film Oppenheimer", "fr", member)
    assert said == "C'est demandé : Oppenheimer."
    (made,) = loaded_entry.runtime_data.data.requests.values()
    assert made.requested_by == member
    over = await say(hass, "télécharge le film Dune", "fr", member)
    assert over.startswith("Je n'ai pas pu demander « Dune »")
    (asked,) = loaded_entry.runtime_data.data.proposals.values()
    assert (asked.approval, asked.user_id) == (True, member)
    nobody = await say(hass, "télécharge le film Dune", "fr", None)
    assert nobody.startswith("Je ne sais pas qui parle")
    assert len(loaded_entry.runtime_data.data.requests) == 1


@pytest.mark.parametrize("expected_lingering_timers", [True])  # the report's time trigger
async def test_the_report_buttons_answer_its_first_recommendation(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    phone: str,
    hass_admin_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    """The weekly report's notification carries Apply and Dismiss for its first
    recommendation: a family member's tap leaves it open, the administrator's dismisses it."""
    notified = async_mock_service(hass, "notify", "mobile_app_pixel")
    await automations(
        hass,
        library_report_weekly={"notify_device": phone, "weekday": "mon", "at": "06:00:00"},
        notification_buttons={},
    )
    await call(hass, "scan_library")
    report = await call(hass, "analyse")
    await hass.async_block_till_done()
    first = report["recommendations"][0]
    _, dismiss = (b["action"] for b in notified[0].data["data"]["actions"])
    assert dismiss == f"plex_kiosk:dismiss:recommendation:{first['id']}"
    stored = loaded_entry.runtime_data.data.reports[-1].recommendations[0]
    await tap(hass, dismiss, hass_read_only_user.id)
    assert stored.status == "pending"
    await tap(hass, dismiss, hass_admin_user.id)
    assert stored.status == "dismissed"
