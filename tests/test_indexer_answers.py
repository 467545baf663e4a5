"""Indexer answers as they come: one broken item hides nothing else, and a failing search
shows on the indexer's problem sensor with one warning."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_kiosk.acquire.search import ReleaseSearch
from custom_components.plex_kiosk.clients.errors import BadResponse
from custom_components.plex_kiosk.clients.torznab import TorznabClient, parse_caps, parse_feed
from custom_components.plex_kiosk.const import CONF_DOWNLOAD_DIR, DOMAIN
from custom_components.plex_kiosk.engine.matching import WantedEpisode
from custom_components.plex_kiosk.follow.watcher import ReleaseWatcher
from custom_components.plex_kiosk.models import StoreData
from tests.conftest import control
from tests.test_acquire import RELEASE, offer
from tests.test_clients import indexer
from tests.test_follow import at, epoch, follow
from tests.test_follow import episode as episode_of
from tests.test_init import next_health_check

TORZNAB = 'xmlns:torznab="http://torznab.com/schemas/2015/feed"'
HASH = "1233abb1ff3d1b47459e45d52a14e3f2379bece7"


def item(title: str, seeders: int = 10) -> str:
    """One Torznab item."""
    return (
        f"<item><title>{title}</title><guid>{title}</guid>"
        f'<torznab:attr name="seeders" value="{seeders}" /></item>'
    )


def test_one_broken_item_hides_nothing_else() -> None:
    """A control character (forbidden in XML) is dropped; an item that is not XML at all is
    skipped and counted; the others are read."""
    body = (
        f"<rss {TORZNAB}><channel>"
        + item("Show.S01E01.1080p.WEB-\x01GRP")
        + "<item><title>Broken<title></item>"
        + item("Show.S01E02.1080p.WEB-GRP", seeders=42)
        + "</channel></rss>"
    )
    feed = parse_feed("test", body)
    assert [(i.title, i.seeders) for i in feed.items] == [
        ("Show.S01E01.1080p.WEB-GRP", 10),
        ("Show.S01E02.1080p.WEB-GRP", 42),
    ]
    assert feed.skipped == 1


async def test_a_release_with_a_control_character_beside_a_good_one(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The feed lists a release whose name holds a control character: the good release
    beside it is still seen and grabbed."""
    offer(
        sandbox,
        Path(loaded_entry.data[CONF_DOWNLOAD_DIR]),
        name="Slow.Horses.S05E02.MULTi.1080p.WEB.H264-\x07BELL",
        seeders=900,
    )
    await follow(hass, title="Slow Horses")
    await at(
        hass,
        loaded_entry,
        sandbox,
        freezer,
        epoch(sandbox) + timedelta(days=2, hours=2, minutes=35),
    )
    episode = episode_of(loaded_entry, "Slow Horses", 5, 2)
    assert episode.status == "downloading"
    assert episode.release_name is not None
    assert "\x07" not in episode.release_name


async def test_failing_searches_show_on_the_problem_sensor(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """YggReborn's caps answer but its searches send garbage: its problem sensor turns on
    with the reason at the next health check, one warning is logged however many searches
    fail, and both clear when searches work again."""
    followed = await follow(hass, title="Slow Horses")
    air = epoch(sandbox) + timedelta(days=2, hours=2)
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": "garbage"})
    for minutes in (5, 20, 35):
        await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=minutes))
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": None})
    watcher = loaded_entry.runtime_data.manager.releases
    assert watcher.search_error("YggReborn") is not None
    await next_health_check(hass)  # caps answer: only the searches fail
    state = hass.states.get("binary_sensor.plex_kiosk_salon_indexer_yggreborn")
    assert state.state == "on"
    assert "malformed XML" in state.attributes["error"]
    warnings = [r for r in caplog.records if "searches fail" in r.getMessage()]
    assert len(warnings) == 1
    await hass.services.async_call(  # a search that reaches YggReborn and works
        DOMAIN,
        "search",
        {"follow_id": followed["follow"]["id"], "season": 5, "episode": 2},
        blocking=True,
        return_response=True,
    )
    assert watcher.search_error("YggReborn") is None
    await next_health_check(hass)
    assert hass.states.get("binary_sensor.plex_kiosk_salon_indexer_yggreborn").state == "off"


