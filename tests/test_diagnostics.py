"""Diagnostics: useful, and no secret in them."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from tests.conftest import PLEX_TOKEN, TMDB_KEY
from tests.sandbox import qbittorrent


async def test_diagnostics_redact_every_secret(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, loaded_entry: MockConfigEntry
) -> None:
    """Tokens, passwords and API keys never appear; health and store sizes do."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded_entry)
    text = json.dumps(diagnostics)
    for secret in (
        PLEX_TOKEN,
        TMDB_KEY,
        qbittorrent.PASSWORD,
        "ygg-key",
        "nyaa-key",
        loaded_entry.unique_id,
    ):
        assert secret not in text
    assert diagnostics["entry"]["data"]["plex_token"] == "**REDACTED**"
    assert diagnostics["entry"]["options"]["indexers"][0]["api_key"] == "**REDACTED**"
    assert diagnostics["health"]["plex"] == {"ok": True, "error": None}
    assert diagnostics["store"]["follows"] == 0
    assert [r["id"] for r in diagnostics["upgrade_rules"]] == [
        "vostfr_multi", "720p_1080p", "x264_hevc", "1080p_2160p",
    ]  # fmt: skip
