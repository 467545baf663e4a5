"""The panel's server side: the bundle served once with a version in its address, and the
websocket commands its views read (calendar, decision, downloads, lookup, library, the
request limit, live changes), each also tried as a family member."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL, DATA_PANELS
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator, WebSocketGenerator

from custom_components.plex_kiosk.const import CONF_DOWNLOAD_DIR, DOMAIN
from custom_components.plex_kiosk.models import Download, EpisodeStatus
from custom_components.plex_kiosk.panel import BUNDLE, PANEL_URL
from tests.conftest import control
from tests.test_acquire import offer
from tests.test_follow import at, episode, epoch, follow
from tests.test_permissions import non_admin_requests
from tests.test_upgrades import call


async def ask(client: Any, **message: Any) -> dict[str, Any]:
    """One command; its whole answer (``success`` and ``result`` or ``error``), past the
    events of a subscription that come first."""
    await client.send_json_auto_id(message)
    while (answer := await client.receive_json())["type"] == "event":
        pass
    assert isinstance(answer, dict)
    return answer


async def test_panel_served_once_and_removed_with_the_last_entry(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """The sidebar shows "Plex Kiosk" for everyone; its module's address carries the bundle's
    hash, is served, and is loaded on dashboards for the cards; a reload registers it again
    without an error; unloading the entry removes it."""
    panel = hass.data[DATA_PANELS][PANEL_URL]
    assert (panel.sidebar_title, panel.require_admin) == ("Plex Kiosk", False)
    url = panel.config["_panel_custom"]["module_url"]
    assert url.endswith("?v=" + hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12])
    assert url in hass.data[DATA_EXTRA_MODULE_URL].urls
    response = await (await hass_client()).get(url)
    assert response.status == 200
    assert await response.read() == BUNDLE.read_bytes()

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    assert PANEL_URL in hass.data[DATA_PANELS]
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert PANEL_URL not in hass.data[DATA_PANELS]
    assert url not in hass.data[DATA_EXTRA_MODULE_URL].urls


async def test_calendar_and_decision(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """A family member's calendar shows the week's episodes with their status; a grabbed
    episode's decision lists the candidates, the winner and why the others lost. A range
    longer than two months or an unknown decision get a clear error."""
    reader = await hass_ws_client(hass, hass_read_only_access_token)  # before the clock moves
    await follow(hass, title="Slow Horses")
    air = epoch(sandbox) + timedelta(days=2, hours=2)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=35))
    week = {"start": (air - timedelta(days=3)).isoformat(), "end": (air + timedelta(days=4))}
    week["end"] = week["end"].isoformat()
    shown = (await ask(reader, type="plex_kiosk/calendar", **week))["result"]["episodes"]
    assert [(e["series"], e["episode"], e["status"]) for e in shown] == [
        ("Slow Horses", 2, "downloading")
    ]
    grabbed = loaded_entry.runtime_data.data.downloads[shown[0]["infohash"]]
    assert shown[0]["progress"] == grabbed.progress  # a number while it downloads
    decision = await ask(reader, type="plex_kiosk/decision", decision_id=shown[0]["decision_id"])
    chosen = decision["result"]["decision"]
    assert chosen["chosen"] == "Slow.Horses.S05E02.MULTi.VFF.1080p.ATVP.WEB-DL.DDP5.1.H.264-FW"
    lost = {c["name"]: c["rejected"] for c in chosen["candidates"]}
    assert lost["Slow.Horses.S05E02.MULTi.HDCAM.x264-CAMERA"] == "bad_source"
    french = await ask(
        reader, type="plex_kiosk/decision", decision_id=shown[0]["decision_id"], language="fr"
    )
    why = {c["name"]: c["reason"] for c in french["result"]["decision"]["candidates"]}
    cam = "Slow.Horses.S05E02.MULTi.HDCAM.x264-CAMERA"
    assert why[cam].startswith("mauvaise source")
    assert {c["name"]: c["reason"] for c in chosen["candidates"]}[cam].startswith("bad source")
    assert "reason_fr" not in french["result"]["decision"]["candidates"][0]

    later = {"start": week["end"], "end": (air + timedelta(days=11)).isoformat()}
    shown = (await ask(reader, type="plex_kiosk/calendar", **later))["result"]["episodes"]
    assert [(e["episode"], e["status"], e["progress"]) for e in shown] == [(3, "pending", None)]
    too_long = {"start": week["start"], "end": (air + timedelta(days=70)).isoformat()}
    refused = await ask(reader, type="plex_kiosk/calendar", **too_long)
    assert refused["error"] == {
        "code": "invalid_format",
        "message": "A calendar range ends after it starts and spans 62 days at most",
    }
    unknown = await ask(reader, type="plex_kiosk/decision", decision_id="nope")
    assert unknown["error"] == {
        "code": "not_found",
        "message": "No decision with id nope",
    }


async def test_calendar_range_edges_and_order(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """An episode airing at the range's start is in it, one at its end is not (a week's
    view never shows Monday's twice); episodes come in air order however they are stored; an
    empty range is empty, a reversed one refused, two months allowed; a finished episode
    shows no progress even though its download is remembered."""
    await follow(hass, title="Slow Horses")
    data = loaded_entry.runtime_data.data
    second, third = (episode(loaded_entry, "Slow Horses", 5, n) for n in (2, 3))
    assert second.air_time
    assert third.air_time
    client = await hass_ws_client(hass)

    async def shown(start: Any, end: Any) -> Any:
        return await ask(
            client, type="plex_kiosk/calendar", start=start.isoformat(), end=end.isoformat()
        )

    only = (await shown(second.air_time, third.air_time))["result"]["episodes"]
    assert [e["episode"] for e in only] == [2]
    data.episodes = dict(reversed(data.episodes.items()))
    both = await shown(second.air_time, third.air_time + timedelta(seconds=1))
    assert [e["episode"] for e in both["result"]["episodes"]] == [2, 3]
    assert (await shown(second.air_time, second.air_time))["result"]["episodes"] == []
    backwards = await shown(third.air_time, second.air_time)
    assert backwards["error"]["code"] == "invalid_format"
    two_months = await shown(second.air_time, second.air_time + timedelta(days=62))
    assert two_months["success"]
    second.status, second.infohash = EpisodeStatus.COMPLETED, "ab" * 20
    data.downloads["ab" * 20] = Download("ab" * 20, "x", "episode", second.id, progress=1.0)
    done = (await shown(second.air_time, third.air_time))["result"]["episodes"]
    assert [(e["status"], e["progress"]) for e in done] == [("completed", None)]


async def test_a_failed_episode_is_searched_again_from_the_downloads_view(
    hass: HomeAssistant,
    issue_registry: ir.IssueRegistry,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """One Piece 1151 found no release in 48 h: the downloads view lists it. A family member
    may not retry; when a release shows up late, the admin's retry grabs it past its window,
    the open panels hear of it, the series' repair issue goes, and the download appears with
    its progress."""
    admin = await hass_ws_client(hass)  # all before the clock moves
    watching = await hass_ws_client(hass)
    reader = await hass_ws_client(hass, hass_read_only_access_token)
    await follow(hass, title="One Piece")
    await at(hass, loaded_entry, sandbox, freezer, epoch(sandbox) + timedelta(days=8, hours=3))
    view = (await ask(admin, type="plex_kiosk/downloads"))["result"]
    failed = {e["absolute"]: e for e in view["failed_episodes"]}
    assert failed[1151]["series"] == "One Piece"

    refused = await ask(reader, type="plex_kiosk/episode/retry", episode_id=failed[1151]["id"])
    assert refused["error"]["code"] == "unauthorized"
    nothing = await ask(admin, type="plex_kiosk/episode/retry", episode_id=failed[1151]["id"])
    assert nothing["result"] == {"episode": "One Piece S23E02", "grabbed": None}

    name = "One.Piece.1151.MULTi.1080p.WEB.x264-Tsundere"
    offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]), name=name, indexers=["nyaa"],
          category=5070, show="one-piece", season=23, episode=2, absolute=1151,
          after_air="+3d")  # fmt: skip
    follow_id = failed[1151]["follow_id"]
    assert issue_registry.async_get_issue(DOMAIN, f"episodes_failed_{follow_id}")
    await ask(watching, type="plex_kiosk/subscribe")
    retried = await ask(admin, type="plex_kiosk/episode/retry", episode_id=failed[1151]["id"])
    assert retried["result"]["grabbed"] == name
    assert episode(loaded_entry, "One Piece", 23, 2).status == "downloading"
    while (await asyncio.wait_for(watching.receive_json(), 5))["event"]["kind"] != "changed":
        pass  # the downloads' own events may come first
    assert issue_registry.async_get_issue(DOMAIN, f"episodes_failed_{follow_id}") is None
    view = (await ask(admin, type="plex_kiosk/downloads"))["result"]
    assert 1151 not in {e["absolute"] for e in view["failed_episodes"]}
    assert [d["name"] for d in view["active"]] == [name]
    assert {"progress", "speed", "eta", "state"} <= set(view["active"][0])
    gone = await ask(admin, type="plex_kiosk/episode/retry", episode_id="nope")
    assert gone["error"]["message"] == "No episode with id nope"


async def test_lookup_with_posters_and_what_is_known(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """A family member searching "Dune" sees TMDB's movies with posters a browser can load
    (no key in their address); one already requested is marked. A series search gives the
    ids a follow or a season request needs. TMDB down: a clear error."""
    await call(hass, "request", tmdb_id=438631)
    reader = await hass_ws_client(hass, hass_read_only_access_token)
    hits = (await ask(reader, type="plex_kiosk/lookup", kind="movie", query="Dune"))["result"]
    by_id = {h["ids"]["tmdb"]: h for h in hits["results"]}
    assert by_id["438631"]["known"] is True
    assert by_id["693134"]["known"] is False
    poster = by_id["693134"]["poster"]
    assert "sandbox-tmdb-key" not in poster
    async with aiohttp.ClientSession() as browser, browser.get(poster) as image:
        assert image.content_type == "image/jpeg"  # the sandbox's TMDB image server

    shows = await ask(reader, type="plex_kiosk/lookup", kind="series", query="Slow Horses")
    assert [(h["title"], h["ids"]["tvmaze"]) for h in shows["result"]["results"]] == [
        ("Slow Horses", "41797")
    ]
    control(sandbox, "fault", {"service": "tmdb", "mode": "down"})
    down = await ask(reader, type="plex_kiosk/lookup", kind="movie", query="Dune")
    assert down["error"]["message"].startswith("tmdb does not answer")


async def test_library_counts_and_filters(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """After a scan, the library view counts items by audio class, resolution and codec, and
    a filter keeps only the matching items, the lowest scores first."""
    await call(hass, "scan_library", full=True)
    data = loaded_entry.runtime_data.data
    data.profiles = dict(sorted(data.profiles.items(), key=lambda p: -p[1].score))
    client = await hass_ws_client(hass)
    library = (await ask(client, type="plex_kiosk/library"))["result"]
    profiles = data.profiles.values()
    assert library["total"] == len(profiles) > 0
    assert sum(library["audio_class"].values()) == library["total"]
    assert library["resolution"] == Counter(p.resolution for p in profiles)
    assert library["video_codec"] == Counter(p.video_codec for p in profiles)
    everything = [i["score"] for i in library["items"]]
    assert everything == sorted(everything)
    assert everything[0] < everything[-1]
    audio = next(iter(library["audio_class"]))
    only = (await ask(client, type="plex_kiosk/library", audio_class=audio))["result"]
    assert only["matching"] == library["audio_class"][audio]
    assert {i["audio_class"] for i in only["items"]} == {audio}
    scores = [i["score"] for i in only["items"]]
    assert scores == sorted(scores)


async def test_request_limit_left(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    hass_read_only_user: MockUser,
) -> None:
    """A family member sees how many requests they have left today; an administrator has no
    limit."""
    await non_admin_requests(hass, hass_read_only_user.id, {"tmdb_id": 693134})
    reader = await hass_ws_client(hass, hass_read_only_access_token)
    left = (await ask(reader, type="plex_kiosk/requests/limit"))["result"]
    assert left == {"limited": True, "limit": 3, "used": 1, "left": 2}
    await non_admin_requests(hass, hass_read_only_user.id, {"tmdb_id": 438631}, {"tmdb_id": 841})
    none_left = (await ask(reader, type="plex_kiosk/requests/limit"))["result"]
    assert (none_left["used"], none_left["left"]) == (3, 0)
    admin = await hass_ws_client(hass)
    assert (await ask(admin, type="plex_kiosk/requests/limit"))["result"]["limited"] is False


async def test_changes_arrive_without_polling(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """A subscribed panel hears that follows changed; while an episode downloads, it gets
    the downloads every few seconds without asking; unsubscribing stops it all."""
    reader = await hass_ws_client(hass, hass_read_only_access_token)
    subscribed = await ask(reader, type="plex_kiosk/subscribe")
    assert subscribed["success"]
    await follow(hass, tvmaze_id=2890)  # The Bureau S06E01 is grabbed at once
    event = await asyncio.wait_for(reader.receive_json(), 5)
    assert event["event"] == {"kind": "changed"}
    while (event := await asyncio.wait_for(reader.receive_json(), 10))["event"]["kind"] != (
        "downloads"
    ):
        assert event["event"] == {"kind": "changed"}
    assert [d["name"] for d in event["event"]["active"]] == [
        "Le.Bureau.des.Legendes.S06E01.MULTi.1080p.WEB.H264-FRATERNiTY"
    ]

    other = await hass_ws_client(hass)  # a second panel or card: the same looks
    assert (await ask(other, type="plex_kiosk/subscribe"))["success"]
    while (event := await asyncio.wait_for(other.receive_json(), 10))["event"]["kind"] != (
        "downloads"
    ):
        pass
    stop = await ask(reader, type="unsubscribe_events", subscription=subscribed["id"])
    assert stop["success"]
    while (await asyncio.wait_for(other.receive_json(), 10))["event"]["kind"] != "downloads":
        pass  # the other one still hears
    await follow(hass, title="Slow Horses")
    await asyncio.sleep(4)
    await reader.send_json_auto_id({"type": "ping"})
    assert (await reader.receive_json())["type"] == "pong"  # no event came before it
