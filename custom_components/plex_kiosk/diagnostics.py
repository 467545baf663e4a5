"""Diagnostics: configuration and state with every secret redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from . import PlexKioskConfigEntry
from .ai.llm import summary
from .const import CONF_INDEXER_API_KEY, CONF_PLEX_TOKEN, CONF_QBT_PASSWORD, CONF_TMDB_API_KEY
from .models import encode

TO_REDACT = {
    CONF_PLEX_TOKEN,
    CONF_QBT_PASSWORD,
    CONF_TMDB_API_KEY,
    CONF_INDEXER_API_KEY,
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: PlexKioskConfigEntry
) -> dict[str, Any]:
    """Entry data and options, service health, and how much the store holds."""
    runtime = entry.runtime_data
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "health": {key: {"ok": h.ok, "error": h.error} for key, h in runtime.health.data.items()},
        "store": {
            name: len(value)
            for name, value in vars(runtime.data).items()
            if isinstance(value, dict | list)
        },
        "upgrade_rules": [encode(rule) for rule in runtime.data.rules.values()],
        "ai": {
            "settings": encode(runtime.llm.settings) if runtime.llm else None,
            "today": summary(runtime.data.ai_calls, dt_util.utcnow()),
            "recent_calls": [encode(call) for call in runtime.data.ai_calls[-20:]],
        },
    }
