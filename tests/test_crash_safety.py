"""Nothing lost, nothing foreign touched: the upgrade swap interrupted at every step, imports
that can be retried, info hashes computed, paths confined, answers bounded, work that runs
without entities. Real files, the real qbittorrent-nox, the sandbox."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import torf
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.plex_kiosk.acquire.importer import (
    Library,
    confined,
    import_file,
    main_video,
    pack_episodes,
    place,
)
from custom_components.plex_kiosk.clients import probe as probe_module
from custom_components.plex_kiosk.clients.errors import BadResponse
from custom_components.plex_kiosk.clients.qbittorrent import QBittorrentClient
from custom_components.plex_kiosk.clients.torznab import MAX_ITEMS, parse_feed
from custom_components.plex_kiosk.const import (
    CONF_DOWNLOAD_DIR,
    CONF_SERIES_ROOT,
    DOMAIN,
    PREFERENCE_DEFAULTS,
)
from custom_components.plex_kiosk.coordinator import DOWNLOADS_INTERVAL
from custom_components.plex_kiosk.engine.naming import (
    UnsafePath,
    check_template,
    movie_path,
    printable,
    sanitize,
)
from custom_components.plex_kiosk.engine.torrent import (
    NotATorrent,
    info_hash,
    magnet_hash,
    normal_hash,
)
from custom_components.plex_kiosk.upgrade import replace, swaps
from custom_components.plex_kiosk.upgrade.library import probe_if_reachable
from tests.conftest import control
from tests.sandbox import qbittorrent
from tests.test_acquire import RELEASE, TARGET, grabbed, offer, qbt_api, wait_complete
from tests.test_clients import indexer
from tests.test_follow import at, epoch, follow
from tests.test_upgrades import call, proposed

AFTER_AIR = timedelta(days=2, hours=2, minutes=35)  # Slow Horses S05E02, offered 15 min after


class Crash(Exception):
    """Home Assistant stops here (raised by a fault injected into one step)."""


def digest(path: Path) -> str:
    """A file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def crash_in(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """Make the swap stop dead at ``step``: before the new file is staged, before the old one
    is parked, before the new one takes its name, or after, before anything is recorded."""

    def crash(*args: Any, **kwargs: Any) -> None:
        raise Crash(step)

    target = {
        "stage": (replace, "place"),
        "park": (replace, "_park"),
        "commit": (replace, "link_no_overwrite"),
        "record": (swaps.UpgradeSwaps, "_applied"),
    }[step]
    monkeypatch.setattr(*target, crash)


@pytest.mark.parametrize("step", ["stage", "park", "commit", "record"])
async def test_swap_interrupted_at_each_step(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    monkeypatch: pytest.MonkeyPatch,
    hass_storage: dict[str, Any],
    step: str,
) -> None:
    """Home Assistant dies in the middle of an upgrade's swap; set up again, the journal
    saved before the first move finishes or undoes it, the download completes the upgrade:
    the library holds exactly one good file, nothing hidden is left beside it, and the
    original's bytes come back with ``restore_upgrade``."""
    old, infohash, candidate = await proposed(hass, loaded_entry, sandbox)
    original = digest(old)
    await call(hass, "apply_upgrade", candidate_id=candidate.id)
    await hass.async_add_executor_job(wait_complete, qbt, infohash)
    crash_in(monkeypatch, step)
    await loaded_entry.runtime_data.downloads.async_refresh()  # dies mid-swap
    journal = hass_storage[f"{DOMAIN}.{loaded_entry.entry_id}"]["data"]["history"]
    assert [h["outcome"] for h in journal] == ["swapping"]  # durable before the first move
    monkeypatch.undo()
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    await loaded_entry.runtime_data.downloads.async_refresh()
    folder = old.parent
    assert sorted(p.name for p in folder.iterdir()) == ["Oppenheimer (2023).mkv"]
    new = folder / "Oppenheimer (2023).mkv"
    assert digest(new) != original
    data = loaded_entry.runtime_data.data
    applied = [h for h in data.history if h.outcome == "applied"]
    assert len(applied) == 1
    assert data.candidates[candidate.id].status == "applied"
    await call(hass, "restore_upgrade", history_id=applied[0].id)
    assert digest(old) == original
    assert not new.exists()


def test_settle_reads_the_disk(tmp_path: Path) -> None:
    """Start-up after a crash, from each state the disk can be in."""
    root = tmp_path / "movies"
    old = root / "M (2020)" / "M.720p.mkv"
    for parked, staged, placed, finished in (
        (False, False, False, False),
        (False, True, False, False),
        (True, True, False, True),
        (True, False, True, True),
        (True, True, True, True),
        (True, False, False, False),
    ):
        old.parent.mkdir(parents=True, exist_ok=True)
        for f in old.parent.iterdir():
            f.unlink()
        swap_plan = replace.plan(_file(old, b"old"), "M (2020).mkv", root, "h1")
        swap_plan.recycled.parent.mkdir(parents=True, exist_ok=True)
        if parked:
            old.rename(swap_plan.recycled)
        if staged:
            _file(swap_plan.staged, b"new")
        if placed:
            _file(swap_plan.target, b"new")
        assert replace.settle(swap_plan) is finished
        assert not swap_plan.staged.exists()
        if finished:
            assert (swap_plan.target.read_bytes(), swap_plan.recycled.read_bytes()) == (
                b"new",
                b"old",
            )
            swap_plan.recycled.unlink()
        else:
            assert old.read_bytes() == b"old"
            assert not swap_plan.recycled.exists()


def _file(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_pack_keeps_the_largest_file_per_episode_and_no_sample() -> None:
    """A pack listing an episode twice, a sample beside it: one file per episode, the real
    one; a sample is never the main video either."""
    files = [
        ("Show.S01/Show.S01E01.1080p.mkv", 2_000_000_000),
        ("Show.S01/Sample/Show.S01E01.sample.mkv", 50_000_000),
        ("Show.S01/Show.S01E01.1080p.proper.mkv", 2_100_000_000),
        ("Show.S01/Show.S01E02.1080p.mkv", 1_900_000_000),
        ("Show.S01/Show.S01E03-sample.mkv", 90_000_000),
    ]
    assert pack_episodes(files) == [
        ("Show.S01/Show.S01E01.1080p.proper.mkv", 1, 1),
        ("Show.S01/Show.S01E02.1080p.mkv", 1, 2),
    ]
    assert main_video([("M/sample.mkv", 900), ("M/movie.mkv", 100)]) == "M/movie.mkv"


def test_import_probes_before_placing_and_stays_inside(tmp_path: Path) -> None:
    """A file that is not media is refused before anything reaches the library; a symbolic
    link or a path out of the download folder is never followed."""
    downloads, root = tmp_path / "downloads", tmp_path / "tv"
    library = Library(root, "2", {})
    relative = PurePosixPath("Show (2020)/Season 01/Show (2020) - S01E01.mkv")
    junk = _file(downloads / "Show.S01E01.mkv", b"not a video" * 1000)
    with pytest.raises(BadResponse):
        import_file(junk, downloads, library, relative)
    assert not root.exists()
    secret = _file(tmp_path / "secret.mkv", b"x")
    (downloads / "link.mkv").symlink_to(secret)
    for source in (downloads / "link.mkv", downloads / ".." / "secret.mkv"):
        with pytest.raises(UnsafePath):
            import_file(source, downloads, library, relative)
    assert not root.exists()


def test_info_hash_is_computed() -> None:
    """From the .torrent (as torf computes it), hex or base32 magnets; garbage refused."""
    source = Path(__file__)
    torrent = torf.Torrent(path=source, private=True, comment="x" * 5000)
    torrent.generate()
    assert info_hash(torrent.dump()) == torrent.infohash
    base32 = torrent.infohash_base32.decode()
    assert magnet_hash(f"magnet:?dn=x&xt=urn:btih:{base32}") == torrent.infohash
    assert magnet_hash(f"magnet:?xt=urn:btih:{torrent.infohash.upper()}") == torrent.infohash
    assert normal_hash("(removed)") is None
    assert magnet_hash("https://example.invalid/x.torrent") is None
    for garbage in (b"<html>", b"d4:infoi1e", b"d8:announce3:abc" + b"e", b"l" * 100):
        with pytest.raises(NotATorrent):
            info_hash(garbage)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"l4:infoe", "not a bencoded dictionary"),
        (b"d4:infoxe", "unexpected byte"),
        (b"d4:infoi12", "unterminated integer"),
        (b"d4:infod3:ab", "truncated string"),
        (b"d4:infod", "truncated or too deep"),
        (b"d4:infod1x:ae", "bad string length"),
        (b"d4:infol1:aee", "info is not a dictionary"),
        (b"d4:infod1:a" + b"l" * 65 + b"e" * 66 + b"e", "truncated or too deep"),
        (b"d8:announce3:abcee", "no info dictionary"),  # and something after it
        (b"d4:info3:abc", "info is not a dictionary"),
        (b"", "not a bencoded dictionary"),
    ],
)
def test_broken_torrents_are_refused(data: bytes, error: str) -> None:
    """Every way a .torrent can be broken gets its own refusal (never an IndexError or a
    hash of something that is not the info dictionary)."""
    with pytest.raises(NotATorrent, match=error):
        info_hash(data)


