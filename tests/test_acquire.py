"""The acquire pipeline with the real qbittorrent-nox, real media files and the sandbox Plex."""

from __future__ import annotations

import base64
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
import qbittorrentapi
import torf
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.plex_kiosk.acquire.tracker import DownloadTracker
from custom_components.plex_kiosk.clients.torznab import TorznabClient
from custom_components.plex_kiosk.const import CONF_DOWNLOAD_DIR, CONF_SERIES_ROOT, DOMAIN
from custom_components.plex_kiosk.models import Download
from tests.conftest import control
from tests.sandbox import qbittorrent
from tests.test_follow import at, episode, epoch, follow

RELEASE = "Slow.Horses.S05E02.MULTi.VFF.1080p.WEB-DL.H264-TEST"
TARGET = "Slow Horses (2022)/Season 05/Slow Horses (2022) - S05E02 - Dures leçons.mkv"


def make_media(
    path: Path,
    languages: tuple[str, ...],
    *,
    size: str = "1920x1080",
    subtitles: tuple[str, ...] = (),
    codec: str = "libx264",
) -> None:
    """A 1-second H.264 MKV (1080p unless ``size``) with one audio track per language and
    one subtitle track per ``subtitles`` language, padded past 50 MB."""
    inputs, maps = [], ["-map", "0"]
    for index, _ in enumerate(languages, start=1):
        inputs += ["-f", "lavfi", "-i", f"sine=frequency={220 * index}"]
        maps += ["-map", str(index)]
    path.parent.mkdir(parents=True, exist_ok=True)
    if subtitles:
        srt = path.with_suffix(".srt")
        srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nBonjour\n", encoding="utf-8")
        for _ in subtitles:
            inputs += ["-i", str(srt)]
            maps += ["-map", str(len(maps) // 2)]
    metadata = [
        arg
        for i, lang in enumerate(languages)
        for arg in (f"-metadata:s:a:{i}", f"language={lang}")
    ] + [
        arg
        for i, lang in enumerate(subtitles)
        for arg in (f"-metadata:s:s:{i}", f"language={lang}")
    ]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=25", *inputs, "-t", "1", *maps,
         "-c:v", codec, *(["-x265-params", "log-level=error"] if codec == "libx265" else []), "-preset", "ultrafast", "-c:a", "aac", "-c:s", "srt", *metadata, str(path)],
        check=True,
    )  # fmt: skip
    if subtitles:
        path.with_suffix(".srt").unlink()
    with path.open("ab") as handle:  # a plausible size for a release (the players ignore the tail)
        handle.truncate(path.stat().st_size + 60_000_000)


def offer(
    sandbox: dict[str, str],
    directory: Path,
    languages: tuple[str, ...] = ("fre", "eng"),
    name: str = RELEASE,
    **fields: Any,
) -> str:
    """Put a real file in the download folder and offer its torrent on YggReborn (by default
    for Slow Horses S05E02, 15 min after air, listed at the size of a real episode: the file
    is a padded 1-second clip). ``fields`` change the listing; None removes a field."""
    media = directory / f"{name}.mkv"
    make_media(media, languages)
    torrent = torf.Torrent(path=media, private=False)
    torrent.generate()
    listing = {
        "name": name, "indexers": ["ygg"], "category": 5040, "size": 2_600_000_000, "seeders": 500,
        "show": "slow-horses", "season": 5, "episode": 2, "after_air": "+15m", **fields,
    }  # fmt: skip
    release = {key: value for key, value in listing.items() if value is not None}
    body = {
        "release": release,
        "torrent": base64.b64encode(torrent.dump()).decode(),
        "infohash": torrent.infohash,
    }
    control(sandbox, "release", body)
    return torrent.infohash


def qbt_api(qbt: qbittorrent.QBittorrent) -> qbittorrentapi.Client:
    """A direct client, for what a user or qBittorrent itself would do."""
    return qbittorrentapi.Client(
        host=qbt.url, username=qbittorrent.USERNAME, password=qbittorrent.PASSWORD
    )


