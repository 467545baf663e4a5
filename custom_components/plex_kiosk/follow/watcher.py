"""Release watching: feed first, targeted searches in the PRD window, per-indexer budgets."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from ..clients.errors import ClientError, RateLimited
from ..clients.torznab import TV_CATEGORIES, IndexerCaps, TorznabClient, TorznabItem
from ..engine.matching import EpisodeIndex, WantedEpisode
from ..engine.release import Release, parse_release
from ..engine.schedule import TokenBucket
from ..engine.selection import Candidate

_LOGGER = logging.getLogger(__name__)
MAX_FEED_PAGES = 5
BUDGET_CAPACITY = 40.0  # requests in a burst, per indexer (a household's busy evening)
BUDGET_PER_HOUR = 30.0  # sustained requests per hour, per indexer
MANUAL_RESERVE = 5.0  # requests automatic searches leave for an admin's search by hand
ANIME_CATEGORY = 5070


@lru_cache(maxsize=4096)
def parsed(title: str) -> Release:
    """Parse once per release name (feeds repeat the same names poll after poll)."""
    return parse_release(title)


def candidate_of(item: TorznabItem) -> Candidate:
    """A Torznab item as the engine's candidate."""
    return Candidate(
        name=item.title,
        seeders=item.seeders,
        size=item.size,
        infohash=item.infohash,
        published=item.published,
        indexer=item.indexer,
        freeleech=item.freeleech,
        seed_ratio=item.minimum_ratio,
        seed_hours=None if item.minimum_seedtime is None else item.minimum_seedtime / 3600,
    )


@dataclass
class IndexerState:
    """What the watcher remembers of one indexer."""

    client: TorznabClient
    caps: IndexerCaps
    bucket: TokenBucket
    last_seen: str | None = None
    requests: int = 0
    failed_at: datetime | None = None
    error: str | None = None  # what its last search said when it failed, until one works
    dry: bool = False  # its budget ran out (said once in the log until it refills)

    def paused(self, now: datetime) -> bool:
        """Whether it asked to wait (HTTP 429) and the wait is not over."""
        return self.bucket.paused_until is not None and now < self.bucket.paused_until

    def waiting(self, now: datetime) -> bool:
        """Whether it is not asked now: no budget left, or it asked to wait."""
        return self.dry or self.paused(now)


@dataclass(frozen=True, slots=True)
class Asked:
    """What became of one indexer's part of a search: ``asked``, ``failed`` or ``waiting``
    (no budget left, or it asked to wait) with when it can be asked again."""

    indexer: str
    outcome: str
    until: datetime | None = None


