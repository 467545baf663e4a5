"""Which TMDB collection each movie of the library belongs to, and what each collection
holds: read within a request budget per report, a few at a time, and kept — a movie's
collection never changes, a collection's movies are read again after :data:`REFRESH`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from ..clients.errors import ClientError
from ..clients.tmdb import TMDBClient
from ..models import MovieCollection, StoreData

_LOGGER = logging.getLogger(__name__)
BUDGET = 120  # TMDB requests one report may send (TMDB allows about 50 a second)
AT_ONCE = 8
REFRESH = timedelta(days=30)


async def _some[T](calls: list[Callable[[], Awaitable[T]]]) -> list[T | None]:
    """Every call, ``AT_ONCE`` at a time; a failed one gives None (tried at the next report)."""

    async def one(call: Callable[[], Awaitable[T]]) -> T | None:
        try:
            return await call()
        except ClientError as err:
            _LOGGER.debug("TMDB collection lookup failed: %s", err.detail)
            return None

    answers: list[T | None] = []
    for start in range(0, len(calls), AT_ONCE):
        answers += await asyncio.gather(*(one(c) for c in calls[start : start + AT_ONCE]))
    return answers


async def read(
    tmdb: TMDBClient, data: StoreData, movies: Iterable[int], now: datetime, budget: int = BUDGET
) -> int:
    """Learn the collections of ``movies`` (TMDB ids); how many movies are still unknown."""
    unknown = [m for m in dict.fromkeys(movies) if str(m) not in data.movie_collections]
    asked = unknown[:budget]
    for movie, collection in zip(
        asked, await _some([_bind(tmdb.collection_of, m) for m in asked]), strict=True
    ):
        if collection is not None:  # 0: in no collection
            data.movie_collections[str(movie)] = collection
    left = budget - len(asked)
    wanted = {c for c in data.movie_collections.values() if c}
    stale = [
        c
        for c in sorted(wanted)
        if str(c) not in data.collections or now - data.collections[str(c)].fetched_at > REFRESH
    ][: max(left, 0)]
    for collection, answer in zip(
        stale, await _some([_bind(tmdb.collection, c) for c in stale]), strict=True
    ):
        if answer is not None:
            name, parts = answer
            data.collections[str(collection)] = MovieCollection(
                collection, name, [[p.tmdb_id, p.title, p.released] for p in parts], now
            )
    return sum(1 for m in unknown if str(m) not in data.movie_collections)


def _bind(func: Callable[[int], Awaitable[Any]], value: int) -> Callable[[], Awaitable[Any]]:
    return lambda: func(value)
