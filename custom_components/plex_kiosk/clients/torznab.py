"""Torznab indexer client (Jackett, Prowlarr): capabilities and searches, parsed safely."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from html.entities import html5
from typing import Any
from urllib.parse import quote, urljoin
from xml.etree.ElementTree import Element

import aiohttp
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from ..engine.torrent import magnet_hash, normal_hash
from .errors import AuthFailed, BadResponse, RateLimited
from .http import fetch, fetch_torrent, html_hint

_LOGGER = logging.getLogger(__name__)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not in XML 1.0
_ITEM = re.compile(r"<item\b.*?</item>", re.DOTALL)
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{1,31});")
_ALONE = (  # one item, with the namespaces its attributes use
    '<rss xmlns:torznab="http://torznab.com/schemas/2015/feed" '
    'xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/"><channel>{}</channel></rss>'
)
PARSE_IN_LOOP = 64 * 1024  # characters
MAX_ITEMS = 1000  # per answer: more is not a page any indexer sends
TORRENT_TYPE = "application/x-bittorrent"
TORZNAB_NS = "{http://torznab.com/schemas/2015/feed}"
AUTH_ERROR_CODES = frozenset({100, 101, 102})
LIMIT_ERROR_CODES = frozenset({500, 501})
PAGE_SIZE = 100  # items asked for per page, at most
DEFAULT_PARAMS = {"tv-search": "q,rid,season,ep"}  # the Torznab spec's, when caps say none
CAPS_MODES = {"search": "search", "tv-search": "tvsearch", "movie-search": "movie"}
TV_CATEGORIES = (5000, 5030, 5040, 5045, 5070)
MOVIE_CATEGORIES = (2000, 2040, 2045)


@dataclass(frozen=True, slots=True)
class IndexerCaps:
    """What an indexer can search (``t=`` mode → supported parameters) and its categories."""

    searching: dict[str, tuple[str, ...]]
    categories: dict[int, str]
    page_size: int = PAGE_SIZE  # the most items one answer holds (``<limits max=…>``)

    def as_dict(self) -> dict[str, Any]:
        """JSON form, kept in the config entry."""
        return {
            "searching": {mode: list(params) for mode, params in self.searching.items()},
            "categories": {str(cat): name for cat, name in self.categories.items()},
            "page_size": self.page_size,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndexerCaps:
        """Inverse of :meth:`as_dict`."""
        return cls(
            {mode: tuple(params) for mode, params in data.get("searching", {}).items()},
            {int(cat): name for cat, name in data.get("categories", {}).items()},
            int(data.get("page_size", PAGE_SIZE)),
        )

    def supports(self, mode: str, param: str) -> bool:
        """Whether a search mode accepts a parameter (``tvsearch``, ``tvdbid``)."""
        return param in self.searching.get(mode, ())

    @property
    def tv_mode(self) -> str:
        """``tvsearch``, or plain ``search`` (with a query) on an indexer that has only that
        (many anime indexers); caps never read are taken as the common case."""
        return "search" if self.searching and "tvsearch" not in self.searching else "tvsearch"


@dataclass(frozen=True, slots=True)
class TorznabItem:
    """One release as an indexer lists it."""

    indexer: str
    title: str
    guid: str
    link: str | None
    magnet: str | None
    infohash: str | None
    size: int
    seeders: int | None  # None: the indexer does not say (many anime trackers)
    published: datetime | None
    ids: dict[str, str] = field(default_factory=dict)  # the show's or movie's, as filed
    download_factor: float = 1.0  # 0: freeleech (nothing counts against the ratio)
    tags: tuple[str, ...] = ()  # freeleech, internal, scene… (lower case)
    minimum_ratio: float | None = None  # what the tracker asks to seed to
    minimum_seedtime: int | None = None  # seconds

    @property
    def freeleech(self) -> bool:
        """Downloading it costs no ratio."""
        return self.download_factor == 0 or "freeleech" in self.tags


def search_query(
    ids: dict[str, str],
    title: str,
    *,
    year: int | None = None,
    season: int | None = None,
    episode: int | None = None,
    caps: IndexerCaps | None = None,
) -> tuple[str, tuple[int, ...], dict[str, str | int]]:
    """Mode, categories and parameters of a search: a movie without ``season``, else a
    season (pack) or an episode; by id when one is known (imdb, tmdb; tvdb for series);
    a plain query on an indexer whose ``caps`` offer only plain search."""
    params: dict[str, str | int] = {}
    wanted = "movie" if season is None else "tvsearch"
    if caps is not None and caps.searching and wanted not in caps.searching:
        numbers = (
            ""
            if season is None
            else f" S{season:02d}" + (f"E{episode:02d}" if episode is not None else "")
        )
        query = f"{title} {year or ''}".strip() if season is None else f"{title}{numbers}"
        return "search", MOVIE_CATEGORIES if season is None else TV_CATEGORIES, {"q": query}
    if season is None:
        if "imdb" in ids:
            params["imdbid"] = ids["imdb"].removeprefix("tt")
        elif "tmdb" in ids:
            params["tmdbid"] = ids["tmdb"]
        else:
            params["q"] = f"{title} {year or ''}".strip()
        return "movie", MOVIE_CATEGORIES, params
    params["season"] = season
    if episode is not None:
        params["ep"] = episode
    if "tvdb" in ids:
        params["tvdbid"] = ids["tvdb"]
    else:
        params["q"] = title
    return "tvsearch", TV_CATEGORIES, params


def _parse_xml(service: str, body: str, content_type: str) -> Element:
    """Parse an indexer answer, turning HTML pages and Torznab errors into client errors."""
    head = body.lstrip()[:200].lower()
    if content_type == "text/html" or head.startswith(("<!doctype html", "<html")):
        raise BadResponse(service, html_hint(body))
    try:
        root: Element = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as err:
        raise BadResponse(service, f"malformed XML: {err}") from err
    if root.tag == "error":
        code = _int(root.get("code")) or 900  # a code that is no number: an unknown error
        description = root.get("description", "unknown error")
        if code in AUTH_ERROR_CODES:
            raise AuthFailed(service, description)
        if code in LIMIT_ERROR_CODES:
            raise RateLimited(service, 3600.0)
        raise BadResponse(service, f"error {code}: {description}")
    return root


def parse_caps(service: str, body: str, content_type: str = "application/xml") -> IndexerCaps:
    """Read a ``t=caps`` document."""
    root = _parse_xml(service, body, content_type)
    if root.tag != "caps":
        raise BadResponse(service, f"expected <caps>, got <{root.tag}>")
    searching: dict[str, tuple[str, ...]] = {}
    for mode in root.iterfind("searching/*"):
        if mode.tag in CAPS_MODES and mode.get("available", "no") == "yes":
            params = mode.get("supportedParams") or DEFAULT_PARAMS.get(mode.tag, "q")
            searching[CAPS_MODES[mode.tag]] = tuple(
                p.strip() for p in params.split(",") if p.strip()
            )
    categories: dict[int, str] = {}
    for cat in root.iter("category"):
        for node in (cat, *cat.iterfind("subcat")):
            if (cat_id := _int(node.get("id"))) is not None:
                categories[cat_id] = node.get("name", "")
    limits = root.find("limits")
    page_size = _int(limits.get("max")) if limits is not None else None
    return IndexerCaps(searching, categories, min(page_size or PAGE_SIZE, PAGE_SIZE))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _amount(value: str | None) -> float | None:
    """A volume factor or a ratio: a finite number from 0 up, else None."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number < float("inf") else None


