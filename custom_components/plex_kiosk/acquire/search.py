"""One way to find and take a release, for follows, requests and upgrade scans alike.

Every indexer is asked within its request budget (a 429 pauses it for everyone); the engine
filters and ranks; an optional re-ranker (the AI agent) may reorder the survivors — it is
awaited between the engine's ranking and the final order, and can never revive a rejected
release; the decision is recorded with who decided; the first survivor that passes the
grab's checks is taken."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from ..clients.errors import ClientError, RateLimited
from ..clients.torznab import TV_CATEGORIES, IndexerCaps, TorznabClient, TorznabItem
from ..const import (
    CONF_INDEXER_CAPS,
    CONF_INDEXER_NAME,
    CONF_INDEXERS,
    CONF_MIN_SCORE,
    CONF_MIN_SEEDERS,
    CONF_SEASON_PACKS,
    DEFAULT_OPTIONS,
)
from ..engine.quality import Preferences
from ..engine.schedule import TokenBucket
from ..engine.selection import Candidate, Decision, Opinion, Ranked, Wanted, decide, rank
from ..models import DecisionRecord, StoreData, candidates_of

_LOGGER = logging.getLogger(__name__)
BUDGET_CAPACITY = 40.0  # requests in a burst, per indexer (a household's busy evening)
BUDGET_PER_HOUR = 30.0  # sustained requests per hour, per indexer
MANUAL_RESERVE = 5.0  # requests automatic searches leave for an admin's search by hand

Query = tuple[str, tuple[int, ...], dict[str, str | int]]  # mode, categories, parameters


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
        ids={key.removesuffix("id"): value for key, value in item.ids.items()},
    )


def item_key(item: TorznabItem) -> str:
    """One candidate per torrent, whichever indexer lists it."""
    return item.infohash or item.guid


@dataclass
class IndexerState:
    """What is remembered of one indexer between searches."""

    client: TorznabClient
    caps: IndexerCaps
    bucket: TokenBucket
    last_seen: str | None = None  # the newest feed item read
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
class Found:
    """A search's items (one per torrent) and what became of each indexer's part."""

    items: dict[str, TorznabItem]
    asked: list[Asked]

    @property
    def answered(self) -> bool:
        """Whether at least one indexer answered."""
        return any(a.outcome == "asked" for a in self.asked)

    def candidates(self) -> list[Candidate]:
        """The items as the engine's candidates."""
        return [candidate_of(item) for item in self.items.values()]

    def item(self, candidate: Candidate) -> TorznabItem:
        """The item behind one of :meth:`candidates`."""
        if candidate.infohash:
            return self.items[candidate.infohash]
        return next(item for item in self.items.values() if item.title == candidate.name)


class Reranker(Protocol):
    """A second opinion on the engine's order (the AI agent): an order with its reason, a
    reason alone (it advises), or None when it has no usable answer."""

    @property
    def name(self) -> str:
        """Who re-ranks (the model's name)."""

    async def rerank(
        self, wanted: Wanted, survivors: Sequence[Ranked], preferences: Preferences
    ) -> Opinion | None:
        """Reorder ``survivors`` for ``wanted`` and ``preferences``."""


