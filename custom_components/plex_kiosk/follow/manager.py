"""The follow actions: follow, unfollow, update, check now, search one episode by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.util import dt as dt_util
from homeassistant.util.ulid import ulid_now

from ..acquire import lookup
from ..acquire.pipeline import Acquirer
from ..acquire.search import Asked, ReleaseSearch
from ..clients.bundle import Connections
from ..const import DEFAULT_OPTIONS
from ..engine.selection import Decision, normalize_title
from ..errors import ActionError
from ..models import EpisodeRelease, SeriesFollow, StoreData, encode
from .cycle import FollowHooks, Saver, WatchCycle
from .views import describe, describe_all, episode_label, episodes_of, why_empty


def _not_watched(
    follow: SeriesFollow,
    episodes: list[EpisodeRelease],
    season: int | None,
    episode: int | None,
    absolute: int | None,
) -> ActionError:
    """Why an episode is not in a follow's calendar: before what its monitoring watches, or
    not announced (or not existing)."""
    if absolute is not None:
        label = str(absolute)
        earlier = all(e.absolute is not None and absolute < e.absolute for e in episodes)
    else:
        label = f"S{season or 0:02d}E{episode or 0:02d}"
        wanted = (season or 0, episode or 0)
        earlier = all(wanted < (e.season or 0, e.episode or 0) for e in episodes)
    if (
        follow.monitor == "from_season"
        and season is not None
        and season < (follow.from_season or 1)
    ):
        return ActionError(
            "episode_before_season",
            series=follow.title,
            episode=label,
            season=str(follow.from_season or 1),
        )
    if follow.monitor == "future" and earlier:
        since = dt_util.as_local(follow.created_at).date().isoformat()
        return ActionError("episode_not_monitored", series=follow.title, episode=label, since=since)
    return ActionError("unknown_episode", series=follow.title)


class FollowManager:
    """Everything about followed series for one config entry."""

    def __init__(
        self,
        hooks: FollowHooks,
        conns: Connections,
        store: Saver,
        data: StoreData,
        options: dict[str, Any],
        *,
        releases: ReleaseSearch,
        acquirer: Acquirer | None = None,
        watch: WatchCycle | None = None,
    ) -> None:
        """``watch`` is the watching cycle (by default feed first, see :class:`WatchCycle`)."""
        self.hooks = hooks
        self.conns = conns
        self.store = store
        self.data = data
        self.options = {**DEFAULT_OPTIONS, **options}
        self.releases = releases
        self.watch = watch or WatchCycle(
            hooks, conns, store, data, releases=releases, acquirer=acquirer
        )

    async def cycle(self, now: datetime, force: set[str] | None = None) -> bool:
        """One watching cycle (see :meth:`WatchCycle.run`)."""
        return await self.watch.run(now, force)

    async def follow(
        self,
        *,
        title: str | None = None,
        ids: dict[str, int] | None = None,
        quality: str | None = None,
        language: str | None = None,
        dub: str | None = None,
        auto_download: bool = True,
        monitor: str = "future",
        from_season: int | None = None,
        aliases: list[str] | None = None,
    ) -> dict[str, Any]:
        """Follow a show by title or by one id; an ambiguous title follows nothing."""
        if ids:
            source, ident = next(iter(ids.items()))
            match = await lookup.find_by_id(self.conns, source, ident)
        else:
            found = await lookup.find_by_title(self.conns, title or "")
            if not found:
                raise ActionError("show_not_found", source="title", ident=title or "")
            if len(found) > 1:
                return {"followed": False, "candidates": [m.as_dict() for m in found]}
            match = await lookup.enrich(self.conns, found[0])
        for existing in self.data.follows.values():
            if any(
                existing.ids.get(k) == v for k, v in match.ids.items() if k in lookup.ID_SOURCES
            ):
                raise ActionError("already_followed", title=existing.title)
        follow = SeriesFollow(
            id=ulid_now(),
            title=match.title,
            ids=match.ids,
            year=match.year,
            anime=match.anime,
            quality=quality or str(self.options["quality"]),
            language=language or str(self.options["language"]),
            dub=dub or str(self.options["dub"]),
            auto_download=auto_download,
            monitor=monitor,
            from_season=from_season,
            aliases=[*match.aliases, *(aliases or [])],
            country=match.country,
            owns_bare_title=match.owns_bare_title,
        )
        self.data.follows[follow.id] = follow
        now = dt_util.utcnow()
        await self.watch.sync(follow, now)
        self.store.save(self.data)
        await self.cycle(now, force={follow.id})  # aired episodes are searched at once
        return {"followed": True, "follow": describe(self.data, follow)}

    def find(self, series: str) -> SeriesFollow:
        """The follow a person names by its title or an alias (accents and case aside)."""
        wanted = normalize_title(series)
        found = [
            f
            for f in self.data.follows.values()
            if any(normalize_title(t) == wanted for t in (f.title, *f.aliases))
        ]
        if not found:
            raise ActionError("unknown_series", series=series)
        if len(found) > 1:
            raise ActionError("ambiguous_series", series=series, ids=", ".join(f.id for f in found))
        return found[0]

    def get(self, follow_id: str) -> SeriesFollow:
        """A follow by id, or a translated error."""
        if follow_id not in self.data.follows:
            raise ActionError("unknown_follow", follow_id=follow_id)
        return self.data.follows[follow_id]

    async def unfollow(self, follow_id: str) -> None:
        """Stop following; its episodes go, decisions stay for the record."""
        follow = self.get(follow_id)
        for key in [k for k, e in self.data.episodes.items() if e.follow_id == follow.id]:
            del self.data.episodes[key]
            self.watch.watcher.forget(key)
        del self.data.follows[follow_id]
        self.hooks.failures(follow_id, follow.title, [])
        self.store.save(self.data)

    async def update(self, follow_id: str, **changes: Any) -> dict[str, Any]:
        """Pause/resume, preferences, extra aliases."""
        follow = self.get(follow_id)
        for key, value in changes.items():
            if value is None:
                continue
            if key == "aliases":
                follow.aliases = list(dict.fromkeys([*follow.aliases, *value]))
            else:
                setattr(follow, key, value)
        self.store.save(self.data)
        return describe(self.data, follow)

    async def check(self, follow_id: str | None = None) -> dict[str, Any]:
        """Re-sync and search now (one follow or all), within the indexers' budgets."""
        now = dt_util.utcnow()
        follows = [self.get(follow_id)] if follow_id else list(self.data.follows.values())
        for follow in follows:
            await self.watch.sync(follow, now)
        await self.cycle(now, force={f.id for f in follows})
        return {"follows": describe_all(self.data, follows)}

    async def _search_now(
        self, follow: SeriesFollow, target: EpisodeRelease, now: datetime
    ) -> tuple[list[Asked], Decision]:
        """Ask the indexers for one episode now (a person asked) and rank what they have."""
        asked = await self.watch.watcher.search(
            self.watch.wanted(follow, target),
            follow.title,
            follow.ids,
            follow.anime,
            now,
            manual=True,
        )
        decision = await self.releases.choose(
            self.watch.watcher.candidates(target.id),
            self.watch.wanted_for_selection(follow, target),
            self.watch.preferences(follow),
        )
        return asked, decision

    async def retry(self, episode_id: str) -> dict[str, Any]:
        """Search a failed episode again now, past its 48 h window, and grab the best release;
        it stays failed when there is none."""
        episode = self.data.episodes.get(episode_id)
        if episode is None:
            raise ActionError("unknown_episode_id", episode_id=episode_id)
        follow = self.get(episode.follow_id)
        now = dt_util.utcnow()
        _, decision = await self._search_now(follow, episode, now)
        grabbed = None
        if decision.survivors and await self.watch.grab(
            follow, episode, best := decision.survivors[0], now
        ):
            grabbed = best.candidate.name
        self.watch.report_failures()  # the series' repair issue loses the episode
        self.store.save(self.data)
        return {"episode": episode_label(follow, episode), "grabbed": grabbed}

    async def manual_search(
        self,
        follow_id: str,
        *,
        season: int | None = None,
        episode: int | None = None,
        absolute: int | None = None,
        grab: str | None = None,
        language: str = "en",
    ) -> dict[str, Any]:
        """Search one episode now: every release with its score and its reason (in
        ``language``, English or French); grab one if asked."""
        follow = self.get(follow_id)
        target = next(
            (
                e
                for e in episodes_of(self.data, follow_id)
                if (absolute is not None and e.absolute == absolute)
                or (absolute is None and (e.season, e.episode) == (season, episode))
            ),
            None,
        )
        if target is None:
            raise _not_watched(follow, episodes_of(self.data, follow_id), season, episode, absolute)
        now = dt_util.utcnow()
        asked, decision = await self._search_now(follow, target, now)
        grabbed = None
        if grab is not None:
            chosen = next((r for r in decision.survivors if r.candidate.name == grab), None)
            if chosen is None:
                raise ActionError("not_grabbable", release=grab)
            if await self.watch.grab(follow, target, chosen, now):
                grabbed = grab
                self.store.save(self.data)
        return {
            "episode": episode_label(follow, target),
            "why_empty": None if decision.survivors else why_empty(target, asked, now, language),
            "grabbed": grabbed,
            "decided_by": "model" if decision.reranked_by else "engine",
            "model": self.releases.reranker.name
            if self.releases.reranker and decision.advice
            else None,
            "model_reason": decision.advice,
            "indexers": [encode(a) for a in asked],
            "releases": [
                {
                    "name": r.candidate.name,
                    "indexer": r.candidate.indexer,
                    "seeders": r.candidate.seeders,
                    "size": r.candidate.size,
                    "score": r.score.total,
                    "breakdown": r.score.breakdown,
                    "rank": r.rank,
                    "rejected": r.rejected.code if r.rejected else None,
                    "reason": r.reason(language),
                }
                for r in decision.ranked
            ],
        }
