"""Following series against the sandbox: actions, calendar sync, release watching, failures."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import voluptuous as vol
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.plex_kiosk.acquire.search import Asked
from custom_components.plex_kiosk.const import DOMAIN
from custom_components.plex_kiosk.errors import ActionError
from custom_components.plex_kiosk.follow import views
from custom_components.plex_kiosk.follow.views import why_empty
from custom_components.plex_kiosk.models import EpisodeRelease, SeriesFollow
from tests.conftest import control


def epoch(sandbox: dict[str, str]) -> datetime:
    """The instant the world's relative times count from."""
    return datetime.fromisoformat(sandbox["epoch"])


async def follow(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Call the follow action and return its response."""
    response = await hass.services.async_call(
        DOMAIN, "follow", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def at(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    when: datetime,
) -> None:
    """Move Home Assistant's and the sandbox's clocks, then run the watching cycle."""
    freezer.move_to(when)
    control(sandbox, "clock", {"now": when.isoformat()})
    await entry.runtime_data.follows.async_refresh()
    await hass.async_block_till_done()


def episode(entry: MockConfigEntry, series: str, season: int, number: int) -> Any:
    """One stored episode."""
    data = entry.runtime_data.data
    follow_id = next(f.id for f in data.follows.values() if f.title == series)
    return data.episodes[f"{follow_id}:s{season}e{number}"]


async def test_follow_by_title_syncs_calendar(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """Following by title stores every future episode with exact times and French titles."""
    response = await follow(hass, title="Slow Horses", language="VOSTFR")
    assert response["followed"] is True
    followed = response["follow"]
    assert followed["ids"]["tvmaze"] == "41797"
    assert followed["ids"]["tmdb"] == "95480"
    assert followed["language"] == "VOSTFR"
    assert followed["next_episode"]["episode"] == 2
    assert followed["next_episode"]["title"] == "Dures leçons"
    assert datetime.fromisoformat(followed["next_episode"]["air_time"]) == epoch(
        sandbox
    ) + timedelta(days=2, hours=2)
    assert hass.states.get("sensor.plex_kiosk_salon_followed_series").state == "1"
    next_state = hass.states.get("sensor.plex_kiosk_salon_next_episode")
    assert next_state.attributes["episode"] == "Slow Horses S05E02"
    title = hass.states.get("sensor.plex_kiosk_salon_next_episode_title")
    assert title.state == "Slow Horses S05E02 \u2013 Dures leçons"  # which one, at a glance


@pytest.mark.parametrize(
    ("field", "value", "title"),
    [
        ("tvmaze_id", 41797, "Slow Horses"),
        ("tvdb_id", 370681, "Slow Horses"),
        ("tmdb_id", 62076, "Le Bureau des Légendes"),
        ("anilist_id", 21, "One Piece"),
    ],
)
async def test_follow_by_each_id(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, field: str, value: int, title: str
) -> None:
    """Each kind of id finds the show and fills the other sources' ids."""
    response = await follow(hass, **{field: value})
    assert response["follow"]["title"] == title
    assert response["follow"]["ids"][field.removesuffix("_id")] == str(value)


async def test_anime_absolute_numbers(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """One Piece by title: TVMaze numbering merged with AniList's absolute numbers."""
    response = await follow(hass, title="One Piece")
    assert response["follow"]["anime"] is True
    assert response["follow"]["ids"]["anilist"] == "21"
    assert response["follow"]["next_episode"]["absolute"] == 1151
    assert response["follow"]["next_episode"]["episode"] == 2


async def test_ambiguous_and_errors(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """Ambiguous titles follow nothing; unknown ids, duplicates and outages are translated errors."""
    response = await follow(hass, title="The Office")
    assert response["followed"] is False
    assert {c["year"] for c in response["candidates"]} == {2001, 2005}
    assert not loaded_entry.runtime_data.data.follows
    with pytest.raises(HomeAssistantError) as err:
        await follow(hass, tvmaze_id=999999)
    assert err.value.translation_key == "show_not_found"
    await follow(hass, tvmaze_id=41797)
    with pytest.raises(HomeAssistantError) as err:
        await follow(hass, title="Slow Horses")
    assert err.value.translation_key == "already_followed"
    with pytest.raises(vol.Invalid, match="exactly one of"):  # the schema says it: a 400
        await follow(hass, title="Slow Horses", tvmaze_id=1)
    control(sandbox, "fault", {"service": "tvmaze", "mode": "down"})
    with pytest.raises(HomeAssistantError) as err:
        await follow(hass, title="Whatever")
    assert err.value.translation_key == "service_down"


async def test_release_chosen_from_feed_with_reasons(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """An episode airs; a targeted search finds only a mislabelled release; 30 minutes later the
    feed brings a fake .exe, a CAM and the real one: the real one is grabbed, reasons recorded."""
    grabbed = async_capture_events(hass, "plex_kiosk_episode_grabbed")
    await follow(hass, title="Slow Horses")
    air = epoch(sandbox) + timedelta(days=2, hours=2)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=10))
    await hass.services.async_call(DOMAIN, "check_follow", {}, blocking=True, return_response=True)
    target = episode(loaded_entry, "Slow Horses", 5, 2)
    assert target.status == "searching"
    decision = loaded_entry.runtime_data.data.decisions[target.decision_id]
    assert [(c.name, c.rejected) for c in decision.candidates] == [
        ("Slow.Horses.S05E03.MULTi.1080p.WEB.H264-MISLABEL", "wrong_episode")
    ]

    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=35))
    target = episode(loaded_entry, "Slow Horses", 5, 2)
    assert target.status == "downloading"
    assert target.release_name == "Slow.Horses.S05E02.MULTi.VFF.1080p.ATVP.WEB-DL.DDP5.1.H.264-FW"
    decision = loaded_entry.runtime_data.data.decisions[target.decision_id]
    reasons = {c.name: c.rejected for c in decision.candidates}
    assert reasons["Slow.Horses.S05E02.MULTi.1080p.WEB.x264.mkv.exe"] == "dangerous"
    assert reasons["Slow.Horses.S05E02.MULTi.HDCAM.x264-CAMERA"] == "bad_source"
    assert reasons["Slow.Horses.S05E03.MULTi.1080p.WEB.H264-MISLABEL"] == "wrong_episode"
    assert decision.chosen == target.release_name
    assert [e.data["episode"] for e in grabbed] == ["Slow Horses S05E02"]
    assert grabbed[0].data["score"] >= 70


