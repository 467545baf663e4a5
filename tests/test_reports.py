"""Library reports: the engine's findings on a library with planted problems, the score's
formula, and the ``analyse`` action end to end — the model's summary and picks, never a
target it made up, the health sensor, the event, the repair, recommendations applied or
dismissed, and a family member who may read reports but not write or act on them."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, Unauthorized
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.plex_kiosk.ai import collections
from custom_components.plex_kiosk.ai.report import recommendations
from custom_components.plex_kiosk.clients.tmdb import TMDBClient
from custom_components.plex_kiosk.const import DOMAIN, EVENT_REPORT_READY
from custom_components.plex_kiosk.engine.health import (
    Household,
    Item,
    Opportunity,
    assess,
    incomplete_collections,
    item_findings,
)
from custom_components.plex_kiosk.models import StoreData
from tests.conftest import MODEL, TMDB_KEY, control
from tests.test_ai import script, sent
from tests.test_upgrades import call, library_file

PLANTED = {  # code → what makes an item have it (and nothing worse)
    "file_gone": {"reachable": False},
    "empty_file": {"size": 0},
    "probe_failed": {"resolution": None, "video_codec": None},
    "vostfr": {"audio_class": "VOSTFR", "subtitles": ("fra",)},
    "sd": {"resolution": "576p"},
    "obsolete_codec": {"video_codec": "mpeg4"},
    "low_bitrate": {"bitrate": 900},
}
CLEAN = {"resolution": "1080p", "video_codec": "hevc", "bitrate": 8000, "audio_class": "MULTI"}


def generated(count: int, seed: int = 7) -> tuple[list[Item], dict[str, str]]:
    """A library where about one item in three has one planted problem (the ground truth)."""
    rng = random.Random(seed)
    items, truth = [], {}
    for n in range(count):
        fields: dict[str, Any] = dict(CLEAN)
        if rng.random() < 0.33:
            code = rng.choice(sorted(PLANTED))
            fields |= PLANTED[code]
            truth[str(n)] = code
        items.append(Item(str(n), f"Film {n}", **fields))
    return items, truth


def test_every_planted_problem_is_found_and_nothing_else() -> None:
    """On 2,000 generated items, the critical and important findings are exactly the
    planted ones, and the score follows its formula."""
    items, truth = generated(2000)
    health = assess(items, Household(language="MULTI", hevc_rule=True))
    found = {f.target: f.code for f in health.findings}
    assert found == truth
    critical = sum(
        1 for code in truth.values() if code in ("file_gone", "empty_file", "probe_failed")
    )
    burden = critical + 0.4 * (len(truth) - critical)
    assert health.score == round(100 * (1 - burden / len(items)))
    assert health.counts()["critical"] == critical
    assert health.order[0].startswith(("empty_file", "file_gone", "probe_failed"))
    pool = recommendations(health, {}, [], "fr")
    assert {r.target for r in pool} <= set(truth)  # no target that was not planted


def test_minor_findings_missing_episodes_trend_and_parts() -> None:
    """x264 with an HEVC rule, VO without French subtitles, several versions, a gap in a
    season; the trend against the previous score; one part of the analysis at a time."""
    items = [
        Item("1", "Film", **{**CLEAN, "video_codec": "h264"}),
        Item("2", "VO", **{**CLEAN, "audio_class": "VO"}),
        Item("3", "Twice", **{**CLEAN, "versions": 2}),
        *(
            Item(f"e{n}", f"Show E{n}", **CLEAN, show="Show", season=1, episode=n)
            for n in (1, 2, 5)
        ),
    ]
    health = assess(items, Household(), previous=99)
    codes = sorted(f.code for f in health.findings)
    assert codes == ["missing_episodes", "no_french_subtitles", "versions", "x264"]
    gap = next(f for f in health.findings if f.code == "missing_episodes")
    assert (gap.title, gap.text.en) == ("Show S01", "2 episode(s) missing: E03, E04")
    assert health.score == round(100 * (1 - (0.1 * 3 + 0.4) / 6))
    assert health.trend == health.score - 99
    assert not any(f.code == "x264" for f in assess(items, Household(hevc_rule=False)).findings)
    missing = assess(items, Household(), kind="missing")
    assert [f.code for f in missing.findings] == ["missing_episodes"]
    assert missing.score == health.score  # the score is always the whole library's
    assert assess([], Household()).score == 100


async def analyse(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    result: dict[str, Any] = await call(hass, "analyse", **data)
    return result


async def test_analyse_end_to_end(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """After a scan: the report scores the library, the sandbox's model words the summary
    and orders the top picks from the ids it was given, the sensor and the event carry it,
    files missing from the movies folder are critical and raise a repair."""
    await call(hass, "scan_library")
    events = async_capture_events(hass, EVENT_REPORT_READY)
    script(sandbox, {"content": {"summary": "Trois films manquent.", "top": ["invented:1"]}})
    report = await analyse(hass)
    assert (report["model"], report["summary"]) == (MODEL, "Trois films manquent.")
    assert all(not r["id"].startswith("invented") for r in report["recommendations"])
    prompt = sent(sandbox)[0]
    pool = prompt["format"]["properties"]["top"]["items"]["enum"]
    assert {r["id"] for r in report["recommendations"]} <= set(pool)
    critical = report["issues"]["critical"]
    assert {i["code"] for i in critical} == {"file_gone"}
    assert len(critical) == report["issue_counts"]["critical"] == 3  # the three movies
    assert report["recommendations"][0]["kind"] == "fix"
    assert issue_registry.async_get_issue(DOMAIN, "library_critical") is not None
    (event,) = events
    assert event.data["report_id"] == report["report_id"]
    assert event.data["health_score"] == report["health_score"]
    entity_id = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{loaded_entry.entry_id}_library_health"
    )
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert int(state.state) == report["health_score"]
    assert state.attributes["critical"] == 3


async def test_recommendations_applied_or_dismissed(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """A fix rescans the item in Plex; a collection the library holds part of lists its
    released movies that are missing, and one applied becomes a request; an
    upgrade without a release found and a deletion are left to the user; a decided
    recommendation stays decided. The next report says the trend."""
    await call(hass, "scan_library")
    report = await analyse(hass)
    refreshed = len(control(sandbox, "stats")["refreshed"])
    fix = report["recommendations"][0]
    applied = await call(hass, "apply_recommendation", recommendation_id=fix["id"])
    assert applied["recommendation"]["status"] == "applied"
    assert len(control(sandbox, "stats")["refreshed"]) == refreshed + 1
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "apply_recommendation", recommendation_id=fix["id"])
    assert err.value.translation_key == "recommendation_settled"
    manual = next(r for r in report["recommendations"] if r["kind"] != "fix")  # no candidate
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "apply_recommendation", recommendation_id=manual["id"])
    assert err.value.translation_key == "recommendation_manual"
    dismissed = await call(hass, "dismiss_recommendation", recommendation_id=manual["id"])
    assert dismissed["recommendation"]["status"] == "dismissed"
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dismiss_recommendation", recommendation_id="nothing:0")
    assert err.value.translation_key == "unknown_recommendation"

    (saga,) = report["incomplete_collections"]  # Part Three is not out yet: not missing
    assert (saga["name"], saga["have"]) == ("Dune - Saga", ["Dune", "Dune : Deuxième partie"])
    assert saga["missing"] == [{"tmdb_id": 841, "title": "Dune", "year": 1984}]
    completes = next(r for r in report["recommendations"] if r["id"] == "collection:726871:841")
    await call(hass, "apply_recommendation", recommendation_id=completes["id"])
    requested = loaded_entry.runtime_data.data.requests.values()
    assert [(r.title, r.year) for r in requested] == [("Dune", 1984)]

    assert library_file(loaded_entry).exists()  # one movie is back; the others still gone
    script(sandbox, {"content": "rien d'utile"}, {"content": "toujours rien"})
    again = await analyse(hass)
    assert again["issue_counts"]["critical"] == 2
    assert again["trend"] == again["health_score"] - report["health_score"]
    assert (again["model"], again["summary"].startswith("Health")) == (None, True)


async def test_a_healthy_library_clears_the_repair(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    """No critical finding: no repair (one left by an earlier report goes)."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        "library_critical",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="library_critical",
        translation_placeholders={"count": "1", "items": "x"},
    )
    report = await analyse(hass)  # nothing scanned: an empty library
    assert (report["health_score"], report["issue_counts"]["critical"]) == (100, 0)
    assert issue_registry.async_get_issue(DOMAIN, "library_critical") is None


