"""Release watching for followed episodes: feeds first, then targeted searches, each
indexer's items kept per wanted episode until it is chosen."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from ..acquire.search import Asked, IndexerState, Query, ReleaseSearch, candidate_of, item_key
from ..clients.torznab import TV_CATEGORIES, TorznabItem
from ..engine.matching import EpisodeIndex, WantedEpisode
from ..engine.release import Release, parse_release
from ..engine.selection import Candidate

MAX_FEED_PAGES = 5


@lru_cache(maxsize=4096)
def parsed(title: str) -> Release:
    """Parse once per release name (feeds repeat the same names poll after poll)."""
    return parse_release(title)


def episode_query(
    state: IndexerState, wanted: WantedEpisode, title: str, ids: dict[str, str], anime: bool
) -> Query:
    """How one indexer is asked for one episode: by absolute number for anime, a query
    ``Title S05E02`` where only plain search exists, else season and episode with the first
    id it supports (the title when none)."""
    mode = state.caps.tv_mode
    params: dict[str, str | int] = {}
    if anime and wanted.absolute is not None:
        params["q"] = f"{title} {wanted.absolute}"
    elif mode == "search":
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
    return mode, TV_CATEGORIES, params


@dataclass
class ReleaseWatcher:
    """Collects candidates per wanted episode from feeds and targeted searches."""

    releases: ReleaseSearch
    pools: dict[str, dict[str, tuple[Candidate, TorznabItem]]] = field(default_factory=dict)

    def _collect(
        self, items: list[TorznabItem], index: EpisodeIndex, *, same_show: bool = False
    ) -> None:
        """Feed items go to the episodes they hold; a targeted search's to its episode as soon
        as the show matches, so that the engine can say why a wrong episode lost."""
        for item in items:
            release = parsed(item.title)
            key = item_key(item)
            for wanted in index.same_show(release) if same_show else index.match(release):
                pool = self.pools.setdefault(wanted.key, {})
                if key not in pool or (pool[key][0].seeders or 0) < (item.seeders or 0):
                    pool[key] = (candidate_of(item), item)

    async def _poll_feed(self, state: IndexerState, index: EpisodeIndex, now: datetime) -> None:
        """Page back to the last item already seen (one page on the first poll)."""
        newest = None
        for page in range(MAX_FEED_PAGES if state.last_seen else 1):
            size = state.caps.page_size
            items = await self.releases.request(
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
        await asyncio.gather(
            *(self._poll_feed(state, index, now) for state in self.releases.indexers)
        )

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
        found = await self.releases.ask(
            lambda state: episode_query(state, wanted, title, ids, anime), now, manual=manual
        )
        self._collect(list(found.items.values()), EpisodeIndex([wanted]), same_show=True)
        return found.asked

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
