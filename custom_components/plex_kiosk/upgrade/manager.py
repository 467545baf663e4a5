"""Library quality for one config entry: library scans, upgrade searches, candidates, apply."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from ..acquire.importer import local_path
from ..acquire.pipeline import Acquirer, Hooks
from ..acquire.search import ReleaseSearch
from ..clients.bundle import Connections
from ..clients.errors import ClientError
from ..clients.torznab import TorznabItem
from ..const import (
    CONF_RECYCLE_DAYS,
    CONF_UPGRADE_BUDGET,
    CONF_UPGRADE_SEEDERS,
    EVENT_UPGRADE_AVAILABLE,
)
from ..engine.naming import printable
from ..engine.selection import Reason, normalize_title
from ..errors import ActionError, ServiceDown
from ..models import (
    CandidateStatus,
    StoreData,
    UpgradeCandidate,
    encode,
)
from .finder import UpgradeFinder, gigabytes, no_room
from .library import LibraryInventory, Section, reachable
from .replace import free_space
from .swaps import LibrarySaver, UpgradeSwaps

_LOGGER = logging.getLogger(__name__)


class UpgradeManager:
    """Keeps the profiles, finds upgrades, applies them through the acquire pipeline."""

    def __init__(
        self,
        hooks: Hooks,
        *,
        conns: Connections,
        data: StoreData,
        store: LibrarySaver,
        acquirer: Acquirer,
        options: dict[str, Any],
        sections: list[Section],
        path_map: dict[str, str],
        executor: Callable[..., Any],
        releases: ReleaseSearch,
    ) -> None:
        """Its downloads, once complete, are :class:`UpgradeSwaps`' to verify and swap."""
        self.hooks = hooks
        self.conns = conns
        self.data = data
        self.store = store
        self.acquirer = acquirer
        self.options = options
        self.local_path = partial(local_path, path_map)
        self._run = executor
        self.library = LibraryInventory(conns.plex, data, sections, self.local_path, executor)
        self.finder = UpgradeFinder(
            data, releases, self._free_space, int(options[CONF_UPGRADE_SEEDERS])
        )
        self.swaps = UpgradeSwaps(
            hooks,
            data=data,
            store=store,
            acquirer=acquirer,
            local_path=self.local_path,
            executor=executor,
            recycle_days=int(options[CONF_RECYCLE_DAYS]),
        )
        for candidate in data.candidates.values():  # stored by a version that kept the key
            if client := releases.client(candidate.indexer):
                candidate.link = client.redact(candidate.link)

    async def _free_space(self) -> int:
        free: int = await self._run(free_space, Path(self.acquirer.grabber.save_path))
        return free

    # --- scans ---------------------------------------------------------------------------

    async def scan_library(self, now: datetime, *, full: bool) -> dict[str, Any]:
        """Profiles for every item of the sections (only changed ones unless ``full``)."""
        try:
            scan = await self.library.scan(now, full=full)
        except ClientError as err:
            raise ServiceDown(err.service, err.detail) from err
        finally:  # what was read before an outage is kept
            await self.store.async_save_library(self.data)
        result: dict[str, Any] = encode(scan)
        return result | {"audio_classes": self.audio_classes()}

    def audio_classes(self) -> dict[str, int]:
        """How many library items are MULTI, VF, VOSTFR, VO."""
        return dict(Counter(p.audio_class for p in self.data.profiles.values()))

    async def scan_upgrades(
        self,
        now: datetime,
        budget: int | None = None,
        language: str = "en",
        title: str | None = None,
    ) -> dict[str, Any]:
        """Search what the rules want (of the library items called ``title``) within the
        budget; announce (or apply) what qualifies; the answer in ``language``."""
        keys = None if title is None else self.keys_of(title)
        scan = await self.finder.scan(now, budget or int(self.options[CONF_UPGRADE_BUDGET]), keys)
        await self.store.async_save_library(self.data)  # when each item was last searched
        found = scan.found
        for candidate in found:
            if candidate.status != CandidateStatus.AVAILABLE:
                continue
            rule = self.data.rules[candidate.rule_id]
            self.hooks.fire(
                EVENT_UPGRADE_AVAILABLE, candidate.event() | {"auto_apply": rule.auto_apply}
            )
            if rule.auto_apply:
                try:
                    await self.apply(candidate.id, now)
                except ActionError as err:  # no room, file unreachable: stays proposed
                    candidate.reason = Reason(
                        "not_applied",
                        f"not applied automatically: {err.key}",
                        f"pas appliquée automatiquement : {err.key}",
                    )
                    _LOGGER.warning(
                        "Upgrade of %s not applied: %s", printable(candidate.title), err.key
                    )
        return {
            "searched": scan.searched,
            "indexer_requests": scan.searches,
            "left_for_next_run": scan.left,
            "indexers_wait_until": scan.waiting_until.isoformat() if scan.waiting_until else None,
            "candidates": [c.public(language) for c in found],
        }

    def keys_of(self, title: str) -> set[str]:
        """The library items whose title holds ``title`` (accents and case aside)."""
        wanted = normalize_title(title)
        return {k for k, p in self.data.profiles.items() if wanted in normalize_title(p.title)}

    def available(self) -> list[UpgradeCandidate]:
        """Candidates waiting for a decision, the biggest gain first."""
        return sorted(
            (c for c in self.data.candidates.values() if c.status == CandidateStatus.AVAILABLE),
            key=lambda c: -c.gain,
        )

    # --- apply ---------------------------------------------------------------------------

    def waiting(self, candidate_id: str) -> UpgradeCandidate:
        """A candidate still waiting for a decision (available, or blocked for room)."""
        candidate = self.data.candidates.get(candidate_id)
        if candidate is None:
            raise ActionError("unknown_candidate", candidate_id=candidate_id)
        if candidate.status not in (CandidateStatus.AVAILABLE, CandidateStatus.BLOCKED):
            raise ActionError("candidate_not_available", status=candidate.status)
        return candidate

    def dismiss(self, candidate_id: str, now: datetime) -> UpgradeCandidate:
        """The user does not want this release: it is not proposed again."""
        candidate = self.waiting(candidate_id)
        candidate.status, candidate.updated_at = CandidateStatus.DISMISSED, now
        return candidate

    async def apply(self, candidate_id: str, now: datetime) -> UpgradeCandidate:
        """Grab a candidate (checked like any grab); it is verified once downloaded."""
        candidate = self.waiting(candidate_id)
        files = [p.file or "" for k in candidate.rating_keys if (p := self.data.profiles.get(k))]
        seen: list[bool] = await self._run(reachable, [self.local_path(f) for f in files])
        if not all(seen):  # nothing to replace: no point downloading
            raise ActionError("library_file_unreachable", path=files[seen.index(False)])
        free = await self._free_space()
        candidate.updated_at = now
        if candidate.size > free:
            candidate.status = CandidateStatus.BLOCKED
            candidate.reason = no_room(candidate.size, free)
            raise ActionError("no_space", needed=gigabytes(candidate.size), free=gigabytes(free))
        item = TorznabItem(
            indexer=candidate.indexer or "",
            title=candidate.release_name,
            guid=candidate.infohash,
            link=candidate.link,
            magnet=candidate.magnet,
            infohash=candidate.infohash,
            size=candidate.size,
            seeders=candidate.seeders,
            published=None,
        )
        indexer = self.finder.releases.client(candidate.indexer)
        result = await self.acquirer.grabber.grab(item, indexer, "upgrade", candidate.id, now)
        candidate.status = CandidateStatus.DOWNLOADING if result.ok else CandidateStatus.FAILED
        candidate.reason = (
            None
            if result.reason is None
            else Reason(
                "not_grabbed", f"not grabbed: {result.reason}", f"non prise : {result.reason}"
            )
        )
        return candidate