def _factor(value: str | None) -> float:
    """A volume factor; 1 (the normal cost) when absent or unreadable."""
    amount = _amount(value)
    return 1.0 if amount is None else amount


def _date(value: str | None) -> datetime | None:
    """RFC 822 as Torznab says, or the ISO 8601 forms some indexers send instead."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _entities(body: str) -> str:
    """HTML named entities XML does not define (``&szlig;``, ``&eacute;``) as characters:
    one of them would otherwise reject the whole answer."""
    return _ENTITY.sub(lambda m: html5.get(m.group(1) + ";", m.group(0)), body)


def _download_link(node: Element) -> str | None:
    """Where the .torrent is, as Sonarr and Prowlarr read it: an enclosure of the torrent
    type first (on some indexers ``<link>`` is the HTML details page), then ``<link>`` when it
    names a torrent or a magnet, then any enclosure, then ``<link>``."""
    enclosures = [(e.get("type") or "", e.get("url")) for e in node.iter("enclosure")]
    link = (node.findtext("link") or "").strip() or None
    typed = next((url for kind, url in enclosures if url and kind == TORRENT_TYPE), None)
    looks = link if link and (link.startswith("magnet:") or ".torrent" in link) else None
    return typed or looks or next((url for _, url in enclosures if url), None) or link


def _ids(first: Callable[[str], str | None]) -> dict[str, str]:
    """The show's or movie's ids an item carries (Prowlarr says ``imdb``, Jackett ``imdbid``)."""
    found = {k: v for k in ("imdbid", "tvdbid", "tmdbid", "tvmazeid") if (v := first(k) or "")}
    if "imdbid" not in found and (imdb := first("imdb")):
        found["imdbid"] = imdb
    return found


def _item(indexer: str, node: Element) -> TorznabItem | None:
    attrs: dict[str, list[str]] = {}
    for attr in node.iter(f"{TORZNAB_NS}attr"):  # names are matched whatever their case
        attrs.setdefault(attr.get("name", "").lower(), []).append(attr.get("value", ""))

    def first(name: str) -> str | None:
        return attrs.get(name, [None])[0]

    title = unescape((node.findtext("title") or "").strip())  # "&amp;amp;": encoded twice
    if not title:
        return None
    link = _download_link(node)
    magnet = first("magneturl")
    if link and link.startswith("magnet:"):
        magnet, link = magnet or link, None
    seeders = _int(first("seeders"))
    size = _int(first("size")) or _int(node.findtext("size")) or 0
    return TorznabItem(
        indexer=indexer,
        title=title,
        guid=node.findtext("guid") or link or magnet or title,
        link=link,
        magnet=magnet,
        infohash=normal_hash(first("infohash")) or magnet_hash(magnet),
        size=size,
        seeders=seeders,
        published=_date(node.findtext("pubDate")),
        ids=_ids(first),
        download_factor=_factor(first("downloadvolumefactor")),
        tags=tuple(tag.strip().lower() for tag in attrs.get("tag", []) if tag.strip()),
        minimum_ratio=_amount(first("minimumratio")),
        minimum_seedtime=_int(first("minimumseedtime")),
    )


@dataclass(frozen=True, slots=True)
class Feed:
    """The items of a search or RSS answer, and how many could not be read."""

    items: list[TorznabItem]
    skipped: int = 0


def _nodes(service: str, body: str, content_type: str) -> tuple[list[Element], int]:
    """The ``<item>`` elements; when the document as a whole does not parse, each item is
    parsed alone and the broken ones are counted, so one bad item hides nothing else."""
    try:
        root = _parse_xml(service, body, content_type)
    except BadResponse:
        chunks = _ITEM.findall(body)
        if not chunks:
            raise
        nodes = []
        for chunk in chunks:
            try:
                nodes.append(fromstring(_ALONE.format(chunk), forbid_dtd=True)[0][0])
            except (ParseError, DefusedXmlException, IndexError):
                continue
        return nodes, len(chunks) - len(nodes)
    if root.tag != "rss":
        raise BadResponse(service, f"expected <rss>, got <{root.tag}>")
    return root.findall("channel/item"), 0


def parse_feed(service: str, body: str, content_type: str = "application/rss+xml") -> Feed:
    """Read a search or RSS answer: characters XML forbids are dropped, items without a
    title or that cannot be read are skipped (and counted), beyond ``MAX_ITEMS`` the rest
    is left unread."""
    nodes, broken = _nodes(service, _entities(_FORBIDDEN.sub("", body)), content_type)
    if len(nodes) > MAX_ITEMS:
        _LOGGER.warning(
            "%s sent %d items; only the first %d are read", service, len(nodes), MAX_ITEMS
        )
    items = [item for node in nodes[:MAX_ITEMS] if (item := _item(service, node))]
    return Feed(items, broken + len(nodes[:MAX_ITEMS]) - len(items))


KEY_MARK = "PLEX_KIOSK_API_KEY"


class TorznabClient:
    """One Torznab endpoint (``…/api``), named as the user named it.

    The API key never leaves this object: download links are kept with the key replaced by a
    mark (Jackett's ``jackett_apikey=``, Prowlarr's ``apikey=``), put back only to fetch."""

    def __init__(self, session: aiohttp.ClientSession, name: str, url: str, api_key: str) -> None:
        """Keep the shared session and the endpoint's coordinates."""
        self._session = session
        self.name = name
        self._url = url.rstrip("/")
        self._api_key = api_key
        self.skipping = False
        self._key_param = (
            re.compile(r"([?&][^=&#]*=)" + re.escape(quote(api_key, safe="")) + r"(?=[&#]|$)")
            if api_key
            else None
        )

    def redact(self, link: str | None) -> str | None:
        """``link`` with this indexer's key replaced by a mark (safe to store and show)."""
        if link is None or self._key_param is None:
            return link
        return self._key_param.sub(r"\g<1>" + KEY_MARK, link)

    def _unredact(self, link: str) -> str:
        return link.replace(KEY_MARK, quote(self._api_key, safe=""))

    async def _get(self, params: dict[str, str | int]) -> tuple[str, str]:
        return await fetch(
            self._session, self.name, "GET", self._url, params={**params, "apikey": self._api_key}
        )

    async def torrent(self, link: str) -> bytes | str:
        """The .torrent file an item links to (its key put back), or the magnet the link
        redirects to."""
        return await fetch_torrent(self._session, self.name, self._unredact(link))

    async def caps(self) -> IndexerCaps:
        """Fetch the capabilities; also the connection test."""
        return parse_caps(self.name, *await self._get({"t": "caps"}))

    async def search(
        self, mode: str = "search", categories: tuple[int, ...] = (), **params: str | int
    ) -> list[TorznabItem]:
        """Search (``search``, ``tvsearch``, ``movie``); no query and no ids is an RSS poll."""
        query: dict[str, str | int] = {"t": mode, "extended": 1, **params}
        if categories:
            query["cat"] = ",".join(map(str, categories))
        body, content_type = await self._get(query)
        if len(body) > PARSE_IN_LOOP:  # a big answer is parsed off the event loop
            loop = asyncio.get_running_loop()
            feed = await loop.run_in_executor(None, parse_feed, self.name, body, content_type)
        else:
            feed = parse_feed(self.name, body, content_type)
        if feed.skipped and not self.skipping:
            _LOGGER.warning("%s: %d unreadable items skipped", self.name, feed.skipped)
        self.skipping = bool(feed.skipped)  # one warning until the answers are whole again
        return [  # a relative link is the indexer's own
            replace(item, link=self.redact(urljoin(self._url, item.link) if item.link else None))
            for item in feed.items
        ]