def wait_complete(qbt: qbittorrent.QBittorrent, infohash: str) -> None:
    """Until qBittorrent has verified every piece (seconds at most; freezegun stops the
    monotonic clock, so the limit counts polls)."""
    client = qbt_api(qbt)
    polls = 600
    while client.torrents_info(torrent_hashes=infohash)[0].progress < 1:
        polls -= 1
        assert polls, client.torrents_info(torrent_hashes=infohash)[0].state
        time.sleep(0.1)


async def grabbed(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> Any:
    """Follow Slow Horses and let the feed bring the offered release."""
    await follow(hass, title="Slow Horses")
    await at(hass, entry, sandbox, freezer, epoch(sandbox) + timedelta(days=2, hours=2, minutes=35))
    target = episode(entry, "Slow Horses", 5, 2)
    assert target.status == "downloading"
    assert target.release_name == RELEASE
    return target


async def finish(
    hass: HomeAssistant, entry: MockConfigEntry, qbt: qbittorrent.QBittorrent, infohash: str
) -> None:
    """qBittorrent finds the data already on disk (it checks it when the torrent starts);
    then the downloads coordinator polls."""
    await hass.async_add_executor_job(wait_complete, qbt, infohash)
    await entry.runtime_data.downloads.async_refresh()
    await hass.async_block_till_done()


async def test_download_imported_hardlinked_and_refreshed(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Grabbed paused, checked, started; complete → hardlinked under Plex's name, probed,
    Plex refreshed for exactly that folder, episode completed, event fired."""
    downloaded = async_capture_events(hass, "plex_kiosk_episode_downloaded")
    source_dir = Path(loaded_entry.data[CONF_DOWNLOAD_DIR])
    infohash = offer(sandbox, source_dir)
    target = await grabbed(hass, loaded_entry, sandbox, freezer)
    info = await hass.async_add_executor_job(
        lambda: qbt_api(qbt).torrents_info(torrent_hashes=infohash)[0]
    )
    assert info.category == "plex_kiosk"
    assert info.tags == "plex_kiosk:episode"
    assert (
        hass.states.get("sensor.plex_kiosk_salon_active_downloads").state == "0"
    )  # not polled yet
    await loaded_entry.runtime_data.downloads.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get("sensor.plex_kiosk_salon_active_downloads").state == "1"

    await finish(hass, loaded_entry, qbt, infohash)
    imported = Path(loaded_entry.data[CONF_SERIES_ROOT]) / TARGET
    assert imported.is_file()
    assert imported.stat().st_ino == (source_dir / f"{RELEASE}.mkv").stat().st_ino  # a hardlink
    assert target.status == "completed"
    download = loaded_entry.runtime_data.data.downloads[infohash]
    assert (download.state, download.imported_path, download.error) == (
        "imported",
        str(imported),
        None,
    )
    assert control(sandbox, "stats")["refreshed"] == [
        {"section": "2", "path": str(imported.parent)}
    ]
    assert [(e.data["episode"], e.data["audio"], e.data["resolution"]) for e in downloaded] == [
        ("Slow Horses S05E02", "MULTI", "1080p")
    ]
    assert hass.states.get("sensor.plex_kiosk_salon_active_downloads").state == "0"


async def test_fake_multi_is_kept_but_searched_again(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A "MULTi" release with English audio only: imported, recorded, and the search goes on."""
    infohash = offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]), languages=("eng",))
    target = await grabbed(hass, loaded_entry, sandbox, freezer)
    await finish(hass, loaded_entry, qbt, infohash)
    download = loaded_entry.runtime_data.data.downloads[infohash]
    assert "no French audio" in (download.error or "")
    assert target.status == "searching"
    assert infohash in loaded_entry.runtime_data.data.blocklist


