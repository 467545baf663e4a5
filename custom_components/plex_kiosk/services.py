"""Actions: follows, searches, requests, library scans, upgrades and their rules, library
reports and their recommendations."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
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

from . import sentences
from .acquire.lookup import find_by_id
from .ai.tools import User
from .assistant import user_of
from .const import CONF_UPGRADE_GAIN, DOMAIN, DUBS, EVENT_REPORT_READY, LANGUAGES, QUALITIES
from .engine.health import TYPES
from .errors import ActionError
from .hooks import HassHooks
from .models import CandidateStatus, Proposal, RecommendationStatus, encode
from .permissions import AdminOnly, admin_action, caller_of, require_admin
from .upgrade import rules
from .upgrade.rules import MEDIA_TYPES

if TYPE_CHECKING:
    from . import PlexKioskConfigEntry

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_FOLLOW_ID = "follow_id"
ATTR_SERIES = "series"
ID_FIELDS = ("tvmaze_id", "tmdb_id", "anilist_id", "tvdb_id")
MONITOR = ("future", "all", "from_season")

MAX_TITLE = 200
MAX_ALIASES = 20
MAX_SEASONS = 30
MAX_ID = 2**31 - 1


def _count(maximum: int, minimum: int = 1) -> vol.All:
    return vol.All(vol.Coerce(int), vol.Range(min=minimum, max=maximum))


def _text(maximum: int) -> vol.All:
    """A non-blank string of at most ``maximum`` characters (surrounding spaces dropped)."""
    return vol.All(cv.string, vol.Strip, vol.Length(min=1, max=maximum))


TITLE = _text(MAX_TITLE)
KEY = _text(64)  # ids Plex Kiosk made (ULIDs), rule names' keys
_ENTRY: dict[vol.Marker, Any] = {vol.Optional(ATTR_CONFIG_ENTRY_ID): KEY}
_PREFERENCES: dict[vol.Marker, Any] = {
    vol.Optional("quality"): vol.In(QUALITIES),
    vol.Optional("language"): vol.In(LANGUAGES),
    vol.Optional("dub"): vol.In(DUBS),
    vol.Optional("auto_download"): cv.boolean,
    vol.Optional("aliases"): vol.All(cv.ensure_list, vol.Length(max=MAX_ALIASES), [TITLE]),
}
_IDS: dict[vol.Marker, Any] = {vol.Optional(field): _count(MAX_ID) for field in ID_FIELDS}


def _exactly_one(*keys: str) -> Any:
    """Exactly one of ``keys`` (said by the schema, so REST answers 400, not 500)."""

    def check(data: dict[str, Any]) -> dict[str, Any]:
        if sum(key in data for key in keys) != 1:
            raise vol.Invalid(f"give exactly one of: {', '.join(keys)}")
        return data

    return check


def _one_request(data: dict[str, Any]) -> dict[str, Any]:
    """A movie (``tmdb_id`` or ``title``) or seasons (``tvmaze_id`` and ``seasons``)."""
    seasons = ("tvmaze_id" in data, "seasons" in data)
    movie = sum(key in data for key in ("tmdb_id", "title"))
    if not (seasons == (True, True) and movie == 0) and not (
        seasons == (False, False) and movie == 1
    ):
        raise vol.Invalid("give tmdb_id or title (a movie), or tvmaze_id and seasons")
    return data


FOLLOW_SCHEMA = vol.All(
    vol.Schema(
        {
            **_ENTRY,
            **_PREFERENCES,
            **_IDS,
            vol.Optional("title"): TITLE,
            vol.Optional("monitor", default="future"): vol.In(MONITOR),
            vol.Optional("from_season"): _count(1000, 0),
        }
    ),
    _exactly_one("title", *ID_FIELDS),
)
# A followed series, by its title (what a person types) or its id (what a panel sends).
_WHICH: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_SERIES): TITLE,
    vol.Optional(ATTR_FOLLOW_ID): KEY,
}
_ONE_SERIES = _exactly_one(ATTR_SERIES, ATTR_FOLLOW_ID)
UNFOLLOW_SCHEMA = vol.All(vol.Schema({**_ENTRY, **_WHICH}), _ONE_SERIES)
UPDATE_SCHEMA = vol.All(
    vol.Schema({**_ENTRY, **_PREFERENCES, **_WHICH, vol.Optional("paused"): cv.boolean}),
    _ONE_SERIES,
)
SEARCH_SCHEMA = vol.All(
    vol.Schema(
        {
            **_ENTRY,
            **_WHICH,
            vol.Optional("season"): _count(1000, 0),
            vol.Optional("episode"): _count(10000),
            vol.Optional("absolute"): _count(100000),
            vol.Optional("grab"): _text(500),
        }
    ),
    _ONE_SERIES,
)
REQUEST_SCHEMA = vol.All(
    vol.Schema(
        {
            **_ENTRY,
            vol.Optional("tmdb_id"): _count(MAX_ID),
            vol.Optional("tvmaze_id"): _count(MAX_ID),
            vol.Optional("seasons"): vol.All(
                cv.ensure_list, vol.Length(min=1, max=MAX_SEASONS), [_count(1000, 0)]
            ),
            vol.Optional("title"): TITLE,
            vol.Optional("quality"): vol.In(QUALITIES),
            vol.Optional("language"): vol.In(LANGUAGES),
            vol.Optional("dub"): vol.In(DUBS),
            vol.Optional("requested_for"): vol.Any(None, "", KEY),
        }
    ),
    _one_request,
)
CHECK_SCHEMA = vol.Schema({**_ENTRY, **_WHICH})
SCAN_LIBRARY_SCHEMA = vol.Schema({**_ENTRY, vol.Optional("full", default=False): cv.boolean})
SCAN_UPGRADES_SCHEMA = vol.Schema(
    {**_ENTRY, vol.Optional("budget"): _count(1000), vol.Optional("title"): _text(200)}
)
APPLY_SCHEMA = vol.Schema({**_ENTRY, vol.Required("candidate_id"): KEY})
RESTORE_SCHEMA = vol.Schema({**_ENTRY, vol.Required("history_id"): KEY})
RULES_SCHEMA = vol.Schema(_ENTRY)
_RULE_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional("name"): _text(100),
    vol.Optional("min_gain"): _count(100, 0),
    vol.Optional("auto_apply"): cv.boolean,
    vol.Optional("media_types"): vol.All(
        cv.ensure_list, vol.Length(min=1, max=len(MEDIA_TYPES)), [vol.In(MEDIA_TYPES)]
    ),
    vol.Optional("enabled"): cv.boolean,
}
ADD_RULE_SCHEMA = vol.Schema(
    {**_ENTRY, **_RULE_FIELDS, vol.Required("source"): _text(20), vol.Required("target"): _text(20)}
)
UPDATE_RULE_SCHEMA = vol.Schema(
    {
        **_ENTRY,
        **_RULE_FIELDS,
        vol.Required("rule_id"): KEY,
        vol.Optional("source"): _text(20),
        vol.Optional("target"): _text(20),
    }
)
REMOVE_RULE_SCHEMA = vol.Schema({**_ENTRY, vol.Required("rule_id"): KEY})


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
    result = await entry.runtime_data.manager.follow(
        title=call.data.get("title"),
        ids=ids,
        quality=call.data.get("quality"),
        language=call.data.get("language"),
        dub=call.data.get("dub"),
        auto_download=call.data.get("auto_download", True),
        monitor=call.data["monitor"],
        from_season=call.data.get("from_season"),
        aliases=call.data.get("aliases"),
    )
    entry.runtime_data.follows.changed()
    return result


def follow_id_of(entry: PlexKioskConfigEntry, data: dict[str, Any]) -> str | None:
    """The follow an action names, by id or by the series' title."""
    if ATTR_SERIES in data:
        return entry.runtime_data.manager.find(data[ATTR_SERIES]).id
    return data.get(ATTR_FOLLOW_ID)


