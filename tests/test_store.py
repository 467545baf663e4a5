"""The store: every model round-trips, old files migrate, data survives a restart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.plex_kiosk.engine.selection import Reason
from custom_components.plex_kiosk.models import (
    BlocklistEntry,
    DecisionCandidate,
    DecisionRecord,
    Download,
    EpisodeRelease,
    EpisodeStatus,
    FollowStatus,
    MediaQualityProfile,
    MediaRequest,
    SeriesFollow,
    StoreData,
    UpgradeCandidate,
    UpgradeHistory,
    UpgradeRule,
    decode,
    decode_profiles,
    encode,
    encode_profiles,
)
from custom_components.plex_kiosk.store import SAVE_DELAY, PlexKioskStore
from custom_components.plex_kiosk.upgrade.rules import default_rules
from tests.test_follow import follow

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
            ),
            UpgradeHistory(
                "h0",
                "101",
                "Dune",
                "Dune.VOSTFR",
                "/old",
                None,
                45,
                40,
                "refused",
                Reason("not_target", "the new one is not MULTI", "le nouveau n'est pas MULTI"),
                at=AT,
            ),
        ],
        decisions={
            "d1": DecisionRecord(
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
    assert follow.status is FollowStatus.ACTIVE
    stored = {"id": "e", "follow_id": "f", "season": 1, "episode": 1, "status": "completed"}
    assert decode(EpisodeRelease, stored).status is EpisodeStatus.COMPLETED
    newer = decode(EpisodeRelease, stored | {"status": "archived"})  # a status to come
    assert newer.status == "archived"


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
    assert main["minor_version"] == 3
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


async def test_upgrade_reasons_of_a_1_2_file_are_kept(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A 1.2 file said upgrade reasons in English only: they load as said, in both languages."""
    said = "not enough free disk space: 2.0 GB needed, 0.0 GB free"
    candidate = {
        "id": "c1", "rule_id": "r", "rating_keys": ["1"], "title": "Dune", "release_name": "D",
        "infohash": "aa", "indexer": None, "link": None, "magnet": None, "size": 1,
        "seeders": 1, "current_score": 1, "new_score": 2, "status": "blocked", "reason": said,
    }  # fmt: skip
    history = {
        "id": "h1", "rating_key": "1", "title": "Dune", "release_name": "D", "old_file": None,
        "new_file": None, "old_score": 1, "new_score": 2, "outcome": "refused", "reason": said,
    }  # fmt: skip
    hass_storage["plex_kiosk.old"] = {
        "version": 1,
        "minor_version": 2,
        "key": "plex_kiosk.old",
        "data": {"candidates": {"c1": candidate}, "history": [history]},
    }
    data = await PlexKioskStore(hass, "old").async_load()
    assert data.candidates["c1"].public("fr")["reason"] == said
    assert data.history[0].public("en")["reason"] == said


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


