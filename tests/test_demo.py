"""The README's demo command brings up Home Assistant with Plex Kiosk healthy."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.sandbox.qbittorrent import free_port


@pytest.mark.usefixtures("socket_enabled")
def test_demo_starts_configured_and_stops(tmp_path: Path) -> None:
    """scripts/demo: onboarding done, a token written, every problem sensor off, the calendar
    full for the coming week; TERM stops everything."""
    ha_port = free_port()
    env = {
        **os.environ,
        "PLEX_KIOSK_DEMO_DIR": str(tmp_path / "demo"),
        "PLEX_KIOSK_HA_PORT": str(ha_port),
        "PLEX_KIOSK_QBT_PORT": str(free_port()),
        "PLEX_KIOSK_SANDBOX_PORT": str(20000 + os.getpid() % 10000),  # 8 ports from there
    }
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [str(ROOT / "scripts" / "demo")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while b"running" not in log.read_bytes():
            assert demo.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(1)
        token = (tmp_path / "demo" / "token").read_text().strip()
        request = urllib.request.Request(
            f"http://127.0.0.1:{ha_port}/api/states", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            states = json.loads(response.read())
        problems = {
            s["entity_id"]: s["state"]
            for s in states
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
        request = urllib.request.Request(
            f"http://127.0.0.1:{ha_port}/api/calendars/calendar.plex_kiosk_salon_episodes?"
            + urllib.parse.urlencode(
                {"start": now.isoformat(), "end": (now + timedelta(days=7)).isoformat()}
            ),
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            summaries = [e["summary"] for e in json.loads(response.read())]
        assert any(s.startswith("One Piece S23E02") for s in summaries)  # the anime
        assert any(s.startswith("Slow Horses S05E02") for s in summaries)
        demo.terminate()  # the script's own clean-up stops what it started
        demo.wait(60)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert leftovers.stdout == ""