async def _unfollow(call: ServiceCall) -> None:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    await entry.runtime_data.manager.unfollow(follow_id_of(entry, call.data) or "")
    entry.runtime_data.follows.changed()


async def _update(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    changes = {
        k: call.data.get(k)
        for k in ("quality", "language", "dub", "auto_download", "aliases", "paused")
    }
    result = await entry.runtime_data.manager.update(
        follow_id_of(entry, call.data) or "", **changes
    )
    entry.runtime_data.follows.changed()
    return {"follow": result}


async def _check(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    result = await entry.runtime_data.manager.check(follow_id_of(entry, call.data))
    entry.runtime_data.follows.changed()
    return result


async def _search(call: ServiceCall) -> ServiceResponse:
    if "grab" in call.data:  # searching is for everyone, grabbing for admins
        await require_admin(call.hass, call.context, "search_grab")
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    result = await entry.runtime_data.manager.manual_search(
        follow_id_of(entry, call.data) or "",
        season=call.data.get("season"),
        episode=call.data.get("episode"),
        absolute=call.data.get("absolute"),
        grab=call.data.get("grab"),
        language=call.hass.config.language,
    )
    entry.runtime_data.follows.changed()
    return result


async def _requester(call: ServiceCall, entry: PlexKioskConfigEntry) -> dict[str, Any]:
    """Who asks and what they want (the options' preferences by default). An administrator
    or an automation may request for a member (``requested_for``): an automation relaying
    them counts against their limit, an administrator approving them does not."""
    options = entry.runtime_data.manager.options
    caller = await caller_of(call.hass, call.context)
    user_id, name, limited = caller.user_id, caller.name, caller.limited
    if (member := call.data.get("requested_for")) and member != caller.user_id:
        if not caller.is_admin:
            raise AdminOnly(call.context, "request_for_another")
        person = await call.hass.auth.async_get_user(member)
        if person is None:
            raise AdminOnly(call.context, "unknown_user")
        user_id, name = person.id, person.name
        limited = caller.user_id is None and not person.is_admin
    return {
        "quality": call.data.get("quality", options["quality"]),
        "language": call.data.get("language", options["language"]),
        "dub": call.data.get("dub", options["dub"]),
        "user_id": user_id,
        "user_name": name,
        "limited": limited,
        "now": dt_util.utcnow(),
    }


async def _request(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    common = await _requester(call, entry)
    try:
        if "seasons" in call.data:  # the schema made sure of the shape
            result = await entry.runtime_data.requests.request_seasons(
                tvmaze_id=call.data["tvmaze_id"], seasons=call.data["seasons"], **common
            )
        else:
            result = await entry.runtime_data.requests.request_movie(
                tmdb_id=call.data.get("tmdb_id"), title=call.data.get("title"), **common
            )
    except ActionError as err:
        if err.key != "request_limit" or not common["user_id"]:
            raise
        _ask_approval(call, entry, common)
        raise ActionError("request_limit_asked", **(err.translation_placeholders or {})) from err
    finally:
        entry.runtime_data.store.save(entry.runtime_data.data)
    return result


def _ask_approval(call: ServiceCall, entry: PlexKioskConfigEntry, who: dict[str, Any]) -> None:
    """Over their limit, a member's request waits for an administrator's approval."""
    data = {k: v for k, v in call.data.items() if k not in (ATTR_CONFIG_ENTRY_ID, "requested_for")}
    what = data.get("title") or f"TMDB {data.get('tmdb_id', '')}"
    if "seasons" in data:
        what = f"TVMaze {data['tvmaze_id']} S{', S'.join(str(n) for n in data['seasons'])}"
    french = call.hass.config.language.startswith("fr")
    summary = (
        f"{who['user_name']} demande « {what} » (limite du jour atteinte)"
        if french
        else f"{who['user_name']} asks for “{what}” (daily limit reached)"
    )
    member = User(who["user_id"], who["user_name"] or "", False, call.hass.config.language)
    entry.runtime_data.assistant.ask_approval(member, data, summary)


async def _saved(entry: PlexKioskConfigEntry) -> None:
    """Keep what an action changed, and show it."""
    entry.runtime_data.store.save(entry.runtime_data.data)
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
        dt_util.utcnow(),
        call.data.get("budget"),
        call.hass.config.language,
        call.data.get("title"),
    )
    await _saved(entry)
    return result


async def _apply_upgrade(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    return await _apply_candidate(call.hass, entry, call.data["candidate_id"])


async def _apply_candidate(
    hass: HomeAssistant, entry: PlexKioskConfigEntry, candidate_id: str
) -> dict[str, Any]:
    try:
        candidate = await entry.runtime_data.upgrades.apply(candidate_id, dt_util.utcnow())
    finally:
        await _saved(entry)
    if candidate.status == CandidateStatus.FAILED:
        said = candidate.reason.text(hass.config.language) if candidate.reason else ""
        raise ActionError("upgrade_not_started", reason=said)
    return {"candidate": candidate.public(hass.config.language)}


async def _dismiss_upgrade(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    candidate = entry.runtime_data.upgrades.dismiss(call.data["candidate_id"], dt_util.utcnow())
    await _saved(entry)
    return {"candidate": candidate.public(call.hass.config.language)}


async def _restore_upgrade(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    undone = await entry.runtime_data.upgrades.swaps.restore(
        call.data["history_id"], dt_util.utcnow()
    )
    await _saved(entry)
    return {"history": undone.public(call.hass.config.language)}


def _rules(entry: PlexKioskConfigEntry) -> dict[str, Any]:
    return {"rules": [encode(r) for r in entry.runtime_data.data.rules.values()]}


async def _upgrade_rules(call: ServiceCall) -> ServiceResponse:
    return _rules(entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID)))


async def _add_rule(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    fields = {k: v for k, v in call.data.items() if k != ATTR_CONFIG_ENTRY_ID}
    fields.setdefault("min_gain", int(entry.runtime_data.manager.options[CONF_UPGRADE_GAIN]))
    rule = rules.add_rule(entry.runtime_data.data, **fields)
    await _saved(entry)
    return {"rule": encode(rule)}


async def _update_rule(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    changes = {k: v for k, v in call.data.items() if k not in (ATTR_CONFIG_ENTRY_ID, "rule_id")}
    rule = rules.update_rule(entry.runtime_data.data, call.data["rule_id"], **changes)
    await _saved(entry)
    return {"rule": encode(rule)}


async def _remove_rule(call: ServiceCall) -> None:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    rules.remove_rule(entry.runtime_data.data, call.data["rule_id"])
    await _saved(entry)


ANALYSE_SCHEMA = vol.Schema({vol.Optional("type", default="full"): vol.In(TYPES), **_ENTRY})
RECOMMENDATION_SCHEMA = vol.Schema(
    {vol.Required("recommendation_id"): _text(300), vol.Optional("report_id"): KEY, **_ENTRY}
)


async def _analyse(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    runtime = entry.runtime_data
    report = await runtime.analyst.analyse(call.data["type"], dt_util.utcnow())
    critical = report.issues["critical"]
    if report.type in ("full", "quality"):
        HassHooks(call.hass).library_critical([issue["title"] for issue in critical])
    call.hass.bus.async_fire(
        EVENT_REPORT_READY,
        {
            "report_id": report.id,
            "type": report.type,
            "health_score": report.health_score,
            "trend": report.trend,
            "issues": report.issue_counts,
            "summary": report.summary,
            "top": [f"{r.title}: {r.description}" for r in report.recommendations[:3]],
            "recommendation_ids": [r.id for r in report.recommendations[:3]],
            "model": report.model,
        },
    )
    await _saved(entry)
    return report.public()


async def _apply_recommendation(call: ServiceCall) -> ServiceResponse:
    """Carried out through the existing actions only; a deletion never is."""
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    runtime = entry.runtime_data
    recommendation = runtime.analyst.recommendation(
        call.data.get("report_id"), call.data["recommendation_id"]
    )
    recommendation.status = RecommendationStatus.APPROVED
    if recommendation.kind == "upgrade" and recommendation.candidate_id:
        await _apply_candidate(call.hass, entry, recommendation.candidate_id)
    elif recommendation.tmdb_id is not None:  # a movie that completes a collection
        await runtime.requests.request_movie(
            tmdb_id=recommendation.tmdb_id, title=None, **await _requester(call, entry)
        )
    elif recommendation.code == "missing_episodes":  # the season, requested
        tvmaze_id, season = await _season_of(entry, recommendation.target)
        await runtime.requests.request_seasons(
            tvmaze_id=tvmaze_id, seasons=[season], **await _requester(call, entry)
        )
    elif recommendation.kind == "fix" and recommendation.target in runtime.data.profiles:
        profile = runtime.data.profiles[recommendation.target]
        folder = str(PurePosixPath(profile.file or "/").parent)
        await runtime.connections.plex.refresh_path(profile.section or "", folder)
    else:
        await _saved(entry)
        raise ActionError("recommendation_manual", kind=recommendation.kind)
    recommendation.status = RecommendationStatus.APPLIED
    await _saved(entry)
    return {"recommendation": encode(recommendation)}


async def _season_of(entry: PlexKioskConfigEntry, target: str) -> tuple[int, int]:
    """The TVMaze id and season number of a ``show:season`` target, from the ids Plex gives
    the show's episodes."""
    show, _, season = target.rpartition(":")
    ids = next(
        (
            p.ids
            for p in entry.runtime_data.data.profiles.values()
            if p.title == show and str(p.season) == season and p.ids
        ),
        {},
    )
    source = next((s for s in ("tvmaze", "tvdb", "tmdb") if str(ids.get(s, "")).isdigit()), None)
    if source is None:
        raise ActionError("recommendation_manual", kind="download")
    match = await find_by_id(entry.runtime_data.connections, source, int(ids[source]))
    return int(match.ids["tvmaze"]), int(season)


async def _dismiss_recommendation(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    recommendation = entry.runtime_data.analyst.recommendation(
        call.data.get("report_id"), call.data["recommendation_id"]
    )
    recommendation.status = RecommendationStatus.DISMISSED
    await _saved(entry)
    return {"recommendation": encode(recommendation)}


CHAT_SCHEMA = vol.Schema(
    {vol.Required("message"): _text(2000), vol.Optional("conversation_id"): KEY, **_ENTRY}
)


def public_proposal(proposal: Proposal) -> dict[str, Any]:
    """A proposal as the chat shows it."""
    return {
        "id": proposal.id,
        "action": proposal.action,
        "data": proposal.data,
        "summary": proposal.summary,
        "status": proposal.status,
    }


async def _chat(call: ServiceCall) -> ServiceResponse:
    entry = entry_for(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    user = await user_of(call.hass, call.context)
    reply = await entry.runtime_data.assistant.send(
        user, call.data["message"], call.data.get("conversation_id")
    )
    entry.runtime_data.store.save(entry.runtime_data.data)
    return {
        "conversation_id": reply.conversation_id,
        "answer": reply.answer,
        "proposals": [public_proposal(p) for p in reply.proposals],
    }


async def _install_sentences(call: ServiceCall) -> ServiceResponse:
    """Copy the Assist sentences into the configuration folder, then reload conversation."""
    hass = call.hass
    done = await hass.async_add_executor_job(
        sentences.install, Path(hass.config.path("custom_sentences"))
    )
    if hass.services.has_service("conversation", "reload"):
        await hass.services.async_call("conversation", "reload", {}, blocking=True)
    return done  # type: ignore[return-value]


# name → (handler, schema, response, admin only)
ACTIONS: dict[str, tuple[Any, Any, SupportsResponse, bool]] = {
    "follow": (_follow, FOLLOW_SCHEMA, SupportsResponse.OPTIONAL, True),
    "unfollow": (_unfollow, UNFOLLOW_SCHEMA, SupportsResponse.NONE, True),
    "update_follow": (_update, UPDATE_SCHEMA, SupportsResponse.OPTIONAL, True),
    "check_follow": (_check, CHECK_SCHEMA, SupportsResponse.OPTIONAL, True),
    "search": (_search, SEARCH_SCHEMA, SupportsResponse.ONLY, False),  # grab: admins only
    "request": (_request, REQUEST_SCHEMA, SupportsResponse.OPTIONAL, False),  # daily limit
    "scan_library": (_scan_library, SCAN_LIBRARY_SCHEMA, SupportsResponse.OPTIONAL, True),
    "scan_upgrades": (_scan_upgrades, SCAN_UPGRADES_SCHEMA, SupportsResponse.OPTIONAL, True),
    "apply_upgrade": (_apply_upgrade, APPLY_SCHEMA, SupportsResponse.OPTIONAL, True),
    "dismiss_upgrade": (_dismiss_upgrade, APPLY_SCHEMA, SupportsResponse.OPTIONAL, True),
    "restore_upgrade": (_restore_upgrade, RESTORE_SCHEMA, SupportsResponse.OPTIONAL, True),
    "upgrade_rules": (_upgrade_rules, RULES_SCHEMA, SupportsResponse.ONLY, False),
    "add_upgrade_rule": (_add_rule, ADD_RULE_SCHEMA, SupportsResponse.OPTIONAL, True),
    "update_upgrade_rule": (_update_rule, UPDATE_RULE_SCHEMA, SupportsResponse.OPTIONAL, True),
    "remove_upgrade_rule": (_remove_rule, REMOVE_RULE_SCHEMA, SupportsResponse.NONE, True),
    "analyse": (_analyse, ANALYSE_SCHEMA, SupportsResponse.OPTIONAL, True),
    "chat": (_chat, CHAT_SCHEMA, SupportsResponse.ONLY, False),  # proposals run as the user
    "install_sentences": (_install_sentences, vol.Schema({}), SupportsResponse.OPTIONAL, True),
    "apply_recommendation": (
        _apply_recommendation,
        RECOMMENDATION_SCHEMA,
        SupportsResponse.OPTIONAL,
        True,
    ),
    "dismiss_recommendation": (
        _dismiss_recommendation,
        RECOMMENDATION_SCHEMA,
        SupportsResponse.OPTIONAL,
        True,
    ),
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (once, from async_setup); admin-only ones are checked first."""
    for name, (handler, schema, response, admin) in ACTIONS.items():
        hass.services.async_register(
            DOMAIN, name, admin_action(handler) if admin else handler, schema, response
        )