def test_retention_forgets_what_is_finished_and_old() -> None:
    """Past the kept days: decisions nothing open refers to, imported or failed downloads,
    closed requests, settled candidates and purged replacements go; what is in progress
    stays whatever its age, and so do follows and episodes (the calendar); the blocklist
    keeps its newest 5,000."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    old, recent = now - timedelta(days=91), now - timedelta(days=89)
    data = StoreData()
    data.follows["f"] = SeriesFollow(id="f", title="Show", created_at=old)
    data.episodes["f:open"] = EpisodeRelease(
        "f:open", "f", 1, 1, status="searching", decision_id="episode:open"
    )
    data.episodes["f:done"] = EpisodeRelease(
        "f:done", "f", 1, 2, status="completed", decision_id="episode:done"
    )
    for key, at in (("episode:open", old), ("episode:done", old), ("episode:new", recent)):
        data.decisions[key] = DecisionRecord(key, key, None, at=at)
    data.downloads = {
        "a": Download("a", "A", "episode", "f:done", state="imported", completed_at=old),
        "b": Download("b", "B", "episode", "f:done", state="failed", added_at=recent),
        "c": Download("c", "C", "episode", "f:open", state="downloading", added_at=old),
        "d": Download("d", "D", "episode", "f:done", state="import_failed", added_at=old),
    }
    data.requests = {
        "r1": MediaRequest("r1", "movie", "Old", status="completed", updated_at=old),
        "r2": MediaRequest("r2", "movie", "Waiting", status="searching", created_at=old),
    }
    data.candidates = {
        "c1": UpgradeCandidate("c1", "r", ["1"], "X", "X.1080p", "h1", None, None, None, 1, 5,
                               0, 20, status="applied", found_at=old),
        "c2": UpgradeCandidate("c2", "r", ["2"], "Y", "Y.1080p", "h2", None, None, None, 1, 5,
                               0, 20, status="blocked", found_at=old),
    }  # fmt: skip
    data.history = [
        UpgradeHistory("h1", "1", "X", "X", None, None, 0, 20, "applied", at=old, purged=True),
        UpgradeHistory("h2", "2", "Y", "Y", None, None, 0, 20, "applied", at=old),
    ]
    for n in range(5002):
        data.block(f"{n:040x}", "x", "test", old + timedelta(minutes=n))
    assert data.prune(now, timedelta(days=90)) == 1 + 1 + 1 + 1 + 1 + 2
    assert set(data.decisions) == {"episode:open", "episode:new"}
    assert set(data.downloads) == {"b", "c", "d"}
    assert set(data.requests) == {"r2"}
    assert set(data.candidates) == {"c2"}
    assert [h.id for h in data.history] == ["h2"]
    assert len(data.blocklist) == 5000
    assert f"{5001:040x}" in data.blocklist
    assert f"{0:040x}" not in data.blocklist
    assert (set(data.follows), set(data.episodes)) == ({"f"}, {"f:open", "f:done"})
    assert data.prune(now, timedelta(days=90)) == 0


async def test_the_entry_applies_retention_once_a_day(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The option's days (90 by default): a finished download older than that is forgotten
    by the first cycle a day after the last clean-up (the set-up ran one), and the store is
    saved without it."""
    data = loaded_entry.runtime_data.data
    data.downloads["a"] = Download(
        "a",
        "A",
        "episode",
        "x",
        state="imported",
        completed_at=dt_util.utcnow() - timedelta(days=91),
    )
    freezer.tick(timedelta(hours=23))
    await loaded_entry.runtime_data.follows.async_refresh()
    assert "a" in data.downloads  # not yet a day since the clean-up at set-up
    freezer.tick(timedelta(hours=2))
    await loaded_entry.runtime_data.follows.async_refresh()
    assert "a" not in data.downloads
    stored = await PlexKioskStore(hass, loaded_entry.entry_id).async_load()
    assert "a" not in stored.downloads


async def test_changes_close_together_are_written_once(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three changes within a few seconds are one write, ten seconds after them; what waits
    is written when the entry unloads, so the next set-up has it."""
    writes: list[dict[str, Any]] = []
    store: Store[Any] = loaded_entry.runtime_data.store._store
    write = store._async_write_data

    async def counted(path: str, data: dict[str, Any]) -> None:
        writes.append(data)
        await write(path, data)

    monkeypatch.setattr(store, "_async_write_data", counted)
    [follow_id] = [(await follow(hass, title="Slow Horses"))["follow"]["id"]]
    for alias in ("Les Chevaux", "Slow Horses FR", "SH"):
        await hass.services.async_call(
            "plex_kiosk", "update_follow", {"follow_id": follow_id, "aliases": [alias]},
            blocking=True, return_response=True,
        )  # fmt: skip
    assert writes == []
    freezer.tick(timedelta(seconds=SAVE_DELAY))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(writes) == 1
    aliases = writes[0]["data"]["follows"][follow_id]["aliases"]
    assert {"Les Chevaux", "Slow Horses FR", "SH"} <= set(aliases)
    await hass.services.async_call(
        "plex_kiosk", "update_follow", {"follow_id": follow_id, "paused": True}, blocking=True,
        return_response=True,
    )  # fmt: skip
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert len(writes) == 2
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    assert loaded_entry.runtime_data.data.follows[follow_id].paused
