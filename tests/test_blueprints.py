"""Every shipped blueprint is valid for Home Assistant and uses our entities."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import (
    AUTOMATION_BLUEPRINT_SCHEMA,
    async_validate_config_item,
)
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.plex_kiosk.const import DOMAIN

FOLDER = Path(__file__).parent.parent / "blueprints" / "automation" / "plex_kiosk"
BLUEPRINTS = sorted(FOLDER.glob("*.yaml"))


def load(path: Path) -> models.Blueprint:
    """A blueprint as Home Assistant loads it."""
    return models.Blueprint(
        load_yaml_dict(path),
        expected_domain="automation",
        path=path.name,
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.name)
def test_blueprint_schema(path: Path) -> None:
    """Home Assistant's automation blueprint schema accepts it, and each input is used."""
    blueprint = load(path)
    text = path.read_text(encoding="utf-8")
    for name in blueprint.inputs:
        assert f"!input {name}" in text


SAMPLE_INPUTS: dict[str, dict[str, Any]] = {
    "episode_downloaded_notify.yaml": {"series": ["Slow Horses"]},
    "episode_failed_notify.yaml": {},
    "library_scan_weekly.yaml": {"weekday": "sun", "at": "03:30:00"},
    "upgrade_notify.yaml": {},
    "upgrade_scan_daily.yaml": {"at": "04:00:00", "budget": 60},
    "library_report_weekly.yaml": {"weekday": "mon", "at": "06:00:00"},
    "notification_buttons.yaml": {},
    "proposal_notify.yaml": {"every_proposal": True},
    "request_by_voice.yaml": {},
    "service_problem_notify.yaml": {
        "problem_sensors": ["binary_sensor.plex_kiosk_salon_plex"],
        "delay": {"minutes": 5},
    },
}


@pytest.mark.parametrize("path", BLUEPRINTS, ids=lambda p: p.name)
async def test_blueprint_makes_a_valid_automation(
    hass: HomeAssistant, phone: str, path: Path
) -> None:
    """Filled in, the blueprint gives an automation Home Assistant accepts."""
    blueprint = load(path)
    inputs = SAMPLE_INPUTS[path.name]
    if "notify_device" in blueprint.inputs:
        inputs = {**inputs, "notify_device": phone}
    config = models.BlueprintInputs(
        blueprint, {"use_blueprint": {"path": path.name, "input": inputs}}
    ).async_substitute()
    validated = await async_validate_config_item(hass, "automation.test", config)
    assert validated is not None
    assert validated.validation_error is None


# What each notification blueprint reacts to, and a word its message must carry.
NOTIFIED: dict[str, tuple[str, dict[str, Any], str]] = {
    "episode_downloaded_notify.yaml": (
        "plex_kiosk_episode_downloaded",
        {"series": "Slow Horses", "episode": "Slow Horses S05E02", "audio": "MULTI",
         "resolution": "1080p", "release": "Slow.Horses.S05E02.MULTi.1080p.WEB-FW"},
        "Slow.Horses.S05E02.MULTi.1080p.WEB-FW",
    ),
    "episode_failed_notify.yaml": (
        "plex_kiosk_episode_failed",
        {"episode": "Slow Horses S05E03", "reason": "no_release"},
        "Aucune release acceptable",
    ),
    "upgrade_notify.yaml": (
        "plex_kiosk_upgrade_applied",
        {"title": "Dune (2021)", "release": "Dune.2021.MULTi.2160p", "current_score": 60,
         "new_score": 90},
        "Dune.2021.MULTi.2160p (60 → 90)",
    ),
    "library_report_weekly.yaml": (
        "plex_kiosk_report_ready",
        {"report_id": "r1", "health_score": 82, "trend": -3, "summary": "Trois films manquent.",
         "top": ["Dune (2021): le fichier a disparu"], "issues": {"critical": 1}},
        "• Dune (2021): le fichier a disparu",
    ),
    "proposal_notify.yaml": (
        "plex_kiosk_proposal",
        {"proposal_id": "p1", "approval": True, "summary": "Léa demande « Dune »",
         "confirm": "plex_kiosk:confirm:proposal:p1", "cancel": "plex_kiosk:cancel:proposal:p1"},
        "Léa demande « Dune »",
    ),
}  # fmt: skip


@pytest.mark.parametrize("expected_lingering_timers", [True])  # the weekly report's time trigger
@pytest.mark.parametrize("path", sorted(NOTIFIED), ids=str)
@pytest.mark.parametrize("route", ["phone", "notify_action", "nothing"])
async def test_a_notification_arrives_with_or_without_a_phone(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    phone: str,
    path: str,
    route: str,
) -> None:
    """The event fires, the blueprint's automation notifies: the Companion app's notifier of
    the chosen phone, another notifier named instead, or, with neither, a notification in
    Home Assistant itself."""
    event, data, said = NOTIFIED[path]
    inputs = dict(SAMPLE_INPUTS[path])
    if route == "phone":
        inputs["notify_device"] = phone
    elif route == "notify_action":
        inputs["notify_action"] = "notify.family"
    calls = {
        "phone": async_mock_service(hass, "notify", "mobile_app_pixel"),
        "notify_action": async_mock_service(hass, "notify", "family"),
    }
    config = models.BlueprintInputs(
        load(FOLDER / path), {"use_blueprint": {"path": path, "input": inputs}}
    ).async_substitute()
    assert await async_setup_component(hass, "persistent_notification", {})
    assert await async_setup_component(hass, "automation", {"automation": [config]})
    hass.bus.async_fire(event, data)
    await hass.async_block_till_done()
    if route == "nothing":
        client = await hass_ws_client(hass)
        await client.send_json_auto_id({"type": "persistent_notification/get"})
        [shown] = (await client.receive_json())["result"]
        message = shown["message"]
    else:
        assert [len(c) for c in calls.values()] == [route == "phone", route == "notify_action"]
        message = calls[route][0].data["message"]
    assert said in message


@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_the_weekly_report_runs_on_its_day_only(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """At 06:00 on Monday the analysis runs; at 06:00 on Tuesday it does not."""
    analyses = async_mock_service(hass, DOMAIN, "analyse")
    path = "library_report_weekly.yaml"
    config = models.BlueprintInputs(
        load(FOLDER / path), {"use_blueprint": {"path": path, "input": SAMPLE_INPUTS[path]}}
    ).async_substitute()
    await hass.config.async_set_time_zone("Europe/Paris")
    freezer.move_to(datetime(2026, 11, 30, 5, 59, 59, tzinfo=ZoneInfo("Europe/Paris")))
    assert await async_setup_component(hass, "automation", {"automation": [config]})
    monday = datetime(2026, 11, 30, 6, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
    for day in (0, 1):  # a Monday, then a Tuesday
        freezer.move_to(monday + timedelta(days=day))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert [c.data for c in analyses] == [{"type": "full"}]
