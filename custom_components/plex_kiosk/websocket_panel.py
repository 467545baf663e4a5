"""Websocket commands only the panel needs: the calendar, a decision, downloads, a title
lookup with posters, the library's make-up, and a subscription to every change."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
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
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .acquire import lookup
from .clients.errors import ClientError
from .const import CONF_REQUEST_LIMIT, DOMAIN
from .errors import ActionError, ServiceDown
from .models import Download, EpisodeStatus, StoreData, encode
from .services import ATTR_CONFIG_ENTRY_ID, entry_for
from .store import changed_signal
from .websocket_api import runtime_of

MAX_RANGE = timedelta(days=62)  # a month view with its spill-over weeks
FAILED_SHOWN = 20
ITEMS_SHOWN = 200
ITEM_FIELDS = ("rating_key", "title", "media_type", "year", "season", "episode", "resolution",
               "video_codec", "audio_class", "size", "score")  # fmt: skip
SETTLE = 0.3  # seconds: the saves of one change make one event
LIVE_EVERY = timedelta(seconds=3)  # downloads' progress, while a panel listens
DATA_LIVE = f"{DOMAIN}_live_downloads"
ENTRY: dict[vol.Marker | str, Any] = {vol.Optional(ATTR_CONFIG_ENTRY_ID): str}


@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/calendar",
        vol.Required("start"): cv.datetime,
        vol.Required("end"): cv.datetime,
        **ENTRY,
    }
)
@callback
def ws_calendar(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """The followed episodes airing between ``start`` and ``end`` (62 days at most), with
    their status and, while downloading, their progress."""
    start, end = (dt_util.as_utc(msg[k]) for k in ("start", "end"))
    if not timedelta(0) <= end - start <= MAX_RANGE:
        err = ActionError("calendar_range", days=str(MAX_RANGE.days))
        connection.send_error(msg["id"], "invalid_format", str(err))
        return
    connection.send_result(msg["id"], calendar_view(runtime_of(hass, msg).data, start, end))


def calendar_view(data: StoreData, start: datetime, end: datetime) -> dict[str, Any]:
    """The followed episodes airing from ``start`` to ``end``, with their series and, while
    downloading, their progress."""
    by_hash = {d.infohash: d for d in data.downloads.values()}
    episodes = sorted(
        (
            e
            for e in data.episodes.values()
            if e.air_time and start <= e.air_time < end and e.follow_id in data.follows
        ),
        key=lambda e: e.air_time or start,
    )
    return {
        "episodes": [
            {
                **encode(e),
                "series": data.follows[e.follow_id].title,
                "anime": data.follows[e.follow_id].anime,
                "progress": by_hash[e.infohash].progress
                if e.status == EpisodeStatus.DOWNLOADING and e.infohash in by_hash
                else None,
            }
            for e in episodes
        ]
    }


@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/decision",
        vol.Required("decision_id"): str,
        vol.Optional("language"): str,
        **ENTRY,
    }
)
@callback
def ws_decision(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Why a release was chosen: the candidates, their scores and why each lost (in the
    user's ``language``), the model's reason."""
    decision = runtime_of(hass, msg).data.decisions.get(msg["decision_id"])
    if decision is None:
        err = ActionError("unknown_decision", decision_id=msg["decision_id"])
        connection.send_error(msg["id"], ERR_NOT_FOUND, str(err))
        return
    language = msg.get("language") or hass.config.language
    shown = encode(decision) | {"candidates": [c.public(language) for c in decision.candidates]}
    connection.send_result(msg["id"], {"decision": shown})


def downloads_view(runtime: Any) -> dict[str, Any]:
    """What the entry's downloads view shows (see :func:`downloads_of`)."""
    acquirer = runtime.downloads.acquirer
    return downloads_of(runtime.data, acquirer.tracker.torrents, acquirer.active())


