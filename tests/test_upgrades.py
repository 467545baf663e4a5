"""Library quality: profiles from the sandbox Plex and real files, rules, the upgrade scanner,
and replacement with the real qbittorrent-nox (verified first, old file recycled)."""

from __future__ import annotations

import base64
import errno
import json
import subprocess
from collections.abc import Generator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import qbittorrentapi
import torf
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.plex_kiosk.const import (
    CONF_DOWNLOAD_DIR,
    CONF_INDEXERS,
    CONF_MOVIES_ROOT,
    CONF_PATH_MAP,
    CONF_PLEX_URL,
    CONF_SERIES_ROOT,
    DEFAULT_OPTIONS,
    DOMAIN,
)
from custom_components.plex_kiosk.models import BlocklistEntry
from custom_components.plex_kiosk.upgrade.replace import plan, restore, swap
from tests.conftest import control, indexer_conf, start_sandbox
from tests.sandbox import library as generated
from tests.sandbox import qbittorrent
from tests.test_acquire import finish, make_media, offer, qbt_api

OPPENHEIMER = "Oppenheimer (2023)/Oppenheimer.2023.720p.WEB.x264-GRP.mkv"
MULTI = "Oppenheimer.2023.MULTi.VFF.1080p.WEB.H264-TEST"


@pytest.fixture
def entry_data(entry_data: dict[str, Any]) -> dict[str, Any]:
    """The movies and the series folders both mapped from Plex's paths."""
    return entry_data | {
        CONF_PATH_MAP: {
            "/data/media/movies": entry_data[CONF_MOVIES_ROOT],
            "/data/media/tv": entry_data[CONF_SERIES_ROOT],
        }
    }


async def call(hass: HomeAssistant, service: str, **data: Any) -> Any:
    """An action with its response."""
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


def library_file(entry: MockConfigEntry) -> Path:
    """Oppenheimer in the movies library: 720p H.264, English audio, French subtitles."""
    path = Path(entry.data[CONF_MOVIES_ROOT]) / OPPENHEIMER
    make_media(path, ("eng",), size="1280x720", subtitles=("fre",))
    return path


def offer_movie(
    sandbox: dict[str, str], entry: MockConfigEntry, name: str = MULTI, **fields: Any
) -> str:
    """A real 1080p file for Oppenheimer (French and English audio unless ``languages``)."""
    listing = {"category": 2040, "size": 2_000_000_000, "seeders": 300, "movie": "oppenheimer",
               "published": "-1d", "show": None, "season": None, "episode": None,
               "after_air": None} | fields  # fmt: skip
    return offer(sandbox, Path(entry.data[CONF_DOWNLOAD_DIR]), name=name, **listing)


def candidate_for(entry: MockConfigEntry, title: str) -> Any:
    """The stored candidate of an item."""
    return next(c for c in entry.runtime_data.data.candidates.values() if c.title == title)


async def proposed(
    hass: HomeAssistant, entry: MockConfigEntry, sandbox: dict[str, str], **offered: Any
) -> tuple[Path, str, Any]:
    """Oppenheimer in the library, a release offered (``offer_movie``'s arguments), both
    scans run: the library file, the release's info hash and its candidate."""
    old = library_file(entry)
    infohash = offer_movie(sandbox, entry, **offered)
    await call(hass, "scan_library")
    await call(hass, "scan_upgrades")
    return old, infohash, candidate_for(entry, "Oppenheimer (2023)")