async def test_executable_refused_before_any_download(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
) -> None:
    """A torrent holding x.mkv.exe is removed from qBittorrent and blocklisted, never started."""
    client = TorznabClient(
        async_get_clientsession(hass), "YggReborn", f"{sandbox['torznab']}/ygg/api", "ygg-key"
    )
    [item] = await client.search("tvsearch", q="FAKE")
    result = await loaded_entry.runtime_data.downloads.acquirer.grab(
        item, client, "some-episode", dt_util.utcnow()
    )
    assert not result.ok
    assert (
        result.reason
        == "dangerous file: Slow.Horses.S05E01.FRENCH.1080p.WEB.x264-FAKE/Slow.Horses.S05E01.mkv.exe"
    )
    assert (
        await hass.async_add_executor_job(
            lambda: qbt_api(qbt).torrents_info(torrent_hashes=item.infohash)
        )
        == []
    )
    assert loaded_entry.runtime_data.data.blocklist[item.infohash or ""].reason == result.reason
    again = await loaded_entry.runtime_data.downloads.acquirer.grab(
        item, client, "some-episode", dt_util.utcnow()
    )
    assert again.reason == "already grabbed or blocklisted"


async def test_removed_by_user_fails_and_reopens(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The user deletes the torrent: failed, blocklisted, the episode is searched again."""
    failed = async_capture_events(hass, "plex_kiosk_episode_failed")
    infohash = offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    target = await grabbed(hass, loaded_entry, sandbox, freezer)
    await hass.async_add_executor_job(
        lambda: qbt_api(qbt).torrents_delete(torrent_hashes=infohash, delete_files=False)
    )
    await loaded_entry.runtime_data.downloads.async_refresh()
    await hass.async_block_till_done()
    assert target.status == "searching"
    assert loaded_entry.runtime_data.data.downloads[infohash].state == "failed"
    assert infohash in loaded_entry.runtime_data.data.blocklist
    assert failed[0].data["reason"] == "removed from qBittorrent"
    # the next cycle picks the next best release (FW), not the blocklisted one
    await at(
        hass,
        loaded_entry,
        sandbox,
        freezer,
        epoch(sandbox) + timedelta(days=2, hours=2, minutes=50),
    )
    assert target.release_name == "Slow.Horses.S05E02.MULTi.VFF.1080p.ATVP.WEB-DL.DDP5.1.H.264-FW"


@pytest.mark.parametrize("restart", ["qbittorrent", "home_assistant"])
async def test_restart_midway_resumes_without_duplicate(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
    restart: str,
) -> None:
    """qBittorrent or Home Assistant restarts mid-download: tracking resumes, nothing is grabbed twice."""
    infohash = offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    await grabbed(hass, loaded_entry, sandbox, freezer)
    await loaded_entry.runtime_data.downloads.async_refresh()
    if restart == "qbittorrent":
        await hass.async_add_executor_job(qbt.restart)
    else:
        assert await hass.config_entries.async_unload(loaded_entry.entry_id)
        assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await loaded_entry.runtime_data.follows.async_refresh()
    assert len(await hass.async_add_executor_job(lambda: qbt_api(qbt).torrents_info())) == 1
    for _ in range(300):  # the coordinator's polls, quicker: a torrent restored paused is resumed
        await loaded_entry.runtime_data.downloads.async_refresh()
        info = await hass.async_add_executor_job(
            lambda: qbt_api(qbt).torrents_info(torrent_hashes=infohash)[0]
        )
        if info.progress >= 1:
            break
        await hass.async_add_executor_job(time.sleep, 0.2)
    await finish(hass, loaded_entry, qbt, infohash)
    assert episode(loaded_entry, "Slow Horses", 5, 2).status == "completed"
    assert len(loaded_entry.runtime_data.data.downloads) == 1


async def test_manual_search_and_grab(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The search action lists every release with its score and reasons; grab takes one. The
    series is named by its title as a person types it; an episode the follow does not watch,
    or one that has not aired, says why nothing is found."""
    follow_id = (await follow(hass, title="Slow Horses", auto_download=False))["follow"]["id"]
    await at(
        hass,
        loaded_entry,
        sandbox,
        freezer,
        epoch(sandbox) + timedelta(days=2, hours=2, minutes=35),
    )
    call = {"series": "slow horses", "season": 5, "episode": 2}
    found = await hass.services.async_call(
        DOMAIN, "search", call, blocking=True, return_response=True
    )
    releases = {r["name"]: r for r in found["releases"]}
    best = "Slow.Horses.S05E02.MULTi.VFF.1080p.ATVP.WEB-DL.DDP5.1.H.264-FW"
    assert found["episode"] == "Slow Horses S05E02"
    assert releases[best]["rank"] == 1
    assert releases[best]["breakdown"] == {
        "audio": 40,
        "video": 20,
        "source": 12,
        "reliability": 10,
    }
    assert releases["Slow.Horses.S05E02.MULTi.HDCAM.x264-CAMERA"]["rejected"] == "bad_source"
    mislabelled = "Slow.Horses.S05E03.MULTi.1080p.WEB.H264-MISLABEL"
    assert releases[mislabelled]["reason"] == "episode 3, not 2"
    hass.config.language = "fr"  # one reason, in Home Assistant's language
    found = await hass.services.async_call(
        DOMAIN, "search", call, blocking=True, return_response=True
    )
    releases = {r["name"]: r for r in found["releases"]}
    assert releases[mislabelled]["reason"] == "épisode 3, pas 2"
    assert "raison" not in releases[mislabelled]
    hass.config.language = "en"
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "search",
            {**call, "grab": "Slow.Horses.S05E02.MULTi.HDCAM.x264-CAMERA"},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "not_grabbable"
    taken = await hass.services.async_call(
        DOMAIN, "search", {**call, "grab": best}, blocking=True, return_response=True
    )
    assert taken["grabbed"] == best
    assert episode(loaded_entry, "Slow Horses", 5, 2).status == "downloading"
    assert len(await hass.async_add_executor_job(lambda: qbt_api(qbt).torrents_info())) == 1
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "search",
            {"follow_id": follow_id, "season": 9, "episode": 9},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "unknown_episode"
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "search", {**call, "episode": 1}, blocking=True, return_response=True
        )
    assert err.value.translation_key == "episode_not_monitored"
    assert "S05E01 is not watched" in str(err.value)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "search",
            {**call, "series": "Slow Hearses"},
            blocking=True,
            return_response=True,
        )
    assert err.value.translation_key == "unknown_series"
    unaired = next(
        e
        for e in loaded_entry.runtime_data.data.episodes.values()
        if e.air_time and e.air_time > dt_util.utcnow()
    )
    later = await hass.services.async_call(
        DOMAIN,
        "search",
        {"follow_id": follow_id, "season": unaired.season, "episode": unaired.episode},
        blocking=True,
        return_response=True,
    )
    assert not any(r["rank"] for r in later["releases"])  # a pre-air fake at most
    assert later["why_empty"].startswith("airs on ")
    assert found["why_empty"] is None


