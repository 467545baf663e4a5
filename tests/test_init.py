"""Setup, unload, outages and recoveries as a user sees them."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components import plex_kiosk
from custom_components.plex_kiosk.clients.bundle import Connections
from custom_components.plex_kiosk.connections import create_connections
from custom_components.plex_kiosk.const import (
    CONF_PLEX_URL,
    CONF_QBT_PASSWORD,
    DOMAIN,
    HEALTH_INTERVAL,
)
from tests.conftest import control


async def next_health_check(hass: HomeAssistant) -> None:
    """Let the health coordinator's interval pass."""
    async_fire_time_changed(hass, dt_util.utcnow() + HEALTH_INTERVAL)
    await hass.async_block_till_done(wait_background_tasks=True)


PROBLEM_SENSORS = {
    "binary_sensor.plex_kiosk_salon_plex",
    "binary_sensor.plex_kiosk_salon_qbittorrent",
    "binary_sensor.plex_kiosk_salon_tvmaze",
    "binary_sensor.plex_kiosk_salon_tmdb",
    "binary_sensor.plex_kiosk_salon_anilist",
    "binary_sensor.plex_kiosk_salon_ollama",
    "binary_sensor.plex_kiosk_salon_indexer_yggreborn",
    "binary_sensor.plex_kiosk_salon_indexer_nyaa_fr",
}


async def test_setup_every_problem_sensor_off(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A healthy set-up shows one problem sensor per service, all off, on one service device."""
    assert loaded_entry.state is ConfigEntryState.LOADED
    states = {s.entity_id: s.state for s in hass.states.async_all("binary_sensor")}
    assert states == dict.fromkeys(PROBLEM_SENSORS, "off")
    device = device_registry.async_get_device({(DOMAIN, loaded_entry.entry_id)})
    assert device is not None
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert device.sw_version == "1.41.3.9314-a0bfb8370"  # the Plex server's
    assert device.configuration_url == f"{loaded_entry.data[CONF_PLEX_URL]}/web"
    assert (
        hass.states.get("binary_sensor.plex_kiosk_salon_plex").attributes["device_class"]
        == "problem"
    )


async def test_unload_removes_everything(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Unloading leaves the sensors unavailable and the entry not loaded."""
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert all(s.state == "unavailable" for s in hass.states.async_all("binary_sensor"))


@pytest.mark.parametrize("service", ["plex", "qbittorrent"])
async def test_required_service_down_retries(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    sandbox: dict[str, str],
    service: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Plex or qBittorrent unreachable at start: set-up is retried later, nothing is lost,
    and the clients of the failed attempt are closed."""
    if service == "plex":
        control(sandbox, "fault", {"service": "plex", "mode": "down"})
    else:
        config_entry = MockConfigEntry(
            domain=DOMAIN,
            unique_id=config_entry.unique_id,
            data={**config_entry.data, "qbittorrent_url": "http://127.0.0.1:9"},
            options=config_entry.options,
        )
    made: list[Connections] = []

    def spy(*args: Any) -> Connections:  # records what set-up made, changes nothing
        made.append(create_connections(*args))
        return made[-1]

    monkeypatch.setattr(plex_kiosk, "create_connections", spy)
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    [conns] = made  # the clients of the failed attempt are closed, not left to pile up
    assert conns.ollama is not None
    assert conns.ollama._api._client.is_closed


async def test_refused_password_starts_reauth(
    hass: HomeAssistant, config_entry: MockConfigEntry, entry_data: dict[str, Any]
) -> None:
    """qBittorrent refusing the password stops set-up and asks the user for a new one."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=config_entry.unique_id,
        data={**entry_data, CONF_QBT_PASSWORD: "wrong"},
        options=config_entry.options,
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [f["context"]["source"] for f in flows] == ["reauth"]


async def test_outage_logged_once_and_recovery_once(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An indexer behind a Cloudflare page turns its sensor on, logged once; then back off."""
    sensor = "binary_sensor.plex_kiosk_salon_indexer_yggreborn"
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": "html"})
    caplog.set_level(logging.INFO)
    await next_health_check(hass)
    state = hass.states.get(sensor)
    assert state.state == "on"
    assert "Cloudflare" in state.attributes["error"]
    assert hass.states.get("binary_sensor.plex_kiosk_salon_indexer_nyaa_fr").state == "off"
    assert caplog.text.count("YggReborn is unavailable") == 1

    control(sandbox, "fault", {"service": "torznab:ygg", "mode": None})
    await next_health_check(hass)
    assert hass.states.get(sensor).state == "off"
    assert caplog.text.count("YggReborn is back") == 1


async def test_plex_token_revoked_while_running_starts_reauth(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """A token refused at a later check asks for reauthentication."""
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    hass.config_entries.async_update_entry(
        loaded_entry, data={**loaded_entry.data, "plex_token": "revoked"}
    )
    await hass.config_entries.async_setup(loaded_entry.entry_id)
    assert loaded_entry.state is ConfigEntryState.SETUP_ERROR
    assert any(
        f["context"]["source"] == "reauth" for f in hass.config_entries.flow.async_progress()
    )


async def test_the_speed_sensor_waits_to_be_enabled(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The download speed changes every poll: it is there to enable, not recorded by default."""
    speed = entity_registry.async_get("sensor.plex_kiosk_salon_download_speed")
    assert speed is not None
    assert speed.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get("sensor.plex_kiosk_salon_download_speed") is None
    assert hass.states.get("sensor.plex_kiosk_salon_active_downloads") is not None


async def test_entity_ids_are_stable(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Every sensor has a unique id tied to the entry, so renames survive restarts."""
    entries = er.async_entries_for_config_entry(entity_registry, loaded_entry.entry_id)
    assert {e.unique_id for e in entries} == {
        f"{loaded_entry.entry_id}_{key}"
        for key in (
            *(
                f"problem_{service}"
                for service in (
                    "plex",
                    "qbittorrent",
                    "tvmaze",
                    "tmdb",
                    "anilist",
                    "ollama",
                    "indexer_YggReborn",
                    "indexer_Nyaa FR",
                )
            ),
            "episodes",
            "followed_series",
            "next_episode",
            "next_episode_title",
            "episodes_waiting",
            "episodes_failed",
            "upgrades_available",
            "library_health",
            "library_items",
            "ai_calls",
            "active_downloads",
            "download_speed",
        )
    }