async def test_profiles_from_plex_and_probe(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_storage: dict[str, Any],
) -> None:
    """Listing pages plus one metadata batch per section; streams become audio classes;
    a reachable file is probed (Plex lists no stream for it: the probe finds the truth);
    a second scan fetches nothing, a full one everything again."""
    library_file(loaded_entry)
    before = control(sandbox, "stats")["requests"]["plex"]
    result = await call(hass, "scan_library")
    assert control(sandbox, "stats")["requests"]["plex"] - before == result["plex_requests"] == 7
    assert (result["items"], result["fetched"], result["probed"], result["removed"]) == (7, 7, 1, 0)
    assert result["audio_classes"] == {"VOSTFR": 6, "MULTI": 1}
    assert len(hass_storage[f"plex_kiosk.{loaded_entry.entry_id}.library"]["data"]["rows"]) == 7
    profiles = loaded_entry.runtime_data.data.profiles
    dune2, dune, oppenheimer = profiles["101"], profiles["102"], profiles["103"]
    assert (dune2.resolution, dune2.video_codec, dune2.audio_class, dune2.probed) == (
        "720p", "h264", "VOSTFR", False,
    )  # fmt: skip
    assert (dune2.audio_languages, dune2.subtitles, dune2.bit_depth) == (["eng"], ["fra"], 8)
    assert dune2.ids == {"imdb": "tt15239678", "tmdb": "693134"}
    assert (dune2.score, dune2.original_title) == (45, "Dune: Part Two")
    assert (dune.resolution, dune.video_codec, dune.hdr, dune.audio_class) == (
        "2160p", "h265", "DV", "MULTI",
    )  # fmt: skip
    assert (dune.lossless_audio, dune.score) == (True, 100)
    assert dune.audio_tracks == ["eng truehd 8ch", "fra eac3 6ch"]
    assert (oppenheimer.probed, oppenheimer.audio_class, oppenheimer.subtitles) == (
        True, "VOSTFR", ["fra"],
    )  # fmt: skip
    episode = profiles["203"]
    assert (episode.media_type, episode.title, episode.season, episode.episode) == (
        "series", "Slow Horses", 3, 3,
    )  # fmt: skip
    assert (episode.episode_title, episode.ids["tvdb"]) == ("Hello Goodbye", "370681")
    again = await call(hass, "scan_library")
    assert (again["fetched"], again["plex_requests"]) == (0, 5)
    full = await call(hass, "scan_library", full=True)
    assert (full["fetched"], full["plex_requests"]) == (7, 7)
    state = hass.states.get("sensor.plex_kiosk_salon_library_items")
    assert state.state == "7"
    assert state.attributes["audio_classes"] == {"VOSTFR": 6, "MULTI": 1}