async def test_a_family_member_reads_reports_but_does_not_act(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    hass_read_only_access_token: str,
    hass_read_only_user: MockUser,
) -> None:
    """Reports are for everyone to read over the websocket; writing one or acting on a
    recommendation is for administrators."""
    await call(hass, "scan_library")
    report = await analyse(hass)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            DOMAIN,
            "dismiss_recommendation",
            {"recommendation_id": report["recommendations"][0]["id"]},
            blocking=True,
            context=Context(user_id=hass_read_only_user.id),
            return_response=True,
        )
    ws = await hass_ws_client(hass, hass_read_only_access_token)
    await ws.send_json_auto_id({"type": "plex_kiosk/reports"})
    listed = (await ws.receive_json())["result"]["reports"]
    assert [r["report_id"] for r in listed] == [report["report_id"]]
    await ws.send_json_auto_id({"type": "plex_kiosk/report"})
    full = (await ws.receive_json())["result"]["report"]
    assert full["recommendations"][0]["status"] == "pending"
    await ws.send_json_auto_id({"type": "plex_kiosk/recommendations"})
    pending = (await ws.receive_json())["result"]["recommendations"]
    assert [r["id"] for r in pending] == [r["id"] for r in report["recommendations"]]
    await ws.send_json_auto_id({"type": "plex_kiosk/report", "report_id": "nope"})
    assert (await ws.receive_json())["error"]["code"] == "not_found"
    await ws.send_json_auto_id({"type": "plex_kiosk/analyse", "data": {}})
    assert (await ws.receive_json())["error"]["code"] == "unauthorized"