def downloads_of(
    data: StoreData, torrents: Mapping[str, dict[str, Any]], running: list[Download]
) -> dict[str, Any]:
    """Active downloads with speed and time left (from qBittorrent's ``torrents``), the
    latest failures and the failed episodes (which a retry may search again)."""

    def active(d: Download) -> dict[str, Any]:
        torrent = torrents.get(d.infohash, {})
        eta = int(torrent.get("eta", 0))
        return {
            **_download(d),
            "speed": int(torrent.get("dlspeed", 0)),
            "eta": eta if 0 < eta < 8640000 else None,  # qBittorrent's "infinity"
            "size": int(torrent.get("size", 0)),
        }

    failed = sorted(
        (d for d in data.downloads.values() if d.state == "failed"),
        key=lambda d: d.added_at,
        reverse=True,
    )
    episodes = [
        {
            **encode(e),
            "series": data.follows[e.follow_id].title,
        }
        for e in data.episodes.values()
        if e.status == EpisodeStatus.FAILED and e.follow_id in data.follows
    ]
    return {
        "active": [active(d) for d in running],
        "failed": [_download(d) for d in failed[:FAILED_SHOWN]],
        "failed_episodes": sorted(episodes, key=lambda e: e["failed_at"] or "", reverse=True),
    }


def _download(d: Download) -> dict[str, Any]:
    return {
        k: v
        for k, v in encode(d).items()
        if k in ("infohash", "name", "purpose", "state", "progress", "added_at", "error")
    }


