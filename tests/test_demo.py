"""The README's demo command brings up Home Assistant with Plex Kiosk healthy."""

from __future__ import annotations

import subprocess
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.demo import environment, errors, get, start, stop, ws


@pytest.mark.usefixtures("socket_enabled")
def test_demo_starts_configured_and_stops(tmp_path: Path) -> None:
    """scripts/demo: onboarding done, a token written, every problem sensor off, the calendar
    full for the coming week; TERM stops everything. Started again on the same folder, it
    finds everything in place: nothing followed twice, no error in either run's log (nor one
    from a package Home Assistant would have installed over a pinned one)."""
    env = environment(tmp_path / "demo")
    ha_port = int(env["PLEX_KIOSK_HA_PORT"])
    log = tmp_path / "demo.log"
    demo = start(env, log)
    try:
        token = (tmp_path / "demo" / "token").read_text().strip()
        problems = {
            s["entity_id"]: s["state"]
            for s in get(ha_port, token, "/api/states")
            if s["entity_id"].startswith("binary_sensor.plex_kiosk")
        }
        assert len(problems) == 8
        assert set(problems.values()) == {"off"}
        assert "password" in log.read_text()
        assert "H264-DEMO grabbed, downloaded and imported in" in log.read_text()  # aired → in Plex
        imported = (
            tmp_path
            / "demo/media/tv/The Bureau (2015)/Season 06/The Bureau (2015) - S06E01 - Le retour.mkv"
        )
        assert imported.is_file()
        now = datetime.now(UTC)
        window = urllib.parse.urlencode(
            {"start": now.isoformat(), "end": (now + timedelta(days=7)).isoformat()}
        )
        events = get(ha_port, token, f"/api/calendars/calendar.plex_kiosk_salon_episodes?{window}")
        summaries = [e["summary"] for e in events]
        assert any(s.startswith("One Piece S23E02") for s in summaries)  # the anime
        assert any(s.startswith("Slow Horses S05E02") for s in summaries)
        blueprints = ws(ha_port, token, {"type": "blueprint/list", "domain": "automation"})
        assert "plex_kiosk/episode_downloaded_notify.yaml" in blueprints  # installed
        language = ws(ha_port, token, {"type": "frontend/get_user_data", "key": "language"})
        assert language["value"]["language"] == "fr"  # the interface comes up in French
        check_the_agent(ha_port, token)
    finally:
        stop(demo)
    again = tmp_path / "again.log"
    demo = start(env, again)
    try:
        assert "Traceback" not in again.read_text()
        for run in ("home-assistant.log.1", "home-assistant.log"):  # the first run, this one
            assert errors((tmp_path / "demo" / run).read_text()) == []
        followed = get(ha_port, token, "/api/states/sensor.plex_kiosk_salon_series_suivies")
        assert followed["state"] == "3"  # the demo runs in French
    finally:
        stop(demo)
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert leftovers.stdout == ""


def check_the_agent(ha_port: int, token: str) -> None:
    """The AI in the demo: a decision taken by the sandbox's model with its reason, a
    health report and its sensor, and Assist answering in French and English."""
    follows = ws(ha_port, token, {"type": "plex_kiosk/follows"})["follows"]
    bureau = next(f["id"] for f in follows if f["title"].startswith("The Bureau"))
    episodes = ws(ha_port, token, {"type": "plex_kiosk/follow", "follow_id": bureau})
    decision = next(e["decision"] for e in episodes["episodes"] if e["decision"])
    assert decision["decided_by"] == "model"  # the sandbox's model re-ranked two releases
    assert decision["advice"].startswith("Le meilleur équilibre")
    report = get(ha_port, token, "/api/services/plex_kiosk/analyse?return_response", "POST", {})
    score = report["service_response"]["health_score"]
    health = get(ha_port, token, "/api/states/sensor.plex_kiosk_salon_sante_de_la_bibliotheque")
    assert health["state"] == str(score)
    for text, language, opening in (
        ("Qu'est-ce qui sort cette semaine ?", "fr", "Cette semaine : "),
        ("What's coming this week?", "en", "This week: "),
    ):
        said = get(
            ha_port, token, "/api/conversation/process", "POST",
            {"text": text, "language": language},
        )["response"]["speech"]["plain"]["speech"]  # fmt: skip
        assert said.startswith(opening)
        assert "Slow Horses S05E02" in said  # the demo's coming week