async def test_pre_air_fake_ignored(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A release published days before the episode aired is a fake, and says so."""
    await follow(hass, title="Slow Horses")
    air = epoch(sandbox) + timedelta(days=9, hours=2)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=30))
    target = episode(loaded_entry, "Slow Horses", 5, 3)
    assert target.status == "pending"
    decision = loaded_entry.runtime_data.data.decisions[target.decision_id]
    assert decision.chosen is None
    assert "pre_air" in {c.rejected for c in decision.candidates}


async def test_french_alias_and_restart(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """A French-titled release is matched through TMDB's French title; statuses survive a restart."""
    response = await follow(hass, tvmaze_id=2890)
    assert response["follow"]["title"] == "The Bureau"
    assert "Le Bureau des Légendes" in response["follow"]["aliases"]
    await loaded_entry.runtime_data.follows.async_refresh()
    target = episode(loaded_entry, "The Bureau", 6, 1)
    assert target.status == "downloading"
    assert target.release_name == "Le.Bureau.des.Legendes.S06E01.MULTi.1080p.WEB.H264-FRATERNiTY"
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert episode(loaded_entry, "The Bureau", 6, 1).status == "downloading"


async def test_no_release_fails_after_48h(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Feed first, safety searches when the feed failed; after 48 h: failed, a repair issue."""
    failed = async_capture_events(hass, "plex_kiosk_episode_failed")
    await follow(hass, title="One Piece")
    air = epoch(sandbox) + timedelta(days=8)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(hours=3))
    target = next(e for e in loaded_entry.runtime_data.data.episodes.values() if e.absolute == 1152)
    assert target.search_attempts == 0  # the feed answered since air time: nothing was missed
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": "down"})
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(hours=6))
    assert target.status == "searching"
    assert target.search_attempts == 1  # YggReborn failed: the +2 h safety search, on Nyaa FR
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(hours=25))
    assert target.search_attempts == 2  # and the +24 h one
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(hours=49))
    assert target.status == "failed"
    issue = issue_registry.async_get_issue(DOMAIN, f"episodes_failed_{target.follow_id}")
    assert issue.translation_placeholders["count"] == "2"  # one issue for the series
    # 1151 (aired the day after the epoch, no release either) failed first, at the first jump
    assert [e.data["episode"] for e in failed] == ["One Piece S23E02", "One Piece S23E03"]
    assert hass.states.get("sensor.plex_kiosk_salon_episodes_failed_7_days").state == "2"


@pytest.mark.parametrize("mode", ["html", "garbage", "429"])
async def test_one_broken_indexer_does_not_stop_the_other(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    mode: str,
) -> None:
    """YggReborn answers a Cloudflare page, garbage or 429: Nyaa FR still brings the release."""
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": mode})
    await follow(hass, title="Slow Horses")
    air = epoch(sandbox) + timedelta(days=2, hours=2)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=35))
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": mode})
    target = episode(loaded_entry, "Slow Horses", 5, 2)
    assert target.status == "downloading"
    decision = loaded_entry.runtime_data.data.decisions[target.decision_id]
    assert {c.name for c in decision.candidates} == {
        "Slow.Horses.S05E02.MULTi.VFF.1080p.ATVP.WEB-DL.DDP5.1.H.264-FW"
    }


async def test_update_unfollow_and_calendar(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """Pause, aliases and preferences change; the calendar lists episodes; unfollow removes them."""
    follow_id = (await follow(hass, title="Slow Horses"))["follow"]["id"]
    response = await hass.services.async_call(
        DOMAIN,
        "update_follow",
        {"follow_id": follow_id, "paused": True, "aliases": ["Les Tocards"], "quality": "2160p"},
        blocking=True,
        return_response=True,
    )
    assert response["follow"]["paused"] is True
    assert "Les Tocards" in response["follow"]["aliases"]
    start = epoch(sandbox)
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": "calendar.plex_kiosk_salon_episodes",
            "start_date_time": start,
            "end_date_time": start + timedelta(days=7),
        },
        blocking=True,
        return_response=True,
    )
    summaries = [e["summary"] for e in events["calendar.plex_kiosk_salon_episodes"]["events"]]
    assert summaries == ["Slow Horses S05E02 – Dures leçons"]
    assert events["calendar.plex_kiosk_salon_episodes"]["events"][0]["description"] == (
        "Status: upcoming"
    )
    hass.config.language = "fr"  # the household's language
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": "calendar.plex_kiosk_salon_episodes", "start_date_time": start,
         "end_date_time": start + timedelta(days=7)},
        blocking=True,
        return_response=True,
    )  # fmt: skip
    assert events["calendar.plex_kiosk_salon_episodes"]["events"][0]["description"] == (
        "Statut : à venir"
    )
    assert (
        hass.states.get("calendar.plex_kiosk_salon_episodes").attributes["message"]
        == "Slow Horses S05E02 – Dures leçons"
    )
    await hass.services.async_call(DOMAIN, "unfollow", {"follow_id": follow_id}, blocking=True)
    assert not loaded_entry.runtime_data.data.episodes
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(DOMAIN, "unfollow", {"follow_id": follow_id}, blocking=True)
    assert err.value.translation_key == "unknown_follow"


async def test_websocket_commands(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """The panel's commands list follows and episodes; changes are admin-only."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "plex_kiosk/follow/add", "data": {"title": "Slow Horses"}}
    )
    added = await client.receive_json()
    assert added["success"], added
    follow_id = added["result"]["follow"]["id"]
    await client.send_json_auto_id({"type": "plex_kiosk/follows"})
    assert [f["title"] for f in (await client.receive_json())["result"]["follows"]] == [
        "Slow Horses"
    ]
    await client.send_json_auto_id({"type": "plex_kiosk/follow", "follow_id": follow_id})
    detail = (await client.receive_json())["result"]
    assert [(e["season"], e["episode"]) for e in detail["episodes"]] == [(5, 2), (5, 3)]
    await client.send_json_auto_id({"type": "plex_kiosk/upcoming"})
    assert [e["series"] for e in (await client.receive_json())["result"]["episodes"]] == [
        "Slow Horses"
    ]
    await client.send_json_auto_id({"type": "plex_kiosk/follow", "follow_id": "nope"})
    assert (await client.receive_json())["error"]["code"] == "not_found"
    await client.send_json_auto_id(
        {"type": "plex_kiosk/follow/update", "data": {"follow_id": follow_id, "paused": True}}
    )
    assert (await client.receive_json())["result"]["follow"]["paused"] is True
    await client.send_json_auto_id(
        {"type": "plex_kiosk/follow/add", "data": {"title": "Slow Horses"}}
    )
    assert (await client.receive_json())["success"] is False

    reader = await hass_ws_client(hass, hass_read_only_access_token)
    await reader.send_json_auto_id({"type": "plex_kiosk/follow/remove", "follow_id": follow_id})
    assert (await reader.receive_json())["error"]["code"] == "unauthorized"
    await client.send_json_auto_id({"type": "plex_kiosk/follow/remove", "follow_id": follow_id})
    assert (await client.receive_json())["success"]
    assert not loaded_entry.runtime_data.data.follows


async def test_ended_show_completes_and_resync_keeps_statuses(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """An ended show with nothing left to air is completed; the daily re-sync keeps a grab."""
    office = await follow(hass, tvmaze_id=1020)
    assert office["follow"]["status"] == "completed"
    await follow(hass, title="Slow Horses")
    air = epoch(sandbox) + timedelta(days=2, hours=2)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=35))
    grabbed = episode(loaded_entry, "Slow Horses", 5, 2)
    assert grabbed.status == "downloading"
    follow_state = next(
        f for f in loaded_entry.runtime_data.data.follows.values() if f.title == "Slow Horses"
    )
    synced = follow_state.synced_at
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(hours=26))
    assert follow_state.synced_at > synced
    assert episode(loaded_entry, "Slow Horses", 5, 2).status == "downloading"


