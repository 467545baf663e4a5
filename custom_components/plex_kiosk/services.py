"""Actions: follows, searches, requests, library scans, upgrades and their rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .const import CONF_UPGRADE_GAIN, DOMAIN, LANGUAGES, QUALITIES
from .follow.errors import FollowError
from .models import encode
from .upgrade.rules import MEDIA_TYPES

if TYPE_CHECKING:
    from . import PlexKioskConfigEntry

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_FOLLOW_ID = "follow_id"
ID_FIELDS = ("tvmaze_id", "tmdb_id", "anilist_id", "tvdb_id")
MONITOR = ("future", "all", "from_season")

_ENTRY: dict[vol.Marker, Any] = {vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string}
_PREFERENCES: dict[vol.Marker, Any] = {
    vol.Optional("quality"): vol.In(QUALITIES),
    vol.Optional("language"): vol.In(LANGUAGES),
    vol.Optional("auto_download"): cv.boolean,
    vol.Optional("aliases"): vol.All(cv.ensure_list, [cv.string]),
}
_IDS: dict[vol.Marker, Any] = {vol.Optional(field): cv.positive_int for field in ID_FIELDS}
FOLLOW_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        **_PREFERENCES,
        **_IDS,
        vol.Optional("title"): cv.string,
        vol.Optional("monitor", default="future"): vol.In(MONITOR),
        vol.Optional("from_season"): cv.positive_int,
    }
)
UNFOLLOW_SCHEMA = vol.Schema({**_ENTRY, vol.Required(ATTR_FOLLOW_ID): cv.string})
UPDATE_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        **_PREFERENCES,
        vol.Required(ATTR_FOLLOW_ID): cv.string,
        vol.Optional("paused"): cv.boolean,
    }
)
SEARCH_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Required(ATTR_FOLLOW_ID): cv.string,
        vol.Optional("season"): cv.positive_int,
        vol.Optional("episode"): cv.positive_int,
        vol.Optional("absolute"): cv.positive_int,
        vol.Optional("grab"): cv.string,
    }
)
REQUEST_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        vol.Optional("tmdb_id"): cv.positive_int,
        vol.Optional("tvmaze_id"): cv.positive_int,
        vol.Optional("seasons"): vol.All(cv.ensure_list, [cv.positive_int]),
        vol.Optional("title"): cv.string,
        vol.Optional("quality"): vol.In(QUALITIES),
        vol.Optional("language"): vol.In(LANGUAGES),
    }
)
CHECK_SCHEMA = vol.Schema({**_ENTRY, vol.Optional(ATTR_FOLLOW_ID): cv.string})
SCAN_LIBRARY_SCHEMA = vol.Schema({**_ENTRY, vol.Optional("full", default=False): cv.boolean})
SCAN_UPGRADES_SCHEMA = vol.Schema({**_ENTRY, vol.Optional("budget"): cv.positive_int})
APPLY_SCHEMA = vol.Schema({**_ENTRY, vol.Required("candidate_id"): cv.string})
RESTORE_SCHEMA = vol.Schema({**_ENTRY, vol.Required("history_id"): cv.string})
RULES_SCHEMA = vol.Schema(_ENTRY)
_RULE_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional("name"): cv.string,
    vol.Optional("min_gain"): vol.All(vol.Coerce(int), vol.Range(min=0, max=100)),
    vol.Optional("auto_apply"): cv.boolean,
    vol.Optional("media_types"): vol.All(cv.ensure_list, [vol.In(MEDIA_TYPES)]),
    vol.Optional("enabled"): cv.boolean,
}
ADD_RULE_SCHEMA = vol.Schema(
    {**_ENTRY, **_RULE_FIELDS, vol.Required("source"): cv.string, vol.Required("target"): cv.string}
)
UPDATE_RULE_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        **_RULE_FIELDS,
        vol.Required("rule_id"): cv.string,
        vol.Optional("source"): cv.string,
        vol.Optional("target"): cv.string,
    }
)
REMOVE_RULE_SCHEMA = vol.Schema({**_ENTRY, vol.Required("rule_id"): cv.string})


def entry_for(hass: HomeAssistant, entry_id: str | None) -> PlexKioskConfigEntry:
    """The entry an action or command targets: the one named, or the only one loaded."""
    entries = hass.config_entries.async_entries(DOMAIN)
    if entry_id is not None:
        entries = [e for e in entries if e.entry_id == entry_id]
        if not entries:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="entry_not_found",
                translation_placeholders={"entry_id": entry_id},
            )
    loaded = [e for e in entries if e.state is ConfigEntryState.LOADED]
    if not loaded:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="entry_not_loaded")
    if len(loaded) > 1:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="entry_required")
    entry: PlexKioskConfigEntry = loaded[0]
    return entry


async def _follow(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    ids = {field.removesuffix("_id"): call.data[field] for field in ID_FIELDS if field in call.data}
    if bool(ids) == bool(call.data.get("title")) or len(ids) > 1:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="title_or_id")
    result = await entry.runtime_data.manager.follow(
        title=call.data.get("title"),
        ids=ids,
        quality=call.data.get("quality"),
        language=call.data.get("language"),
        auto_download=call.data.get("auto_download", True),
        monitor=call.data["monitor"],
        from_season=call.data.get("from_season"),
        aliases=call.data.get("aliases"),
    )
    entry.runtime_data.follows.changed()
    return result


async def _unfollow(call: ServiceCall) -> None:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    await entry.runtime_data.manager.unfollow(call.data[ATTR_FOLLOW_ID])
    entry.runtime_data.follows.changed()


async def _update(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    changes = {
        k: call.data.get(k) for k in ("quality", "language", "auto_download", "aliases", "paused")
    }
    result = await entry.runtime_data.manager.update(call.data[ATTR_FOLLOW_ID], **changes)
    entry.runtime_data.follows.changed()
    return {"follow": result}


async def _check(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    result = await entry.runtime_data.manager.check(call.data.get(ATTR_FOLLOW_ID))
    entry.runtime_data.follows.changed()
    return result


async def _search(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    result = await entry.runtime_data.manager.manual_search(
        call.data[ATTR_FOLLOW_ID],
        season=call.data.get("season"),
        episode=call.data.get("episode"),
        absolute=call.data.get("absolute"),
        grab=call.data.get("grab"),
    )
    entry.runtime_data.follows.changed()
    return result


async def _request(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    user = (
        await call.hass.auth.async_get_user(call.context.user_id) if call.context.user_id else None
    )
    options = entry.runtime_data.manager.options
    common: dict[str, Any] = {
        "quality": call.data.get("quality", options["quality"]),
        "language": call.data.get("language", options["language"]),
        "user_id": call.context.user_id,
        "is_admin": user is None or user.is_admin,
        "now": dt_util.utcnow(),
    }
    if call.data.get("tvmaze_id") and call.data.get("seasons"):
        result = await entry.runtime_data.requests.request_seasons(
            tvmaze_id=call.data["tvmaze_id"], seasons=call.data["seasons"], **common
        )
    elif bool(call.data.get("tmdb_id")) != bool(call.data.get("title")):
        result = await entry.runtime_data.requests.request_movie(
            tmdb_id=call.data.get("tmdb_id"), title=call.data.get("title"), **common
        )
    else:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="title_or_id")
    await entry.runtime_data.store.async_save(entry.runtime_data.data)
    return result


async def _saved(entry: PlexKioskConfigEntry) -> None:
    """Keep what an action changed, and show it."""
    await entry.runtime_data.store.async_save(entry.runtime_data.data)
    entry.runtime_data.follows.changed()


async def _scan_library(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    result = await entry.runtime_data.upgrades.scan_library(
        dt_util.utcnow(), full=call.data["full"]
    )
    await _saved(entry)
    return result


async def _scan_upgrades(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    result = await entry.runtime_data.upgrades.scan_upgrades(
        dt_util.utcnow(), call.data.get("budget")
    )
    await _saved(entry)
    return result


async def _apply_upgrade(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    try:
        candidate = await entry.runtime_data.upgrades.apply(
            call.data["candidate_id"], dt_util.utcnow()
        )
    finally:
        await _saved(entry)
    if candidate.status == "failed":
        raise FollowError("upgrade_not_started", reason=candidate.reason or "")
    return {"candidate": encode(candidate)}


async def _restore_upgrade(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    undone = await entry.runtime_data.upgrades.restore(call.data["history_id"], dt_util.utcnow())
    await _saved(entry)
    return {"history": encode(undone)}


def _rules(entry: PlexKioskConfigEntry) -> dict[str, Any]:
    return {"rules": [encode(r) for r in entry.runtime_data.data.rules.values()]}


async def _upgrade_rules(call: ServiceCall) -> ServiceResponse:
    return _rules(entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID)))


async def _add_rule(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    fields = {k: v for k, v in call.data.items() if k != ATTR_CONFIG_ENTRY_ID}
    fields.setdefault("min_gain", int(entry.runtime_data.manager.options[CONF_UPGRADE_GAIN]))
    rule = entry.runtime_data.upgrades.add_rule(**fields)
    await _saved(entry)
    return {"rule": encode(rule)}


async def _update_rule(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    changes = {k: v for k, v in call.data.items() if k not in (ATTR_CONFIG_ENTRY_ID, "rule_id")}
    rule = entry.runtime_data.upgrades.update_rule(call.data["rule_id"], **changes)
    await _saved(entry)
    return {"rule": encode(rule)}


async def _remove_rule(call: ServiceCall) -> None:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    entry.runtime_data.upgrades.remove_rule(call.data["rule_id"])
    await _saved(entry)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (once, from async_setup)."""
    hass.services.async_register(
        DOMAIN, "follow", _follow, FOLLOW_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(DOMAIN, "unfollow", _unfollow, UNFOLLOW_SCHEMA)
    hass.services.async_register(
        DOMAIN, "update_follow", _update, UPDATE_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN, "check_follow", _check, CHECK_SCHEMA, SupportsResponse.OPTIONAL
    )
    hass.services.async_register(DOMAIN, "search", _search, SEARCH_SCHEMA, SupportsResponse.ONLY)
    hass.services.async_register(
        DOMAIN, "request", _request, REQUEST_SCHEMA, SupportsResponse.OPTIONAL
    )
    for name, handler, schema, response in (
        ("scan_library", _scan_library, SCAN_LIBRARY_SCHEMA, SupportsResponse.OPTIONAL),
        ("scan_upgrades", _scan_upgrades, SCAN_UPGRADES_SCHEMA, SupportsResponse.OPTIONAL),
        ("apply_upgrade", _apply_upgrade, APPLY_SCHEMA, SupportsResponse.OPTIONAL),
        ("restore_upgrade", _restore_upgrade, RESTORE_SCHEMA, SupportsResponse.OPTIONAL),
        ("upgrade_rules", _upgrade_rules, RULES_SCHEMA, SupportsResponse.ONLY),
        ("add_upgrade_rule", _add_rule, ADD_RULE_SCHEMA, SupportsResponse.OPTIONAL),
        ("update_upgrade_rule", _update_rule, UPDATE_RULE_SCHEMA, SupportsResponse.OPTIONAL),
        ("remove_upgrade_rule", _remove_rule, REMOVE_RULE_SCHEMA, SupportsResponse.NONE),
    ):
        hass.services.async_register(DOMAIN, name, handler, schema, response)
