"""Run ``scripts/demo`` from a test: start it on free ports, read it over REST and the
websocket, stop it, and find the errors in Home Assistant's log that concern Plex Kiosk."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import ROOT
from tests.sandbox.qbittorrent import free_port


def environment(folder: Path) -> dict[str, str]:
    """The demo's variables: its folder and free ports for Home Assistant, qBittorrent and
    the sandbox (8 ports from its base)."""
    return {
        **os.environ,
        "PLEX_KIOSK_DEMO_DIR": str(folder),
        "PLEX_KIOSK_HA_PORT": str(free_port()),
        "PLEX_KIOSK_QBT_PORT": str(free_port()),
        "PLEX_KIOSK_SANDBOX_PORT": str(free_block(8)),
    }


def free_block(size: int) -> int:
    """The first of ``size`` consecutive free ports below the ephemeral range, in a window
    of its own per process (two demos on two test workers never share one)."""
    for attempt in range(1000):
        base = 20000 + ((os.getpid() + attempt * 7919) % 1200) * size
        with contextlib.ExitStack() as held:
            try:
                for port in range(base, base + size):
                    sock = held.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        return base
    raise RuntimeError("no block of free ports")


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


def get(
    ha_port: int, token: str, path: str, method: str = "GET", body: dict[str, Any] | None = None
) -> Any:
    """A Home Assistant REST answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{ha_port}{path}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method=method,
        data=None if body is None else json.dumps(body).encode(),
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