def test_why_a_search_by_hand_found_nothing() -> None:
    """Not aired (or no date yet), or every indexer out of budget: said in the user's
    language; an indexer that was asked means there was simply nothing."""
    now = datetime(2026, 12, 1, 20, 0, tzinfo=dt_util.UTC)
    aired = EpisodeRelease("e", "f", 1, 2, None, None, now - timedelta(days=1))
    spent = [Asked("Ygg", "waiting", now + timedelta(hours=2)), Asked("Nyaa", "failed")]
    assert why_empty(aired, spent, now, "en") == (
        f"the indexers' budget is spent until {views._local(now + timedelta(hours=2))}"
    )
    assert (why_empty(aired, spent, now, "fr") or "").startswith("budget des indexeurs épuisé")
    assert why_empty(aired, [*spent, Asked("Other", "asked")], now, "en") is None
    undated = EpisodeRelease("e", "f", 1, 3, None, None, None)
    assert why_empty(undated, [], now, "fr") == "pas encore de date de diffusion"
    later = EpisodeRelease("e", "f", 1, 4, None, None, now + timedelta(days=7))
    assert (why_empty(later, [], now, "fr") or "").startswith("diffusé le ")


async def test_episodes_before_what_a_follow_watches(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Searching an episode the follow does not watch says why; two follows sharing a title
    ask for the id."""
    manager = loaded_entry.runtime_data.manager
    show = SeriesFollow(id="a", title="Doctor Who", monitor="from_season", from_season=3)
    manager.data.follows["a"] = show
    manager.data.episodes["a:3:1"] = EpisodeRelease("a:3:1", "a", 3, 1, None, None, None)
    with pytest.raises(ActionError) as err:
        await manager.manual_search("a", season=2, episode=5)
    assert err.value.key == "episode_before_season"
    assert (err.value.translation_placeholders or {})["season"] == "3"
    manager.data.follows["b"] = SeriesFollow(
        id="b", title="Doctor Who (2005)", aliases=["doctor who"]
    )
    with pytest.raises(ActionError) as err:
        manager.find("DOCTOR WHO")
    assert err.value.key == "ambiguous_series"