def test_info_hash_skips_what_comes_before_info() -> None:
    """Keys before ``info`` (announce lists, numbers, nested dictionaries) are skipped; the
    hash is of the info dictionary's exact bytes; 64 levels of nesting are fine."""
    info = b"d6:lengthi42e4:name1:a4:nestd1:x" + b"l" * 63 + b"e" * 63 + b"ee"
    torrent = b"d8:announce3:abc4:listli1ei-2ee3:subd1:ki0ee4:info" + info + b"e"
    assert info_hash(torrent) == hashlib.sha1(info).hexdigest()


@pytest.mark.parametrize(
    "magnet",
    ["", "https://example.invalid/?xt=urn:btih:" + "a" * 40, "magnet:?xt=urn:sha1:" + "a" * 40,
     "magnet:?xt=urn:btih:" + "g" * 40, "magnet:?dn=x"],
)  # fmt: skip
def test_magnets_without_a_btih_have_no_hash(magnet: str) -> None:
    """Not a magnet, another hash kind, not hex nor base32, no ``xt``: no info hash."""
    assert magnet_hash(magnet) is None


async def test_feed_hash_that_lies_is_refused(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The indexer lists one info hash and serves another release's .torrent: nothing is
    added to qBittorrent, the listed hash is blocklisted with the reason."""
    claimed = offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    control(sandbox, "fault", {"service": "download", "mode": "wrong"})
    await follow(hass, title="Slow Horses")
    await at(hass, loaded_entry, sandbox, freezer, epoch(sandbox) + AFTER_AIR)
    data = loaded_entry.runtime_data.data
    assert claimed not in data.downloads
    assert "the indexer said" in data.blocklist[claimed].reason
    assert await hass.async_add_executor_job(lambda: qbt_api(qbt).torrents_info()) == []


async def test_link_redirecting_to_a_magnet(hass: HomeAssistant, sandbox: dict[str, str]) -> None:
    """Some indexers answer the download link with a redirect to a magnet: it is taken (aiohttp
    alone refuses a non-HTTP redirect)."""
    client = indexer(async_get_clientsession(hass), sandbox)
    [item] = await client.search("tvsearch", q="FAKE")
    control(sandbox, "fault", {"service": "download", "mode": "magnet"})
    fetched = await client.torrent(item.link or "")
    assert isinstance(fetched, str)
    assert magnet_hash(fetched) == item.infohash


async def test_only_its_own_torrents_are_touched(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A download moved by the user out of Plex Kiosk's category fails for Plex Kiosk, but
    qBittorrent keeps it and its files."""
    infohash = offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    await grabbed(hass, loaded_entry, sandbox, freezer)
    api = qbt_api(qbt)
    await hass.async_add_executor_job(
        lambda: api.torrents_set_category(category="", torrent_hashes=infohash)
    )
    download = loaded_entry.runtime_data.data.downloads[infohash]
    await loaded_entry.runtime_data.downloads.acquirer.discard(download, "test", dt_util.utcnow())
    [kept] = await hass.async_add_executor_job(lambda: api.torrents_info(torrent_hashes=infohash))
    assert kept.hash == infohash
    assert (Path(loaded_entry.data[CONF_DOWNLOAD_DIR]) / f"{RELEASE}.mkv").is_file()


@pytest.mark.parametrize(
    "title", ["é" * 300, "東京" * 200, "🎬" * 150, "Ab\u202eC\u200bD\x7fE\x01" * 60]
)
def test_names_fit_every_file_system(tmp_path: Path, title: str) -> None:
    """Every component at most 255 UTF-8 bytes (the extension included), no invisible
    character: the file can be written."""
    path = tmp_path / movie_path(title, 2024, "mkv")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    for part in path.relative_to(tmp_path).parts:
        assert len(part.encode()) <= 255
        assert part == printable(part, 1000)
    assert sanitize("a\u202eb\u2066c\u200dd\x1be\x7f") == "abcde"


def test_templates_refuse_attributes_and_huge_widths() -> None:
    """Only the known fields, plainly formatted, widths up to 10, no way up or out."""
    for bad in (
        "{series.x}", "{series[0]}", "{title:999999999}", "{episode:11d}", "{series!r}",
        "{nope}", "{episode:xyz}", "{series", "../{series}", "/{series}", "",
    ):  # fmt: skip
        assert check_template(bad) is False, bad
    assert check_template("{series}/Season {season:02d}/{series} - {episode:010d}") is True
    assert printable("a" * 400) == "a" * 300  # a log line says enough


async def test_template_error_in_the_options_form(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A template with an attribute or a giant width: a translated form error, not a crash."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "preferences"}
    )
    for template in ("{series.__class__}", "{title:99999999}"):
        answer = await hass.config_entries.options.async_configure(
            result["flow_id"], {**PREFERENCE_DEFAULTS, "movie_template": template}
        )
        assert answer["errors"] == {"base": "invalid_template"}


def test_recycle_folder_is_never_followed_nor_emptied_whole(tmp_path: Path) -> None:
    """A recycle folder that is a link is refused; a ``.plexignore`` that is a link is not
    written through; the purge deletes one recycled folder, never the recycle folder or
    anything outside it (an empty path included)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "movies"
    old = _file(root / "M (2020)" / "M.mkv", b"old")
    (root / replace.RECYCLE).symlink_to(outside)
    swap_plan = replace.plan(old, "M (2020).mkv", root, "h1")
    with pytest.raises(UnsafePath):
        replace.swap(swap_plan, _file(tmp_path / "new.mkv", b"new"))
    assert old.read_bytes() == b"old"
    assert list(outside.iterdir()) == []
    (root / replace.RECYCLE).unlink()
    (root / replace.RECYCLE).mkdir()
    (root / replace.RECYCLE / ".plexignore").symlink_to(outside / "victim")
    replace.swap(replace.plan(old, "M (2020).mkv", root, "h2"), tmp_path / "new.mkv")
    assert not (outside / "victim").exists()
    keep = _file(root / replace.RECYCLE / "h3" / "other.mkv", b"other")
    for refused in (Path(""), root / replace.RECYCLE / "x.mkv", outside / "h2" / "M.mkv"):
        with pytest.raises(UnsafePath):
            replace.purge(refused)
    replace.purge(root / replace.RECYCLE / "h2" / "M.mkv")
    assert not (root / replace.RECYCLE / "h2").exists()
    assert keep.read_bytes() == b"other"
    with pytest.raises(UnsafePath):
        confined(outside, root)


async def test_huge_answers_are_refused(hass: HomeAssistant, sandbox: dict[str, str]) -> None:
    """A 200,000-item feed (40 MB) is refused before it is parsed; a page over the item cap
    is cut."""
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": "huge"})
    client = indexer(async_get_clientsession(hass), sandbox)
    with pytest.raises(BadResponse, match="too large"):
        await client.search("tvsearch")
    item = "<item><title>Show.S01E01.1080p-G</title><guid>{n}</guid></item>"
    body = "<rss><channel>" + "".join(item.format(n=n) for n in range(1500)) + "</channel></rss>"
    assert len(parse_feed("test", body).items) == MAX_ITEMS


def test_a_probe_that_hangs_does_not_stop_a_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ffprobe stuck on a file (a dead network mount): that file is unreadable, the scan
    goes on."""
    fake = _file(tmp_path / "bin" / "ffprobe", b"#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(probe_module, "PROBE_TIMEOUT", 0.5)
    stuck = _file(tmp_path / "stuck.mkv", b"not media")
    with pytest.raises(BadResponse, match="no answer"):
        probe_module.probe(stuck)
    assert probe_if_reachable(stuck) is None


async def test_downloads_imported_with_their_sensors_disabled(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    qbt: qbittorrent.QBittorrent,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    """The two download sensors disabled: the work is scheduled by the integration, so a
    finished torrent is still imported at the next 30-second poll."""
    for entity_id in (
        "sensor.plex_kiosk_salon_active_downloads",
        "sensor.plex_kiosk_salon_download_speed",
    ):
        entity_registry.async_update_entity(entity_id, disabled_by=er.RegistryEntryDisabler.USER)
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    infohash = offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    target = await grabbed(hass, loaded_entry, sandbox, freezer)
    await hass.async_add_executor_job(wait_complete, qbt, infohash)
    for _ in range(3):  # the first poll sees it complete, the import follows
        freezer.tick(DOWNLOADS_INTERVAL)
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert (Path(loaded_entry.data[CONF_SERIES_ROOT]) / TARGET).is_file()
    assert target.status == "completed"


async def test_repairs_grouped_per_series_and_cleared(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Two episodes of One Piece find nothing: one repair issue names both; it goes when the
    series is unfollowed, and with the entry."""
    followed = await follow(hass, title="One Piece")
    air = epoch(sandbox)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(days=8, hours=49))
    issues = [i for (domain, _), i in issue_registry.issues.items() if domain == DOMAIN]
    assert len(issues) == 1
    assert issues[0].translation_placeholders["count"] == "2"
    assert "S23E02" in issues[0].translation_placeholders["episodes"]
    await hass.services.async_call(
        DOMAIN, "unfollow", {"follow_id": followed["follow"]["id"]}, blocking=True
    )
    assert not [k for k in issue_registry.issues if k[0] == DOMAIN]
    await follow(hass, title="One Piece", monitor="all")  # its aired episodes fail at once
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(days=8, hours=50))
    assert [k for k in issue_registry.issues if k[0] == DOMAIN]
    await hass.config_entries.async_remove(loaded_entry.entry_id)
    assert not [k for k in issue_registry.issues if k[0] == DOMAIN]


async def test_qbittorrent_5_checks_before_it_starts(
    hass: HomeAssistant, sandbox: dict[str, str], qbt5: qbittorrent.QBittorrent
) -> None:
    """qBittorrent 5 (Web API 2.11, ``stopped``/``start``): added stopped, its file list read
    while it stays stopped, started only when asked, deleted with its files."""
    client = QBittorrentClient(
        hass.async_add_executor_job, qbt5.url, qbittorrent.USERNAME, qbittorrent.PASSWORD
    )
    version = await client.login()
    assert tuple(int(p) for p in version.split(".")[:2]) >= (2, 11)
    ygg = indexer(async_get_clientsession(hass), sandbox)
    [item] = await ygg.search("tvsearch", q="FAKE")
    torrent = await ygg.torrent(item.link or "")
    assert isinstance(torrent, bytes)
    await client.add(
        category="pk5",
        tags=("plex_kiosk:episode",),
        torrent_file=torrent,
        save_path=str(qbt5.downloads),
    )
    api = qbt_api(qbt5)

    def state(leaving: str = "checking") -> str:
        """Its state once it has left ``leaving`` (a few polls at most)."""
        for _ in range(100):
            current = str(api.torrents_info(torrent_hashes=item.infohash)[0].state)
            if not current.startswith(leaving):
                return current
            time.sleep(0.05)
        return current

    assert await hass.async_add_executor_job(state) == "stoppedDL"
    assert await client.files(item.infohash or "")
    assert await client.owned(item.infohash or "", "pk5")
    assert await hass.async_add_executor_job(state) == "stoppedDL"
    await client.start(item.infohash or "")
    assert await hass.async_add_executor_job(state, "stopped") != "stoppedDL"
    await client.delete(item.infohash or "", delete_files=True)
    assert not await client.owned(item.infohash or "", "pk5")
    await client.close()


def test_swap_and_undo_guards_on_disk(tmp_path: Path) -> None:
    """Each guard of the swap and the undo, on real files: a library file outside the root
    or gone; a recycle folder left by an earlier attempt; a file that takes the new name
    between the plan and the swap (the old file comes back, nothing hidden is left); an undo
    from outside the recycle folder or into another root; a purge of what is already gone;
    the ``.plexignore`` Plex reads."""
    root = tmp_path / "movies"
    outside = _file(tmp_path / "elsewhere" / "M.mkv", b"x")
    with pytest.raises(UnsafePath):
        replace.plan(outside, "M (2020).mkv", root, "h0")
    with pytest.raises(FileNotFoundError):
        replace.plan(root / "M (2020)" / "gone.mkv", "M (2020).mkv", root, "h0")
    old = _file(root / "M (2020)" / "M.720p.mkv", b"old")
    (root / replace.RECYCLE / "h1").mkdir(parents=True)  # left by an earlier attempt
    first = replace.plan(old, "M (2020).mkv", root, "h1")
    _file(first.target, b"someone else's")  # appears after the plan
    with pytest.raises(FileExistsError):
        replace.swap(first, _file(tmp_path / "new.mkv", b"new"))
    assert old.read_bytes() == b"old"
    assert sorted(p.name for p in old.parent.iterdir()) == ["M (2020).mkv", "M.720p.mkv"]
    assert not first.recycled.exists()
    first.target.unlink()
    swap_plan = replace.plan(old, "M (2020).mkv", root, "h1")
    replace.swap(swap_plan, tmp_path / "new.mkv")
    ignore = root / replace.RECYCLE / ".plexignore"
    assert ignore.read_text() == "*\n"
    assert stat.S_IMODE(ignore.stat().st_mode) == 0o644
    for recycled, back, new in (
        (tmp_path / "elsewhere" / "M.mkv", old, swap_plan.target),  # not a recycled file
        (swap_plan.recycled, tmp_path / "elsewhere" / "M.720p.mkv", swap_plan.target),
        (swap_plan.recycled, old, outside),  # the new file is not in the library
    ):
        with pytest.raises(UnsafePath):
            replace.restore(recycled, back, new, root, "h2")
    parked = replace.restore(swap_plan.recycled, old, swap_plan.target, root, "h2")
    assert parked == root / replace.RECYCLE / "h2" / "M (2020).mkv"
    assert (old.read_bytes(), parked.read_bytes()) == (b"old", b"new")
    replace.purge(parked)
    replace.purge(parked)  # already gone: fine
    assert not parked.parent.exists()


def test_placing_is_idempotent_and_never_overwrites(tmp_path: Path) -> None:
    """Placing the same file twice (a retry after a restart) is done; another file of the
    very same size under the name is refused, untouched; a link inside the download folder
    is refused too; a season-only file in a pack is no episode."""
    downloads = tmp_path / "downloads"
    source = _file(downloads / "a.mkv", b"a" * 4096)
    target = tmp_path / "tv" / "Show - S01E01.mkv"
    place(source, target)
    place(source, target)  # the same inode: done
    assert target.stat().st_ino == source.stat().st_ino
    other = _file(downloads / "b.mkv", b"b" * 4096)  # same size, other bytes
    with pytest.raises(FileExistsError):
        place(other, target)
    assert target.read_bytes() == b"a" * 4096
    copy = _file(tmp_path / "copy.mkv", b"a" * 4096)  # same bytes, another inode: done
    place(copy, target)
    (downloads / "link.mkv").symlink_to(source)
    with pytest.raises(UnsafePath, match="symbolic link"):
        confined(downloads / "link.mkv", downloads)
    assert pack_episodes([("Show.S01.Bonus.mkv", 900), ("Show.S01E01.mkv", 900)]) == [
        ("Show.S01E01.mkv", 1, 1)
    ]
