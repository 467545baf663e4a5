"""Fixtures: the sandbox servers, a real qbittorrent-nox, and a configured entry."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_socket
import qbittorrentapi
from freezegun import api as freezegun_api
from homeassistant import runner
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component import patch_time  # noqa: F401  (patches first)
from pytest_homeassistant_custom_component.common import MockConfigEntry

import custom_components.plex_kiosk  # noqa: F401  (ours, not the plugin's testing_config)
from custom_components.plex_kiosk.const import (
    CONF_ANILIST_URL,
    CONF_ANIME_ROOT,
    CONF_ANIME_SECTION,
    CONF_DOWNLOAD_DIR,
    CONF_INDEXER_API_KEY,
    CONF_INDEXER_NAME,
    CONF_INDEXER_URL,
    CONF_INDEXERS,
    CONF_MOVIE_SECTION,
    CONF_MOVIES_ROOT,
    CONF_OLLAMA_MODEL,
    CONF_OLLAMA_URL,
    CONF_PATH_MAP,
    CONF_PLEX_SERVER_NAME,
    CONF_PLEX_TOKEN,
    CONF_PLEX_URL,
    CONF_QBT_CATEGORY,
    CONF_QBT_PASSWORD,
    CONF_QBT_URL,
    CONF_QBT_USERNAME,
    CONF_SERIES_ROOT,
    CONF_SERIES_SECTION,
    CONF_TMDB_API_KEY,
    CONF_TMDB_URL,
    CONF_TVMAZE_URL,
    DEFAULT_OPTIONS,
    DOMAIN,
)
from tests.sandbox import qbittorrent

pytest_plugins = "pytest_homeassistant_custom_component"


def _loop_time(real: Callable[[], float] = time.monotonic) -> float:
    """The event loop's clock runs in real time, as in production, and jumps as far as a test
    moves the frozen clock (timers fire as Home Assistant's test tools expect). The test
    harness binds the frozen clock itself as the loop's: then no ``asyncio.sleep`` ever ends,
    and the grab's short wait for qBittorrent to list a torrent it has just been given would
    never return."""
    if not freezegun_api.freeze_factories:
        _FROZEN_AT.clear()
        return real()
    factory = freezegun_api.freeze_factories[-1]
    start = _FROZEN_AT.setdefault(id(factory), factory())
    return real() + (factory() - start).total_seconds()


_FROZEN_AT: dict[int, datetime] = {}
runner.monotonic = _loop_time  # what Home Assistant's event loop policy binds as loop.time

ROOT = Path(__file__).parent.parent
WORLDS = Path(__file__).parent / "worlds"
PLEX_TOKEN = "sandbox-plex-token"
TMDB_KEY = "sandbox-tmdb-key"
MACHINE_ID = "5a8f1c2e9b7d4sandbox"
MODEL = "qwen3-vl:30b-a3b"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load integrations from custom_components."""


@contextmanager
def sockets_allowed() -> Iterator[None]:
    """Let session fixtures open sockets while pytest-socket guards them."""
    guarded = socket.socket
    pytest_socket.enable_socket()
    try:
        yield
    finally:
        socket.socket = guarded  # type: ignore[misc]


def start_sandbox(
    tmp: Path, world: Path | None = None
) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """Run ``python -m tests.sandbox`` and wait for its URLs."""
    urls_file = tmp / "urls.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if world:
        env["PLEX_KIOSK_WORLD"] = str(world)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.sandbox", "--urls-file", str(urls_file)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not urls_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.05)
    return proc, json.loads(urls_file.read_text())


@pytest.fixture(scope="session")
def sandbox_urls(tmp_path_factory: pytest.TempPathFactory) -> Generator[dict[str, str]]:
    """The bundled world's sandbox, shared by the whole session."""
    proc, urls = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    yield urls
    proc.terminate()
    proc.wait()


@pytest.fixture(scope="session")
def other_sandbox_urls(tmp_path_factory: pytest.TempPathFactory) -> Generator[dict[str, str]]:
    """A second sandbox: another Plex server, with no movie library."""
    proc, urls = start_sandbox(tmp_path_factory.mktemp("other"), WORLDS / "other_server.json")
    yield urls
    proc.terminate()
    proc.wait()


def control(urls: dict[str, str], action: str, body: dict[str, Any] | None = None) -> Any:
    """Call the sandbox's control API (``fault``, ``clock``, ``stats``, ``reset``)."""
    request = urllib.request.Request(
        f"{urls['control']}/_sandbox/{action}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def sandbox(sandbox_urls: dict[str, str], socket_enabled: None) -> Generator[dict[str, str]]:
    """The sandbox, reset before and after the test (no faults, real clock, zero counters)."""
    control(sandbox_urls, "reset", {})
    yield sandbox_urls
    control(sandbox_urls, "reset", {})


@pytest.fixture(scope="session")
def qbt(tmp_path_factory: pytest.TempPathFactory) -> Generator[qbittorrent.QBittorrent]:
    """A real qbittorrent-nox for the whole session."""
    with sockets_allowed():
        instance = qbittorrent.start(tmp_path_factory.mktemp("qbittorrent"))
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def qbt5(tmp_path_factory: pytest.TempPathFactory) -> Generator[qbittorrent.QBittorrent]:
    """A real qBittorrent 5 (Web API 2.11) for the whole session; ``.ci/run`` installs it, so
    CI fails rather than skips when it is missing."""
    command = qbittorrent.qbittorrent5()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail(
                "qBittorrent 5 is not installed (../shared/tools/qbittorrent5 install .qbt5)"
            )
        pytest.skip("qBittorrent 5 is not installed here")
    with sockets_allowed():
        instance = qbittorrent.start(
            tmp_path_factory.mktemp("qbittorrent5"), command=tuple(command)
        )
    yield instance
    instance.stop()


@pytest.fixture
def library(tmp_path: Path) -> dict[str, str]:
    """Download folder and library roots on disk."""
    paths = {}
    for key, name in (
        (CONF_DOWNLOAD_DIR, "downloads"),
        (CONF_MOVIES_ROOT, "movies"),
        (CONF_SERIES_ROOT, "tv"),
        (CONF_ANIME_ROOT, "anime"),
    ):
        (tmp_path / name).mkdir()
        paths[key] = str(tmp_path / name)
    return paths


def indexer_conf(urls: dict[str, str], slug: str, name: str, key: str) -> dict[str, Any]:
    """An indexer as the config flow stores it (without caps)."""
    return {
        CONF_INDEXER_NAME: name,
        CONF_INDEXER_URL: f"{urls['torznab']}/{slug}/api",
        CONF_INDEXER_API_KEY: key,
    }


def clear_torrents(qbt: qbittorrent.QBittorrent) -> None:
    """Remove every torrent (with its files) from the session's qBittorrent."""
    client = qbittorrentapi.Client(
        host=qbt.url, username=qbittorrent.USERNAME, password=qbittorrent.PASSWORD
    )
    client.torrents_delete(torrent_hashes="all", delete_files=True)
    deadline = time.monotonic() + 10
    while client.torrents_info() and time.monotonic() < deadline:  # removal is asynchronous
        time.sleep(0.05)


@pytest.fixture
def entry_data(
    sandbox: dict[str, str], qbt: qbittorrent.QBittorrent, library: dict[str, str]
) -> Generator[dict[str, Any]]:
    """Config entry data pointing at the sandbox and the real qBittorrent (emptied after)."""
    yield {
        CONF_PLEX_URL: sandbox["plex"],
        CONF_PLEX_TOKEN: PLEX_TOKEN,
        CONF_PLEX_SERVER_NAME: "Salon",
        CONF_MOVIE_SECTION: "1",
        CONF_SERIES_SECTION: "2",
        CONF_ANIME_SECTION: "3",
        CONF_QBT_URL: qbt.url,
        CONF_QBT_USERNAME: qbittorrent.USERNAME,
        CONF_QBT_PASSWORD: qbittorrent.PASSWORD,
        CONF_QBT_CATEGORY: "plex_kiosk",
        CONF_TMDB_API_KEY: TMDB_KEY,
        CONF_TVMAZE_URL: sandbox["tvmaze"],
        CONF_TMDB_URL: sandbox["tmdb"],
        CONF_ANILIST_URL: sandbox["anilist"],
        CONF_OLLAMA_URL: sandbox["ollama"],
        CONF_OLLAMA_MODEL: MODEL,
        **library,
        CONF_PATH_MAP: {"/data/media/movies": library[CONF_MOVIES_ROOT]},
    }
    clear_torrents(qbt)


@pytest.fixture
def config_entry(entry_data: dict[str, Any], sandbox: dict[str, str]) -> MockConfigEntry:
    """A config entry as the flow creates it, with the two working indexers."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Plex Kiosk (Salon)",
        unique_id=MACHINE_ID,
        data=entry_data,
        options={
            **DEFAULT_OPTIONS,
            CONF_INDEXERS: [
                indexer_conf(sandbox, "ygg", "YggReborn", "ygg-key"),
                indexer_conf(sandbox, "nyaa", "Nyaa FR", "nyaa-key"),
            ],
        },
    )


@pytest.fixture
def phone(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> str:
    """A Companion-app phone ("Pixel") in the device registry."""
    entry = MockConfigEntry(domain="mobile_app")
    entry.add_to_hass(hass)
    device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("mobile_app", "pixel")}, name="Pixel"
    )
    return device.id


@pytest.fixture
async def loaded_entry(hass: HomeAssistant, config_entry: MockConfigEntry) -> MockConfigEntry:
    """The entry, set up."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry
