"""The grab's guards seen from qBittorrent itself: a refused torrent never leaves the stopped
state and never takes a byte; the file-list check in every spelling; an undo that cannot
finish puts everything back; an indexer that asked to wait is not asked; a fake MULTi movie
is not a finished request."""

from __future__ import annotations

import base64
import dataclasses
import errno
import shutil
import subprocess
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import torf
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_kiosk.acquire import grabber as grabber_module
from custom_components.plex_kiosk.acquire.grabber import Grabber, check_files
from custom_components.plex_kiosk.clients.qbittorrent import QBittorrentClient
from custom_components.plex_kiosk.const import CONF_DOWNLOAD_DIR, CONF_MOVIES_ROOT
from custom_components.plex_kiosk.models import StoreData
from custom_components.plex_kiosk.upgrade.replace import restore
from tests.conftest import control
from tests.sandbox import qbittorrent
from tests.test_acquire import make_media, offer, qbt_api, wait_complete
from tests.test_clients import indexer
from tests.test_follow import at, episode, epoch, follow
from tests.test_upgrades import call, offer_movie

MB = 1_000_000
STOPPED = frozenset({"pausedDL", "stoppedDL", "checkingResumeData"})  # not metaDL: that runs


def offer_files(sandbox: dict[str, str], folder: Path, name: str, files: dict[str, Path]) -> str:
    """Offer on YggReborn a torrent of real files (``path in the torrent`` → file) that lie in
    ``folder/name``, as a Slow Horses S05E02 release: its data is already on disk."""
    root = folder / name
    for relative, source in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / relative)
    torrent = torf.Torrent(path=root, private=False)
    torrent.generate()
    release = {"name": name, "indexers": ["ygg"], "category": 5040, "size": 2_600_000_000,
               "seeders": 500, "show": "slow-horses", "season": 5, "episode": 2,
               "published": "-1h"}  # fmt: skip
    control(
        sandbox,
        "release",
        {
            "release": release,
            "torrent": base64.b64encode(torrent.dump()).decode(),
            "infohash": torrent.infohash,
        },
    )
    return torrent.infohash


class Watch:
    """Polls qBittorrent for one torrent without pause while the grab runs (qBittorrent
    answers its Web API in order, so the grab's own calls interleave with these): every state
    and the highest progress it ever showed."""

    def __init__(self, qbt: qbittorrent.QBittorrent, infohash: str) -> None:
        self.api, self.infohash = qbt_api(qbt), infohash
        self.states: set[str] = set()
        self.progress = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            for torrent in self.api.torrents_info(torrent_hashes=self.infohash):
                self.states.add(str(torrent.state))
                self.progress = max(self.progress, float(torrent.progress))

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def grab(
    hass: HomeAssistant, qbt: qbittorrent.QBittorrent, sandbox: dict[str, str], name: str
) -> tuple[Any, StoreData]:
    """The release ``name`` of YggReborn grabbed by a grabber of its own."""
    client = QBittorrentClient(
        hass.async_add_executor_job, qbt.url, qbittorrent.USERNAME, qbittorrent.PASSWORD
    )
    await client.login()
    ygg = indexer(async_get_clientsession(hass), sandbox)
    [item] = [i for i in await ygg.search("tvsearch", q="Slow Horses") if i.title == name]
    data = StoreData()
    grabber = Grabber(client, data, "plex_kiosk", str(qbt.downloads))
    return await grabber.grab(item, ygg, "episode", "x", dt_util.utcnow()), data