async def test_best_of_several_versions(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """A movie Plex holds in two versions (720p VOSTFR, 1080p HEVC MULTI) is what its best
    version is: no rule wants it."""

    def version(media_id: int, height: int, languages: list[str], subtitles: list[str]) -> Any:
        codec = "hevc" if height > 720 else "h264"
        streams = [{"id": media_id * 10, "streamType": 1, "codec": codec, "height": height}]
        streams += [{"streamType": 2, "codec": "eac3", "languageCode": x} for x in languages]
        streams += [{"streamType": 3, "codec": "srt", "languageCode": x} for x in subtitles]
        return {"id": media_id, "width": height * 16 // 9, "height": height, "videoCodec": codec,
                "parts": [{"id": media_id, "size": 4_000_000_000, "streams": streams,
                           "file": f"/data/media/movies/Heat (1995)/Heat.{height}p.mkv"}]}  # fmt: skip

    heat = {"ratingKey": 104, "section": 1, "type": "movie", "title": "Heat", "year": 1995,
            "updatedAt": 1716200000, "guids": ["imdb://tt0113277", "tmdb://949"],
            "media": [version(1, 720, ["eng"], ["fra"]), version(2, 1080, ["fra", "eng"], [])]}  # fmt: skip
    control(sandbox, "plex", {"items": [heat]})
    await call(hass, "scan_library")
    profile = loaded_entry.runtime_data.data.profiles["104"]
    assert (profile.resolution, profile.audio_class, profile.versions) == ("1080p", "MULTI", 2)
    assert profile.file == "/data/media/movies/Heat (1995)/Heat.1080p.mkv"
    targets = loaded_entry.runtime_data.upgrades.finder.targets()
    assert "104" not in {p.rating_key for t in targets for p in t.profiles}


@pytest.mark.parametrize("mode", ["down", "html", "garbage"])
async def test_plex_outage_keeps_profiles(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    hass_storage: dict[str, Any],
    mode: str,
) -> None:
    """Plex down, a proxy's HTML page or broken XML: a translated error naming Plex, and
    every profile already known stays (in memory and in the library file)."""
    await call(hass, "scan_library")
    control(sandbox, "fault", {"service": "plex", "mode": mode})
    with pytest.raises(HomeAssistantError) as raised:
        await call(hass, "scan_library", full=True)
    assert raised.value.translation_key == "service_down"
    assert raised.value.translation_placeholders["service"] == "plex"
    assert len(loaded_entry.runtime_data.data.profiles) == 7
    assert len(hass_storage[f"plex_kiosk.{loaded_entry.entry_id}.library"]["data"]["rows"]) == 7


async def test_rules_crud(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
) -> None:
    """Defaults on first setup; add, change, remove; a rule that is no step up is refused."""
    rules = {r["id"]: r for r in (await call(hass, "upgrade_rules"))["rules"]}
    assert {(r["source"], r["target"], r["min_gain"], r["enabled"]) for r in rules.values()} == {
        ("VOSTFR", "MULTI", 20, True), ("720p", "1080p", 20, True),
        ("x264", "HEVC", 0, True), ("1080p", "2160p", 20, False),
    }  # fmt: skip
    added = (await call(hass, "add_upgrade_rule", source="VF", target="MULTI"))["rule"]
    assert (added["name"], added["min_gain"], added["auto_apply"]) == ("VF → MULTI", 20, False)
    changed = await call(
        hass, "update_upgrade_rule", rule_id=added["id"], auto_apply=True, media_types=["movie"]
    )
    assert (changed["rule"]["auto_apply"], changed["rule"]["media_types"]) == (True, ["movie"])
    for source, target in (("MULTI", "VOSTFR"), ("720p", "MULTI"), ("x264", "AV2")):
        with pytest.raises(ServiceValidationError) as raised:
            await call(hass, "add_upgrade_rule", source=source, target=target)
        assert raised.value.translation_key == "invalid_rule"
    with pytest.raises(ServiceValidationError):
        await call(hass, "update_upgrade_rule", rule_id=added["id"], target="VOSTFR")
    assert loaded_entry.runtime_data.data.rules[added["id"]].target == "MULTI"
    await hass.services.async_call(
        DOMAIN, "remove_upgrade_rule", {"rule_id": added["id"]}, blocking=True
    )
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "update_upgrade_rule", rule_id=added["id"], enabled=False)
    assert raised.value.translation_key == "unknown_rule"
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "plex_kiosk/upgrade_rule/add", "data": {"source": "VO", "target": "VOSTFR"}}
    )
    added_ws = await client.receive_json()
    assert added_ws["result"]["rule"]["source"] == "VO"
    await client.send_json_auto_id({"type": "plex_kiosk/upgrades"})
    data = (await client.receive_json())["result"]
    assert len(data["rules"]) == 5
    assert (data["candidates"], data["history"]) == ([], [])
    reader = await hass_ws_client(hass, hass_read_only_access_token)
    await reader.send_json_auto_id(
        {"type": "plex_kiosk/upgrade_rule/remove", "data": {"rule_id": "vostfr_multi"}}
    )
    assert (await reader.receive_json())["error"]["code"] == "unauthorized"
    assert "vostfr_multi" in loaded_entry.runtime_data.data.rules