class ReleaseSearch:
    """The indexers as one: budgets, searches, decisions and grabs."""

    def __init__(
        self, indexers: list[IndexerState], data: StoreData, options: Mapping[str, Any]
    ) -> None:
        """``options`` are the entry's (the engine's thresholds come from them)."""
        self.indexers = indexers
        self.data = data
        self.options = {**DEFAULT_OPTIONS, **options}
        self.reranker: Reranker | None = None

    @classmethod
    def create(
        cls,
        clients: Iterable[TorznabClient],
        data: StoreData,
        options: Mapping[str, Any],
        now: datetime,
    ) -> ReleaseSearch:
        """One state per indexer, its capabilities from the options, its budget full."""
        caps = {
            conf[CONF_INDEXER_NAME]: IndexerCaps.from_dict(conf.get(CONF_INDEXER_CAPS, {}))
            for conf in options.get(CONF_INDEXERS, [])
        }
        states = [
            IndexerState(
                client,
                caps.get(client.name, IndexerCaps({}, {})),
                TokenBucket.full(BUDGET_CAPACITY, BUDGET_PER_HOUR, now),
            )
            for client in clients
        ]
        return cls(states, data, options)

    @property
    def requests(self) -> int:
        """Requests sent to indexers so far."""
        return sum(state.requests for state in self.indexers)

    def client(self, name: str | None) -> TorznabClient | None:
        """The indexer called ``name``."""
        return next((s.client for s in self.indexers if s.client.name == name), None)

    def search_error(self, name: str) -> str | None:
        """Why the indexer ``name``'s last search failed (None: it worked)."""
        return next((s.error for s in self.indexers if s.client.name == name), None)

    def feed_trusted(self, since: datetime) -> bool:
        """Whether every indexer answered every request since ``since`` (nothing was missed)."""
        return all(state.failed_at is None or state.failed_at < since for state in self.indexers)

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

    async def ask(
        self, query: Callable[[IndexerState], Query], now: datetime, *, manual: bool = False
    ) -> Found:
        """Every indexer at once, each with its own form of the query."""

        async def one(state: IndexerState) -> tuple[list[TorznabItem], Asked]:
            mode, categories, params = query(state)
            items = await self.request(state, now, params, mode, categories, manual=manual)
            if items is not None:
                return items, Asked(state.client.name, "asked")
            if state.waiting(now):
                reserve = 0.0 if manual else MANUAL_RESERVE
                return [], Asked(state.client.name, "waiting", state.bucket.ready_at(now, reserve))
            return [], Asked(state.client.name, "failed")

        answers = await asyncio.gather(*(one(state) for state in self.indexers))
        items: dict[str, TorznabItem] = {}
        for found, _ in answers:  # listed by several indexers: the one with most seeders
            for item in found:
                known = items.get(item_key(item))
                if known is None or (known.seeders or 0) < (item.seeders or 0):
                    items[item_key(item)] = item
        return Found(items, [asked for _, asked in answers])

    def preferences(self, quality: str, language: str, dub: str) -> Preferences:
        """What a follow or a request wants, with the options' thresholds."""
        return Preferences(
            quality=quality,  # type: ignore[arg-type]
            language=language,  # type: ignore[arg-type]
            dub=dub,  # type: ignore[arg-type]
            min_score=int(self.options[CONF_MIN_SCORE]),
            min_seeders=int(self.options[CONF_MIN_SEEDERS]),
            season_packs=bool(self.options[CONF_SEASON_PACKS]),
        )

    async def choose(
        self, candidates: Sequence[Candidate], wanted: Wanted, preferences: Preferences
    ) -> Decision:
        """The engine's ranking, reordered by the re-ranker when there is one and more than
        one survivor; a re-ranker that fails leaves the engine's order (and says so), one that
        only advises leaves it too, its reason kept."""
        ranking = rank(candidates, wanted, preferences, blocklist=frozenset(self.data.blocklist))
        reranker = self.reranker
        if reranker is None or len(ranking.survivors) <= 1:  # nothing to reorder
            return decide(ranking, preferences)
        try:
            opinion = await reranker.rerank(wanted, ranking.survivors, preferences)
        except (ClientError, TimeoutError, ValueError) as err:
            _LOGGER.warning("%s could not re-rank: %s", reranker.name, err)
            opinion = None
        if opinion is None:
            return decide(ranking, preferences, None, reranker.name)
        if opinion.order is None:
            decision = decide(ranking, preferences)
        else:
            decision = decide(ranking, preferences, opinion.order, reranker.name)
        return replace(decision, advice=opinion.reason)

    async def decide(
        self,
        candidates: Sequence[Candidate],
        wanted: Wanted,
        preferences: Preferences,
        *,
        record_id: str,
        subject: str,
        now: datetime,
    ) -> tuple[Decision, DecisionRecord]:
        """:meth:`choose`, recorded (:meth:`remember`)."""
        decision = await self.choose(candidates, wanted, preferences)
        return decision, self.remember(record_id, subject, decision, now)

    def remember(
        self, record_id: str, subject: str, decision: Decision, now: datetime
    ) -> DecisionRecord:
        """Keep a decision so that the user can see why: every candidate, its score and
        reason, who decided (the engine, or the re-ranker's name) and why the engine did when
        the re-ranker failed."""
        reranker = self.reranker
        record = DecisionRecord(
            id=record_id,
            subject=subject,
            chosen=decision.chosen.candidate.name if decision.chosen else None,
            candidates=candidates_of(decision.ranked),
            model=decision.reranked_by or (reranker.name if reranker and decision.advice else None),
            decided_by="model" if decision.reranked_by else "engine",
            advice=decision.advice,
            explanation=" ".join(note.en for note in decision.notes) or None,
            at=now,
        )
        self.data.decisions[record.id] = record
        return record

    @staticmethod
    async def take_first(
        decision: Decision,
        record: DecisionRecord,
        grab: Callable[[Ranked], Awaitable[bool]],
    ) -> Ranked | None:
        """Grab the survivors in order until one passes; the record names it (or nothing)."""
        for ranked in decision.survivors:
            if await grab(ranked):
                record.chosen = ranked.candidate.name
                return ranked
        record.chosen = None
        return None