@pytest.mark.parametrize("qbittorrent_version", ["4", "5"])
async def test_refused_torrent_never_starts(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    qbittorrent_version: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An executable beside the episode, its data already on disk (started, qBittorrent
    would check it to 100 % at once): refused with a warning, blocklisted, removed from
    qBittorrent without touching those files, and in all that time it never left the stopped
    state nor showed any progress. The same release without the
    executable is started and completes: the watch sees it when it happens."""
    qbt = request.getfixturevalue("qbt" if qbittorrent_version == "4" else "qbt5")
    video = tmp_path / "video.mkv"
    make_media(video, ("fre",))
    executable = tmp_path / "setup.exe"
    executable.write_bytes(b"MZ" + bytes(2 * MB))
    bad = offer_files(sandbox, qbt.downloads, f"Slow.Horses.S05E02.MULTi.1080p.WEB.H264-EXE{qbittorrent_version}",
                      {"Slow.Horses.S05E02.mkv": video, "Codec.Setup.EXE": executable})  # fmt: skip
    for _ in range(5):  # on a loaded machine the watch may not see a torrent so short-lived
        with Watch(qbt, bad) as watch:
            result, data = await grab(
                hass,
                qbt,
                sandbox,
                f"Slow.Horses.S05E02.MULTi.1080p.WEB.H264-EXE{qbittorrent_version}",
            )
        if watch.states:
            break
    assert (result.ok, result.reason) == (
        False,
        f"dangerous file: Slow.Horses.S05E02.MULTi.1080p.WEB.H264-EXE{qbittorrent_version}/Codec.Setup.EXE",
    )
    assert watch.states
    assert watch.states <= STOPPED, watch.states
    assert watch.progress == 0
    assert bad in data.blocklist
    assert (
        await hass.async_add_executor_job(lambda: qbt_api(qbt).torrents_info(torrent_hashes=bad))
        == []
    )
    # it took nothing, so it deletes nothing: files that were there under its name stay
    folder = qbt.downloads / f"Slow.Horses.S05E02.MULTi.1080p.WEB.H264-EXE{qbittorrent_version}"
    assert sorted(p.name for p in folder.iterdir()) == ["Codec.Setup.EXE", "Slow.Horses.S05E02.mkv"]
    assert (
        f"Refused Slow.Horses.S05E02.MULTi.1080p.WEB.H264-EXE{qbittorrent_version}: dangerous"
        in caplog.text
    )
    good = offer_files(sandbox, qbt.downloads, f"Slow.Horses.S05E02.MULTi.1080p.WEB.H264-GOOD{qbittorrent_version}",
                       {"Slow.Horses.S05E02.mkv": video})  # fmt: skip
    with Watch(qbt, good) as watch:
        result, data = await grab(
            hass, qbt, sandbox, f"Slow.Horses.S05E02.MULTi.1080p.WEB.H264-GOOD{qbittorrent_version}"
        )
        await hass.async_add_executor_job(wait_complete, qbt, good)
    assert result.ok
    assert watch.progress == 1
    await hass.async_add_executor_job(
        lambda: qbt_api(qbt).torrents_delete(torrent_hashes=good, delete_files=True)
    )


async def test_a_grab_lost_in_a_crash_is_taken_back(
    hass: HomeAssistant, sandbox: dict[str, str], qbt: qbittorrent.QBittorrent, tmp_path: Path
) -> None:
    """Home Assistant stopped after the grab and before it was written down: the same
    release found again is the torrent Plex Kiosk added, taken back (checked, started and
    recorded), not refused as a user's torrent nor added twice."""
    video = tmp_path / "video.mkv"
    make_media(video, ("fre",))
    name = "Slow.Horses.S05E02.MULTi.1080p.WEB.H264-LOST"
    infohash = offer_files(sandbox, qbt.downloads, name, {"Slow.Horses.S05E02.mkv": video})
    first, _ = await grab(hass, qbt, sandbox, name)
    again, data = await grab(hass, qbt, sandbox, name)  # a new start: nothing recorded
    assert (first.ok, again.ok, again.infohash) == (True, True, infohash)
    assert data.downloads[infohash].name == name
    [torrent] = await hass.async_add_executor_job(qbt_api(qbt).torrents_info)
    assert (torrent.hash, torrent.category) == (infohash, "plex_kiosk")
    await hass.async_add_executor_job(
        lambda: qbt_api(qbt).torrents_delete(torrent_hashes=infohash, delete_files=True)
    )


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ([("Show.S01E01.mkv", 900 * MB), ("Install.EXE", 1)], "dangerous file: Install.EXE"),
        (
            [("Show.S01E01.mkv", 900 * MB), ("Show.S01E01.RAR", 1)],
            "dangerous file: Show.S01E01.RAR",
        ),
        ([("Show.S01E01.mkv.scr", 900 * MB)], "dangerous file: Show.S01E01.mkv.scr"),
        ([("Show.S01E01.mkv", 10 * MB)], "no video file of plausible size"),
        ([("Show.S01E01.nfo", 900 * MB)], "no video file of plausible size"),
        ([("Show.S01E01.MKV", 50 * MB)], None),
        ([("Show.S01E01.mkv", 50 * MB - 1)], "no video file of plausible size"),
    ],
)
def test_file_list_check(files: list[tuple[str, int]], reason: str | None) -> None:
    """Executables and archives in any case; a "video" too small to be one; the threshold."""
    assert check_files(files) == reason