@dataclass
class ReleaseWatcher:
    """Collects candidates per wanted episode from feeds and targeted searches."""

    indexers: list[IndexerState]
    pools: dict[str, dict[str, tuple[Candidate, TorznabItem]]] = field(default_factory=dict)

    @classmethod
    def create(
        cls, clients: Iterable[tuple[TorznabClient, IndexerCaps]], now: datetime
    ) -> ReleaseWatcher:
        """One state per indexer, budgets full."""
        return cls(
            [
                IndexerState(client, caps, TokenBucket.full(BUDGET_CAPACITY, BUDGET_PER_HOUR, now))
                for client, caps in clients
            ]
        )

    @property
    def requests(self) -> int:
        """Requests sent to indexers so far."""
        return sum(state.requests for state in self.indexers)

    def _collect(
        self, items: list[TorznabItem], index: EpisodeIndex, *, same_show: bool = False
    ) -> None:
        """Feed items go to the episodes they hold; a targeted search's to its episode as soon
        as the show matches, so that the engine can say why a wrong episode lost."""
        for item in items:
            release = parsed(item.title)
            key = item.infohash or item.guid  # one candidate per torrent, whichever indexer
            for wanted in index.same_show(release) if same_show else index.match(release):
                pool = self.pools.setdefault(wanted.key, {})
                if key not in pool or (pool[key][0].seeders or 0) < (item.seeders or 0):
                    pool[key] = (candidate_of(item), item)

    async def request(
        self,
        state: IndexerState,
        now: datetime,
        params: dict[str, str | int],
        mode: str = "tvsearch",
        categories: tuple[int, ...] = TV_CATEGORIES,
        *,
        manual: bool = False,
    ) -> list[TorznabItem] | None:
        """One search charged to the indexer's budget (a search by hand may use the reserve);
        None when the budget is spent or the indexer failed (a 429 pauses it)."""
        reserve = 0.0 if manual else MANUAL_RESERVE
        if not state.bucket.take(now, reserve):
            if not state.dry and not state.paused(now):
                state.dry = True
                _LOGGER.warning(
                    "%s: request budget spent; searches wait until %s",
                    state.client.name,
                    state.bucket.ready_at(now, reserve).isoformat(timespec="minutes"),
                )
            return None
        state.dry = False
        state.requests += 1
        try:
            items = await state.client.search(mode, categories, **params)
        except RateLimited as err:
            state.bucket.pause(now, err.retry_after)
            state.failed_at = now
            _LOGGER.info("%s asks to wait %.0f s", state.client.name, err.retry_after)
        except ClientError as err:
            state.failed_at = now
            if state.error is None:  # one warning per outage, as for the health checks
                _LOGGER.warning("%s: searches fail: %s", state.client.name, err.detail)
            state.error = err.detail
        else:
            if state.error is not None:
                _LOGGER.info("%s: searches work again", state.client.name)
            state.error = None
            return items
        return None

    async def _poll_feed(self, state: IndexerState, index: EpisodeIndex, now: datetime) -> None:
        """Page back to the last item already seen (one page on the first poll)."""
        newest = None
        for page in range(MAX_FEED_PAGES if state.last_seen else 1):
            size = state.caps.page_size
            items = await self.request(
                state, now, {"limit": size, "offset": page * size}, state.caps.tv_mode
            )
            if items is None:
                return
            newest = newest or (items[0].guid if items else None)
            guids = [i.guid for i in items]
            fresh = items[: guids.index(state.last_seen)] if state.last_seen in guids else items
            self._collect(fresh, index)
            if len(fresh) < len(items) or len(items) < size:
                break
        else:
            if state.last_seen:  # more came than the pages we read: the feed has a gap
                state.failed_at = now
        state.last_seen = newest or state.last_seen

    async def poll_feeds(self, wanted: list[WantedEpisode], now: datetime) -> None:
        """Every indexer's feed, concurrently; one failing indexer never stops the others."""
        index = EpisodeIndex(wanted)
        await asyncio.gather(*(self._poll_feed(state, index, now) for state in self.indexers))

    async def search(
        self,
        wanted: WantedEpisode,
        title: str,
        ids: dict[str, str],
        anime: bool,
        now: datetime,
        *,
        manual: bool = False,
    ) -> list[Asked]:
        """A targeted search on every indexer with budget: what became of each."""
        index = EpisodeIndex([wanted])

        async def one(state: IndexerState) -> Asked:
            params: dict[str, str | int] = {}
            mode = state.caps.tv_mode
            if anime and wanted.absolute is not None:
                params["q"] = f"{title} {wanted.absolute}"
            elif mode == "search":  # a query alone: "Title S05E02"
                params["q"] = f"{title} S{wanted.season or 0:02d}E{wanted.episode or 0:02d}"
            else:
                params |= {"season": wanted.season or 0, "ep": wanted.episode or 0}
                for source, param in (
                    ("tvdb", "tvdbid"),
                    ("tvmaze", "tvmazeid"),
                    ("imdb", "imdbid"),
                    ("tmdb", "tmdbid"),
                ):
                    if source in ids and state.caps.supports("tvsearch", param):
                        params[param] = ids[source]
                        break
                else:
                    params["q"] = title
            items = await self.request(state, now, params, mode, manual=manual)
            if items is not None:
                self._collect(items, index, same_show=True)
                return Asked(state.client.name, "asked")
            if state.waiting(now):
                reserve = 0.0 if manual else MANUAL_RESERVE
                return Asked(state.client.name, "waiting", state.bucket.ready_at(now, reserve))
            return Asked(state.client.name, "failed")

        return list(await asyncio.gather(*(one(state) for state in self.indexers)))

    def search_error(self, name: str) -> str | None:
        """Why the indexer ``name``'s last search failed (None: it worked)."""
        return next((s.error for s in self.indexers if s.client.name == name), None)

    def feed_trusted(self, since: datetime) -> bool:
        """Whether every indexer answered every request since ``since`` (nothing was missed)."""
        return all(state.failed_at is None or state.failed_at < since for state in self.indexers)

    def candidates(self, key: str) -> list[Candidate]:
        """Everything collected for one episode."""
        return [candidate for candidate, _ in self.pools.get(key, {}).values()]

    def item(self, key: str, candidate: Candidate) -> TorznabItem | None:
        """The indexer item behind a candidate (its link and magnet, for the grab), by info
        hash (two releases may share a name)."""
        return next(
            (
                item
                for known, item in self.pools.get(key, {}).values()
                if (known.infohash or known.name) == (candidate.infohash or candidate.name)
            ),
            None,
        )

    def forget(self, key: str) -> None:
        """An episode is done: drop its pool."""
        self.pools.pop(key, None)
