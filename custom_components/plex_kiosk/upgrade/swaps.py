"""Verified replacement: an upgrade's download is probed, judged, swapped in with a journal,
recovered after a crash, undone on demand; the recycle folders are emptied in time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from homeassistant.util.ulid import ulid_now

from ..acquire.importer import confined, main_video, pack_episodes
from ..acquire.pipeline import Acquirer, Hooks
from ..clients.probe import MediaProbe
from ..const import EVENT_UPGRADE_APPLIED, EVENT_UPGRADE_REFUSED
from ..engine.naming import EpisodeName, UnsafePath, episode_path, movie_path, printable
from ..engine.quality import ItemQuality, score_item
from ..engine.selection import Reason
from ..engine.upgrade import judge
from ..errors import ActionError
from ..models import (
    CandidateStatus,
    Download,
    MediaQualityProfile,
    StoreData,
    UpgradeCandidate,
    UpgradeHistory,
    UpgradeRule,
)
from .library import probe_if_reachable
from .replace import SwapPlan, plan, purge, restore, settle, swap
from .rules import engine_rule

_LOGGER = logging.getLogger(__name__)
HISTORY_KEPT = 500


class LibrarySaver(Protocol):
    """Where the data goes after a change: the entry's store, and the library profiles'
    file (scans write it)."""

    async def async_save(self, data: StoreData) -> None:
        """Persist ``data`` before the next step (the swap journal)."""

    async def async_save_library(self, data: StoreData) -> None:
        """Persist the library profiles of ``data``."""


class UpgradeSwaps:
    """What happens to an upgrade once downloaded, and after: swap, settle, undo, purge."""

    def __init__(
        self,
        hooks: Hooks,
        *,
        data: StoreData,
        store: LibrarySaver,
        acquirer: Acquirer,
        local_path: Callable[[str], Path],
        executor: Callable[..., Any],
        recycle_days: int,
    ) -> None:
        """The pipeline hands upgrade downloads here (the set-up wires ``acquirer.upgrades``)."""
        self.hooks = hooks
        self.data = data
        self.store = store
        self.acquirer = acquirer
        self.local_path = local_path
        self._run = executor
        self.keep = timedelta(days=recycle_days)

    def _pairs(
        self, candidate: UpgradeCandidate, files: list[tuple[str, int]]
    ) -> list[tuple[MediaQualityProfile, str]]:
        """Each library item of the candidate with its file in the torrent."""
        profiles = [self.data.profiles[k] for k in candidate.rating_keys if k in self.data.profiles]
        if candidate.season is None:
            video = main_video(files)
            return [(profiles[0], video)] if profiles and video else []
        by_number = {(p.season, p.episode): p for p in profiles}
        return [
            (profile, path)
            for path, season, number in pack_episodes(files)
            if (profile := by_number.get((season, number)))
        ]

    async def complete(self, download: Download, now: datetime) -> None:
        """Verify each new file and swap it in; refuse the release when none is the upgrade.
        The download counts as imported only once this is done (a qBittorrent error on the
        way leaves it to the next poll)."""
        candidate = self.data.candidates.get(download.target_id)
        if candidate is None:
            download.state, download.completed_at = "imported", now
            return
        rule = self.data.rules.get(candidate.rule_id)
        if rule is None:  # removed while downloading: nothing says what to verify
            candidate.status = CandidateStatus.FAILED
            candidate.reason = Reason(
                "rule_removed", "its rule was removed", "sa règle a été supprimée"
            )
            download.state, download.completed_at = "imported", now
            return
        files = await self.acquirer.grabber.qbittorrent.files(download.infohash)
        folder = self.acquirer.save_path(download)
        outcomes = [
            await self._replace(candidate, rule, profile, folder / path, now)
            for profile, path in self._pairs(candidate, files)
        ]
        download.state, download.completed_at = "imported", now
        candidate.updated_at = now
        if any(h.outcome == "applied" for h in outcomes):
            candidate.status, candidate.reason = CandidateStatus.APPLIED, None
            download.imported_path = str(
                self.local_path(next(h.new_file for h in outcomes if h.new_file))
            )
            await self.store.async_save_library(self.data)
            return
        reason = (outcomes[0].reason if outcomes else None) or Reason(
            "no_video", "no matching video file", "aucun fichier vidéo correspondant"
        )
        candidate.status, candidate.reason = CandidateStatus.REFUSED, reason
        await self.acquirer.discard(download, reason.en, now)
        self.hooks.fire(EVENT_UPGRADE_REFUSED, candidate.event() | {"reason": candidate.reason})

    def _new_name(self, profile: MediaQualityProfile, extension: str) -> str:
        if profile.season is None:
            relative = movie_path(
                profile.title, profile.year, extension, self.acquirer.movie_template
            )
        else:
            name = EpisodeName(
                profile.title,
                profile.year,
                profile.season,
                profile.episode,
                None,
                profile.episode_title,
            )
            relative = episode_path(name, extension, self.acquirer.episode_template)
        return PurePosixPath(relative).name

    async def _replace(
        self,
        candidate: UpgradeCandidate,
        rule: UpgradeRule,
        profile: MediaQualityProfile,
        downloaded: Path,
        now: datetime,
    ) -> UpgradeHistory:
        """Verify, then recycle the old file and place the new one; the history entry says how.
        The entry is saved as ``swapping`` (with both paths) before the first move."""
        done = next(
            (
                h
                for h in self.data.history
                if h.rating_key == profile.rating_key
                and h.infohash == candidate.infohash
                and h.outcome == "applied"
            ),
            None,
        )
        if done:  # swapped before a restart: nothing left to do for this file
            return done
        history = UpgradeHistory(
            id=ulid_now(),
            rating_key=profile.rating_key,
            title=profile.label,
            release_name=candidate.release_name,
            old_file=profile.file,
            new_file=None,
            old_score=profile.score,
            new_score=candidate.new_score,
            outcome="refused",
            rule_id=rule.id,
            at=now,
            infohash=candidate.infohash,
        )
        self._record(history)
        media = await self._run(probe_if_reachable, downloaded)
        if media is None:
            history.reason = Reason(
                "unreadable", "the new file cannot be read", "le nouveau fichier est illisible"
            )
            return history
        new = ItemQuality(media.resolution, media.video_codec, media.hdr, media.audio_class)
        verdict = judge(profile.quality, new, engine_rule(rule, 0))
        history.new_score = verdict.new_score
        if not verdict.met:
            said = verdict.reason or Reason("", "", "")
            history.reason = Reason(
                "not_the_upgrade",
                f"the new file is not the upgrade: {said.en}",
                f"le nouveau fichier n'est pas l'amélioration : {said.fr}",
            )
            return history
        library = self.acquirer.library_of(profile.section)
        try:
            confined(downloaded, self.acquirer.downloads)
            swap_plan: SwapPlan = await self._run(
                plan,
                self.local_path(profile.file or ""),
                self._new_name(profile, downloaded.suffix[1:]),
                library.root,
                history.id,
            )
            history.outcome = "swapping"  # the journal: saved before anything moves
            history.new_file = library.plex_path(swap_plan.target)
            history.recycled_path = str(swap_plan.recycled)
            await self.store.async_save(self.data)
            await self._run(swap, swap_plan, downloaded)
        except (OSError, UnsafePath) as err:
            history.outcome, history.new_file, history.recycled_path = "refused", None, None
            history.reason = Reason(
                "swap_failed", f"the old file stays: {err}", f"l'ancien fichier reste : {err}"
            )
            return history
        await self._applied(candidate, history, profile, media, swap_plan)
        return history

    async def _applied(
        self,
        candidate: UpgradeCandidate,
        history: UpgradeHistory,
        profile: MediaQualityProfile | None,
        media: MediaProbe | None,
        swap_plan: SwapPlan,
    ) -> None:
        """The new file is in place: record it, refresh Plex, say so."""
        history.outcome, history.reason = "applied", None
        library = self.acquirer.library_of(profile.section if profile else None)
        if profile and media:
            self._probed(profile, media, history.new_file or "")
        await self.acquirer.refresh(library, swap_plan.target.parent)
        self.hooks.fire(
            EVENT_UPGRADE_APPLIED,
            candidate.event()
            | {
                "new_score": history.new_score,
                "file": str(swap_plan.target),
                "recycled": str(swap_plan.recycled),
            },
        )

    async def settle(self, now: datetime) -> bool:
        """At start-up, finish or undo every swap Home Assistant died in the middle of;
        True when there was one."""
        unfinished = [h for h in self.data.history if h.outcome == "swapping"]
        for entry in unfinished:
            swap_plan = SwapPlan(
                self.local_path(entry.old_file or ""),
                self.local_path(entry.new_file or ""),
                Path(entry.recycled_path or ""),
            )
            try:
                finished = await self._run(settle, swap_plan)
            except OSError as err:
                _LOGGER.error(
                    "Unfinished upgrade of %s left as is: %s", printable(entry.title), err
                )
                continue
            candidate = next(
                (c for c in self.data.candidates.values() if c.infohash == entry.infohash), None
            )
            if finished and candidate:
                profile = self.data.profiles.get(entry.rating_key)
                media = await self._run(probe_if_reachable, swap_plan.target)
                await self._applied(candidate, entry, profile, media, swap_plan)
                continue
            entry.outcome, entry.recycled_path, entry.new_file = "interrupted", None, None
            entry.reason = Reason(
                "interrupted",
                "Home Assistant stopped during the swap: the old file is back",
                "Home Assistant s'est arrêté pendant l'échange : l'ancien fichier est revenu",
            )
            entry.at = now
        if unfinished:
            await self.store.async_save(self.data)
            await self.store.async_save_library(self.data)
        return bool(unfinished)

    @staticmethod
    def _probed(profile: MediaQualityProfile, media: MediaProbe, file: str) -> None:
        """The profile of the file now in place (fetched again from Plex at the next scan)."""
        profile.file, profile.fingerprint, profile.probed = file, "", True
        profile.resolution = media.resolution
        profile.video_codec = media.video_codec
        profile.hdr = media.hdr
        profile.audio_class = media.audio_class
        profile.audio_languages = list(media.audio_languages)
        profile.subtitles = list(media.subtitle_languages)
        profile.lossless_audio = False  # a probe does not say
        profile.score = score_item(profile.quality)

    def _record(self, entry: UpgradeHistory) -> None:
        """Newest first; beyond the limit the oldest go, except those whose recycled file
        still waits for its clean-up."""
        history = [entry, *self.data.history]
        waiting = [h for h in history[HISTORY_KEPT:] if h.recycled_path and not h.purged]
        self.data.history = history[:HISTORY_KEPT] + waiting

    async def restore(self, history_id: str, now: datetime) -> UpgradeHistory:
        """Undo an applied upgrade while its old file waits in the recycle folder: the old
        file goes back, the new one to the recycle folder, the release to the blocklist."""
        entry = next((h for h in self.data.history if h.id == history_id), None)
        if entry is None or entry.outcome != "applied" or not entry.recycled_path or entry.purged:
            raise ActionError("cannot_restore", history_id=history_id)
        profile = self.data.profiles.get(entry.rating_key)
        library = self.acquirer.library_of(profile.section if profile else None)
        old, new = self.local_path(entry.old_file or ""), self.local_path(entry.new_file or "")
        try:
            confined(new, library.root)
        except UnsafePath as err:
            raise ActionError("cannot_restore_file", reason=str(err)) from err
        undo = replace(
            entry,
            id=ulid_now(),
            old_file=entry.new_file,
            new_file=entry.old_file,
            old_score=entry.new_score,
            new_score=entry.old_score,
            outcome="restored",
            at=now,
        )
        try:
            parked = await self._run(
                restore, Path(entry.recycled_path), old, new, library.root, undo.id
            )
        except (OSError, UnsafePath) as err:
            raise ActionError("cannot_restore_file", reason=str(err)) from err
        entry.recycled_path, undo.recycled_path = None, str(parked) if parked else None
        self._record(undo)
        if entry.infohash:
            self.data.block(entry.infohash, entry.release_name, "upgrade undone by the user", now)
        media = await self._run(probe_if_reachable, old)
        if profile and media:
            self._probed(profile, media, entry.old_file or "")
        await self.acquirer.refresh(library, old.parent)
        await self.store.async_save_library(self.data)
        return undo

    async def failed(self, download: Download, reason: str, now: datetime) -> None:
        """The download failed (already blocklisted by the pipeline)."""
        if candidate := self.data.candidates.get(download.target_id):
            candidate.status, candidate.updated_at = CandidateStatus.FAILED, now
            candidate.reason = Reason(
                "download_failed", reason, f"échec du téléchargement : {reason}"
            )

    async def purge(self, now: datetime) -> bool:
        """Empty the recycle folders older than the retention; True when something went."""
        due = [
            h
            for h in self.data.history
            if h.recycled_path and not h.purged and now - h.at >= self.keep
        ]
        for entry in due:
            try:
                await self._run(purge, Path(entry.recycled_path or ""))
            except UnsafePath as err:
                _LOGGER.error("Recycle clean-up refused: %s", err)
            entry.purged = True
        return bool(due)