async def test_vostfr_movie_upgraded_and_old_file_recycled(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Proposed (event, sensor), applied: the new file is verified, the old one waits in a
    recycle folder Plex ignores, Plex refreshes that folder; emptied after 7 days."""
    available = async_capture_events(hass, "plex_kiosk_upgrade_available")
    applied = async_capture_events(hass, "plex_kiosk_upgrade_applied")
    old = library_file(loaded_entry)
    old_bytes = old.stat().st_size
    infohash = offer_movie(sandbox, loaded_entry)
    await call(hass, "scan_library")
    found = await call(hass, "scan_upgrades")
    titles = {c["title"]: c for c in found["candidates"]}
    assert titles["Oppenheimer (2023)"]["release_name"] == MULTI
    assert titles["Oppenheimer (2023)"]["rule_id"] == "vostfr_multi"
    assert (
        titles["Oppenheimer (2023)"]["current_score"],
        titles["Oppenheimer (2023)"]["new_score"],
    ) == (45, 80)
    assert titles["Slow Horses S03"]["season"] == 3
    assert sorted(titles["Slow Horses S03"]["rating_keys"]) == ["201", "202", "203", "204"]
    assert "Oppenheimer (2023)" in {e.data["title"] for e in available}
    state = hass.states.get("sensor.plex_kiosk_salon_upgrades_available")
    assert int(state.state) >= 2
    assert {"title": "Oppenheimer (2023)", "release": MULTI, "gain": 35}.items() <= next(
        b for b in state.attributes["best"] if b["title"] == "Oppenheimer (2023)"
    ).items()
    dune = candidate_for(loaded_entry, "Dune : Deuxième partie (2024)")
    with pytest.raises(ServiceValidationError) as raised:  # no file where the mapping points
        await call(hass, "apply_upgrade", candidate_id=dune.id)
    assert raised.value.translation_placeholders == {
        "path": "/data/media/movies/Dune Part Two (2024)/Dune.Part.Two.2024.VOSTFR.720p.WEB.x264.mkv"
    }
    candidate = candidate_for(loaded_entry, "Oppenheimer (2023)")
    response = await call(hass, "apply_upgrade", candidate_id=candidate.id)
    assert response["candidate"]["status"] == "downloading"
    await finish(hass, loaded_entry, qbt, infohash)
    new = old.parent / "Oppenheimer (2023).mkv"
    assert new.is_file()
    assert not old.exists()
    history = loaded_entry.runtime_data.data.history[0]
    assert (history.outcome, history.old_score, history.new_score) == ("applied", 45, 80)
    recycled = Path(history.recycled_path)
    assert recycled.stat().st_size == old_bytes
    assert (
        recycled.parent.parent == Path(loaded_entry.data[CONF_MOVIES_ROOT]) / ".plex_kiosk_recycle"
    )
    assert (recycled.parent.parent / ".plexignore").read_text() == "*\n"
    assert candidate.status == "applied"
    assert [e.data["candidate_id"] for e in applied] == [candidate.id]
    assert control(sandbox, "stats")["refreshed"] == [
        {"section": "1", "path": "/data/media/movies/Oppenheimer (2023)"}
    ]
    profile = loaded_entry.runtime_data.data.profiles["103"]
    assert (profile.audio_class, profile.resolution, profile.score) == ("MULTI", "1080p", 80)
    freezer.tick(timedelta(days=6))
    await loaded_entry.runtime_data.follows.async_refresh()
    assert recycled.exists()
    freezer.tick(timedelta(days=1, minutes=1))
    await loaded_entry.runtime_data.follows.async_refresh()
    assert not recycled.exists()
    assert history.purged
    assert new.is_file()


async def test_applied_upgrade_undone(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
) -> None:
    """Undo while the old file waits: it is back byte for byte, the new one goes to the
    recycle folder, the release is blocklisted and the profile is VOSTFR again."""
    old, infohash, candidate = await proposed(hass, loaded_entry, sandbox)
    content = old.read_bytes()
    await call(hass, "apply_upgrade", candidate_id=candidate.id)
    await finish(hass, loaded_entry, qbt, infohash)
    data = loaded_entry.runtime_data.data
    applied = data.history[0]
    assert applied.new_file == "/data/media/movies/Oppenheimer (2023)/Oppenheimer (2023).mkv"
    undone = (await call(hass, "restore_upgrade", history_id=applied.id))["history"]
    assert old.read_bytes() == content
    new = old.parent / "Oppenheimer (2023).mkv"
    assert not new.exists()
    parked = Path(undone["recycled_path"])
    assert parked.name == new.name
    assert parked.is_file()  # the new file waits in the recycle folder, whole
    assert (
        parked.stat().st_size
        == Path(loaded_entry.data[CONF_DOWNLOAD_DIR], f"{MULTI}.mkv").stat().st_size
    )
    assert parked.parent.parent == Path(loaded_entry.data[CONF_MOVIES_ROOT]) / ".plex_kiosk_recycle"
    assert (undone["outcome"], undone["old_score"], undone["new_score"]) == ("restored", 80, 45)
    assert applied.recycled_path is None
    assert data.blocklist[infohash].reason == "upgrade undone by the user"
    profile = data.profiles["103"]
    assert (profile.audio_class, profile.resolution, profile.file) == (
        "VOSTFR", "720p", "/data/media/movies/Oppenheimer (2023)/Oppenheimer.2023.720p.WEB.x264-GRP.mkv",
    )  # fmt: skip
    for history_id in (applied.id, undone["id"], "nope"):
        with pytest.raises(ServiceValidationError) as raised:
            await call(hass, "restore_upgrade", history_id=history_id)
        assert raised.value.translation_key == "cannot_restore"


async def test_a_qbittorrent_error_at_completion_is_waited_out(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """qBittorrent stops answering just as the upgrade's download completes: the download
    is not counted as imported and the old file stays; the next poll verifies and swaps."""
    old, infohash, candidate = await proposed(hass, loaded_entry, sandbox)
    await call(hass, "apply_upgrade", candidate_id=candidate.id)
    failures: list[str] = []

    def outage(*args: Any, **kwargs: Any) -> Any:
        failures.append(kwargs.get("torrent_hash", ""))
        raise qbittorrentapi.APIConnectionError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(qbittorrentapi.Client, "torrents_files", outage)
        await finish(hass, loaded_entry, qbt, infohash)
    assert failures == [infohash]
    [download] = loaded_entry.runtime_data.data.downloads.values()
    assert (download.state, download.completed_at) == ("stalledUP", None)  # not imported
    assert candidate.status == "downloading"
    assert old.is_file()
    assert not loaded_entry.runtime_data.data.history
    await finish(hass, loaded_entry, qbt, infohash)
    assert (download.state, candidate.status) == ("imported", "applied")
    assert (old.parent / "Oppenheimer (2023).mkv").is_file()
    assert not old.exists()


async def test_fake_multi_refused_and_original_untouched(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
) -> None:
    """Named MULTi, English audio only: the new file is deleted with its torrent, the release
    blocklisted, the original not touched, and the history says why."""
    refused = async_capture_events(hass, "plex_kiosk_upgrade_refused")
    fake = "Oppenheimer.2023.MULTi.1080p.WEB.H264.FAKE-TEST"
    await call(hass, "update_upgrade_rule", rule_id="vostfr_multi", auto_apply=True)
    old, infohash, candidate = await proposed(
        hass, loaded_entry, sandbox, name=fake, languages=("eng",)
    )
    before = (old.stat().st_size, old.stat().st_mtime_ns, old.stat().st_ino)
    assert (candidate.release_name, candidate.status) == (fake, "downloading")  # auto apply
    await finish(hass, loaded_entry, qbt, infohash)
    assert (old.stat().st_size, old.stat().st_mtime_ns, old.stat().st_ino) == before
    assert sorted(p.name for p in old.parent.iterdir()) == [old.name]
    history = loaded_entry.runtime_data.data.history[0]
    assert history.outcome == "refused"
    assert history.reason is not None
    assert "not MULTI" in history.reason.en
    assert candidate.status == "refused"
    assert infohash in loaded_entry.runtime_data.data.blocklist
    assert [e.data["reason"] for e in refused] == [history.reason.en]  # the server's language
    assert not qbt_api(qbt).torrents_info(torrent_hashes=infohash)
    assert not (Path(loaded_entry.data[CONF_DOWNLOAD_DIR]) / f"{fake}.mkv").exists()
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "apply_upgrade", candidate_id=candidate.id)
    assert raised.value.translation_key == "candidate_not_available"


async def test_season_pack_replaces_each_episode(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
) -> None:
    """Four VOSTFR episodes of a season: one season-pack search; the pack's two episode
    files each replace their own episode under its library name; the others stay."""
    season = Path(loaded_entry.data[CONF_SERIES_ROOT]) / "Slow Horses (2022)" / "Season 03"
    olds = [season / f"Slow.Horses.S03E0{n}.VOSTFR.720p.WEB.x264-GRP.mkv" for n in (1, 2, 3, 4)]
    for old in olds[:2]:
        make_media(old, ("eng",), size="1280x720", subtitles=("fre",))
    for old in olds[2:]:
        old.write_bytes(b"episode")
    name = "Slow.Horses.S03.MULTi.VFF.1080p.BluRay.x264-TEST"
    pack = Path(loaded_entry.data[CONF_DOWNLOAD_DIR]) / name
    for number in (1, 2):
        make_media(pack / f"Slow.Horses.S03E0{number}.MULTi.VFF.1080p.BluRay.x264-TEST.mkv",
                   ("fre", "eng"))  # fmt: skip
    torrent = torf.Torrent(path=pack)
    torrent.generate()
    listing = {"name": name, "indexers": ["ygg"], "category": 5040, "size": 9_000_000_000,
               "seeders": 500, "show": "slow-horses", "season": 3, "published": "-1d"}  # fmt: skip
    control(sandbox, "release", {"release": listing, "torrent": base64.b64encode(torrent.dump()).decode(),
                                 "infohash": torrent.infohash})  # fmt: skip
    await call(hass, "scan_library")
    await call(hass, "scan_upgrades")
    candidate = candidate_for(loaded_entry, "Slow Horses S03")
    assert (candidate.release_name, candidate.rule_id) == (name, "vostfr_multi")
    await call(hass, "apply_upgrade", candidate_id=candidate.id)
    await finish(hass, loaded_entry, qbt, torrent.infohash)
    assert sorted(p.name for p in season.iterdir()) == [
        "Slow Horses (2022) - S03E01 - Identity Theft.mkv",
        "Slow Horses (2022) - S03E02 - Negotiating with Tigers.mkv",
        olds[2].name,
        olds[3].name,
    ]
    history = loaded_entry.runtime_data.data.history
    assert sorted((h.title, h.outcome) for h in history) == [
        ("Slow Horses S03E01", "applied"), ("Slow Horses S03E02", "applied"),
    ]  # fmt: skip
    assert candidate.status == "applied"
    profiles = loaded_entry.runtime_data.data.profiles
    assert [profiles[k].audio_class for k in ("201", "202", "203", "204")] == [
        "MULTI", "MULTI", "VOSTFR", "VOSTFR",
    ]  # fmt: skip
    assert {r["path"] for r in control(sandbox, "stats")["refreshed"]} == {
        "/data/media/tv/Slow Horses (2022)/Season 03"
    }


@pytest.fixture
def full_downloads(loaded_entry: MockConfigEntry) -> Generator[Path]:
    """The download folder on a 1 MiB file system (mounted when the test asks)."""
    folder = Path(loaded_entry.data[CONF_DOWNLOAD_DIR])
    yield folder
    subprocess.run(["umount", str(folder)], check=False, capture_output=True)


async def test_no_disk_space_refused(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    full_downloads: Path,
) -> None:
    """A release bigger than the free space is kept as blocked, with the reason; applying it
    is refused with a translated error and nothing is downloaded."""
    library_file(loaded_entry)
    offer_movie(sandbox, loaded_entry)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(full_downloads)], check=True
    )
    await call(hass, "scan_library")
    await call(hass, "scan_upgrades")
    candidate = candidate_for(loaded_entry, "Oppenheimer (2023)")
    assert candidate.status == "blocked"
    assert candidate.public("en")["reason"] == (
        "not enough free disk space: 2.0 GB needed, 0.0 GB free"
    )
    assert candidate.public("fr")["reason"] == (
        "pas assez de place sur le disque : 2.0 GB nécessaires, 0.0 GB libres"
    )
    state = hass.states.get("sensor.plex_kiosk_salon_upgrades_available")
    assert "Oppenheimer (2023)" not in {b["title"] for b in state.attributes["best"]}
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "apply_upgrade", candidate_id=candidate.id)
    assert raised.value.translation_key == "no_space"
    assert not loaded_entry.runtime_data.data.downloads
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "apply_upgrade", candidate_id="nope")
    assert raised.value.translation_key == "unknown_candidate"
    await hass.services.async_call(
        DOMAIN, "remove_upgrade_rule", {"rule_id": "vostfr_multi"}, blocking=True
    )
    assert candidate.id not in loaded_entry.runtime_data.data.candidates


async def test_blocklisted_release_is_not_started(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """A release blocklisted after it was proposed: applying it says why, nothing is added."""
    _, infohash, candidate = await proposed(hass, loaded_entry, sandbox)
    data = loaded_entry.runtime_data.data
    data.blocklist[infohash] = BlocklistEntry(infohash, MULTI, "fake elsewhere")
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "apply_upgrade", candidate_id=candidate.id)
    assert raised.value.translation_key == "upgrade_not_started"
    assert raised.value.translation_placeholders == {
        "reason": "not grabbed: already grabbed or blocklisted"
    }
    assert (candidate.status, data.downloads) == ("failed", {})


async def test_upgrade_download_removed_by_user(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
) -> None:
    """The user removes the upgrade's torrent: the candidate fails, the release is
    blocklisted, the library file stays."""
    old, infohash, candidate = await proposed(hass, loaded_entry, sandbox)
    await call(hass, "apply_upgrade", candidate_id=candidate.id)
    await hass.async_add_executor_job(
        lambda: qbt_api(qbt).torrents_delete(torrent_hashes=infohash, delete_files=False)
    )
    await loaded_entry.runtime_data.downloads.async_refresh()
    assert candidate.status == "failed"
    assert candidate.public("en")["reason"] == "removed from qBittorrent"
    assert infohash in loaded_entry.runtime_data.data.blocklist
    assert old.is_file()
    assert not (old.parent / "Oppenheimer (2023).mkv").exists()


def test_swap_puts_the_old_file_back_when_the_new_one_cannot_be_placed(tmp_path: Path) -> None:
    """The library on a nearly full disk: the copy is refused (ENOSPC) and the old file is
    where it was, unchanged; the recycle folder holds nothing."""
    library = tmp_path / "small"
    library.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(library)], check=True)
    try:
        old = library / "Movie (2020)" / "Movie.2020.VOSTFR.720p.mkv"
        old.parent.mkdir()
        old.write_bytes(b"old" * 1000)
        new = tmp_path / "Movie.2020.MULTi.1080p.mkv"
        new.write_bytes(b"n" * 2_000_000)
        with pytest.raises(OSError, match="no room") as raised:
            swap(plan(old, "Movie (2020).mkv", library, "history-id"), new)
        assert raised.value.errno == errno.ENOSPC
        assert old.read_bytes() == b"old" * 1000
        assert not (library / ".plex_kiosk_recycle" / "history-id" / old.name).exists()
        assert not (old.parent / "Movie (2020).mkv").exists()
    finally:
        subprocess.run(["umount", str(library)], check=True)


def test_swap_across_a_mount_inside_the_library(tmp_path: Path) -> None:
    """A movie folder on another disk mounted inside the library: the old file is moved
    (not renamed) to the recycle folder; a name already taken by another file is refused."""
    library = tmp_path / "movies"
    mounted = library / "Movie (2020)"
    mounted.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mounted)], check=True)
    try:
        old = mounted / "Movie.2020.VOSTFR.720p.mkv"
        old.write_bytes(b"old")
        new = tmp_path / "Movie.2020.MULTi.1080p.mkv"
        new.write_bytes(b"new")
        (mounted / "Taken.mkv").write_bytes(b"someone else's")
        with pytest.raises(FileExistsError):
            plan(old, "Taken.mkv", library, "first")
        assert old.read_bytes() == b"old"
        swapped = plan(old, "Movie (2020).mkv", library, "second")
        swap(swapped, new)
        assert swapped.recycled == library / ".plex_kiosk_recycle" / "second" / old.name
        assert swapped.recycled.read_bytes() == b"old"
        assert (mounted / "Movie (2020).mkv").read_bytes() == b"new"
        assert not old.exists()
    finally:
        subprocess.run(["umount", str(mounted)], check=True)


def test_restore_never_overwrites(tmp_path: Path) -> None:
    """Undo refuses when another file took the old name; with the new file already gone
    (deleted by hand), the old one simply comes back."""
    library = tmp_path / "movies"
    recycled = library / ".plex_kiosk_recycle" / "h1" / "Movie.VOSTFR.mkv"
    recycled.parent.mkdir(parents=True)
    recycled.write_bytes(b"old")
    old = library / "Movie (2020)" / "Movie.VOSTFR.mkv"
    old.parent.mkdir()
    old.write_bytes(b"someone else's")
    new = library / "Movie (2020)" / "Movie (2020).mkv"
    with pytest.raises(FileExistsError):
        restore(recycled, old, new, library, "h2")
    assert (recycled.read_bytes(), old.read_bytes()) == (b"old", b"someone else's")
    old.unlink()
    assert restore(recycled, old, new, library, "h2") is None
    assert old.read_bytes() == b"old"
    assert not recycled.parent.exists()


async def test_budget_spreads_searches_over_runs(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """Two indexers: a budget of 2 is one search per run, never searched items first, those
    a VOSTFR → MULTI rule wants before the others (the season pack before Oppenheimer,
    which Plex lists as VO 720p); an indexer outage does not count as a search."""
    await call(hass, "scan_library")
    profiles = loaded_entry.runtime_data.data.profiles

    def searched() -> set[str]:
        return {k for k, p in profiles.items() if p.searched_at}

    first = await call(hass, "scan_upgrades", budget=2)
    assert (first["searched"], first["indexer_requests"], first["left_for_next_run"]) == (1, 2, 2)
    assert searched() == {"101"}
    second = await call(hass, "scan_upgrades", budget=2)
    assert (second["searched"], second["left_for_next_run"]) == (1, 1)
    assert searched() == {"101", "201", "202", "203", "204"}
    control(sandbox, "fault", {"service": "torznab", "mode": "html"})
    stale = {k: p.searched_at for k, p in profiles.items()}
    third = await call(hass, "scan_upgrades", budget=10)
    assert third["candidates"] == []
    assert {k: p.searched_at for k, p in profiles.items()} == stale


async def test_every_qualifying_vostfr_item_detected(
    hass: HomeAssistant,
    entry_data: dict[str, Any],
    tmp_path: Path,
    socket_enabled: None,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The PRD's KPI on a generated library (200 movies, 10 shows of 2 seasons of 5 episodes):
    every VOSTFR item a qualifying MULTI release exists for is proposed, and no decoy
    (too few seeders, CAM, VOSTFR again, another year's movie, lower resolution). The
    indexer's budget (40 at once, 30 an hour) spreads the scans over the day."""
    library = generated.generate(movies=200, shows=10, seasons=2, episodes=5, seed=11)
    world = tmp_path / "library.json"
    world.write_text(json.dumps(library.world), encoding="utf-8")
    proc, urls = start_sandbox(tmp_path, world)
    try:
        entry = MockConfigEntry(
            domain=DOMAIN,
            unique_id="bench",
            data={**entry_data, CONF_PLEX_URL: urls["plex"]},
            options={
                **DEFAULT_OPTIONS,
                CONF_INDEXERS: [indexer_conf(urls, "ygg", "YggReborn", "ygg-key")],
            },
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await call(hass, "scan_library")
        result = await call(hass, "scan_upgrades", budget=1000)
        finder, runs = entry.runtime_data.upgrades.finder, 1
        while any(p.searched_at is None for t in finder.targets() for p in t.profiles):
            assert result["indexers_wait_until"] is not None  # it stopped for the budget
            later = datetime.fromisoformat(result["indexers_wait_until"]) + timedelta(hours=1)
            freezer.move_to(later)
            result = await call(hass, "scan_upgrades", budget=1000)
            runs += 1
        assert 2 < runs < 10
        proposed = {
            key
            for c in entry.runtime_data.data.candidates.values()
            if c.rule_id == "vostfr_multi"
            for key in c.rating_keys
        }
        assert len(library.upgradable) >= 25
        assert proposed == library.upgradable
    finally:
        proc.terminate()
        proc.wait()
