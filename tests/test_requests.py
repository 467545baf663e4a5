"""Movie requests: TMDB lookup, search, grab, import into the movies library, daily limits."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import torf
import voluptuous as vol
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.plex_kiosk.const import (
    CONF_DOWNLOAD_DIR,
    CONF_MOVIES_ROOT,
    CONF_POSTER_CHECK,
    CONF_REQUEST_LIMIT,
    CONF_SERIES_ROOT,
    DOMAIN,
)
from tests.conftest import control
from tests.sandbox import qbittorrent
from tests.test_acquire import make_media, offer, wait_complete

MOVIE = "Dune.Part.Two.2024.MULTi.VFF.1080p.BluRay.x265-TEST"


def offer_movie(sandbox: dict[str, str], directory: Path) -> str:
    """A real file for Dune: Part Two, offered with the most seeders."""
    return offer(
        sandbox, directory, name=MOVIE, category=2040, size=9_000_000_000, seeders=900,
        movie="dune-2", published="-1d", show=None, season=None, episode=None, after_air=None,
    )  # fmt: skip


async def test_movie_request_to_plex(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Request by TMDB id: pending → searching → downloading → completed, in the movies library."""
    updates = async_capture_events(hass, "plex_kiosk_request_updated")
    infohash = offer_movie(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    response = await hass.services.async_call(
        DOMAIN, "request", {"tmdb_id": 693134}, blocking=True, return_response=True
    )
    request = response["request"]
    assert (request["title"], request["year"], request["status"]) == (
        "Dune : Deuxième partie",
        2024,
        "downloading",
    )
    decision = loaded_entry.runtime_data.data.decisions[f"request:{request['id']}"]
    assert decision.chosen == MOVIE
    assert {c.name: c.rejected for c in decision.candidates}[
        "Dune.Part.Two.2024.HDCAM.x264-SHiTSoNy"
    ] == "bad_source"
    await hass.async_add_executor_job(wait_complete, qbt, infohash)
    await loaded_entry.runtime_data.downloads.async_refresh()
    await hass.async_block_till_done()
    imported = (
        Path(loaded_entry.data[CONF_MOVIES_ROOT])
        / "Dune Deuxième partie (2024)"
        / "Dune Deuxième partie (2024).mkv"
    )
    assert imported.is_file()
    assert control(sandbox, "stats")["refreshed"] == [
        {"section": "1", "path": "/data/media/movies/Dune Deuxième partie (2024)"}
    ]
    assert [e.data["status"] for e in updates] == [
        "pending",
        "searching",
        "downloading",
        "completed",
    ]
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "plex_kiosk/requests"})
    assert [r["status"] for r in (await client.receive_json())["result"]["requests"]] == [
        "completed"
    ]


async def test_daily_limit_for_non_admins(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
) -> None:
    """A non-admin user gets the configured number of requests a day; an admin is not limited."""
    hass.config_entries.async_update_entry(
        loaded_entry, options={**loaded_entry.options, CONF_REQUEST_LIMIT: 1}
    )
    await hass.async_block_till_done()
    context = Context(user_id=hass_read_only_user.id)
    await hass.services.async_call(
        DOMAIN, "request", {"title": "Dune"}, blocking=True, context=context, return_response=True
    )
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "request",
            {"title": "Dune"},
            blocking=True,
            context=context,
            return_response=True,
        )
    assert err.value.translation_key == "request_limit_asked"
    admin = await hass.auth.async_create_user("Admin", group_ids=["system-admin"])
    for _ in range(2):
        await hass.services.async_call(
            DOMAIN,
            "request",
            {"title": "Dune"},
            blocking=True,
            context=Context(user_id=admin.id),
            return_response=True,
        )
    assert len(loaded_entry.runtime_data.data.requests) == 3


async def test_request_errors(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """A title or an id, a movie that exists: each mistake is a translated error."""
    with pytest.raises(vol.Invalid, match="tmdb_id or title"):  # the schema says it: a 400
        await hass.services.async_call(DOMAIN, "request", {}, blocking=True, return_response=True)
    for data, key in (
        ({"tmdb_id": 1}, "movie_not_found"),
        ({"title": "Nothing Like This"}, "movie_not_found"),
    ):
        with pytest.raises(HomeAssistantError) as err:
            await hass.services.async_call(
                DOMAIN, "request", data, blocking=True, return_response=True
            )
        assert err.value.translation_key == key


async def test_season_request_imports_every_episode(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
) -> None:
    """A whole season: the pack is grabbed and each episode file lands under its own name."""
    name = "Slow.Horses.S04.MULTi.1080p.WEB.H264-TEST"
    pack = Path(loaded_entry.data[CONF_DOWNLOAD_DIR]) / name
    pack.mkdir()
    for number in (1, 2):
        make_media(
            pack / f"Slow.Horses.S04E0{number}.MULTi.1080p.WEB.H264-TEST.mkv", ("fre", "eng")
        )
    torrent = torf.Torrent(path=pack)
    torrent.generate()
    listing = {
        "name": name,
        "indexers": ["ygg"],
        "category": 5040,
        "size": 14_000_000_000,
        "seeders": 120,
        "show": "slow-horses",
        "season": 4,
        "published": "-30d",
    }
    control(
        sandbox,
        "release",
        {
            "release": listing,
            "torrent": base64.b64encode(torrent.dump()).decode(),
            "infohash": torrent.infohash,
        },
    )
    response = await hass.services.async_call(
        DOMAIN, "request", {"tvmaze_id": 41797, "seasons": [4]}, blocking=True, return_response=True
    )
    [request] = response["requests"]
    assert (request["kind"], request["seasons"], request["status"]) == (
        "season",
        [4],
        "downloading",
    )
    await hass.async_add_executor_job(wait_complete, qbt, torrent.infohash)
    await loaded_entry.runtime_data.downloads.async_refresh()
    await hass.async_block_till_done()
    season = Path(loaded_entry.data[CONF_SERIES_ROOT]) / "Slow Horses (2022)" / "Season 04"
    assert sorted(p.name for p in season.iterdir()) == [
        "Slow Horses (2022) - S04E01.mkv",
        "Slow Horses (2022) - S04E02.mkv",
    ]
    assert loaded_entry.runtime_data.data.requests[request["id"]].status == "completed"
    assert control(sandbox, "stats")["refreshed"] == [{"section": "2", "path": str(season)}]


async def test_an_imported_movie_is_checked_against_its_poster(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    issue_registry: ir.IssueRegistry,
) -> None:
    """With the poster check on, the import hands the movie to the model in the background;
    a confident 'not the same movie' leaves the file and raises a repair."""
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, options={**config_entry.options, CONF_POSTER_CHECK: True}
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    infohash = offer_movie(sandbox, Path(config_entry.data[CONF_DOWNLOAD_DIR]))
    await hass.services.async_call(
        DOMAIN, "request", {"tmdb_id": 693134}, blocking=True, return_response=True
    )
    await hass.async_add_executor_job(wait_complete, qbt, infohash)
    wrong = {"same_movie": False, "confidence": 0.95, "reason": "Un documentaire."}
    control(sandbox, "ollama", {"answers": [{"content": wrong}]})
    await config_entry.runtime_data.downloads.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    (request,) = config_entry.runtime_data.data.requests.values()
    assert request.status == "completed"
    issue = issue_registry.async_get_issue(DOMAIN, f"poster_mismatch_{request.id}")
    assert issue is not None
    assert Path(issue.translation_placeholders["path"]).is_file()  # nothing deleted