async def test_collections_are_read_within_the_budget_and_kept(
    hass: HomeAssistant, sandbox: dict[str, str]
) -> None:
    """Each report asks TMDB at most its budget; what is known is not asked again; a failed
    lookup is not taken for 'no collection' and is asked at the next report."""
    tmdb = TMDBClient(async_get_clientsession(hass), TMDB_KEY, sandbox["tmdb"])
    data = StoreData()
    now = dt_util.utcnow()
    control(sandbox, "fault", {"service": "tmdb", "mode": "down"})
    assert await collections.read(tmdb, data, [438631, 872585], now) == 2
    assert data.movie_collections == {}
    control(sandbox, "fault", {"service": "tmdb"})
    before = control(sandbox, "stats")["requests"].get("tmdb", 0)
    assert await collections.read(tmdb, data, [438631, 872585, 693134], now, budget=2) == 1
    assert control(sandbox, "stats")["requests"]["tmdb"] - before == 2  # the budget holds
    assert data.movie_collections == {"438631": 726871, "872585": 0}
    assert await collections.read(tmdb, data, [438631, 872585, 693134], now, budget=5) == 0
    assert [p[0] for p in data.collections["726871"].parts] == [841, 438631, 693134, 1170608]
    asked = control(sandbox, "stats")["requests"]["tmdb"]
    assert await collections.read(tmdb, data, [438631, 872585, 693134], now) == 0
    assert control(sandbox, "stats")["requests"]["tmdb"] == asked  # all known: nothing sent


