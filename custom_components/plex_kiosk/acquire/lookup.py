"""Finding a show on TVMaze, TMDB and AniList, by title or by id."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field

from ..clients.bundle import Connections
from ..clients.errors import BadResponse, ClientError
from ..clients.metadata import ShowInfo
from ..engine.selection import normalize_title
from ..errors import ActionError, ServiceDown

ID_SOURCES = ("tvmaze", "tmdb", "anilist", "tvdb")


@dataclass
class ShowMatch:
    """A show as Plex Kiosk knows it: the ids of every source, its titles."""

    title: str
    year: int | None = None
    ids: dict[str, str] = field(default_factory=dict)
    anime: bool = False
    status: str | None = None
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    owns_bare_title: bool = True  # no earlier show has this title

    def as_dict(self) -> dict[str, object]:
        """For action responses and the panel."""
        return {"title": self.title, "year": self.year, "ids": self.ids, "anime": self.anime}


def _absorb(match: ShowMatch, info: ShowInfo) -> None:
    for key, value in info.ids.items():
        match.ids.setdefault(key, value)
    for title in (info.title, *info.aliases):
        if title and title != match.title and title not in match.aliases:
            match.aliases.append(title)
    match.year = match.year or info.year
    match.status = match.status or info.status
    match.country = match.country or info.country


def _from(info: ShowInfo, anime: bool = False) -> ShowMatch:
    match = ShowMatch(info.title, anime=anime)
    _absorb(match, info)
    return match


async def _optional[T](call: Awaitable[T]) -> T | None:
    """A call whose failure only means less information."""
    try:
        return await call
    except ClientError:
        return None


async def enrich(conns: Connections, match: ShowMatch) -> ShowMatch:
    """Fill the ids and French titles other sources know (TMDB details, TVMaze by TheTVDB)."""
    if "tvmaze" not in match.ids and "tvdb" in match.ids:
        if info := await _optional(conns.tvmaze.lookup_tvdb(int(match.ids["tvdb"]))):
            _absorb(match, info)
    if conns.tmdb and "tmdb" not in match.ids:
        hits = await _optional(conns.tmdb.search("tv", match.title)) or []
        wanted = normalize_title(match.title)
        exact = [
            h
            for h in hits
            if wanted in {normalize_title(t) for t in (h.title, *h.aliases)}
            or (match.year is not None and h.year == match.year)
        ]
        if exact:
            match.ids["tmdb"] = exact[0].ids["tmdb"]
    if conns.tmdb and "tmdb" in match.ids:
        if info := await _optional(conns.tmdb.details("tv", int(match.ids["tmdb"]))):
            _absorb(match, info)
    if match.anime and "anilist" not in match.ids:
        hits = await _optional(conns.anilist.search(match.title)) or []
        if hits:
            _absorb(match, hits[0])
    same = await _optional(conns.tvmaze.search(match.title)) or []
    match.owns_bare_title = not any(
        normalize_title(h.title) == normalize_title(match.title)
        and h.year is not None
        and match.year is not None
        and h.year < match.year
        for h in same
    )  # an earlier show of the title owns release names that carry no year or country
    return match


async def find_by_id(conns: Connections, source: str, ident: int) -> ShowMatch:
    """A show by one source's id; raises not_found."""
    try:
        if source == "tvmaze":
            match = _from(await conns.tvmaze.show(ident))
        elif source == "tvdb":
            match = _from(await conns.tvmaze.lookup_tvdb(ident))
        elif source == "anilist":
            info, _ = await conns.anilist.show(ident)
            match = _from(info, anime=True)
        else:
            if conns.tmdb is None:
                raise ActionError("tmdb_not_configured")
            match = _from(await conns.tmdb.details("tv", ident))
    except BadResponse as err:
        raise ActionError("show_not_found", source=source, ident=str(ident)) from err
    except ClientError as err:
        raise ServiceDown(err.service, err.detail) from err
    return await enrich(conns, match)


async def find_by_title(conns: Connections, title: str) -> list[ShowMatch]:
    """Shows titled exactly ``title`` (or aliased so); else every hit, for the user to pick."""
    wanted = normalize_title(title)
    try:
        tvmaze_hits = await conns.tvmaze.search(title)
    except ClientError as err:
        raise ServiceDown(err.service, err.detail) from err
    anilist_hits = await _optional(conns.anilist.search(title)) or []
    anime_titles = {normalize_title(t) for h in anilist_hits for t in (h.title, *h.aliases)}
    matches = [_from(h, anime=normalize_title(h.title) in anime_titles) for h in tvmaze_hits]
    if not matches:
        matches = [_from(h, anime=True) for h in anilist_hits]
    exact = [m for m in matches if wanted in {normalize_title(t) for t in (m.title, *m.aliases)}]
    return exact or matches
