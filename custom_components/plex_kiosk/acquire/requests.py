"""Movie requests: find the movie on TMDB, search the indexers, grab through the pipeline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from homeassistant.util.ulid import ulid_now

from ..clients.bundle import Connections
from ..clients.errors import ClientError
from ..clients.metadata import ShowInfo
from ..clients.torznab import search_query
from ..const import CONF_REQUEST_EXPIRE_DAYS, CONF_REQUEST_LIMIT, EVENT_REQUEST_UPDATED
from ..engine.selection import Ranked, Wanted
from ..errors import ActionError, ServiceDown
from ..models import MediaRequest, RequestStatus, StoreData
from . import lookup
from .pipeline import Acquirer, Hooks
from .search import Found, IndexerState, Query, ReleaseSearch

RESEARCH_EVERY = timedelta(hours=6)
LIMIT_WINDOW = timedelta(days=1)
OPEN = frozenset({RequestStatus.PENDING, RequestStatus.SEARCHING})


class RequestManager:
    """Requests of one config entry."""

    def __init__(
        self,
        hooks: Hooks,
        conns: Connections,
        data: StoreData,
        acquirer: Acquirer,
        options: dict[str, Any],
        *,
        releases: ReleaseSearch,
    ) -> None:
        """Requests use the same indexers (and their budgets) and pipeline as follows."""
        self.hooks = hooks
        self.conns = conns
        self.data = data
        self.acquirer = acquirer
        self.options = options
        self.releases = releases
        self._pending: Counter[str | None] = Counter()

    async def request_movie(
        self,
        *,
        tmdb_id: int | None,
        title: str | None,
        quality: str,
        language: str,
        dub: str,
        user_id: str | None,
        user_name: str | None,
        limited: bool,
        now: datetime,
    ) -> dict[str, Any]:
        """Create a request (within a non-admin's daily limit) and search it at once."""
        with self._reserve(user_id, limited, 1, now):
            movie = await self._find(tmdb_id, title)
            request = await self._open(
                "movie",
                movie,
                seasons=[],
                quality=quality,
                language=language,
                dub=dub,
                user=(user_id, user_name),
                now=now,
            )
        return {"request": request.public()}

    async def _open(
        self,
        kind: str,
        found: ShowInfo | lookup.ShowMatch,
        *,
        seasons: list[int],
        quality: str,
        language: str,
        dub: str,
        user: tuple[str | None, str | None],
        now: datetime,
    ) -> MediaRequest:
        """Store a new request, announce it, and search it at once."""
        request = MediaRequest(
            id=ulid_now(),
            kind=kind,
            title=found.title,
            ids=dict(found.ids),
            seasons=seasons,
            quality=quality,
            language=language,
            dub=dub,
            requested_by=user[0],
            requested_by_name=user[1],
            created_at=now,
            year=found.year,
            aliases=list(found.aliases),
            country=found.country,
            owns_bare_title=not isinstance(found, lookup.ShowMatch) or found.owns_bare_title,
        )
        self.data.requests[request.id] = request
        self._status(request, RequestStatus.PENDING, now)
        await self.search(request, now)
        return request

    def used(self, user_id: str | None, now: datetime) -> int:
        """Requests (one per movie, one per season) a user made in the last 24 hours,
        counting those still being made."""
        recent = sum(
            1
            for r in self.data.requests.values()
            if r.requested_by == user_id and now - r.created_at < LIMIT_WINDOW
        )
        return recent + self._pending[user_id]

    @contextmanager
    def _reserve(
        self, user_id: str | None, limited: bool, count: int, now: datetime
    ) -> Iterator[None]:
        """Check the daily limit (when ``limited``) and hold ``count`` places at once (no
        await between the check and the hold: concurrent calls cannot all pass)."""
        limit = int(self.options[CONF_REQUEST_LIMIT])
        if limited and self.used(user_id, now) + count > limit:
            raise ActionError("request_limit", limit=str(limit))
        self._pending[user_id] += count
        try:
            yield
        finally:
            self._pending[user_id] -= count

    async def request_seasons(
        self,
        *,
        tvmaze_id: int,
        seasons: list[int],
        quality: str,
        language: str,
        dub: str,
        user_id: str | None,
        user_name: str | None,
        limited: bool,
        now: datetime,
    ) -> dict[str, Any]:
        """One request per season of a series (whole-season packs), each searched at once;
        each season counts against the daily limit."""
        seasons = list(dict.fromkeys(seasons))
        with self._reserve(user_id, limited, len(seasons), now):
            show = await lookup.find_by_id(self.conns, "tvmaze", tvmaze_id)
            created = [
                (
                    await self._open(
                        "season",
                        show,
                        seasons=[season],
                        quality=quality,
                        language=language,
                        dub=dub,
                        user=(user_id, user_name),
                        now=now,
                    )
                ).public()
                for season in seasons
            ]
        return {"requests": created}

    async def _find(self, tmdb_id: int | None, title: str | None) -> ShowInfo:
        if self.conns.tmdb is None:
            raise ActionError("tmdb_not_configured")
        try:
            if tmdb_id is not None:
                return await self.conns.tmdb.details("movie", tmdb_id)
            hits = await self.conns.tmdb.search("movie", title or "")
            if not hits:
                raise ActionError("movie_not_found", what=title or "")
            return await self.conns.tmdb.details("movie", hits[0].id)
        except ActionError:
            raise
        except ClientError as err:
            if tmdb_id is not None and "404" in err.detail:
                raise ActionError("movie_not_found", what=str(tmdb_id)) from err
            raise ServiceDown(err.service, err.detail) from err

    def _status(self, request: MediaRequest, status: RequestStatus, now: datetime) -> None:
        request.status, request.updated_at = status, now
        self.hooks.fire(
            EVENT_REQUEST_UPDATED,
            {"request_id": request.id, "title": request.title, "status": status},
        )

    @staticmethod
    def _query(state: IndexerState, request: MediaRequest) -> Query:
        season = request.seasons[0] if request.kind == "season" else None
        return search_query(
            request.ids, request.title, year=request.year, season=season, caps=state.caps
        )

    async def search(self, request: MediaRequest, now: datetime) -> None:
        """Search every indexer (within its budget), pick with the engine, grab the first
        survivor that passes."""
        self._status(request, RequestStatus.SEARCHING, now)
        found = await self.releases.ask(lambda state: self._query(state, request), now)
        titles = (request.title, *request.aliases)
        if request.kind == "season":
            wanted = Wanted(
                titles=titles,
                kind="season",
                season=request.seasons[0],
                year=request.year,
                country=request.country,
                owns_bare_title=request.owns_bare_title,
                ids=request.ids,
            )
        else:
            wanted = Wanted(titles=titles, kind="movie", year=request.year, ids=request.ids)
        decision, record = await self.releases.decide(
            found.candidates(),
            wanted,
            self.releases.preferences(request.quality, request.language, request.dub),
            record_id=f"request:{request.id}",
            subject=f"{request.title} ({request.year}) {request.kind} {request.seasons}",
            now=now,
        )
        request.decision_id = record.id
        if await self.releases.take_first(
            decision, record, lambda ranked: self._grab(found, ranked, request, now)
        ):
            self._status(request, RequestStatus.DOWNLOADING, now)

    async def _grab(
        self, found: Found, ranked: Ranked, request: MediaRequest, now: datetime
    ) -> bool:
        item = found.item(ranked.candidate)
        indexer = self.releases.client(item.indexer)
        result = await self.acquirer.grabber.grab(item, indexer, "request", request.id, now)
        return result.ok

    async def cycle(self, now: datetime) -> bool:
        """Search again what is still wanted, every 6 hours; a request not found within the
        options' days expires."""
        expire = timedelta(days=int(self.options[CONF_REQUEST_EXPIRE_DAYS]))
        open_requests = [r for r in self.data.requests.values() if r.status in OPEN]
        expired = [r for r in open_requests if now - r.created_at >= expire]
        for request in expired:
            self._status(request, RequestStatus.EXPIRED, now)
        due = [
            r
            for r in open_requests
            if r not in expired and (r.updated_at is None or now - r.updated_at >= RESEARCH_EVERY)
        ]
        for request in due:
            await self.search(request, now)
        return bool(due or expired)
