"""Scan the Plex sections into quality profiles: paged listings, batched metadata, probes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..clients.errors import BadResponse
from ..clients.plex import PlexClient, PlexItem
from ..clients.probe import MediaProbe, probe
from ..models import StoreData
from .profiles import build_profile

PAGE_SIZE = 500  # items per listing request
BATCH_SIZE = 100  # items per metadata request (their streams)
PROBES_AT_ONCE = 4
REQUESTS_AT_ONCE = 2  # metadata requests in flight: Plex answers them from its database
MOVIE, SHOW, EPISODE = 1, 2, 4


@dataclass(frozen=True, slots=True)
class Section:
    """A Plex section Plex Kiosk looks after, and what it holds (movie, series or anime)."""

    key: str
    media_type: str


@dataclass
class LibraryScan:
    """What a scan did."""

    items: int = 0
    fetched: int = 0
    probed: int = 0
    removed: int = 0
    plex_requests: int = 0


def reachable(paths: list[Path | None]) -> list[bool]:
    """Which files Home Assistant can see (blocking: one executor job for a whole batch)."""
    return [path is not None and path.is_file() for path in paths]


def probe_if_reachable(path: Path) -> MediaProbe | None:
    """Probe the file when Home Assistant can read it (blocking: runs in the executor)."""
    try:
        return probe(path) if path.is_file() else None
    except (BadResponse, OSError):
        return None


class LibraryInventory:
    """Keeps ``data.profiles`` in step with the Plex sections of one config entry."""

    def __init__(
        self,
        plex: PlexClient,
        data: StoreData,
        sections: list[Section],
        local_path: Callable[[str], Path],
        executor: Callable[..., Any],
    ) -> None:
        """``local_path`` maps a path Plex knows to the path Home Assistant sees."""
        self.plex = plex
        self.data = data
        self.sections = sections
        self.local_path = local_path
        self._run = executor
        self._probes = asyncio.Semaphore(PROBES_AT_ONCE)
        self._requests = asyncio.Semaphore(REQUESTS_AT_ONCE)

    async def _pages(
        self, section: str, plex_type: int, scan: LibraryScan
    ) -> AsyncIterator[list[PlexItem]]:
        start, total = 0, 1
        while start < total:
            page = await self.plex.page(section, plex_type, start, PAGE_SIZE)
            scan.plex_requests += 1
            if not page.items:
                return
            total, start = page.total, start + len(page.items)
            yield page.items

    async def _probe(self, path: Path | None) -> MediaProbe | None:
        if path is None:
            return None
        async with self._probes:
            result: MediaProbe | None = await self._run(probe_if_reachable, path)
            return result

    async def _fetch(
        self,
        section: Section,
        keys: list[str],
        shows: dict[str, PlexItem],
        scan: LibraryScan,
        now: datetime,
    ) -> None:
        """One metadata request for ``keys``, then their profiles (probing what is reachable)."""
        async with self._requests:
            items = await self.plex.metadata(keys)
        scan.plex_requests += 1
        paths = [self.local_path(item.file) if item.file else None for item in items]
        seen: list[bool] = await self._run(reachable, paths)
        probes = await asyncio.gather(
            *(self._probe(path if ok else None) for path, ok in zip(paths, seen, strict=True))
        )
        for item, probed in zip(items, probes, strict=True):
            self.data.profiles[item.rating_key] = build_profile(
                item,
                media_type=section.media_type,
                section=section.key,
                show=shows.get(item.show_key or ""),
                probed=probed,
                now=now,
            )
            scan.fetched += 1
            scan.probed += probed is not None

    def _unchanged(self, item: PlexItem, full: bool) -> bool:
        known = self.data.profiles.get(item.rating_key)
        return not full and known is not None and known.fingerprint == item.fingerprint

    async def scan(self, now: datetime, *, full: bool = False) -> LibraryScan:
        """Every item of every section; only new or changed ones are fetched unless ``full``.

        Items Plex no longer lists are forgotten once every listing has been read."""
        scan = LibraryScan()
        seen: set[str] = set()
        fetches: list[asyncio.Task[None]] = []  # metadata batches, while the listing goes on
        try:
            for section in self.sections:
                shows: dict[str, PlexItem] = {}
                if section.media_type != "movie":
                    async for page in self._pages(section.key, SHOW, scan):
                        shows.update((show.rating_key, show) for show in page)
                pending: list[str] = []
                async for page in self._pages(
                    section.key, MOVIE if section.media_type == "movie" else EPISODE, scan
                ):
                    for item in page:
                        seen.add(item.rating_key)
                        if not self._unchanged(item, full):
                            pending.append(item.rating_key)
                    while len(pending) >= BATCH_SIZE:
                        batch, pending = pending[:BATCH_SIZE], pending[BATCH_SIZE:]
                        fetches.append(
                            asyncio.create_task(self._fetch(section, batch, shows, scan, now))
                        )
                if pending:
                    fetches.append(
                        asyncio.create_task(self._fetch(section, pending, shows, scan, now))
                    )
            await asyncio.gather(*fetches)
        finally:  # an error stops the other batches; every task is awaited
            for task in fetches:
                task.cancel()
            await asyncio.gather(*fetches, return_exceptions=True)
        keys = {section.key for section in self.sections}
        gone = [k for k, p in self.data.profiles.items() if p.section in keys and k not in seen]
        for key in gone:
            del self.data.profiles[key]
        scan.items, scan.removed = len(seen), len(gone)
        return scan