@pytest.mark.parametrize("qbittorrent_version", ["4", "5"])
async def test_no_file_list_no_start(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    qbittorrent_version: str,
) -> None:
    """A magnet whose metadata never comes (no peer): for the two seconds it waits, it sits
    stopped (a started one would be fetching metadata, ``metaDL``); then it is refused and
    removed, never started."""
    qbt = request.getfixturevalue("qbt" if qbittorrent_version == "4" else "qbt5")
    monkeypatch.setattr(grabber_module, "FILES_WAIT", 2.0)
    control(sandbox, "fault", {"service": "download", "mode": "magnet"})
    client = QBittorrentClient(
        hass.async_add_executor_job, qbt.url, qbittorrent.USERNAME, qbittorrent.PASSWORD
    )
    ygg = indexer(async_get_clientsession(hass), sandbox)
    [item] = await ygg.search("tvsearch", q="FAKE")
    data = StoreData()
    with Watch(qbt, item.infohash or "") as watch:
        result = await Grabber(client, data, "plex_kiosk", str(qbt.downloads)).grab(
            item, ygg, "episode", "x", dt_util.utcnow()
        )
    assert (result.ok, result.reason) == (False, "no file list (metadata never came)")
    assert watch.states
    assert watch.states <= STOPPED, watch.states
    assert item.infohash in data.blocklist
    assert not data.downloads
    assert await hass.async_add_executor_job(lambda: qbt_api(qbt).torrents_info()) == []