async def test_a_season_with_a_gap_is_requested(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """Plex holds episodes 1 to 4 and 7 of a season: the report says 5 and 6 are missing, and
    applying it requests the season (the show found from the ids Plex gives)."""
    world = json.loads((Path(__file__).parent / "sandbox" / "world.json").read_text())
    second = next(i for i in world["plex"]["items"] if i["ratingKey"] == 202)
    fourth = copy.deepcopy(second) | {"ratingKey": 207, "index": 7, "title": "Tall Tales"}
    control(sandbox, "plex", {"items": [fourth]})
    await call(hass, "scan_library")
    report = await analyse(hass, type="missing")
    (gap,) = report["recommendations"]
    assert (gap["title"], gap["kind"]) == ("Slow Horses S03", "download")
    assert gap["description"] == "2 episode(s) missing: E05, E06"
    await call(hass, "apply_recommendation", recommendation_id=gap["id"])
    (request,) = loaded_entry.runtime_data.data.requests.values()
    assert (request.title, request.kind, request.seasons) == ("Slow Horses", "season", [3])


def test_the_health_rules_at_their_edges() -> None:
    """A file with a codec but no resolution is readable; a bitrate at its floor is not low;
    a season missing its first episode, or more than ten, is said so; an episode without a
    number is no gap; the most severe findings come first; upgrades are counted only in
    full and upgrade reports; a library worse than the scale scores 0; a collection the
    library holds whole is complete, and a part out today is out."""
    readable = Item("1", "Film", resolution=None, video_codec="h264")
    assert "probe_failed" not in {f.code for f in item_findings(readable, Household())}
    floor = Item("2", "Film", **{**CLEAN, "bitrate": 2000})
    assert item_findings(floor, Household()) == []
    shows = [
        Item("e", "E", **{**CLEAN, "video_codec": "h264"}),
        Item("a2", "A", **CLEAN, show="A", season=1, episode=2),
        Item("b1", "B", **CLEAN, show="B", season=1, episode=1),
        Item("b13", "B", **CLEAN, show="B", season=1, episode=13),
        Item("c", "C", **CLEAN, show="C", season=1, episode=None),
        Item("d", "D", reachable=False),
    ]
    health = assess(shows, Household())
    said = {f.title: f.text.en for f in health.findings if f.code == "missing_episodes"}
    assert said == {
        "A S01": "1 episode(s) missing: E01",
        "B S01": "11 episode(s) missing: E02, E03, E04, E05, E06, E07, E08, E09, E10, E11…",
    }
    assert [f.severity for f in health.findings] == ["critical", "important", "important", "minor"]
    ten = [Item(str(n), "T", **CLEAN, show="T", season=1, episode=n) for n in (1, 12)]
    (gap,) = assess(ten, Household()).findings
    assert gap.text.en.endswith("E11")  # ten missing: all said, no ellipsis
    found = [Opportunity("vostfr_multi", 1, ("c1",))]
    assert assess(shows, Household(), found, kind="upgrades").opportunities == tuple(found)
    assert assess(shows, Household(), found, kind="full").opportunities == tuple(found)
    assert assess(shows, Household(), found, kind="quality").opportunities == ()
    broken = [Item("x", "X", reachable=False), Item("y", "Y", show="Y", season=1, episode=3)]
    assert assess(broken, Household()).score == 0
    parts = [[1, "One", "2020-01-01"], [2, "Two", "2026-12-01"], [3, "Three", None]]
    assert incomplete_collections({1, 2}, [(9, "Saga", parts)], "2026-12-01") == []
    (saga,) = incomplete_collections({1}, [(9, "Saga", parts)], "2026-12-01")
    assert saga.missing == ((2, "Two", 2026),)


async def test_two_analyses_in_a_row_are_two_reports(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sandbox: dict[str, str]
) -> None:
    """An analysis asked again at once (a double click) makes a second report that the panel
    can tell from the first, the newest first in the list."""
    await call(hass, "scan_library")
    first, second = await analyse(hass), await analyse(hass)
    assert first["report_id"] != second["report_id"]
    reports = loaded_entry.runtime_data.analyst
    assert reports.report(None).id == second["report_id"]
    assert reports.report(first["report_id"]).id == first["report_id"]
