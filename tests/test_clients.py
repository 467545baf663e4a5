"""Every client against the sandbox (and qBittorrent for real), error cases included."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from custom_components.plex_kiosk.clients.anilist import AniListClient
from custom_components.plex_kiosk.clients.errors import (
    AuthFailed,
    BadResponse,
    CannotConnect,
    RateLimited,
)
from custom_components.plex_kiosk.clients.ollama import OllamaClient, strip_thinking
from custom_components.plex_kiosk.clients.plex import PlexClient
from custom_components.plex_kiosk.clients.qbittorrent import QBittorrentClient
from custom_components.plex_kiosk.clients.tmdb import TMDBClient
from custom_components.plex_kiosk.clients.torznab import (
    IndexerCaps,
    TorznabClient,
    parse_caps,
    parse_feed,
)
from custom_components.plex_kiosk.clients.tvmaze import TVMazeClient
from tests.conftest import MODEL, PLEX_TOKEN, TMDB_KEY, control
from tests.sandbox import qbittorrent
from tests.test_acquire import qbt_api

pytestmark = pytest.mark.usefixtures("sandbox")
CLOSED = "http://127.0.0.1:9"


@pytest.fixture
async def session(hass: HomeAssistant) -> aiohttp.ClientSession:
    """Home Assistant's shared session, as the integration uses it."""
    return async_get_clientsession(hass)


def indexer(
    session: aiohttp.ClientSession, urls: dict[str, str], slug: str = "ygg", key: str = "ygg-key"
) -> TorznabClient:
    """A Torznab client for a sandbox indexer."""
    return TorznabClient(session, slug, f"{urls['torznab']}/{slug}/api", key)


# --- Torznab ---------------------------------------------------------------------------


async def test_torznab_caps_round_trip(
    session: aiohttp.ClientSession, sandbox: dict[str, str]
) -> None:
    """Capabilities name the search modes and ids the indexer takes, and survive storage."""
    caps = await indexer(session, sandbox).caps()
    assert caps.supports("tvsearch", "tvdbid")
    assert caps.supports("movie", "imdbid")
    assert not caps.supports("movie", "tvdbid")
    assert caps.categories[5070] == "TV/Anime"
    assert IndexerCaps.from_dict(caps.as_dict()) == caps


async def test_torznab_rss_poll_lists_published_releases(
    session: aiohttp.ClientSession, sandbox: dict[str, str]
) -> None:
    """A tvsearch with no query is the RSS feed: newest first, only what is already published."""
    items = await indexer(session, sandbox).search("tvsearch", categories=(5000,))
    names = [i.title for i in items]
    assert "Slow.Horses.S05E01.MULTi.VFF.1080p.ATVP.WEB-DL.DDP5.1.H.264-FW" in names
    assert not any("Dune" in n for n in names)  # movies are not in TV categories
    published = [i.published for i in items]
    assert published == sorted(published, reverse=True)
    item = next(i for i in items if i.title.startswith("Slow.Horses.S05E01.MULTi"))
    assert item.seeders == 88
    assert item.size == 3_200_000_000
    assert item.ids["tvdbid"] == "370681"
    assert len(item.infohash or "") == 40
    assert (item.magnet or "").startswith(f"magnet:?xt=urn:btih:{item.infohash}")
    assert (item.link or "").endswith(".torrent?apikey=PLEX_KIOSK_API_KEY")  # never the key


async def test_torznab_targeted_and_paged_search(
    session: aiohttp.ClientSession, sandbox: dict[str, str]
) -> None:
    """Season/episode and id filters narrow the answer; limit/offset page it."""
    client = indexer(session, sandbox)
    hits = await client.search("tvsearch", season=5, ep=1, tvdbid=370681)
    assert len(hits) == 3
    assert {h.title.split(".")[0] for h in hits} == {"Slow"}
    movies = await client.search("movie", categories=(2000,), imdbid="tt15239678")
    assert len(movies) == 3
    first = await client.search("movie", imdbid="tt15239678", limit=2)
    second = await client.search("movie", imdbid="tt15239678", limit=2, offset=2)
    assert [m.title for m in first + second] == [m.title for m in movies]
    assert await client.search("search", q="nothing like this") == []