@websocket_command({vol.Required("type"): "plex_kiosk/downloads", **ENTRY})
@callback
def ws_downloads(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """What qBittorrent is doing for Plex Kiosk, and what failed."""
    connection.send_result(msg["id"], downloads_view(runtime_of(hass, msg)))


@require_admin
@websocket_command(
    {vol.Required("type"): "plex_kiosk/episode/retry", vol.Required("episode_id"): str, **ENTRY}
)
@async_response
async def ws_retry(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Search a failed episode again now and grab its best release."""
    runtime = runtime_of(hass, msg)
    try:
        result = await runtime.manager.retry(msg["episode_id"])
    except HomeAssistantError as err:
        connection.async_handle_exception(msg, err)
        return
    runtime.follows.changed()
    connection.send_result(msg["id"], result)


@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/lookup",
        vol.Required("query"): vol.All(str, vol.Length(min=1, max=200)),
        vol.Required("kind"): vol.In(["series", "movie"]),
        **ENTRY,
    }
)
@async_response
async def ws_lookup(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Series (TVMaze, AniList) or movies (TMDB, with posters) titled like ``query``, each
    marked when it is already followed or in Plex."""
    runtime = runtime_of(hass, msg)
    conns = runtime.connections
    try:
        hits: list[dict[str, Any]]
        if msg["kind"] == "series":
            hits = [m.as_dict() for m in await lookup.find_by_title(conns, msg["query"])]
        elif conns.tmdb is None:
            raise ActionError("tmdb_not_configured")
        else:
            hits = [
                {
                    "title": m.title,
                    "year": m.year,
                    "ids": m.ids,
                    "poster": await conns.tmdb.image_url(m.poster) if m.poster else None,
                }
                for m in await conns.tmdb.search("movie", msg["query"])
            ]
    except ClientError as err:
        connection.async_handle_exception(msg, ServiceDown(err.service, err.detail))
        return
    except HomeAssistantError as err:
        connection.async_handle_exception(msg, err)
        return
    known = _known_ids(runtime.data)
    for hit in hits:
        hit["known"] = any((k, str(v)) in known for k, v in hit["ids"].items())
    connection.send_result(msg["id"], {"results": hits})


def _known_ids(data: StoreData) -> set[tuple[str, str]]:
    """The ids of what is followed, requested or in Plex."""
    holders: list[dict[str, str]] = [
        *(f.ids for f in data.follows.values()),
        *(r.ids for r in data.requests.values()),
        *(p.ids for p in data.profiles.values()),
    ]
    return {(k, str(v)) for ids in holders for k, v in ids.items()}


@websocket_command(
    {
        vol.Required("type"): "plex_kiosk/library",
        vol.Optional("audio_class"): str,
        vol.Optional("resolution"): str,
        vol.Optional("video_codec"): str,
        **ENTRY,
    }
)
@callback
def ws_library(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """The library by audio class, resolution and codec, and the lowest-scored items that
    match the filters (200 at most)."""
    wanted: dict[str, str] = {
        k: msg[k] for k in ("audio_class", "resolution", "video_codec") if k in msg
    }
    connection.send_result(msg["id"], library_view(runtime_of(hass, msg).data, wanted))


def library_view(data: StoreData, wanted: Mapping[str, str]) -> dict[str, Any]:
    """The library by audio class, resolution and codec; the lowest-scored items that match
    ``wanted`` (200 at most)."""
    profiles = data.profiles.values()
    shown = [p for p in profiles if all((getattr(p, k) or "?") == v for k, v in wanted.items())]
    shown.sort(key=lambda p: (p.score, p.title))
    return {
        "total": len(profiles),
        "matching": len(shown),
        "audio_class": Counter(p.audio_class for p in profiles),
        "resolution": Counter(p.resolution or "?" for p in profiles),
        "video_codec": Counter(p.video_codec or "?" for p in profiles),
        "items": [{k: getattr(p, k) for k in ITEM_FIELDS} for p in shown[:ITEMS_SHOWN]],
    }


@websocket_command({vol.Required("type"): "plex_kiosk/requests/limit", **ENTRY})
@callback
def ws_request_limit(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """How many requests the user may still make today (administrators have no limit)."""
    runtime = runtime_of(hass, msg)
    user = connection.user
    limit = int(runtime.requests.options[CONF_REQUEST_LIMIT])
    used = runtime.requests.used(user.id, dt_util.utcnow())
    connection.send_result(
        msg["id"],
        {"limited": not user.is_admin, "limit": limit, "used": used, "left": max(limit - used, 0)},
    )


class LiveDownloads:
    """One look at qBittorrent every few seconds for all the panels and cards of an entry,
    only while one of them listens and something downloads."""

    def __init__(self, hass: HomeAssistant, entry: Any) -> None:
        """For one config entry (its current runtime data at each look)."""
        self.hass, self.entry = hass, entry
        self.listeners: set[Callable[[dict[str, Any]], None]] = set()
        self._stop: Callable[[], None] | None = None

    @callback
    def listen(self, send: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        """Call ``send`` with the downloads view at each look; the returned callable stops."""
        self.listeners.add(send)
        if self._stop is None:
            self._stop = async_track_time_interval(
                self.hass, self._look, LIVE_EVERY, cancel_on_shutdown=True
            )

        @callback
        def forget() -> None:
            self.listeners.discard(send)
            if not self.listeners and self._stop is not None:
                self._stop()
                self._stop = None

        return forget

    async def _look(self, _now: datetime) -> None:
        runtime = self.entry.runtime_data
        if runtime.downloads.acquirer.active():
            await runtime.downloads.async_refresh()
            view = downloads_view(runtime)
            for send in list(self.listeners):
                send(view)


@websocket_command({vol.Required("type"): "plex_kiosk/subscribe", **ENTRY})
@callback
def ws_subscribe(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Events as things change: ``changed`` when the data did (follows, episodes, requests,
    candidates, reports: the panel reads again what it shows); while something downloads,
    ``downloads`` with the downloads every few seconds (qBittorrent is asked that often
    only while a panel or card listens)."""
    entry = entry_for(hass, msg.get(ATTR_CONFIG_ENTRY_ID))
    pending: list[asyncio.TimerHandle] = []

    @callback
    def send_changed() -> None:
        pending.clear()
        connection.send_event(msg["id"], {"kind": "changed"})

    @callback
    def changed() -> None:
        if not pending:
            pending.append(hass.loop.call_later(SETTLE, send_changed))

    @callback
    def downloads(view: dict[str, Any]) -> None:
        connection.send_event(msg["id"], {"kind": "downloads", **view})

    live = hass.data.setdefault(DATA_LIVE, {})
    ticker = live.setdefault(entry.entry_id, LiveDownloads(hass, entry))
    unsubs = [
        async_dispatcher_connect(hass, changed_signal(entry.entry_id), changed),
        ticker.listen(downloads),
    ]

    @callback
    def unsubscribe() -> None:
        for cancel in [*unsubs, *(p.cancel for p in pending)]:
            cancel()

    connection.subscriptions[msg["id"]] = unsubscribe
    connection.send_result(msg["id"])


@callback
def async_setup_panel_websocket(hass: HomeAssistant) -> None:
    """Register the panel's commands (once, from async_setup)."""
    for command in (
        ws_calendar,
        ws_decision,
        ws_downloads,
        ws_retry,
        ws_lookup,
        ws_library,
        ws_request_limit,
        ws_subscribe,
    ):
        async_register_command(hass, command)
