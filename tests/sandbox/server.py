"""The sandbox servers: one aiohttp application per outside service, each on its own port."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from aiohttp import web

from .world import Release, World

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CLOUDFLARE_PAGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    "<p>Checking your browser before accessing. Cloudflare Ray ID: 0</p></body></html>"
)


@dataclass
class Sandbox:
    """Shared state: the world, the clock, injected faults and request counters."""

    world: World
    offset: timedelta = timedelta()
    faults: dict[str, str] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    refreshed: list[dict[str, str]] = field(default_factory=list)
    plex_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    plex_locations: dict[str, list[str]] = field(default_factory=dict)
    ollama_script: list[dict[str, Any]] = field(default_factory=list)  # answers to give next
    ollama_log: list[dict[str, Any]] = field(default_factory=list)  # chat requests received

    def reset_plex(self) -> None:
        """The Plex library of the world file (tests may add items and move sections)."""
        plex = self.world.raw.get("plex", {})
        self.plex_items = {str(item["ratingKey"]): item for item in plex.get("items", [])}
        self.plex_locations = {
            str(s["key"]): list(s.get("locations", [])) for s in plex.get("sections", [])
        }

    def now(self) -> datetime:
        """The sandbox clock (real time, shifted by ``/_sandbox/clock``)."""
        return datetime.now(UTC) + self.offset


def norm(text: str) -> str:
    """Lower-case, accents and punctuation removed, for loose title matching."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


HUGE_ITEMS = 200_000


def huge_feed() -> str:
    """An answer far bigger than any indexer sends (200,000 items, about 40 MB)."""
    item = (
        "<item><title>Filler.S01E01.1080p.WEB.x264-NOISE</title><guid>g{n}</guid>"
        '<torznab:attr name="seeders" value="1" /></item>'
    )
    return (
        '<rss version="2.0" xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel>'
        + "".join(item.format(n=n) for n in range(HUGE_ITEMS))
        + "</channel></rss>"
    )


def fault_response(mode: str | None, request: web.Request | None = None) -> web.Response | None:
    """The answer an injected fault gives (``down``, ``html``, ``garbage``, ``429``,
    ``redirect`` to itself for ever, ``huge``), if any."""
    if mode == "redirect" and request is not None:
        return web.Response(status=302, headers={"Location": str(request.url)})
    if mode == "huge":
        return web.Response(text=huge_feed(), content_type="application/rss+xml")
    if mode == "down":
        return web.Response(status=503, text="down")
    if mode == "html":
        return web.Response(status=403, text=CLOUDFLARE_PAGE, content_type="text/html")
    if mode == "garbage":
        return web.Response(text="<rss><chan\x00nel>{garbage", content_type="application/xml")
    if mode == "429":
        return web.Response(status=429, text="slow down", headers={"Retry-After": "120"})
    return None


