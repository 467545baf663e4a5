"""Find upgrades: search the indexers for what the rules want, within a per-run budget."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from homeassistant.util.ulid import ulid_now

from ..acquire.search import Found, IndexerState, Query, ReleaseSearch
from ..clients.torznab import TorznabItem, search_query
from ..engine.quality import Preferences, Quality
from ..engine.selection import Ranked, Reason, Wanted
from ..engine.upgrade import UpgradeVerdict, evaluate_upgrade
from ..models import CandidateStatus, MediaQualityProfile, StoreData, UpgradeCandidate, UpgradeRule
from .rules import engine_rule, wants

PACK_MIN = 3  # qualifying episodes of one season that make a season-pack search
OPEN = frozenset({CandidateStatus.AVAILABLE, CandidateStatus.DOWNLOADING})
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Target:
    """One search: a movie, an episode, or a season pack for several episodes."""

    rules: tuple[UpgradeRule, ...]
    profiles: tuple[MediaQualityProfile, ...]
    pack: bool = False

    @property
    def searched_at(self) -> datetime:
        """When one of its items was last searched (never: the earliest time)."""
        return min(p.searched_at or _NEVER for p in self.profiles)

    @property
    def priority(self) -> int:
        """The position of the first rule that wants one of its items."""
        return next(i for i, r in enumerate(self.rules) if any(wants(r, p) for p in self.profiles))

    def preferences(self, min_seeders: int) -> Preferences:
        """Rank releases at the resolution wanted: a video rule's target, else the file's."""
        resolutions = [r.target for r in self.rules if r.target in ("1080p", "2160p")]
        resolutions.append("2160p" if self.first.resolution == "2160p" else "1080p")
        quality: Quality = "2160p" if "2160p" in resolutions else "1080p"
        return Preferences(quality=quality, min_score=0, min_seeders=min_seeders)

    @property
    def first(self) -> MediaQualityProfile:
        """The item that names the search."""
        return self.profiles[0]

    @property
    def label(self) -> str:
        """``Dune (2021)``, ``Slow Horses S05E02`` or ``Slow Horses S05``."""
        if self.pack:
            return f"{self.first.title} S{self.first.season:02d}"
        return self.first.label

    def wanted(self) -> Wanted:
        """What the engine must match."""
        titles = tuple(t for t in (self.first.title, self.first.original_title) if t)
        ids = self.first.ids
        if self.first.season is None:
            return Wanted(titles=titles, kind="movie", year=self.first.year, ids=ids)
        if self.pack:
            return Wanted(titles=titles, kind="season", season=self.first.season, ids=ids)
        return Wanted(titles=titles, season=self.first.season, episode=self.first.episode, ids=ids)


@dataclass
class UpgradeScan:
    """What a scan did."""

    searched: int = 0
    searches: int = 0
    left: int = 0
    waiting_until: datetime | None = None  # every indexer's budget spent until then
    found: list[UpgradeCandidate] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Picked:
    """The release chosen for a target, under which rule, for which items."""

    item: TorznabItem
    rule: UpgradeRule
    verdict: UpgradeVerdict
    keys: list[str]


def gigabytes(size: int) -> str:
    """``9.0 GB``."""
    return f"{size / 1e9:.1f} GB"


def no_room(size: int, free: int) -> Reason:
    """Why a release cannot be downloaded here."""
    needed, left = gigabytes(size), gigabytes(free)
    return Reason(
        "no_room",
        f"not enough free disk space: {needed} needed, {left} free",
        f"pas assez de place sur le disque : {needed} nécessaires, {left} libres",
    )


class UpgradeFinder:
    """Turns rules and profiles into stored upgrade candidates."""

    def __init__(
        self,
        data: StoreData,
        releases: ReleaseSearch,
        free_space: Callable[[], Awaitable[int]],
        min_seeders: int,
    ) -> None:
        """``free_space`` says how many bytes the download folder can still take."""
        self.data = data
        self.releases = releases
        self.free_space = free_space
        self.min_seeders = min_seeders

    def _covered(self) -> set[str]:
        return {
            key for c in self.data.candidates.values() if c.status in OPEN for key in c.rating_keys
        }

    def targets(self, keys: Collection[str] | None = None) -> list[Target]:
        """What the rules want searched (of the items ``keys``, when given): the least
        recently searched first, then by the order of the rules that want it (VOSTFR → MULTI
        before x264 → HEVC)."""
        covered = self._covered()
        rules = [r for r in self.data.rules.values() if r.enabled]
        profiles = sorted(
            (
                p
                for p in self.data.profiles.values()
                if p.rating_key not in covered and (keys is None or p.rating_key in keys)
            ),
            key=lambda p: (p.searched_at or _NEVER, p.title, p.season or 0, p.episode or 0),
        )
        targets: list[Target] = []
        seasons: dict[tuple[str, int], list[MediaQualityProfile]] = defaultdict(list)
        for profile in profiles:
            if not any(wants(r, profile) for r in rules):
                continue
            if profile.season is None or profile.show_key is None:
                targets.append(Target(tuple(rules), (profile,)))
            else:
                seasons[(profile.show_key, profile.season)].append(profile)
        for episodes in seasons.values():
            if len(episodes) >= PACK_MIN:
                targets.append(Target(tuple(rules), tuple(episodes), pack=True))
            else:
                targets.extend(Target(tuple(rules), (episode,)) for episode in episodes)
        return sorted(targets, key=lambda t: (t.searched_at, t.priority))

    @staticmethod
    def _query(state: IndexerState, target: Target) -> Query:
        first = target.first
        return search_query(
            first.ids,
            first.title,
            year=first.year,
            season=first.season,
            episode=None if target.pack else first.episode,
            caps=state.caps,
        )

    async def scan(
        self, now: datetime, budget: int, keys: Collection[str] | None = None
    ) -> UpgradeScan:
        """Search targets (of the items ``keys``) until the budget (indexer requests) is
        spent; store what qualifies.
        An indexer out of its own budget, or that asked to wait, is not asked: its items are
        not marked as searched."""
        result = UpgradeScan()
        dismissed = {
            c.infohash
            for c in self.data.candidates.values()
            if c.status == CandidateStatus.DISMISSED
        }
        targets = self.targets(keys)
        cost = max(1, len(self.releases.indexers))
        free: int | None = None
        for index, target in enumerate(targets):
            if result.searches + cost > budget:
                result.left = len(targets) - index
                break
            found = await self.releases.ask(partial(self._query, target=target), now)
            waiting = [a.until for a in found.asked if a.until]
            if len(waiting) == len(found.asked):  # every indexer out of budget: stop here
                result.left = len(targets) - index
                result.waiting_until = min(waiting, default=None)
                break
            result.searched += 1
            result.searches += cost
            for profile in target.profiles if found.answered else ():
                profile.searched_at = now
            picked = await self._pick(target, found, now)
            if picked is None or (picked.item.infohash or "").lower() in dismissed:
                continue
            if free is None:
                free = await self.free_space()
            result.found.append(self._store(target, picked, free, now))
        return result

    async def _pick(self, target: Target, found: Found, now: datetime) -> Picked | None:
        """The best release that meets a rule, with the rule of the biggest gain and the
        items it upgrades; the decision is kept only when one does."""
        if not found.items:
            return None
        decision = await self.releases.choose(
            found.candidates(), target.wanted(), target.preferences(self.min_seeders)
        )
        picked = next(
            (
                picked
                for ranked in decision.survivors
                if (picked := self._meets(target, ranked, found.item(ranked.candidate)))
            ),
            None,
        )
        if picked:
            key = f"upgrade:{target.first.rating_key}"
            record = self.releases.remember(
                key, f"{target.label}: {picked.rule.name}", decision, now
            )
            record.chosen = picked.item.title
        return picked

    def _meets(self, target: Target, ranked: Ranked, item: TorznabItem) -> Picked | None:
        met = [
            (rule, profile, verdict)
            for rule in target.rules
            for profile in target.profiles
            if wants(rule, profile)
            and (
                verdict := evaluate_upgrade(
                    profile.quality,
                    ranked.release,
                    ranked.candidate.seeders,
                    engine_rule(rule, self.min_seeders),
                )
            ).met
        ]
        if not met:
            return None
        rule, _, verdict = max(met, key=lambda m: m[2].gain)
        return Picked(item, rule, verdict, [p.rating_key for r, p, _ in met if r is rule])

    def _store(self, target: Target, picked: Picked, free: int, now: datetime) -> UpgradeCandidate:
        item, verdict = picked.item, picked.verdict
        infohash = (item.infohash or "").lower()
        for old in [c for c in self.data.candidates.values() if c.infohash == infohash]:
            del self.data.candidates[old.id]  # found again (a blocked one may fit now)
        candidate = UpgradeCandidate(
            id=ulid_now(),
            rule_id=picked.rule.id,
            rating_keys=picked.keys,
            title=target.label,
            release_name=item.title,
            infohash=infohash,
            indexer=item.indexer,
            link=item.link,
            magnet=item.magnet,
            size=item.size,
            seeders=item.seeders,
            current_score=verdict.current_score,
            new_score=verdict.new_score,
            season=target.first.season if target.pack else None,
            found_at=now,
        )
        if item.size > free:
            candidate.status = CandidateStatus.BLOCKED
            candidate.reason = no_room(item.size, free)
        self.data.candidates[candidate.id] = candidate
        return candidate