def test_tracker_failure_states() -> None:
    """qBittorrent's error and missing-files states fail a download; so does a 6-hour stall."""
    tracker = DownloadTracker(cast(Any, None))
    start = dt_util.utcnow()
    tracker.torrents = {
        "err": {"state": "error", "progress": 0.2},
        "gone": {"state": "missingFiles", "progress": 1.0},
        "slow": {"state": "stalledDL", "progress": 0.5},
        "done": {"state": "stalledUP", "progress": 1.0},
    }
    downloads = {key: Download(key, key, "episode", "x") for key in tracker.torrents}
    assert tracker._progress(downloads["err"], start).failure == "qBittorrent reports error"
    assert tracker._progress(downloads["gone"], start).failure == "qBittorrent reports missingFiles"
    assert tracker._progress(downloads["done"], start).complete
    assert tracker._progress(downloads["slow"], start).failure is None
    assert tracker._progress(downloads["slow"], start + timedelta(hours=5)).failure is None
    assert (
        tracker._progress(downloads["slow"], start + timedelta(hours=6)).failure
        == "stalled for 6:00:00"
    )
    tracker.torrents["slow"]["state"] = "downloading"  # moving again: the stall clock restarts
    assert tracker._progress(downloads["slow"], start + timedelta(hours=7)).failure is None
    tracker.torrents["slow"]["state"] = "stalledDL"
    assert tracker._progress(downloads["slow"], start + timedelta(hours=8)).failure is None