def fault_middleware(sandbox: Sandbox, service: str) -> Any:
    """Count requests per service and apply a fault injected for the whole service."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        sandbox.requests[service] += 1
        faulty = fault_response(sandbox.faults.get(service), request)
        return faulty if faulty is not None else await handler(request)

    return middleware


def text_handler(text: str) -> Handler:
    """A handler that always answers the same text."""

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=text)

    return handler


# --- control ---------------------------------------------------------------------------


def control_app(sandbox: Sandbox) -> web.Application:
    """``/_sandbox/*``: move the clock, inject faults, read counters and Plex refreshes, add
    releases and Plex items."""

    async def clock(request: web.Request) -> web.Response:
        body = await request.json()
        sandbox.offset = datetime.fromisoformat(body["now"]) - datetime.now(UTC)
        return web.json_response({"now": sandbox.now().isoformat()})

    async def fault(request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("mode"):
            sandbox.faults[body["service"]] = body["mode"]
        else:
            sandbox.faults.pop(body["service"], None)
        return web.json_response(sandbox.faults)

    async def stats(request: web.Request) -> web.Response:
        return web.json_response({"requests": sandbox.requests, "refreshed": sandbox.refreshed})

    async def reset(request: web.Request) -> web.Response:
        sandbox.world.releases = [r for r in sandbox.world.releases if not r.name.endswith("-TEST")]
        sandbox.faults.clear()
        sandbox.requests.clear()
        sandbox.refreshed.clear()
        sandbox.offset = timedelta()
        sandbox.reset_plex()
        sandbox.ollama_script.clear()
        sandbox.ollama_log.clear()
        return web.json_response({})

    async def add_release(request: web.Request) -> web.Response:
        """A release made by a test (its own .torrent, for files that really exist)."""
        body = await request.json()
        release = sandbox.world._release(body["release"], build=not body.get("torrent"))
        if body.get("torrent"):
            release.torrent = base64.b64decode(body["torrent"])
            release.infohash = body["infohash"]
        sandbox.world.releases.append(release)
        return web.json_response({"infohash": release.infohash})

    async def plex_items(request: web.Request) -> web.Response:
        """Add or replace Plex library items (by ratingKey), e.g. for files a test made."""
        body = await request.json()
        for item in body["items"]:
            sandbox.plex_items[str(item["ratingKey"])] = item
        return web.json_response({"items": len(sandbox.plex_items)})

    async def plex_locations(request: web.Request) -> web.Response:
        """Where Plex says its sections are (section key → folders)."""
        sandbox.plex_locations.update(await request.json())
        return web.json_response(sandbox.plex_locations)

    async def ollama_script(request: web.Request) -> web.Response:
        """Answers the model gives next, in order (content or thinking as text or JSON,
        ``delay`` seconds, ``status`` with ``error``), before the world's own."""
        sandbox.ollama_script.extend((await request.json())["answers"])
        return web.json_response({"queued": len(sandbox.ollama_script)})

    async def ollama_log(request: web.Request) -> web.Response:
        return web.json_response({"requests": sandbox.ollama_log})

    app = web.Application()
    app.router.add_post("/_sandbox/ollama", ollama_script)
    app.router.add_get("/_sandbox/ollama", ollama_log)
    app.router.add_post("/_sandbox/plex", plex_items)
    app.router.add_post("/_sandbox/plex_locations", plex_locations)
    app.router.add_post("/_sandbox/release", add_release)
    app.router.add_post("/_sandbox/clock", clock)
    app.router.add_post("/_sandbox/fault", fault)
    app.router.add_get("/_sandbox/stats", stats)
    app.router.add_post("/_sandbox/reset", reset)
    return app


# --- Torznab ---------------------------------------------------------------------------

CAPS = """<?xml version="1.0" encoding="UTF-8"?>
<caps>
  <server version="1.0" title={title} />
  <limits default="100" max="100" />
  <searching>
    <search available="yes" supportedParams="q" />
    <tv-search available="yes" supportedParams="q,season,ep,tvdbid,imdbid,tmdbid,tvmazeid" />
    <movie-search available="yes" supportedParams="q,imdbid,tmdbid" />
    <music-search available="no" supportedParams="q" />
  </searching>
  <categories>
    <category id="2000" name="Movies">
      <subcat id="2040" name="Movies/HD" />
      <subcat id="2045" name="Movies/UHD" />
    </category>
    <category id="5000" name="TV">
      <subcat id="5030" name="TV/SD" />
      <subcat id="5040" name="TV/HD" />
      <subcat id="5045" name="TV/UHD" />
      <subcat id="5070" name="TV/Anime" />
    </category>
  </categories>
</caps>"""


def torznab_error(code: int, description: str) -> web.Response:
    """A Torznab ``<error>`` document."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<error code="{code}" description={quoteattr(description)} />'
    )
    return web.Response(text=body, content_type="application/xml")


def _category_ok(release: Release, cats: str | None) -> bool:
    if not cats:
        return True
    wanted = {int(c) for c in cats.split(",") if c.strip().isdigit()}
    return release.category in wanted or (release.category // 1000) * 1000 in wanted


def _ids_of(sandbox: Sandbox, release: Release) -> dict[str, str]:
    owner = None
    if release.show:
        owner = sandbox.world.show(release.show)
    elif release.movie:
        owner = next(m for m in sandbox.world.movies if m["key"] == release.movie)
    return {str(k): str(v) for k, v in (owner or {}).get("ids", {}).items()}


def _matches(sandbox: Sandbox, release: Release, q: dict[str, str]) -> bool:
    ids = _ids_of(sandbox, release)
    for param, key in (
        ("tvdbid", "tvdb"),
        ("tmdbid", "tmdb"),
        ("imdbid", "imdb"),
        ("tvmazeid", "tvmaze"),
    ):
        if q.get(param) and ids.get(key, "").removeprefix("tt") != q[param].removeprefix("tt"):
            return False
    if q.get("season") and release.season != int(q["season"]):
        return False
    if q.get("ep") and int(q["ep"]) not in {release.episode, release.absolute}:
        return False
    if q.get("q"):
        words = norm(release.name).split()
        return all(token in words for token in norm(q["q"]).split())
    return True


def _item_xml(sandbox: Sandbox, slug: str, base: str, release: Release, api_key: str) -> str:
    ids = _ids_of(sandbox, release)
    magnet = f"magnet:?xt=urn:btih:{release.infohash}&dn={release.name}"
    link = f"{base}/{slug}/download/{release.infohash}.torrent?apikey={api_key}"
    if sandbox.faults.get("links") == "relative":  # as some indexers write them
        link = link.removeprefix(base)
    anime = sandbox.faults.get("feed") == "anime"  # written as anime trackers write them
    attrs = {
        "category": [str(release.category), str(release.category // 1000 * 1000)],
        "size": [str(release.size)],
        "seeders": [str(release.seeders)],
        "peers": [str(release.peers + release.seeders)],
        "infohash": [release.infohash],
        "magneturl": [magnet],
        "files": [str(len(release.files))],
        "downloadvolumefactor": ["1"],
        "uploadvolumefactor": ["1"],
    }
    for key in ("imdb", "tvdb", "tmdb", "tvmaze"):
        if key in ids:
            attrs[f"{key}id"] = [ids[key]]
    if anime:  # no counts, categories as elements only, tags and seeding rules
        for name in ("seeders", "peers", "category"):
            del attrs[name]
        attrs |= {"tag": ["freeleech", "internal"], "downloadvolumefactor": ["0"],
                  "minimumratio": ["1.0"], "minimumseedtime": ["259200"]}  # fmt: skip
    title = escape(release.name).replace("&amp;", "&amp;amp;") if anime else escape(release.name)
    details = f"{base}/{slug}/details/{release.infohash}"
    attr_xml = "".join(
        f'<torznab:attr name="{name}" value={quoteattr(v)} />'
        for name, values in attrs.items()
        for v in values
    )
    return (
        f"<item><title>{title}</title><guid>{details}</guid>"
        f"<link>{escape(details if anime else link)}</link><comments>{details}</comments>"
        f"<pubDate>{format_datetime(release.published)}</pubDate>"
        f"<size>{release.size}</size><category>{release.category}</category>"
        f'<enclosure url={quoteattr(link)} length="{release.size}"'
        ' type="application/x-bittorrent" />'
        f"{attr_xml}</item>"
    )


def torznab_app(sandbox: Sandbox) -> web.Application:
    """Every world indexer at ``/<slug>/api``, with its own key and behaviour."""
    indexers = {i["slug"]: i for i in sandbox.world.raw.get("indexers", [])}

    async def api(request: web.Request) -> web.StreamResponse:
        slug = request.match_info["slug"]
        indexer = indexers.get(slug)
        if indexer is None:
            raise web.HTTPNotFound()
        sandbox.requests[f"torznab:{slug}"] += 1
        behaviour = indexer.get("behaviour")
        faulty = fault_response(sandbox.faults.get(f"torznab:{slug}") or behaviour, request)
        if faulty is not None:
            return faulty
        if request.query.get("apikey") != indexer["api_key"]:
            return torznab_error(100, "Invalid API Key")
        mode = request.query.get("t", "")
        if mode == "caps":
            caps = CAPS.format(title=quoteattr(indexer["name"]))
            if behaviour in ("no-search", "search-only"):  # search-only: plain search left
                caps = re.sub(
                    r'(tv|movie)-search available="yes"', r'\1-search available="no"', caps
                )
            if behaviour == "no-search":
                caps = caps.replace('<search available="yes"', '<search available="no"')
            return web.Response(text=caps, content_type="application/xml")
        if mode not in ("search", "tvsearch", "movie"):
            return torznab_error(202, f"No such function ({mode})")
        now = sandbox.now()
        query = dict(request.query)
        found = [
            r
            for r in sandbox.world.releases
            if slug in r.indexers
            and r.published <= now
            and _category_ok(r, query.get("cat"))
            and _matches(sandbox, r, query)
        ]
        found.sort(key=lambda r: r.published, reverse=True)
        offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 100)), 100)
        base = f"{request.scheme}://{request.host}"
        items = "".join(
            _item_xml(sandbox, slug, base, r, indexer["api_key"])
            for r in found[offset : offset + limit]
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel>'
            f"<title>{escape(indexer['name'])}</title>"
            '<newznab:response xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/"'
            f' offset="{offset}" total="{len(found)}" />'
            f"{items}</channel></rss>"
        )
        if sandbox.faults.get("feed") == "anime":
            body = "\ufeff" + body  # a byte order mark before the declaration
        return web.Response(text=body, content_type="application/rss+xml")

    async def download(request: web.Request) -> web.Response:
        """The .torrent, for the indexer's key only; fault ``download`` = ``magnet``
        redirects to the magnet instead (as some indexers do), ``wrong`` serves another
        release's file."""
        infohash = request.match_info["infohash"]
        release = next((r for r in sandbox.world.releases if r.infohash == infohash), None)
        indexer = indexers.get(request.match_info["slug"])
        if release is None or indexer is None:
            raise web.HTTPNotFound()
        if request.query.get("apikey") != indexer["api_key"]:
            return web.Response(status=403, text="wrong key")
        mode = sandbox.faults.get("download")
        if mode == "magnet":
            magnet = f"magnet:?xt=urn:btih:{release.infohash}&dn={release.name}"
            return web.Response(status=302, headers={"Location": magnet})
        if mode == "wrong":
            release = next(r for r in sandbox.world.releases if r.infohash != infohash)
        return web.Response(body=release.torrent, content_type="application/x-bittorrent")

    app = web.Application(middlewares=[fault_middleware(sandbox, "torznab")])
    app.router.add_get("/{slug}/api", api)
    app.router.add_get("/{slug}/download/{infohash}.torrent", download)
    return app


# --- TVMaze ----------------------------------------------------------------------------


def _title(item: dict[str, Any], lang: str = "en") -> str:
    titles = item.get("titles", {})
    return str(titles.get(lang) or titles.get("en") or next(iter(titles.values()), ""))


def _search(pool: list[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    wanted = norm(query)
    return [
        x
        for x in pool
        if any(wanted in norm(t) for t in [*x.get("titles", {}).values(), *x.get("aliases", [])])
    ]


def tvmaze_app(sandbox: Sandbox) -> web.Application:
    """TVMaze: search, singlesearch, lookup (a redirect, as the real one), shows, episodes."""
    world = sandbox.world

    def show_json(show: dict[str, Any]) -> dict[str, Any]:
        ids = show.get("ids", {})
        return {
            "id": ids["tvmaze"],
            "url": f"https://www.tvmaze.com/shows/{ids['tvmaze']}",
            "name": _title(show),
            "type": "Animation" if show.get("anime") else "Scripted",
            "language": show.get("language", "English"),
            "status": show.get("status", "Running"),
            "premiered": f"{show.get('year', 2000)}-01-01",
            "network": {
                "id": 1,
                "name": "Network",
                "country": {"name": "", "code": show.get("country", "US"), "timezone": "UTC"},
            },
            "webChannel": None,
            "externals": {"tvrage": None, "thetvdb": ids.get("tvdb"), "imdb": ids.get("imdb")},
        }

    def tvmaze_shows() -> list[dict[str, Any]]:
        return [s for s in world.shows if "tvmaze" in s.get("ids", {})]

    def by_id(request: web.Request) -> dict[str, Any]:
        show = world.find("show", "tvmaze", request.match_info["id"])
        if show is None:
            raise web.HTTPNotFound(
                text=json.dumps({"name": "Not Found", "status": 404}),
                content_type="application/json",
            )
        return show

    async def search(request: web.Request) -> web.Response:
        hits = _search(tvmaze_shows(), request.query.get("q", ""))
        return web.json_response([{"score": 0.9, "show": show_json(s)} for s in hits])

    async def singlesearch(request: web.Request) -> web.Response:
        hits = _search(tvmaze_shows(), request.query.get("q", ""))
        if not hits:
            raise web.HTTPNotFound()
        return web.json_response(show_json(hits[0]))

    async def lookup(request: web.Request) -> web.Response:
        show = world.find("show", "tvdb", request.query.get("thetvdb", ""))
        if show is None or "tvmaze" not in show["ids"]:
            raise web.HTTPNotFound()
        raise web.HTTPMovedPermanently(f"/shows/{show['ids']['tvmaze']}")

    async def show(request: web.Request) -> web.Response:
        return web.json_response(show_json(by_id(request)))

    async def episodes(request: web.Request) -> web.Response:
        show = by_id(request)
        out = []
        for n, ep in enumerate(show.get("episodes", []), start=1):
            air = world.episode_air(show, ep)
            out.append(
                {
                    "id": show["ids"]["tvmaze"] * 10000 + n,
                    "name": ep.get("titles", {}).get("en"),
                    "season": ep.get("season", 1),
                    "number": ep.get("episode"),
                    "type": "regular",
                    "airdate": air.date().isoformat(),
                    "airtime": air.strftime("%H:%M"),
                    "airstamp": air.isoformat(),
                    "runtime": show.get("runtime", 24),
                }
            )
        return web.json_response(out)

    app = web.Application(middlewares=[fault_middleware(sandbox, "tvmaze")])
    app.router.add_get("/search/shows", search)
    app.router.add_get("/singlesearch/shows", singlesearch)
    app.router.add_get("/lookup/shows", lookup)
    app.router.add_get("/shows/{id}", show)
    app.router.add_get("/shows/{id}/episodes", episodes)
    return app


# --- TMDB ------------------------------------------------------------------------------


def tmdb_app(sandbox: Sandbox) -> web.Application:
    """TMDB v3: configuration, search, tv/movie details, seasons; api_key or bearer token."""
    world = sandbox.world
    key = world.raw.get("tokens", {}).get("tmdb", "")

    @web.middleware
    async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if (
            key
            and not request.path.startswith("/t/p/")
            and key not in (request.query.get("api_key"), bearer)
        ):
            return web.json_response(
                {
                    "status_code": 7,
                    "status_message": "Invalid API key: You must be granted a valid key.",
                    "success": False,
                },
                status=401,
            )
        return await handler(request)

    def lang(request: web.Request) -> str:
        return request.query.get("language", "en-US")[:2]

    def item(x: dict[str, Any], kind: str, language: str) -> dict[str, Any]:
        name, original, date = (
            ("name", "original_name", "first_air_date")
            if kind == "tv"
            else ("title", "original_title", "release_date")
        )
        return {
            "id": x["ids"]["tmdb"],
            name: _title(x, language),
            original: x.get("titles", {}).get("original", _title(x)),
            date: f"{x.get('year', 2000)}-01-01",
            "overview": "",
            "poster_path": f"/{x['key']}.jpg" if kind == "movie" else None,
        }

    def find(kind: str, request: web.Request) -> dict[str, Any]:
        found = world.find("show" if kind == "tv" else "movie", "tmdb", request.match_info["id"])
        if found is None:
            raise web.HTTPNotFound(
                text=json.dumps(
                    {
                        "status_code": 34,
                        "status_message": "The resource you requested could not be found.",
                        "success": False,
                    }
                ),
                content_type="application/json",
            )
        return found

    async def configuration(request: web.Request) -> web.Response:
        base = f"http://{request.host}/t/p/"  # TMDB's image host, here the sandbox itself
        return web.json_response(
            {"images": {"base_url": base, "secure_base_url": base}, "change_keys": []}
        )

    async def image(request: web.Request) -> web.Response:
        """A poster: a plate of the movie's own colour with its title."""
        from PIL import Image, ImageDraw  # noqa: PLC0415  (only the posters need it)

        movie = next((m for m in world.movies if m["key"] == request.match_info["name"]), None)
        if movie is None:
            raise web.HTTPNotFound()
        width = int(request.match_info["size"].removeprefix("w"))
        colour = tuple(int.from_bytes(movie["key"].encode()[i::3]) % 200 for i in range(3))
        poster = Image.new("RGB", (width, width * 3 // 2), colour)
        ImageDraw.Draw(poster).text((10, 10), _title(movie), fill=(255, 255, 255))
        out = io.BytesIO()
        poster.save(out, "JPEG")
        return web.Response(body=out.getvalue(), content_type="image/jpeg")

    async def search(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        pool = world.shows if kind == "tv" else world.movies
        hits = [
            x for x in _search(pool, request.query.get("query", "")) if "tmdb" in x.get("ids", {})
        ]
        results = [item(x, kind, lang(request)) for x in hits]
        return web.json_response(
            {"page": 1, "results": results, "total_pages": 1, "total_results": len(results)}
        )

    async def details(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        x = find(kind, request)
        data = item(x, kind, lang(request))
        ids = x.get("ids", {})
        alternative = [
            {"iso_3166_1": "FR", "title": a, "type": ""}
            for a in [*x.get("titles", {}).values(), *x.get("aliases", [])]
        ]
        if kind == "tv":
            data |= {
                "status": x.get("status", "Returning Series"),
                "external_ids": {"tvdb_id": ids.get("tvdb"), "imdb_id": ids.get("imdb")},
                "alternative_titles": {"results": alternative},
                "seasons": [
                    {"season_number": s}
                    for s in sorted({e.get("season", 1) for e in x.get("episodes", [])})
                ],
            }
        else:
            data |= {
                "imdb_id": ids.get("imdb"),
                "status": "Released",
                "alternative_titles": {"titles": alternative},
                "belongs_to_collection": next(
                    (
                        {"id": c["id"], "name": c["name"], "poster_path": None}
                        for c in world.raw.get("collections", [])
                        if any(p["id"] == ids.get("tmdb") for p in c["parts"])
                    ),
                    None,
                ),
            }
        return web.json_response(data)

    async def collection(request: web.Request) -> web.Response:
        wanted = int(request.match_info["id"])
        found = next((c for c in world.raw.get("collections", []) if c["id"] == wanted), None)
        if found is None:
            raise web.HTTPNotFound(
                text=json.dumps({"status_code": 34, "success": False}),
                content_type="application/json",
            )
        return web.json_response(found)

    async def season(request: web.Request) -> web.Response:
        show = find("tv", request)
        number = int(request.match_info["season"])
        episodes = [
            {
                "air_date": world.episode_air(show, e).date().isoformat(),
                "episode_number": e.get("episode"),
                "season_number": number,
                "name": e.get("titles", {}).get(lang(request)) or e.get("titles", {}).get("en"),
            }
            for e in show.get("episodes", [])
            if e.get("season", 1) == number
        ]
        if not episodes:
            raise web.HTTPNotFound()
        return web.json_response({"season_number": number, "episodes": episodes})

    app = web.Application(middlewares=[fault_middleware(sandbox, "tmdb"), auth])
    app.router.add_get("/3/configuration", configuration)
    app.router.add_get("/3/search/{kind:tv|movie}", search)
    app.router.add_get("/3/{kind:tv|movie}/{id:\\d+}", details)
    app.router.add_get("/3/tv/{id:\\d+}/season/{season:\\d+}", season)
    app.router.add_get("/3/collection/{id:\\d+}", collection)
    app.router.add_get("/t/p/{size}/{name}.jpg", image)
    return app


# --- AniList ---------------------------------------------------------------------------


def anilist_app(sandbox: Sandbox) -> web.Application:
    """AniList GraphQL: the three query shapes Plex Kiosk sends (search, media, ping)."""
    world = sandbox.world

    def media(show: dict[str, Any], page: int) -> dict[str, Any]:
        titles = show.get("titles", {})
        nodes = [
            {
                "airingAt": int(world.episode_air(show, e).timestamp()),
                "episode": e.get("absolute") or e.get("episode"),
            }
            for e in show.get("episodes", [])
        ]
        chunk = nodes[(page - 1) * 50 : page * 50]
        return {
            "id": show["ids"]["anilist"],
            "idMal": show["ids"].get("mal"),
            "status": "RELEASING" if show.get("status", "Running") == "Running" else "FINISHED",
            "seasonYear": show.get("year"),
            "episodes": None,
            "title": {
                "english": titles.get("en"),
                "romaji": titles.get("romaji"),
                "native": titles.get("native"),
            },
            "synonyms": show.get("aliases", []),
            "airingSchedule": {"pageInfo": {"hasNextPage": len(nodes) > page * 50}, "nodes": chunk},
        }

    async def graphql(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            query, variables = body["query"], body.get("variables") or {}
        except (ValueError, KeyError):
            return web.json_response(
                {"data": None, "errors": [{"message": "Syntax Error", "status": 400}]}, status=400
            )
        headers = {"X-RateLimit-Limit": "90", "X-RateLimit-Remaining": "89"}
        anime = [s for s in world.shows if "anilist" in s.get("ids", {})]
        if "media(search" in query:
            hits = _search(anime, variables.get("search", ""))
            data: dict[str, Any] = {"Page": {"media": [media(s, 1) for s in hits]}}
        elif "Media(id" in query:
            show = world.find("show", "anilist", variables.get("id", ""))
            if show is None:
                return web.json_response(
                    {"data": {"Media": None}, "errors": [{"message": "Not Found.", "status": 404}]},
                    status=404,
                    headers=headers,
                )
            data = {"Media": media(show, int(variables.get("page") or 1))}
        else:
            data = {"Viewer": {"pageInfo": {"total": len(anime)}}}
        return web.json_response({"data": data}, headers=headers)

    app = web.Application(middlewares=[fault_middleware(sandbox, "anilist")])
    app.router.add_post("/", graphql)
    return app


# --- Plex ------------------------------------------------------------------------------


def _xml_attrs(attrs: dict[str, Any]) -> str:
    return "".join(f" {k}={quoteattr(str(v))}" for k, v in attrs.items() if v is not None)


def plex_app(sandbox: Sandbox) -> web.Application:
    """Plex Media Server XML: root, sections, paged listings, batched metadata, refresh."""
    plex = sandbox.world.raw.get("plex", {})
    token = plex.get("token", "")
    server = plex.get("server", {})
    sections = {str(s["key"]): s for s in plex.get("sections", [])}
    sandbox.reset_plex()

    @web.middleware
    async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
        given = request.headers.get("X-Plex-Token") or request.query.get("X-Plex-Token")
        if given != token:
            return web.Response(
                status=401,
                text="<html><head><title>Unauthorized</title></head>"
                "<body><h1>401 Unauthorized</h1></body></html>",
                content_type="text/plain",
            )
        return await handler(request)

    def container(body: str, **attrs: Any) -> web.Response:
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<MediaContainer{_xml_attrs(attrs)}>{body}</MediaContainer>"
        )
        return web.Response(text=xml, content_type="text/xml", charset="utf-8")

    def video(item: dict[str, Any], streams: bool, guids: bool = True) -> str:
        tag = "Directory" if item.get("type") in ("show", "season") else "Video"
        attrs = {k: v for k, v in item.items() if k not in ("media", "guids", "section")}
        attrs.setdefault("key", f"/library/metadata/{item['ratingKey']}")
        attrs.setdefault("librarySectionID", item.get("section"))
        media_xml = ""
        for media in item.get("media", []):
            parts = ""
            for part in media.get("parts", []):
                part_attrs = {k: v for k, v in part.items() if k != "streams"}
                stream_xml = ""
                if streams:
                    stream_xml = "".join(
                        f"<Stream{_xml_attrs(s)} />" for s in part.get("streams", [])
                    )
                parts += f"<Part{_xml_attrs(part_attrs)}>{stream_xml}</Part>"
            media_attrs = {k: v for k, v in media.items() if k != "parts"}
            media_xml += f"<Media{_xml_attrs(media_attrs)}>{parts}</Media>"
        guid_xml = "".join(f'<Guid id="{g}" />' for g in item.get("guids", [])) if guids else ""
        return f"<{tag}{_xml_attrs(attrs)}>{media_xml}{guid_xml}</{tag}>"

    async def root(request: web.Request) -> web.Response:
        return container(
            '<Directory count="1" key="library" title="library" />',
            size=1,
            friendlyName=server.get("name", "Plex"),
            machineIdentifier=server.get("machine_id", "sandbox"),
            version=server.get("version", "1.41.3.9314-a0bfb8370"),
            platform="Linux",
            myPlex=0,
            transcoderActiveVideoSessions=0,
        )

    async def library(request: web.Request) -> web.Response:
        return container(
            '<Directory key="sections" title="Library Sections" />', size=1, title1="Plex Library"
        )

    def section_attrs(key: str, section: dict[str, Any]) -> dict[str, Any]:
        movie = section["type"] == "movie"
        return {
            "key": key,
            "type": section["type"],
            "title": section["title"],
            "agent": "tv.plex.agents.movie" if movie else "tv.plex.agents.series",
            "scanner": "Plex Movie" if movie else "Plex TV Series",
            "language": "fr-FR",
            "uuid": f"sandbox-{key}",
            "refreshing": 0,
        }

    async def list_sections(request: web.Request) -> web.Response:
        body = "".join(
            f"<Directory{_xml_attrs(section_attrs(k, s))}>"
            + "".join(
                f'<Location id="{i}" path={quoteattr(p)} />'
                for i, p in enumerate(sandbox.plex_locations.get(k, []), 1)
            )
            + "</Directory>"
            for k, s in sections.items()
        )
        return container(body, size=len(sections), title1="Plex Library")

    def paging(request: web.Request) -> tuple[int, int]:
        def get(name: str, default: int) -> int:
            value = request.headers.get(name) or request.query.get(name)
            return int(value) if value not in (None, "None") else default

        return get("X-Plex-Container-Start", 0), get("X-Plex-Container-Size", 100000)

    async def section_all(request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in sections:
            raise web.HTTPNotFound()
        wanted_type = {"1": "movie", "2": "show", "4": "episode"}.get(request.query.get("type", ""))
        default = "movie" if sections[key]["type"] == "movie" else "show"
        pool = [
            i
            for i in sandbox.plex_items.values()
            if str(i.get("section")) == key and i.get("type") == (wanted_type or default)
        ]
        start, size = paging(request)
        page = pool[start : start + size]
        return container(
            "".join(
                video(i, streams=False, guids=request.query.get("includeGuids") == "1")
                for i in page
            ),
            size=len(page),
            totalSize=len(pool),
            offset=start,
            librarySectionID=key,
            librarySectionTitle=sections[key]["title"],
        )

    async def metadata(request: web.Request) -> web.Response:
        keys = request.match_info["ids"].split(",")
        found = [sandbox.plex_items[k] for k in keys if k in sandbox.plex_items]
        if not found:
            raise web.HTTPNotFound()
        return container("".join(video(i, streams=True) for i in found), size=len(found))

    async def refresh(request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key not in sections:
            raise web.HTTPNotFound()
        sandbox.refreshed.append({"section": key, "path": request.query.get("path", "")})
        return web.Response(text="")

    app = web.Application(middlewares=[fault_middleware(sandbox, "plex"), auth])
    app.router.add_get("/", root)
    app.router.add_get("/library", library)
    app.router.add_get("/library/sections", list_sections)
    app.router.add_get("/library/sections/{key}/all", section_all)
    app.router.add_get("/library/sections/{key}/refresh", refresh)
    app.router.add_get("/library/metadata/{ids}", metadata)
    return app


# --- Ollama ----------------------------------------------------------------------------


def ollama_app(sandbox: Sandbox) -> web.Application:
    """Ollama: tags, show, chat and generate, JSON or NDJSON streaming, scripted answers."""
    spec = sandbox.world.raw.get("ollama", {})
    models = {m["name"]: m for m in spec.get("models", [])}

    def not_found(name: str) -> web.Response:
        return web.json_response({"error": f"model '{name}' not found"}, status=404)

    def answer_for(prompt: str, schema: Any) -> dict[str, Any]:
        if sandbox.ollama_script:
            scripted = sandbox.ollama_script.pop(0)
            if {"content", "thinking", "status", "tool_calls"} & scripted.keys() or not isinstance(
                schema, dict
            ):
                return scripted
            return scripted | {"content": obey(schema)}  # only a delay: the schema's answer
        for answer in spec.get("answers", []):
            if re.search(answer["match"], prompt, re.IGNORECASE | re.DOTALL):
                return dict(answer)
        if isinstance(schema, dict):  # a model that follows the schema it is given
            return {"content": obey(schema)}
        return {"content": spec.get("default_answer", "Je ne sais pas.")}

    def obey(schema: dict[str, Any]) -> Any:
        """An instance of ``schema``: the first of an enum, one array item per value of its
        items' ``id`` enum (in the order given), the world's sentence for free text."""
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "object":
            return {k: obey(v) for k, v in schema.get("properties", {}).items()}
        if kind == "array":
            items = schema.get("items", {})
            ids = items.get("properties", {}).get("id", {}).get("enum")
            if ids is None:
                return [obey(items)]
            return [obey(items) | {"id": value} for value in ids]
        if kind in ("number", "integer"):
            top = schema.get("maximum", 100 if kind == "integer" else 1)
            return round(top * 0.9, 2) if kind == "number" else int(top * 0.8)
        if kind == "boolean":
            return True
        return spec.get("schema_text", "Choix du modèle du bac à sable.")

    def timings(prompt: str, content: str) -> dict[str, Any]:
        return {
            "total_duration": 1_000_000,
            "load_duration": 1000,
            "prompt_eval_count": max(1, len(prompt) // 4),  # about four characters a token
            "prompt_eval_duration": 1000,
            "eval_count": max(1, len(content) // 4),
            "eval_duration": 1000,
        }

    def text(value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    async def respond(
        request: web.Request, body: dict[str, Any], prompt: str, chat: bool
    ) -> web.StreamResponse:
        name = body.get("model", "")
        if name not in models:
            return not_found(name)
        if body.get("think") and "thinking" not in models[name].get("capabilities", []):
            return web.json_response({"error": f'"{name}" does not support thinking'}, status=400)
        answer = answer_for(prompt, body.get("format"))
        await asyncio.sleep(float(answer.get("delay", 0)))
        if "status" in answer:
            return web.json_response({"error": answer.get("error", "")}, status=answer["status"])
        content = text(answer.get("content", ""))
        thinking = text(answer["thinking"]) if "thinking" in answer else None
        created = sandbox.now().isoformat().replace("+00:00", "Z")

        calls = [
            {"function": {"name": c["name"], "arguments": c.get("arguments", {})}}
            for c in answer.get("tool_calls", [])
        ]

        def chunk(
            part: str, done: bool, thought: str | None = None, tools: Any = None
        ) -> dict[str, Any]:
            if chat:
                message: dict[str, Any] = {"role": "assistant", "content": part}
                if thought:
                    message["thinking"] = thought
                if tools:
                    message["tool_calls"] = tools
                out: dict[str, Any] = {
                    "model": name,
                    "created_at": created,
                    "message": message,
                    "done": done,
                }
            else:
                out = {"model": name, "created_at": created, "response": part, "done": done}
            if done:
                out |= {"done_reason": "stop", **timings(prompt, (thinking or "") + content)}
            return out

        if body.get("stream") is False:
            return web.json_response(chunk(content, True, thinking, calls))
        response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson"})
        await response.prepare(request)
        for word in re.findall(r"\S+\s*", thinking or ""):  # thinking comes first
            await response.write(json.dumps(chunk("", False, word)).encode() + b"\n")
        for word in re.findall(r"\S+\s*", content):
            await response.write(json.dumps(chunk(word, False)).encode() + b"\n")
            await asyncio.sleep(0)
        if calls:  # as Ollama sends them: whole, in one chunk before the last
            await response.write(json.dumps(chunk("", False, None, calls)).encode() + b"\n")
        await response.write(json.dumps(chunk("", True)).encode() + b"\n")
        await response.write_eof()
        return response

    async def tags(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "models": [
                    {
                        "name": n,
                        "model": n,
                        "modified_at": "2026-10-01T10:00:00Z",
                        "size": m.get("size", 19_000_000_000),
                        "digest": "sha256:" + "0" * 64,
                        "details": {
                            "format": "gguf",
                            "family": m.get("family", "qwen3vlmoe"),
                            "parameter_size": m.get("parameter_size", "30.5B"),
                            "quantization_level": "Q4_K_M",
                        },
                    }
                    for n, m in models.items()
                ]
            }
        )

    async def show(request: web.Request) -> web.Response:
        body = await request.json()
        name = body.get("model") or body.get("name", "")
        if name not in models:
            return not_found(name)
        model = models[name]
        return web.json_response(
            {
                "modelfile": f"FROM {name}",
                "parameters": "",
                "template": "{{ .Prompt }}",
                "details": {
                    "format": "gguf",
                    "family": model.get("family", "qwen3vlmoe"),
                    "parameter_size": "30.5B",
                    "quantization_level": "Q4_K_M",
                },
                "model_info": {
                    "general.architecture": model.get("family", "qwen3vlmoe"),
                    "general.parameter_count": 30_500_000_000,
                },
                "capabilities": model.get("capabilities", ["completion"]),
                "modified_at": "2026-10-01T10:00:00Z",
            }
        )

    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        sandbox.ollama_log.append(body)
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        return await respond(request, body, prompt, chat=True)

    async def generate(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        return await respond(request, body, str(body.get("prompt", "")), chat=False)

    app = web.Application(middlewares=[fault_middleware(sandbox, "ollama")])
    app.router.add_get("/api/tags", tags)
    app.router.add_post("/api/show", show)
    app.router.add_post("/api/chat", chat)
    app.router.add_post("/api/generate", generate)
    app.router.add_get("/", text_handler("Ollama is running"))
    return app


# --- an old qBittorrent (Web API 2.0), for the version check ---------------------------


def legacy_qbittorrent_app(sandbox: Sandbox) -> web.Application:
    """Just enough of qBittorrent 4.0 (Web API 2.0) to log in and tell its version."""

    async def login(request: web.Request) -> web.Response:
        response = web.Response(text="Ok.")
        response.set_cookie("SID", "legacy")
        return response

    app = web.Application()
    app.router.add_post("/api/v2/auth/login", login)
    for method in ("GET", "POST"):
        app.router.add_route(method, "/api/v2/app/webapiVersion", text_handler("2.0"))
        app.router.add_route(method, "/api/v2/app/version", text_handler("v4.0.4"))
    return app


BUILDERS: dict[str, Callable[[Sandbox], web.Application]] = {
    "control": control_app,
    "torznab": torznab_app,
    "tvmaze": tvmaze_app,
    "tmdb": tmdb_app,
    "anilist": anilist_app,
    "plex": plex_app,
    "ollama": ollama_app,
    "qbittorrent_legacy": legacy_qbittorrent_app,
}


async def start(
    sandbox: Sandbox, host: str = "127.0.0.1", ports: dict[str, int] | None = None
) -> tuple[dict[str, str], list[web.AppRunner]]:
    """Start every service; return their base URLs (``tmdb`` ends in ``/3``) and the runners."""
    urls: dict[str, str] = {}
    runners = []
    for name, build in BUILDERS.items():
        runner = web.AppRunner(build(sandbox), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, (ports or {}).get(name, 0))
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        urls[name] = f"http://{host}:{port}" + ("/3" if name == "tmdb" else "")
        runners.append(runner)
    return urls, runners
