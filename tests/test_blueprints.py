"""Every shipped blueprint is valid for Home Assistant and uses our entities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.automation.config import (
    AUTOMATION_BLUEPRINT_SCHEMA,
    async_validate_config_item,
)
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry

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


@pytest.fixture
def phone(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> str:
    """A Companion-app phone in the device registry."""
    entry = MockConfigEntry(domain="mobile_app")
    entry.add_to_hass(hass)
    device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("mobile_app", "pixel")}, name="Pixel"
    )
    return device.id


SAMPLE_INPUTS: dict[str, dict[str, Any]] = {
    "episode_downloaded_notify.yaml": {"series": ["Slow Horses"]},
    "episode_failed_notify.yaml": {},
    "library_scan_weekly.yaml": {"weekday": "sun", "at": "03:30:00"},
    "upgrade_notify.yaml": {},
    "upgrade_scan_daily.yaml": {"at": "04:00:00", "budget": 60},
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