async def test_a_spent_budget_is_said_not_silent(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Automatic searches leave a reserve: with 3 requests left, a due search waits (the
    episode says until when, one warning per indexer) while an admin's search by hand still
    goes out; with none left, the search answer says which indexer waits and until when."""
    followed = await follow(hass, title="Slow Horses")
    watcher = loaded_entry.runtime_data.manager.releases
    air = epoch(sandbox) + timedelta(days=2, hours=2)
    await at(hass, loaded_entry, sandbox, freezer, air + timedelta(minutes=10))
    for state in watcher.indexers:
        state.bucket.tokens = 3.0
        state.bucket.updated = dt_util.utcnow()
    sent = control(sandbox, "stats")["requests"]["torznab"]
    await loaded_entry.runtime_data.manager.check(followed["follow"]["id"])
    episode = episode_of(loaded_entry, "Slow Horses", 5, 2)
    assert control(sandbox, "stats")["requests"]["torznab"] == sent
    assert episode.waiting_until is not None
    assert episode.waiting_until > dt_util.utcnow()
    assert len([r for r in caplog.records if "request budget spent" in r.getMessage()]) == 2
    data = {"follow_id": followed["follow"]["id"], "season": 5, "episode": 2}
    found = await hass.services.async_call(
        DOMAIN, "search", data, blocking=True, return_response=True
    )
    assert [i["outcome"] for i in found["indexers"]] == ["asked", "asked"]
    for state in watcher.indexers:
        state.bucket.tokens = 0.0
    found = await hass.services.async_call(
        DOMAIN, "search", data, blocking=True, return_response=True
    )
    assert {(i["indexer"], i["outcome"]) for i in found["indexers"]} == {
        ("YggReborn", "waiting"),
        ("Nyaa FR", "waiting"),
    }
    assert all(i["until"] for i in found["indexers"])


async def test_a_pack_for_a_season_still_airing_is_not_grabbed(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Slow Horses S05E02 has aired, S05E03 has not: a "complete season 5" pack with ten
    times the seeders is refused as impossible; the exact episode is grabbed."""
    offer(
        sandbox,
        Path(loaded_entry.data[CONF_DOWNLOAD_DIR]),
        name="Slow.Horses.S05.COMPLETE.MULTi.1080p.WEB.H264-PACK",
        episode=None,
        after_air=None,
        published="+2d2h20m",
        seeders=5000,
        size=22_000_000_000,
    )
    await follow(hass, title="Slow Horses")
    await at(
        hass,
        loaded_entry,
        sandbox,
        freezer,
        epoch(sandbox) + timedelta(days=2, hours=2, minutes=35),
    )
    episode = episode_of(loaded_entry, "Slow Horses", 5, 2)
    assert episode.release_name == "Slow.Horses.S05E02.MULTi.VFF.1080p.ATVP.WEB-DL.DDP5.1.H.264-FW"
    decision = loaded_entry.runtime_data.data.decisions[episode.decision_id]
    rejected = {c.name: c.rejected for c in decision.candidates}
    assert rejected["Slow.Horses.S05.COMPLETE.MULTi.1080p.WEB.H264-PACK"] == "pack_not_aired"


def test_items_read_the_way_sonarr_reads_them() -> None:
    """The .torrent enclosure before an HTML ``<link>``; seeders an indexer does not send are
    unknown (not 0); attribute names in any case; an info hash that is
    not one (``(removed)``) is dropped, a magnet's is taken (base32 too)."""
    body = (
        f"<rss {TORZNAB}><channel>"
        "<item><title>Show.S01E01.1080p.WEB-A</title>"
        "<link>https://tracker.example/details/1</link>"
        '<enclosure url="https://tracker.example/dl/1.torrent" type="application/x-bittorrent"/>'
        '<torznab:attr name="Seeders" value="12"/><torznab:attr name="leechers" value="3"/>'
        '<torznab:attr name="infohash" value="(removed)"/></item>'
        "<item><title>Show.S01E02.1080p.WEB-B</title>"
        "<link>https://tracker.example/details/2</link>"
        '<torznab:attr name="magneturl" value="magnet:?xt=urn:btih:'
        + base64.b32encode(bytes.fromhex(HASH)).decode()
        + '"/></item>'
        "</channel></rss>"
    )
    first, second = parse_feed("test", body).items
    assert (first.link, first.seeders, first.infohash) == (
        "https://tracker.example/dl/1.torrent",
        12,
        None,
    )
    assert second.seeders is None
    assert second.infohash == HASH


def test_unknown_seeders_are_no_reason_to_refuse() -> None:
    """An anime indexer that sends no seeders: the release is not refused for "0 seeders";
    it scores the fewest reliability points, and a known count still filters."""
    from custom_components.plex_kiosk.engine.quality import Preferences  # noqa: PLC0415
    from custom_components.plex_kiosk.engine.selection import (  # noqa: PLC0415
        Candidate,
        Wanted,
        select,
    )

    wanted = Wanted(titles=("One Piece",), absolute=1151)
    decision = select(
        [
            Candidate(
                "[Erai-raws] One Piece - 1151 [1080p][Multiple Subtitle]", None, 1_400_000_000
            ),
            Candidate("One.Piece.1151.VOSTFR.1080p.WEB.x264-FEW", 2, 1_400_000_000),
        ],
        wanted,
        Preferences(language="VOSTFR", min_score=0),
    )
    codes = {r.candidate.name: r.rejected.code if r.rejected else None for r in decision.ranked}
    assert codes["[Erai-raws] One Piece - 1151 [1080p][Multiple Subtitle]"] is None
    assert codes["One.Piece.1151.VOSTFR.1080p.WEB.x264-FEW"] == "few_seeders"
    assert decision.chosen is not None
    assert decision.chosen.score.reliability == 2


def test_text_the_way_feeds_write_it() -> None:
    """An HTML entity XML does not know does not reject the answer; a title encoded twice
    reads right; an ISO date is a date; a non-numeric error code is an indexer error."""
    body = (
        f"<rss {TORZNAB}><channel>"
        "<item><title>Stra&szlig;e.S01E01.Fran&ccedil;ais.1080p-GRP</title>"
        "<pubDate>2026-11-02T10:00:00Z</pubDate></item>"
        "<item><title>Law &amp;amp; Order.S01E01.1080p-GRP</title>"
        "<pubDate>2026-11-02 11:30:00</pubDate></item>"
        "</channel></rss>"
    )
    first, second = parse_feed("test", body).items
    assert first.title == "Straße.S01E01.Français.1080p-GRP"
    assert second.title == "Law & Order.S01E01.1080p-GRP"
    assert (first.published, second.published) == (
        datetime(2026, 11, 2, 10, tzinfo=UTC),
        datetime(2026, 11, 2, 11, 30, tzinfo=UTC),
    )
    with pytest.raises(BadResponse, match="error 900: nope"):
        parse_feed("test", '<error code="x1" description="nope"/>')


async def test_relative_links_are_the_indexers(
    hass: HomeAssistant, sandbox: dict[str, str]
) -> None:
    """A download link given relative to the indexer is made whole against its URL (and the
    .torrent comes with the key put back)."""
    control(sandbox, "fault", {"service": "links", "mode": "relative"})
    client = indexer(async_get_clientsession(hass), sandbox)
    [item] = await client.search("tvsearch", q="FAKE")
    assert (item.link or "").startswith(sandbox["torznab"] + "/ygg/download/")
    assert isinstance(await client.torrent(item.link or ""), bytes)


async def test_an_indexer_with_plain_search_only(
    hass: HomeAssistant, sandbox: dict[str, str], tmp_path: Path
) -> None:
    """Caps that offer only ``search`` (common on anime indexers) are enough: episodes are
    searched with a query ``Title S05E02``; a tv-search with no parameters listed means the
    spec's ``q,rid,season,ep``."""
    client = TorznabClient(
        async_get_clientsession(hass), "AnimeZ", f"{sandbox['torznab']}/animez/api", "animez-key"
    )
    caps = await client.caps()
    assert (list(caps.searching), caps.tv_mode) == (["search"], "search")
    offer(sandbox, tmp_path, indexers=["animez"], published="-1h", after_air=None)
    options = {"indexers": [{"name": "AnimeZ", "caps": caps.as_dict()}]}
    watcher = ReleaseWatcher(ReleaseSearch.create([client], StoreData(), options, dt_util.utcnow()))
    wanted = WantedEpisode("e", ("Slow Horses",), 5, 2, None)
    [asked] = await watcher.search(
        wanted, "Slow Horses", {"tvdb": "370681"}, False, dt_util.utcnow()
    )
    assert asked.outcome == "asked"
    assert [c.name for c in watcher.candidates("e")] == [RELEASE]
    default = parse_caps("x", '<caps><searching><tv-search available="yes"/></searching></caps>')
    assert default.searching == {"tvsearch": ("q", "rid", "season", "ep")}


def test_ids_as_prowlarr_sends_them() -> None:
    """Prowlarr's ``imdb`` attribute is the IMDb id."""
    body = (
        f"<rss {TORZNAB}><channel><item><title>Dune.2021.1080p.WEB-GRP</title>"
        "<category>2000</category><category>2040</category>"
        '<torznab:attr name="imdb" value="1160419"/></item></channel></rss>'
    )
    [read] = parse_feed("test", body).items
    assert read.ids == {"imdbid": "1160419"}


def test_what_trackers_say_about_cost_and_seeding() -> None:
    """Freeleech (a tag or a zero download factor) and the seeding rules are read; numbers
    that are not numbers, negative or infinite are the defaults."""
    body = (
        f"<rss {TORZNAB}><channel>"
        "<item><title>Show.S01E01.1080p.WEB-GRP</title><files>3</files>"
        '<torznab:attr name="TAG" value="FreeLeech"/><torznab:attr name="tag" value="internal"/>'
        '<torznab:attr name="uploadvolumefactor" value="2"/>'
        '<torznab:attr name="minimumratio" value="0.8"/>'
        '<torznab:attr name="minimumseedtime" value="172800"/></item>'
        "<item><title>Show.S01E02.1080p.WEB-GRP</title>"
        '<torznab:attr name="downloadvolumefactor" value="0"/>'
        '<torznab:attr name="tag" value=" "/></item>'
        "<item><title>Show.S01E03.1080p.WEB-GRP</title>"
        '<torznab:attr name="downloadvolumefactor" value="-1"/>'
        '<torznab:attr name="uploadvolumefactor" value="inf"/>'
        '<torznab:attr name="minimumratio" value="nan"/>'
        '<torznab:attr name="minimumseedtime" value="3 days"/></item>'
        "</channel></rss>"
    )
    tagged, zero, odd = parse_feed("test", body).items
    assert (tagged.tags, tagged.freeleech) == (("freeleech", "internal"), True)
    assert (tagged.minimum_ratio, tagged.minimum_seedtime) == (0.8, 172800)
    assert (zero.freeleech, zero.tags, zero.download_factor) == (True, (), 0.0)
    assert (odd.freeleech, odd.download_factor) == (False, 1.0)
    assert (odd.minimum_ratio, odd.minimum_seedtime) == (None, None)


def test_freeleech_breaks_a_tie_and_seeding_rules_are_shown() -> None:
    """Two releases of the same quality: the freeleech one wins over more seeders; each
    says, in English and French, what its tracker asks to seed."""
    from custom_components.plex_kiosk.engine.quality import Preferences  # noqa: PLC0415
    from custom_components.plex_kiosk.engine.selection import (  # noqa: PLC0415
        Candidate,
        Wanted,
        select,
    )

    size = 2_600_000_000
    decision = select(
        [
            Candidate("Show.S01E01.MULTi.1080p.WEB.H264-PAID", 900, size),
            Candidate(
                "Show.S01E01.MULTi.1080p.WEB.H264-FREE",
                120,  # fewer seeders, as many points (more than 50)
                size,
                freeleech=True,
                seed_ratio=1.0,
                seed_hours=72,
            ),
        ],
        Wanted(titles=("Show",), season=1, episode=1),
        Preferences(language="MULTI"),
    )
    free, paid = decision.ranked
    assert free.candidate.name.endswith("-FREE")
    assert free.score.total == paid.score.total
    assert free.reasons[0].en.endswith(", freeleech, seed to ratio 1 or 72 h")
    assert free.reasons[0].fr.endswith(
        ", freeleech (hors ratio), à partager jusqu'à ratio 1 ou 72 h"
    )
    assert paid.reasons[0].en == f"rank 2, score {paid.score.total}"


async def test_an_indexer_written_like_an_anime_tracker(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    sandbox: dict[str, str],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A byte order mark, no seeders, categories as elements, ``<link>`` to the details page
    and the .torrent in the enclosure, freeleech and a seeding rule: the episode is grabbed
    from the enclosure, and its decision says what the tracker asks."""
    offer(sandbox, Path(loaded_entry.data[CONF_DOWNLOAD_DIR]))
    control(sandbox, "fault", {"service": "feed", "mode": "anime"})
    await follow(hass, title="Slow Horses")
    await at(hass, loaded_entry, sandbox, freezer, epoch(sandbox) + timedelta(days=2, hours=3))
    target = episode_of(loaded_entry, "Slow Horses", 5, 2)
    assert target.status == "downloading"
    decision = loaded_entry.runtime_data.data.decisions[target.decision_id]
    [chosen] = [c for c in decision.candidates if c.name == RELEASE]
    assert chosen.reason is not None
    assert chosen.reason.endswith(", freeleech, seed to ratio 1 or 72 h")
