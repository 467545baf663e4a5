"""The README's demo command brings up Home Assistant with Plex Kiosk healthy."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import ROOT
from tests.sandbox.qbittorrent import free_port


def start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Run ``scripts/demo`` until it says it is running (its output in ``log``)."""
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [str(ROOT / "scripts" / "demo")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 240
    while b"running" not in log.read_bytes():
        if demo.poll() is not None or time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(demo.pid, signal.SIGKILL)
            pytest.fail(log.read_text())
        time.sleep(1)
    return demo


def stop(demo: subprocess.Popen[bytes]) -> None:
    """TERM: the script's own clean-up stops what it started."""
    demo.terminate()
    try:
        demo.wait(60)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)


def get(ha_port: int, token: str, path: str) -> Any:
    """A Home Assistant REST answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{ha_port}{path}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def ws(ha_port: int, token: str, message: dict[str, Any]) -> Any:
    """One websocket command's result."""

    async def ask() -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"ws://127.0.0.1:{ha_port}/api/websocket") as socket,
        ):
            await socket.receive_json()
            await socket.send_json({"type": "auth", "access_token": token})
            await socket.receive_json()
            await socket.send_json({"id": 1, **message})
            return (await socket.receive_json())["result"]

    return asyncio.run(ask())


OURS = re.compile(r"plex_kiosk|websocket_api|components\.api\]|aiohttp\.server")


def errors(log: str) -> list[str]:
    """Error lines of Home Assistant's log that concern Plex Kiosk or the APIs the demo calls
    (not the built-ins onboarding adds — weather, radio, text-to-speech — whose packages the
    demo does not install: Home Assistant runs with ``--skip-pip``)."""
    return [line for line in log.splitlines() if " ERROR (" in line and OURS.search(line)]


@pytest.mark.usefixtures("socket_enabled")
def test_demo_starts_configured_and_stops(tmp_path: Path) -> None:
    """scripts/demo: onboarding done, a token written, every problem sensor off, the calendar
    full for the coming week; TERM stops everything. Started again on the same folder, it
    finds everything in place: nothing followed twice, no error in either run's log (nor one
    from a package Home Assistant would have installed over a pinned one)."""
    ha_port = free_port()
    env = {
        **os.environ,
        "PLEX_KIOSK_DEMO_DIR": str(tmp_path / "demo"),
        "PLEX_KIOSK_HA_PORT": str(ha_port),
        "PLEX_KIOSK_QBT_PORT": str(free_port()),
        "PLEX_KIOSK_SANDBOX_PORT": str(20000 + os.getpid() % 10000),  # 8 ports from there
    }
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
