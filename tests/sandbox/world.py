"""The world file: shows, movies, releases, the Plex library and scripted LLM answers."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DEFAULT_WORLD = Path(__file__).with_name("world.json")
OFFSET_RE = re.compile(r"^([+-])(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


def world_path() -> Path:
    """The world named by ``PLEX_KIOSK_WORLD``, else the bundled one."""
    return Path(os.environ.get("PLEX_KIOSK_WORLD") or DEFAULT_WORLD)


def parse_when(value: str, epoch: datetime) -> datetime:
    """An ISO instant, or an offset from the epoch like ``+2d3h`` or ``-30m``."""
    if match := OFFSET_RE.match(value):
        sign, days, hours, minutes = match.groups()
        delta = timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0))
        return epoch + delta if sign == "+" else epoch - delta
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def bencode(value: Any) -> bytes:
    """Bencode ints, bytes, strings, lists and dicts (keys sorted)."""
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(map(bencode, value)) + b"e"
    items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
    return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"


PIECE = 4 * 1024 * 1024


@dataclass
class Release:
    """A release offered by one or more indexers."""

    name: str
    indexers: list[str]
    category: int
    size: int
    seeders: int
    peers: int
    files: list[dict[str, Any]]
    published: datetime
    show: str | None = None
    movie: str | None = None
    season: int | None = None
    episode: int | None = None
    absolute: int | None = None
    torrent: bytes = b""
    infohash: str = ""

    def build_torrent(self) -> None:
        """A real (data-less) .torrent whose info hash is this release's hash."""
        files = [
            {"length": f["size"], "path": [p for p in f["path"].split("/") if p]}
            for f in self.files
        ]
        total = sum(f["size"] for f in self.files)
        pieces = b"".join(
            hashlib.sha1(f"{self.name}:{i}".encode()).digest()
            for i in range(max(1, -(-total // PIECE)))
        )
        info: dict[str, Any] = {"name": self.name, "piece length": PIECE, "pieces": pieces}
        if len(files) == 1 and len(files[0]["path"]) == 1 and files[0]["path"][0] == self.name:
            info["length"] = files[0]["length"]
        else:
            info["files"] = files
        self.infohash = hashlib.sha1(bencode(info)).hexdigest()
        self.torrent = bencode({"announce": "http://127.0.0.1:1/announce", "info": info})


@dataclass
class World:
    """Everything the sandbox serves, with times resolved against an epoch."""

    raw: dict[str, Any]
    epoch: datetime
    releases: list[Release] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None = None, epoch: datetime | None = None) -> World:
        """Read a world file; relative times count from ``epoch`` (now, to the hour)."""
        raw = json.loads((path or world_path()).read_text(encoding="utf-8"))
        now = epoch or datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        world = cls(raw, now)
        world.releases = [world._release(r) for r in raw.get("releases", [])]
        return world

    def when(self, value: str) -> datetime:
        """Resolve a time of this world."""
        return parse_when(value, self.epoch)

    @property
    def shows(self) -> list[dict[str, Any]]:
        """The shows (series and anime)."""
        return list(self.raw.get("shows", []))

    @property
    def movies(self) -> list[dict[str, Any]]:
        """The movies."""
        return list(self.raw.get("movies", []))

    def show(self, key: str) -> dict[str, Any]:
        """One show by its world key."""
        return next(s for s in self.shows if s["key"] == key)

    def find(self, kind: str, source: str, ident: str | int) -> dict[str, Any] | None:
        """A show or movie by an outside id (``tvmaze``, ``tmdb``, ``anilist``, ``tvdb``…)."""
        pool = self.shows if kind == "show" else self.movies
        return next((x for x in pool if str(x.get("ids", {}).get(source)) == str(ident)), None)

    def episode_air(self, show: dict[str, Any], episode: dict[str, Any]) -> datetime:
        """When an episode airs."""
        return self.when(episode["air"])

    def _release(self, data: dict[str, Any], *, build: bool = True) -> Release:
        published = self._published(data)
        files = data.get("files") or [{"path": data["name"] + ".mkv", "size": data["size"]}]
        release = Release(
            name=data["name"],
            indexers=list(data.get("indexers", [])),
            category=int(data.get("category", 5000)),
            size=int(data.get("size") or sum(f["size"] for f in files)),
            seeders=int(data.get("seeders", 10)),
            peers=int(data.get("peers", 0)),
            files=files,
            published=published,
            show=data.get("show"),
            movie=data.get("movie"),
            season=data.get("season"),
            episode=data.get("episode"),
            absolute=data.get("absolute"),
        )
        if build:  # else the caller brings its own .torrent
            release.build_torrent()
        return release

    def _published(self, data: dict[str, Any]) -> datetime:
        """``published``, or ``after_air`` (offset from the episode's air time)."""
        if "after_air" in data:
            show = self.show(data["show"])
            episode = next(
                e
                for e in show["episodes"]
                if (e.get("season"), e.get("episode")) == (data.get("season"), data.get("episode"))
                or (data.get("absolute") is not None and e.get("absolute") == data["absolute"])
            )
            return parse_when(data["after_air"], self.episode_air(show, episode))
        return self.when(data.get("published", "-1d"))