async def test_magnet_without_metadata_in_the_watching_cycle(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The indexer serves a magnet nobody seeds: the cycle waits for its metadata, gives up,
    blocklists it and ends; the episode waits for the next search (a frozen event loop clock made
    this wait endless)."""
    monkeypatch.setattr(grabber_module, "FILES_WAIT", 2.0)
    infohash = offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    control(sandbox, "fault", {"service": "download", "mode": "magnet"})
    await follow(hass, title="Slow Horses")
    await at(hass, loaded_entry, sandbox, freezer, epoch(sandbox) + timedelta(days=2, hours=3))
    assert episode(loaded_entry, "Slow Horses", 5, 2).status == "pending"  # searched again later
    data = loaded_entry.runtime_data.data
    assert data.blocklist[infohash].reason == "no file list (metadata never came)"
    assert await hass.async_add_executor_job(lambda: qbt_api(qbt).torrents_info()) == []


async def test_every_refusal_before_the_file_check(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each reason a grab stops before any file is checked, with what it leaves: a hash
    already known is not even fetched; a link that fails falls back to the magnet, or is the
    reason; an HTML page is not a torrent; no hash at all; qBittorrent unreachable. Nothing is
    ever left in qBittorrent."""
    monkeypatch.setattr(grabber_module, "FILES_WAIT", 1.0)
    client = QBittorrentClient(
        hass.async_add_executor_job, qbt.url, qbittorrent.USERNAME, qbittorrent.PASSWORD
    )
    ygg = indexer(async_get_clientsession(hass), sandbox)
    [item] = await ygg.search("tvsearch", q="FAKE")
    real = item.infohash or ""
    data = StoreData()
    grabber = Grabber(client, data, "plex_kiosk", str(qbt.downloads))

    async def refusal(offered: Any, by: Grabber = grabber) -> tuple[str | None, str | None]:
        result = await by.grab(offered, ygg, "episode", "x", dt_util.utcnow())
        assert not result.ok
        return result.reason, result.infohash

    def fetched() -> int:
        return int(control(sandbox, "stats")["requests"].get("torznab", 0))

    data.block(real, item.title, "test", dt_util.utcnow())
    before = fetched()
    assert await refusal(item) == ("already grabbed or blocklisted", real)
    assert fetched() == before  # known by the feed's hash: not even downloaded
    unhashed = dataclasses.replace(item, infohash=None)
    assert await refusal(unhashed) == ("already grabbed or blocklisted", real)
    assert fetched() == before + 1  # computed from the .torrent
    del data.blocklist[real]

    control(sandbox, "fault", {"service": "torznab", "mode": "down"})
    reason, _ = await refusal(dataclasses.replace(item, magnet=None))
    assert reason == "ygg: HTTP 503"
    assert await refusal(item) == ("no file list (metadata never came)", real)  # the magnet
    assert real in data.blocklist
    del data.blocklist[real]
    control(sandbox, "fault", {"service": "torznab", "mode": "garbage"})
    assert await refusal(item) == ("not a torrent file: not a bencoded dictionary", real)
    control(sandbox, "fault", {"service": "torznab"})
    control(sandbox, "fault", {"service": "download", "mode": "wrong"})  # another .torrent
    reason, served = await refusal(item)
    assert reason == f"the indexer said {real} but the torrent is {served}"
    assert served != real
    assert real in data.blocklist
    del data.blocklist[real]
    control(sandbox, "fault", {"service": "download"})
    assert await refusal(dataclasses.replace(item, link=None, magnet="magnet:?dn=x")) == (
        "no info hash",
        real,
    )
    down = QBittorrentClient(hass.async_add_executor_job, "http://127.0.0.1:9", "x", "y")
    reason, infohash = await refusal(item, Grabber(down, data, "plex_kiosk", "/tmp"))
    assert (reason or "").startswith("qbittorrent: ")
    assert infohash == real
    assert not data.downloads
    assert real not in data.blocklist  # an outage is no reason to never try it again
    assert await hass.async_add_executor_job(lambda: qbt_api(qbt).torrents_info()) == []


@pytest.mark.parametrize("qbittorrent_version", ["4", "5"])
async def test_a_torrent_the_user_already_has(
    hass: HomeAssistant,
    sandbox: dict[str, str],
    request: pytest.FixtureRequest,
    qbittorrent_version: str,
) -> None:
    """The user added the same torrent to qBittorrent by hand: the grab is refused and the
    user's torrent is left as it was (not removed, not re-categorised, not blocklisted)."""
    qbt = request.getfixturevalue("qbt" if qbittorrent_version == "4" else "qbt5")
    client = QBittorrentClient(
        hass.async_add_executor_job, qbt.url, qbittorrent.USERNAME, qbittorrent.PASSWORD
    )
    ygg = indexer(async_get_clientsession(hass), sandbox)
    [item] = await ygg.search("tvsearch", q="FAKE")
    torrent = await ygg.torrent(item.link or "")
    api = qbt_api(qbt)
    await hass.async_add_executor_job(
        lambda: api.torrents_add(
            torrent_files=torrent, save_path=str(qbt.downloads), is_paused=True
        )
    )
    data = StoreData()
    grabber = Grabber(client, data, "plex_kiosk", str(qbt.downloads))
    for offered in (item, dataclasses.replace(item, link=None)):  # its .torrent, its magnet
        result = await grabber.grab(offered, ygg, "episode", "x", dt_util.utcnow())
        assert (result.ok, result.reason) == (
            False,
            "qBittorrent already has it (not added by Plex Kiosk)",
        )
    [kept] = await hass.async_add_executor_job(api.torrents_info)
    assert (kept.hash, kept.category) == (item.infohash, "")
    assert not data.downloads
    assert not data.blocklist
    await hass.async_add_executor_job(lambda: api.torrents_delete(torrent_hashes=kept.hash))


def test_undo_rolls_back_when_the_old_file_cannot_return(tmp_path: Path) -> None:
    """The movie folder is a nearly full disk: the old file (2 MB) cannot come back into
    it. The new file is put back where it was, the old one stays in the recycle folder
    whole, and no partial copy is left in the folder."""
    root = tmp_path / "movies"
    folder = root / "M (2020)"
    folder.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], check=True)
    try:
        new = folder / "M (2020).mkv"
        new.write_bytes(b"new" * 1000)
        recycled = root / ".plex_kiosk_recycle" / "h1" / "M.720p.mkv"
        recycled.parent.mkdir(parents=True)
        recycled.write_bytes(b"o" * 2 * MB)
        with pytest.raises(OSError, match="No space") as raised:
            restore(recycled, folder / "M.720p.mkv", new, root, "h2")
        assert raised.value.errno == errno.ENOSPC
        assert sorted(p.name for p in folder.iterdir()) == ["M (2020).mkv"]
        assert new.read_bytes() == b"new" * 1000
        assert recycled.read_bytes() == b"o" * 2 * MB
    finally:
        subprocess.run(["umount", str(folder)], check=True)