async def test_torznab_failures_are_clear(
    session: aiohttp.ClientSession, sandbox: dict[str, str]
) -> None:
    """Cloudflare, garbage, a wrong key, rate limiting and a dead host each raise their error."""
    with pytest.raises(BadResponse, match="Cloudflare"):
        await indexer(session, sandbox, "cloudy", "cloudy-key").caps()
    with pytest.raises(BadResponse, match="malformed XML"):
        await indexer(session, sandbox, "broken", "broken-key").search()
    with pytest.raises(AuthFailed, match="Invalid API Key"):
        await indexer(session, sandbox, "ygg", "wrong").search()
    control(sandbox, "fault", {"service": "torznab:ygg", "mode": "429"})
    with pytest.raises(RateLimited) as limited:
        await indexer(session, sandbox).search()
    assert limited.value.retry_after == 120
    assert await indexer(session, sandbox, "nyaa", "nyaa-key").search()  # others keep working
    with pytest.raises(CannotConnect):
        await TorznabClient(session, "dead", f"{CLOSED}/api", "k").caps()


def test_torznab_parser_edge_cases() -> None:
    """Entity bombs, wrong roots, Torznab error codes and odd items never crash the parser."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<rss>&b;</rss>"
    )
    with pytest.raises(BadResponse, match="malformed"):
        parse_feed("x", bomb)
    with pytest.raises(BadResponse, match="expected <rss>"):
        parse_feed("x", "<caps/>")
    with pytest.raises(BadResponse, match="expected <caps>"):
        parse_caps("x", "<rss/>")
    with pytest.raises(RateLimited):
        parse_feed("x", '<error code="500" description="Request limit reached"/>')
    with pytest.raises(BadResponse, match="error 201: Incorrect parameter"):
        parse_feed("x", '<error code="201" description="Incorrect parameter"/>')
    with pytest.raises(BadResponse, match="HTML"):
        parse_feed("x", "<html><body>Login</body></html>")
    feed = (
        '<rss xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel>'
        "<item><title></title></item>"
        "<item><title>Magnet.Only.S01E01</title><link>magnet:?xt=urn:btih:abc</link>"
        '<pubDate>not a date</pubDate><torznab:attr name="seeders" value="many"/>'
        '<torznab:attr name="downloadvolumefactor" value="0.5"/></item>'
        "<item><title>Naive.Date</title><pubDate>Mon, 02 Nov 2026 10:00:00</pubDate>"
        '<enclosure url="http://x/a.torrent"/><size>42</size></item>'
        "</channel></rss>"
    )
    read = parse_feed("x", feed)
    assert read.skipped == 1  # the item without a title
    magnet, naive = read.items
    assert (magnet.magnet, magnet.link, magnet.published, magnet.seeders) == (
        "magnet:?xt=urn:btih:abc",
        None,
        None,
        None,  # "many" seeders: unknown, not zero
    )
    assert magnet.infohash is None  # "abc" is no info hash
    assert magnet.download_factor == 0.5
    assert naive.published == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert (naive.link, naive.size, naive.guid) == ("http://x/a.torrent", 42, "http://x/a.torrent")


# --- TVMaze, TMDB, AniList -------------------------------------------------------------


async def test_tvmaze(session: aiohttp.ClientSession, sandbox: dict[str, str]) -> None:
    """Search, lookup by TheTVDB id (a redirect), episodes with exact air times, and a 404."""
    client = TVMazeClient(session, sandbox["tvmaze"])
    [show] = await client.search("slow horses")
    assert (show.id, show.ids["tvdb"], show.ids["imdb"]) == (41797, "370681", "tt5875444")
    assert (await client.lookup_tvdb(81797)).title == "One Piece"
    assert (await client.show(1020)).status == "Ended"
    episodes = await client.episodes(41797)
    assert [(e.season, e.number) for e in episodes] == [(5, 1), (5, 2), (5, 3)]
    assert all(e.air_time and e.air_time.tzinfo == UTC for e in episodes)
    await client.ping()
    with pytest.raises(BadResponse, match="404"):
        await client.show(999999)


async def test_tmdb(session: aiohttp.ClientSession, sandbox: dict[str, str]) -> None:
    """French titles, original and alternative titles as aliases, seasons with dates only."""
    client = TMDBClient(session, TMDB_KEY, sandbox["tmdb"])
    await client.validate()
    [bureau] = await client.search("tv", "bureau des legendes")
    assert bureau.title == "Le Bureau des Légendes"
    details = await client.details("tv", 62076)
    assert "The Bureau" in details.aliases
    assert details.ids == {"tmdb": "62076", "tvdb": "297997", "imdb": "tt4131818"}
    movie = await client.details("movie", 693134)
    assert movie.title == "Dune : Deuxième partie"
    assert movie.ids["imdb"] == "tt15239678"
    assert movie.year == 2024
    season = await client.season(95480, 5)
    assert [e.title for e in season][:2] == ["Personnes disparues", "Dures leçons"]
    with pytest.raises(AuthFailed):
        await TMDBClient(session, "wrong", sandbox["tmdb"]).validate()
    bearer = TMDBClient(session, "eyJ-not-the-key", sandbox["tmdb"])
    with pytest.raises(AuthFailed):
        await bearer.validate()
    with pytest.raises(BadResponse, match="404"):
        await client.details("tv", 1)


async def test_anilist(session: aiohttp.ClientSession, sandbox: dict[str, str]) -> None:
    """Anime search with synonyms, and the airing schedule with absolute numbers."""
    client = AniListClient(session, sandbox["anilist"])
    [one_piece] = await client.search("one piece")
    assert one_piece.ids == {"anilist": "21", "mal": "21"}
    assert "ワンピース" in one_piece.aliases
    info, episodes = await client.show(21)
    assert info.title == "One Piece"
    assert [e.absolute for e in episodes] == [1150, 1151, 1152]
    assert all(e.season is None and e.air_time for e in episodes)
    await client.ping()
    with pytest.raises(BadResponse, match="404"):
        await client.show(1)


async def test_metadata_sources_down(
    session: aiohttp.ClientSession, sandbox: dict[str, str]
) -> None:
    """A source that is down, or answers garbage, raises a client error."""
    control(sandbox, "fault", {"service": "tvmaze", "mode": "down"})
    with pytest.raises(CannotConnect, match="503"):
        await TVMazeClient(session, sandbox["tvmaze"]).search("x")
    control(sandbox, "fault", {"service": "anilist", "mode": "garbage"})
    with pytest.raises(BadResponse, match="not JSON"):
        await AniListClient(session, sandbox["anilist"]).ping()
    control(sandbox, "fault", {"service": "tmdb", "mode": "429"})
    with pytest.raises(RateLimited):
        await TMDBClient(session, TMDB_KEY, sandbox["tmdb"]).validate()


# --- Plex ------------------------------------------------------------------------------


async def test_plex(hass: HomeAssistant, sandbox: dict[str, str]) -> None:
    """Server info with sections; a partial refresh reaches Plex for exactly that path."""
    client = PlexClient(hass.async_add_executor_job, sandbox["plex"], PLEX_TOKEN)
    info = await client.server_info()
    assert (info.machine_id, info.name) == ("5a8f1c2e9b7d4sandbox", "Salon")
    assert [(s.key, s.type) for s in info.sections] == [
        ("1", "movie"),
        ("2", "show"),
        ("3", "show"),
    ]
    assert info.sections[0].locations == ("/data/media/movies",)
    await client.refresh_path("2", "/data/media/tv/Slow Horses (2022)/Season 05")
    assert control(sandbox, "stats")["refreshed"] == [
        {"section": "2", "path": "/data/media/tv/Slow Horses (2022)/Season 05"}
    ]
    with pytest.raises(BadResponse):
        await client.refresh_path("99", "/x")
    await client.close()


async def test_plex_failures(hass: HomeAssistant, sandbox: dict[str, str]) -> None:
    """A wrong token, an outage and a closed port are told apart."""
    with pytest.raises(AuthFailed):
        await PlexClient(hass.async_add_executor_job, sandbox["plex"], "wrong").server_info()
    with pytest.raises(CannotConnect):
        await PlexClient(hass.async_add_executor_job, CLOSED, PLEX_TOKEN).server_info()
    control(sandbox, "fault", {"service": "plex", "mode": "down"})
    with pytest.raises(BadResponse):
        await PlexClient(hass.async_add_executor_job, sandbox["plex"], PLEX_TOKEN).server_info()


# --- Ollama ----------------------------------------------------------------------------


async def test_ollama(hass: HomeAssistant, sandbox: dict[str, str]) -> None:
    """Models, model check, scripted and structured answers with thinking stripped."""
    session = async_get_clientsession(hass)
    client = OllamaClient(sandbox["ollama"], MODEL, session=session)
    assert MODEL in await client.models()
    await client.capabilities()
    answer = await client.chat([{"role": "user", "content": "Please reply with OK"}])
    assert answer.text == "OK"
    control(sandbox, "ollama", {"answers": [{"content": "", "thinking": "<think>x</think>Oui"}]})
    answer = await client.chat([{"role": "user", "content": "Bonjour"}])
    assert (answer.text, answer.from_thinking) == ("Oui", True)
    control(sandbox, "fault", {"service": "ollama", "mode": "garbage"})
    with pytest.raises(BadResponse, match="not JSON"):
        await client.chat([{"role": "user", "content": "x"}])
    control(sandbox, "fault", {"service": "ollama"})
    with pytest.raises(BadResponse, match="not found"):
        await OllamaClient(sandbox["ollama"], "mistral:7b", session=session).chat(
            [{"role": "user", "content": "x"}]
        )
    with pytest.raises(CannotConnect):
        await OllamaClient(CLOSED, MODEL).models()


def test_strip_thinking() -> None:
    """Closed and unclosed think blocks both disappear."""
    assert strip_thinking("<think>a\nb</think> Réponse") == "Réponse"
    assert strip_thinking("Début <think>jamais fermé") == "Début"


# --- qBittorrent (real) ----------------------------------------------------------------


async def test_qbittorrent_real(
    hass: HomeAssistant, sandbox: dict[str, str], qbt: qbittorrent.QBittorrent
) -> None:
    """Log in, add a sandbox .torrent paused in our category, read its files, start, delete."""
    client = QBittorrentClient(
        hass.async_add_executor_job, qbt.url, qbittorrent.USERNAME, qbittorrent.PASSWORD
    )
    assert await client.login() == "2.8.19"
    session = async_get_clientsession(hass)
    ygg = indexer(session, sandbox)
    [item] = await ygg.search("tvsearch", q="FAKE")
    torrent = await ygg.torrent(item.link or "")
    assert isinstance(torrent, bytes)
    await client.add(
        category="plex_kiosk_test",
        tags=("plex_kiosk:episode",),
        torrent_file=torrent,
        save_path=str(qbt.downloads),
    )
    api = qbt_api(qbt)
    [added] = await hass.async_add_executor_job(api.torrents_info, "all", "plex_kiosk_test")
    assert added.hash == item.infohash
    assert added.state in ("pausedDL", "checkingResumeData", "pausedUP")
    assert await client.owned(added.hash, "plex_kiosk_test")
    assert not await client.owned(added.hash, "another_category")
    files = await client.files(added.hash)
    assert files == [
        ("Slow.Horses.S05E01.FRENCH.1080p.WEB.x264-FAKE/Slow.Horses.S05E01.mkv.exe", 2_900_000_000)
    ]
    with pytest.raises(BadResponse, match="Fails"):
        await client.add(category="plex_kiosk_test", torrent_file=torrent)
    await client.start(added.hash)
    data = await client.maindata()
    assert added.hash in data["torrents"]
    await client.delete(added.hash, delete_files=True)
    assert not await client.owned(added.hash, "plex_kiosk_test")


async def test_qbittorrent_failures(hass: HomeAssistant, qbt: qbittorrent.QBittorrent) -> None:
    """A wrong password and a dead address raise their own errors."""
    with pytest.raises(AuthFailed):
        await QBittorrentClient(hass.async_add_executor_job, qbt.url, "admin", "wrong").login()
    with pytest.raises(CannotConnect):
        await QBittorrentClient(hass.async_add_executor_job, CLOSED, "admin", "x").login()
