"""The store: every model round-trips, old files migrate, data survives a restart."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_kiosk.models import (
    AIAnalysisReport,
    AIConversation,
    AIRecommendation,
    BlocklistEntry,
    ChatMessage,
    Decision,
    DecisionCandidate,
    Download,
    EpisodeRelease,
    MediaQualityProfile,
    MediaRequest,
    SeriesFollow,
    StoreData,
    UpgradeHistory,
    UpgradeRule,
    decode,
    decode_profiles,
    encode,
    encode_profiles,
)
from custom_components.plex_kiosk.store import PlexKioskStore
from custom_components.plex_kiosk.upgrade.rules import default_rules

AT = datetime(2026, 11, 22, 18, 30, tzinfo=UTC)


def full_data() -> StoreData:
    """One of everything, with nested lists, dicts, optionals and datetimes."""
    return StoreData(
        follows={
            "f1": SeriesFollow(
                "f1",
                "One Piece",
                {"anilist": "21"},
                1999,
                anime=True,
                language="VOSTFR",
                aliases=["ワンピース"],
                created_at=AT,
            )
        },
        episodes={
            "e1": EpisodeRelease(
                "e1",
                "f1",
                None,
                None,
                absolute=1151,
                air_time=AT,
                status="searching",
                search_attempts=2,
            )
        },
        requests={
            "r1": MediaRequest(
                "r1",
                "movie",
                "Dune : Deuxième partie",
                {"tmdb": "693134"},
                requested_by="user-1",
                created_at=AT,
            )
        },
        downloads={
            "abc": Download(
                "abc",
                "Dune.Part.Two.2024.MULTi.1080p",
                "request",
                "r1",
                indexer="YggReborn",
                progress=0.42,
                added_at=AT,
            )
        },
        profiles={
            "101": MediaQualityProfile(
                "101",
                "Dune",
                "movie",
                file="/m/d.mkv",
                resolution="720p",
                audio_languages=["eng"],
                audio_class="VOSTFR",
                subtitles=["fra"],
                scanned_at=AT,
            )
        },
        rules={"u1": UpgradeRule("u1", "VOSTFR vers MULTI", "VOSTFR", "MULTI")},
        history=[
            UpgradeHistory(
                "h1", "101", "Dune", "Dune.MULTi", "/old", "/new", 45, 80, "applied", at=AT
            )
        ],
        reports=[
            AIAnalysisReport(
                "a1",
                "Bonne santé",
                82,
                model="qwen3-vl:30b-a3b",
                recommendations=[AIRecommendation("upgrade", "Dune", "Passer en MULTI", 1, "101")],
                created_at=AT,
            )
        ],
        conversations={
            "c1": AIConversation("c1", "user-1", [ChatMessage("user", "/analyse", AT)], AT)
        },
        decisions={
            "d1": Decision(
                "d1",
                "episode:e1",
                "One.Piece.1151.MULTi",
                [DecisionCandidate("One.Piece.1151.MULTi", 83, {"audio": 40}, None, "best score")],
                at=AT,
            )
        },
        blocklist={"bad": BlocklistEntry("bad", "x.mkv.exe", "executable", AT)},
    )


def test_every_model_round_trips() -> None:
    """encode → JSON-ready → decode gives back equal objects."""
    data = full_data()
    encoded = encode(data)
    assert encoded["follows"]["f1"]["created_at"] == "2026-11-22T18:30:00+00:00"
    assert decode(StoreData, encoded) == data


def test_profiles_round_trip_as_rows() -> None:
    """The library's compact rows give back equal profiles; a column this version does not
    know is ignored, a missing one takes its default."""
    profiles = full_data().profiles
    encoded = encode_profiles(profiles)
    assert decode_profiles(json.loads(json.dumps(encoded))) == profiles
    encoded["fields"] = [*encoded["fields"][:-1], "future_field"]
    assert decode_profiles(encoded)["101"].searched_at is None


def test_decode_ignores_unknown_and_fills_missing() -> None:
    """A file from a newer version (extra keys) or an older one (missing keys) still loads."""
    follow = decode(SeriesFollow, {"id": "f", "title": "T", "future_field": 1})
    assert follow.quality == "1080p"
    assert follow.aliases == []


async def test_store_survives_restart(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """What was saved is there after unload + set-up, and on disk under the entry's key."""
    runtime = loaded_entry.runtime_data
    runtime.data.follows["f1"] = full_data().follows["f1"]
    runtime.data.profiles.update(full_data().profiles)
    await runtime.store.async_save(runtime.data)
    await runtime.store.async_save_library(runtime.data)
    main = hass_storage[f"plex_kiosk.{loaded_entry.entry_id}"]
    assert main["minor_version"] == 2
    assert "profiles" not in main["data"]  # in the library file, written only by scans
    assert hass_storage[f"plex_kiosk.{loaded_entry.entry_id}.library"]["data"]["rows"]
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    assert loaded_entry.runtime_data.data.follows["f1"].title == "One Piece"
    assert loaded_entry.runtime_data.data.profiles == full_data().profiles


async def test_minor_migration_keeps_blocklist(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A 1.1 file (blocklist as a list of hashes) loads as 1.2 entries, follows untouched."""
    hass_storage["plex_kiosk.old"] = {
        "version": 1,
        "minor_version": 1,
        "key": "plex_kiosk.old",
        "data": {
            "follows": {"f1": {"id": "f1", "title": "Slow Horses"}},
            "blocklist": ["aa", "bb"],
        },
    }
    data = await PlexKioskStore(hass, "old").async_load()
    assert data.follows["f1"].title == "Slow Horses"
    assert sorted(data.blocklist) == ["aa", "bb"]
    assert data.blocklist["aa"].reason == "migrated"


async def test_first_start_is_empty_and_removal_deletes(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """No file yet gives empty data but the default upgrade rules; removing the entry
    removes its file."""
    assert loaded_entry.runtime_data.data == StoreData(rules=default_rules(20), rules_seeded=True)
    await loaded_entry.runtime_data.store.async_save(loaded_entry.runtime_data.data)
    await loaded_entry.runtime_data.store.async_save_library(loaded_entry.runtime_data.data)
    assert f"plex_kiosk.{loaded_entry.entry_id}" in hass_storage
    await hass.config_entries.async_remove(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert f"plex_kiosk.{loaded_entry.entry_id}" not in hass_storage
    assert f"plex_kiosk.{loaded_entry.entry_id}.library" not in hass_storage