async def test_an_indexer_that_asks_to_wait_is_not_asked(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """YggReborn answers 429 (Retry-After 120 s): neither the next feed poll nor a request
    nor an upgrade scan asks it within those two minutes; its budget starts again empty, so
    once it has refilled enough (six requests at 30 an hour) it is asked again."""
    await follow(hass, title="Slow Horses")
    air = epoch(sandbox) + timedelta(days=2, hours=2)
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": "429"})
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=5))
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": None})
    asked = control(sandbox, "stats")["requests"]["torznab:ygg"]
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=6))
    await call(hass, "request", tmdb_id=438631)
    await call(hass, "scan_library")
    await call(hass, "scan_upgrades")
    assert control(sandbox, "stats")["requests"]["torznab:ygg"] == asked
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=8))
    await call(hass, "scan_upgrades", budget=10)
    assert control(sandbox, "stats")["requests"]["torznab:ygg"] == asked  # 1.5 requests' worth
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=20))
    await call(hass, "scan_upgrades", budget=10)
    assert control(sandbox, "stats")["requests"]["torznab:ygg"] > asked


async def test_fake_multi_movie_is_not_a_finished_request(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
) -> None:
    """A "MULTi" movie with English audio only: kept in the library, but the request is not
    completed, the release is blocklisted and the search goes on."""
    infohash = offer_movie(sandbox, loaded_entry, languages=("eng",))
    answer = await call(hass, "request", tmdb_id=872585)
    request = loaded_entry.runtime_data.data.requests[answer["request"]["id"]]
    assert request.status == "downloading"
    await hass.async_add_executor_job(wait_complete, qbt, infohash)
    await loaded_entry.runtime_data.downloads.async_refresh()
    assert request.status == "searching"
    assert "no French audio" in loaded_entry.runtime_data.data.blocklist[infohash].reason
    assert (Path(loaded_entry.data[CONF_MOVIES_ROOT]) / "Oppenheimer (2023)").is_dir()
